"use client";
// Round views shared by the dashboard and the mine page: summary cards, the task table, the P/R chart.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatUnits } from "viem";
import type { Phase, RoundDetail, SlotDetail } from "@ponas/chain";
import { DECIMALS, fmtBps, fmtDuration, fmtTime, fmtToken, shortAddr } from "../lib/format";
import { useSpaceInfo } from "../lib/pool";

/** What happens on chain in each phase, shown beside the phase's own word. */
export const PHASE_HINT: Readonly<Record<Phase, string>> = {
  claim: "claims and commits",
  "reveal-primaries": "primaries reveal",
  "reveal-backups": "backups reveal",
  verify: "verifiers seal, reveal and decide attestations",
  finalizable: "anyone may finalize",
  finalized: "rewards can be withdrawn",
};

export function slotState(s: SlotDetail): string {
  if (s.fraud) return "fraud (slashed)";
  if (s.duplicate) return "duplicate (voided)";
  const revealed = s.attestations.filter((a) => a.state === "revealed").length;
  const v =
    s.finalBps !== null
      ? `verified ${fmtBps(s.finalBps)}`
      : s.undecided
        ? "undecided"
        : s.attestations.length
          ? `${s.attestations.length} sealed, ${revealed} revealed`
          : "";
  return [s.status, s.status !== "claimed" && s.status !== "none" && s.claimedBps ? `claims ${fmtBps(s.claimedBps)}` : "", v].filter(Boolean).join(", ");
}

export function RoundSummary({ r }: { r: RoundDetail }) {
  return (
    <div className="grid">
      <div className="card">
        <div className="muted">Phase</div>
        <div className="stat">
          <span data-testid="phase">
            <span className="badge phase" data-phase={r.phase}>
              {r.phase}
            </span>{" "}
            <span className="muted phase-hint">{PHASE_HINT[r.phase]}</span>
          </span>
        </div>
        <div data-testid="time-left">{r.endsAt ? `${fmtDuration(r.endsAt - r.now)} left (until ${fmtTime(r.endsAt)})` : r.phase === "finalizable" ? "verify window over: ready to finalize" : "payouts open"}</div>
      </div>
      <div className="card">
        <div className="muted">Reward pot</div>
        <div className="stat">{fmtToken(r.pot)}</div>
        <div className="muted" data-testid="forfeited">R_total; {fmtToken(r.forfeited)} forfeited to treasury (slashes, no-show fees)</div>
      </div>
      <div className="card">
        <div className="muted">Tasks · ΣP</div>
        <div className="stat">
          {r.tasks.length} · {r.state.sumP.toString()}
        </div>
        <div className="muted">stake per claim {fmtToken(r.params.minStake)}</div>
      </div>
    </div>
  );
}

export function Chart({ r }: { r: RoundDetail }) {
  const data = r.tasks.flatMap((t) =>
    t.slots
      .filter((s) => s.counts)
      // P as the pool emitted it (Revealed.p, then Verified.p): the payout rule stays the contract's
      .map((s) => ({ name: `${shortAddr(s.miner)} t${t.task}`, P: s.fraud ? 0 : Number(s.p ?? 0n), R: Number(formatUnits(s.paid ?? s.projectedReward, DECIMALS)) })),
  );
  if (!data.length) return <p className="muted">No counting submissions yet.</p>;
  return (
    <figure aria-label="Performance P_i and reward R_i per miner" style={{ margin: 0 }}>
      <div style={{ width: "100%", height: 260 }}>
        <ResponsiveContainer>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" fontSize={11} />
            <YAxis yAxisId="p" fontSize={11} label={{ value: "P (bps)", angle: -90, position: "insideLeft", fontSize: 11 }} />
            <YAxis yAxisId="r" orientation="right" fontSize={11} label={{ value: "R (PONAS)", angle: 90, position: "insideRight", fontSize: 11 }} />
            <Tooltip />
            <Legend />
            <Bar yAxisId="p" dataKey="P" name="P_i (bps above baseline)" fill="#0b5cad" isAnimationActive={false} />
            <Bar yAxisId="r" dataKey="R" name="R_i (PONAS)" fill="#16703a" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">R_i = P_i / ΣP × pot (paid, or projected by the contract until paid).</figcaption>
    </figure>
  );
}

export function TaskTable({ r }: { r: RoundDetail }) {
  const info = useSpaceInfo(r);
  return (
    <div className="tablewrap">
      <table data-testid="tasks">
        <thead>
          <tr>
            <th>Task</th>
            <th>Subspace</th>
            <th>Primary</th>
            <th>Backups</th>
            <th>Submission / verification</th>
            <th className="num">R (paid or projected)</th>
          </tr>
        </thead>
        <tbody>
          {r.tasks.map((t) => {
            const primary = t.slots[0];
            return (
              <tr key={t.task} data-testid={`task-${t.task}`}>
                <td>{t.task}</td>
                <td>{info.data?.descriptions[t.task] ?? <code>{t.mask.slice(0, 18)}…</code>}</td>
                <td title={primary?.miner}>{primary ? shortAddr(primary.miner) : <span className="muted">unclaimed</span>}</td>
                <td>{t.slots.length > 1 ? t.slots.slice(1).map((s) => <div key={s.slot} title={s.miner}>{shortAddr(s.miner)}{s.counts ? " (took over)" : ""}</div>) : <span className="muted">{t.backupsAllowed ? "open" : "none"}</span>}</td>
                <td data-testid={`task-${t.task}-state`}>
                  {t.slots.length ? t.slots.map((s) => <div key={s.slot}>{s.slot === 0 ? "primary" : `backup ${s.slot}`}: {slotState(s)}{s.counts && !s.fraud ? " ✓ counts" : ""}</div>) : "open for claims"}
                </td>
                <td className="num">{fmtToken(t.slots.reduce((a, s) => a + (s.paid ?? s.projectedReward), 0n))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

