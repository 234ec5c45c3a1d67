"use client";
// Verifiers: the committee (VerifierSet events), their stakes and fees, and each attestation of the
// round with its agreement with the final median (within the round's tolerance).
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { getPoolEvents, slotKey } from "@ponas/chain";
import { verifierCommitteeAbi } from "@ponas/deployments";
import { RoundPicker, useSelectedRound } from "../../components/RoundPicker";
import { fmtBps, fmtToken, shortAddr } from "../../lib/format";
import { useAppConfig, usePoolReader, useRound } from "../../lib/pool";

function useCommittee() {
  const cfg = useAppConfig();
  const reader = usePoolReader();
  return useQuery({
    queryKey: ["committee", cfg.pool],
    enabled: !!reader,
    refetchInterval: 3000,
    queryFn: async () => {
      const c = reader!;
      const set = await getPoolEvents(c, { eventName: "VerifierSet" });
      const members = [...new Set(set.map((e) => e.args.verifier))];
      return Promise.all(members.map(async (v) => ({ verifier: v, ...(await c.publicClient.readContract({ address: c.committee, abi: verifierCommitteeAbi, functionName: "verifierAccount", args: [v] })) })));
    },
  });
}

export default function Verifiers() {
  const [sel, setSel] = useState<bigint>();
  const roundId = useSelectedRound(sel);
  const round = useRound(roundId);
  const committee = useCommittee();
  const r = round.data;
  const attested = r?.events.flatMap((e) => (e.eventName === "Attested" ? [e.args] : [])) ?? [];
  const verified = new Map(r?.events.flatMap((e) => (e.eventName === "Verified" ? [[slotKey(e.args.task, e.args.slot), e.args] as const] : [])) ?? []);
  const tol = r ? BigInt(r.params.toleranceBps) : 0n;
  return (
    <>
      <h1>Verifiers</h1>
      <h2>Committee</h2>
      {committee.data && (
        <div className="tablewrap">
          <table data-testid="committee">
            <thead><tr><th>Verifier</th><th>Active</th><th className="num">Stake</th><th className="num">Unwithdrawn fees</th></tr></thead>
            <tbody>
              {committee.data.map((v) => (
                <tr key={v.verifier}><td title={v.verifier}>{shortAddr(v.verifier)}</td><td>{v.active ? "yes" : "no"}</td><td className="num">{fmtToken(v.stake)}</td><td className="num">{fmtToken(v.fees)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Attestations</h2>
      <RoundPicker value={roundId} onChange={setSel} />
      {r && (
        <p className="muted">Quorum {r.params.quorum}, tolerance {fmtBps(r.params.toleranceBps)}: an attestation agrees when it is within the tolerance of the final median.</p>
      )}
      {attested.length === 0 ? (
        <p className="muted">No attestations in this round.</p>
      ) : (
        <div className="tablewrap">
          <table data-testid="attestations">
            <thead><tr><th>Task</th><th>Slot</th><th>Verifier</th><th className="num">Score</th><th className="num">Median</th><th>Agreement</th><th className="num">Fee</th></tr></thead>
            <tbody>
              {attested.map((a, i) => {
                const v = verified.get(slotKey(a.task, a.slot));
                const d = v ? (a.scoreBps > v.medianBps ? a.scoreBps - v.medianBps : v.medianBps - a.scoreBps) : null;
                return (
                  <tr key={i}>
                    <td>{a.task.toString()}</td><td>{a.slot.toString()}</td><td title={a.verifier}>{shortAddr(a.verifier)}</td>
                    <td className="num">{fmtBps(a.scoreBps)}</td><td className="num">{v ? fmtBps(v.medianBps) : "—"}{v?.fraud ? " (fraud)" : ""}</td>
                    <td className={d === null ? "" : d <= tol ? "okc" : "badc"}>{d === null ? "awaiting quorum" : d <= tol ? `✓ agrees (Δ ${fmtBps(d)})` : `✗ off by ${fmtBps(d)}`}</td>
                    <td className="num">{fmtToken(a.fee)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
