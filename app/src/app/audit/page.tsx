"use client";
// Audit: recompute every payout of a round in the browser from the pool's event logs alone
// (chain/audit.ts) and compare with what was paid and with contract state; per-miner ✓/✗, each
// verifier's fees, penalties and slash shares re-judged under the committee's rule, a round
// verdict, CSV export, and the partition check of the round's subspaces.
import { useMemo, useState } from "react";
import { auditCsv, auditedEvents, auditRound, slotKey, type AuditResult, type RoundDetail } from "@ponas/chain";
import { RoundPicker, useSelectedRound } from "../../components/RoundPicker";
import { exactToken, fmtToken, shortAddr } from "../../lib/format";
import { useAppConfig, useRound, useSpaceInfo } from "../../lib/pool";
import type { Address } from "viem";


function runAudit(r: RoundDetail, seals: { chainId: number; pool: Address }): AuditResult {
  const projected: Record<string, bigint> = {};
  for (const t of r.tasks) for (const s of t.slots) if (s.status !== "settled") projected[slotKey(t.task, s.slot)] = s.projectedReward;
  return auditRound({
    roundId: r.roundId,
    events: auditedEvents(r.events),
    state: { finalized: r.state.finalized, paid: r.state.paid, forfeited: r.forfeited, sumP: r.sumP, projected, fees: r.fees },
    seals, // each verdict checked against the miner's weights seal
  });
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export default function Audit() {
  const [sel, setSel] = useState<bigint>();
  const roundId = useSelectedRound(sel);
  const round = useRound(roundId);
  const cfg = useAppConfig();
  const audit = useMemo(() => {
    if (!round.data) return undefined;
    try {
      return { a: runAudit(round.data, { chainId: cfg.chainId, pool: cfg.pool }) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [round.data, cfg.chainId, cfg.pool]);
  const space = useSpaceInfo(round.data);
  const a = audit?.a;
  return (
    <>
      <h1>Audit</h1>
      <p className="muted">
        Every payout recomputed here, in your browser, from the pool&apos;s event logs alone: pot = R_total, R_i = ⌊P_i × pot / ΣP⌋, then compared
        with the Withdrawn events and the contract&apos;s state. Slashed stake and no-show fees are forfeited to the treasury, never added to the pot.
      </p>
      <RoundPicker value={roundId} onChange={setSel} />
      {round.isError && <p className="error">{round.error.message.slice(0, 300)}</p>}
      {audit?.error && <p className="error">{audit.error}</p>}
      {a && (
        <>
          <div className="grid">
            <div className="card">
              <div className="muted">Round verdict</div>
              <div className={`stat ${a.verdict === "pass" ? "okc" : a.verdict === "fail" ? "badc" : ""}`} data-testid="verdict">
                {a.verdict === "pass" ? "✓ every payout checks out" : a.verdict === "fail" ? "✗ mismatch found" : "… not finalized yet (consistent so far)"}
              </div>
            </div>
            <div className="card">
              <div className="muted">Pot · ΣP · dust</div>
              <div className="stat">{fmtToken(a.pot)}</div>
              <div className="muted" title={`${a.dust} wei`}>
                ΣP {a.sumP.toString()} · forfeited to treasury {fmtToken(a.forfeited)} · dust {a.dust.toString()} wei{a.withheld ? ` · withheld ${fmtToken(a.withheld)}` : ""}
              </div>
            </div>
            <div className="card">
              <div className="muted">Paid / expected</div>
              <div className="stat">{fmtToken(a.totalPaid)}</div>
              <div className="muted">expected {fmtToken(a.totalExpected)}</div>
              <button type="button" className="secondary" onClick={() => download(`ponas-round-${a.roundId}-audit.csv`, auditCsv(a))} data-testid="csv">
                Export CSV
              </button>
            </div>
          </div>
          <h2>Per miner</h2>
          <div className="tablewrap">
            <table data-testid="audit-miners">
              <thead>
                <tr><th>Miner</th><th className="num">Submissions</th><th className="num">Expected</th><th className="num">Paid</th><th className="num">Slashed</th><th className="num">No-show fee</th><th>Check</th></tr>
              </thead>
              <tbody>
                {a.miners.map((m) => (
                  <tr key={m.miner} data-testid="audit-miner">
                    <td title={m.miner}>{shortAddr(m.miner)}</td>
                    <td className="num">{m.submissions}</td>
                    <td className="num" title={exactToken(m.expected)}>{fmtToken(m.expected)}</td>
                    <td className="num" title={exactToken(m.paid)}>{fmtToken(m.paid)}</td>
                    <td className="num">{m.slashed ? fmtToken(m.slashed) : "—"}</td>
                    <td className="num">{m.fined ? fmtToken(m.fined) : "—"}</td>
                    <td className={m.ok ? "okc" : "badc"} data-testid="miner-check" aria-label={m.ok ? "matches" : "mismatch"}>{m.ok ? "✓" : "✗"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {a.verifiers && (
            <>
              <h2>Per verifier</h2>
              <p className="muted">
                Each decided submission judged again from the committee&apos;s events: the median of the revealed scores, the agreed weights digest, who was paid
                the fee (within the tolerance, digest proven) and who was penalised (never revealed, off the median, contradicted digest).
              </p>
              <div className="tablewrap">
                <table data-testid="audit-verifiers">
                  <thead>
                    <tr><th>Verifier</th><th className="num">Attestations</th><th className="num">Fees</th><th className="num">Penalties</th><th className="num">Slash shares</th><th>Check</th></tr>
                  </thead>
                  <tbody>
                    {a.verifiers.verifiers.map((v) => (
                      <tr key={v.verifier}>
                        <td title={v.verifier}>{shortAddr(v.verifier)}</td>
                        <td className="num">{v.attestations}</td>
                        <td className="num" title={exactToken(v.fees)}>{fmtToken(v.fees)}</td>
                        <td className="num">{v.penalties ? fmtToken(v.penalties) : "—"}</td>
                        <td className="num">{v.slashShares ? fmtToken(v.slashShares) : "—"}</td>
                        <td className={v.ok ? "okc" : "badc"} data-testid="verifier-check">{v.ok ? "✓" : "✗"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <h2>Per submission</h2>
          <div className="tablewrap">
            <table>
              <thead>
                <tr><th>Task</th><th>Slot</th><th>Miner</th><th className="num">P</th><th className="num">Expected</th><th className="num">Paid / projected</th><th>Note</th><th>✓</th></tr>
              </thead>
              <tbody>
                {a.rows.map((r) => (
                  <tr key={`${r.task}:${r.slot}`}>
                    <td>{r.task}</td><td>{r.slot}</td><td title={r.miner}>{shortAddr(r.miner)}</td><td className="num">{r.p.toString()}</td>
                    <td className="num">{fmtToken(r.expected)}</td><td className="num">{r.paid !== null ? fmtToken(r.paid) : r.projected !== null ? `(${fmtToken(r.projected)})` : "—"}</td>
                    <td>{r.note}</td><td className={r.ok ? "okc" : "badc"}>{r.ok ? "✓" : "✗"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Round checks</h2>
          <ul data-testid="checks">
            {a.checks.map((c) => (
              <li key={c.name}><span className={c.ok ? "okc" : "badc"}>{c.ok ? "✓" : "✗"}</span> {c.name} <span className="muted">({c.detail})</span></li>
            ))}
            <li data-testid="partition">
              {space.data ? (
                <>
                  <span className={space.data.partition.ok ? "okc" : "badc"}>{space.data.partition.ok ? "✓" : "✗"}</span> the {round.data!.tasks.length} subspaces cover the search space{" "}
                  <code>{space.data.space}</code> without overlap{" "}
                  <span className="muted">({space.data.partition.covered}/{space.data.partition.size} architectures in exactly one task, {space.data.partition.uncovered} uncovered, {space.data.partition.overlapping} in several)</span>
                </>
              ) : space.isError ? (
                <span className="error">partition check unavailable: {space.error.message}</span>
              ) : (
                "checking the partition…"
              )}
            </li>
          </ul>
        </>
      )}
    </>
  );
}
