"use client";
// Verifiers: the committee (VerifierSet events), their stakes and fees, and the round's sealed
// attestations: the phase of the verify window the round is in (the lens's challengeEnd and
// attestPhases), and per sampled submission who committed a seal and when, then what each revealed
// (score, weights digest) and what it came to (fee paid, or penalty), and whether it was decided.
// A connected verifier stakes, unstakes and withdraws its earned fees here (the committee's
// stakeVerifier, unstakeVerifier, withdrawFees), reverts worded by chain/reverts.ts.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useConnection, useReadContract } from "wagmi";
import type { Address } from "viem";
import { getPoolEvents, type AttestationDetail, type RoundDetail, type SlotDetail } from "@ponas/chain";
import { poolTokenAbi, verifierCommitteeAbi } from "@ponas/deployments";
import { TxLog, useTx } from "../../components/Tx";
import { AmountForm } from "../../components/AmountForm";
import { RoundPicker, useSelectedRound } from "../../components/RoundPicker";
import { fmtBps, fmtTime, fmtToken, shortAddr } from "../../lib/format";
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

/** The connected wallet's verifier account: stake, unstake and withdraw fees. */
function MyVerifier({ onChange }: { onChange: () => unknown }) {
  const cfg = useAppConfig();
  const conn = useConnection();
  const me = conn.address as Address | undefined;
  const wrongChain = conn.isConnected && conn.chainId !== cfg.chainId;
  const { send, log } = useTx();
  const q = { chainId: cfg.chainId, query: { enabled: !!me, refetchInterval: 1500 } } as const;
  const committee = { address: cfg.committee, abi: verifierCommitteeAbi } as const;
  const account = useReadContract({ ...committee, functionName: "verifierAccount", args: [me!], ...q });
  const minStake = useReadContract({ ...committee, functionName: "minVerifierStake", chainId: cfg.chainId });
  const wallet = useReadContract({ address: cfg.token, abi: poolTokenAbi, functionName: "balanceOf", args: [me!], ...q });
  const allowance = useReadContract({ address: cfg.token, abi: poolTokenAbi, functionName: "allowance", args: [me!, cfg.committee], ...q });
  const [formError, setFormError] = useState<string>();
  const busy = log.some((t) => t.state === "pending");
  const canSend = conn.isConnected && !wrongChain && !busy;
  const refresh = () => Promise.all([account.refetch(), wallet.refetch(), allowance.refetch(), onChange()]);
  const a = account.data;

  async function stake(value: bigint): Promise<boolean> {
    if ((allowance.data ?? 0n) < value) {
      if (!(await send(`Approve ${fmtToken(value)} for the committee`, { address: cfg.token, abi: poolTokenAbi, functionName: "approve", args: [cfg.committee, value] }))) return false;
    }
    const ok = await send(`Stake ${fmtToken(value)} as a verifier`, { ...committee, functionName: "stakeVerifier", args: [value] });
    await refresh();
    return ok;
  }
  // only the format and the whole stake are checked here: the minimum an active verifier keeps is
  // the contract's rule, and its revert (VerifierCommitteeStakeTooLow) says it in words
  async function unstake(value: bigint): Promise<boolean> {
    const ok = await send(`Unstake ${fmtToken(value)} of verifier stake`, { ...committee, functionName: "unstakeVerifier", args: [value] });
    await refresh();
    return ok;
  }
  async function onWithdraw() {
    setFormError(undefined);
    await send(`Withdraw ${fmtToken(a?.fees)} of verifier fees`, { ...committee, functionName: "withdrawFees", args: [] });
    await refresh();
  }

  return (
    <section className="card" aria-labelledby="myv-h" data-testid="my-verifier">
      <h2 id="myv-h">Your verifier account</h2>
      {!me ? (
        <p className="muted">Connect a wallet (top right) to stake as a verifier and withdraw the fees you earned.</p>
      ) : (
        <>
          {wrongChain && <p className="warn">Switch your wallet to chain {cfg.chainId} (button at the top) before sending transactions.</p>}
          <div className="grid">
            <div className="card">
              <div className="muted">Enrolled</div>
              <div className="stat" data-testid="my-verifier-active">{a ? (a.active ? "yes" : "no") : "—"}</div>
              {a && !a.active && <div className="muted">the pool admin enrols verifiers (the committee's setVerifier); stake is kept either way</div>}
            </div>
            <div className="card">
              <div className="muted">Verifier stake</div>
              <div className="stat" data-testid="my-verifier-stake">{fmtToken(a?.stake)}</div>
              <div className="muted">an active verifier keeps at least {fmtToken(minStake.data)}</div>
            </div>
            <div className="card">
              <div className="muted">Unwithdrawn fees</div>
              <div className="stat" data-testid="my-verifier-fees">{fmtToken(a?.fees)}</div>
              <button type="button" onClick={onWithdraw} disabled={!canSend || !a || a.fees === 0n} data-testid="withdraw-fees">
                Withdraw fees
              </button>
            </div>
          </div>
          <AmountForm label="Verifier stake to add (PONAS)" name="vstake" placeholder="e.g. 10" button="Stake" buttonTestId="vstake" disabled={!canSend} max={wallet.data} maxWhat="in your wallet" onError={setFormError} onAmount={stake} />
          <AmountForm label="Verifier stake to withdraw (PONAS)" name="vunstake" placeholder="above the minimum only" button="Unstake" buttonTestId="vunstake" secondary disabled={!canSend} max={a?.stake} maxWhat="of verifier stake" onError={setFormError} onAmount={unstake} />
          {formError && <p className="error" role="alert" data-testid="vform-error">{formError}</p>}
          <TxLog log={log} />
        </>
      )}
    </section>
  );
}

/** The verify window's phases in words, the current one marked. */
function VerifyPhases({ r }: { r: RoundDetail }) {
  const p = r.attestPhases;
  const rows = [
    { key: "commit", what: "commit: the three verifiers the round's randomness drew for each submission re-train it and seal score and weights digest", until: p.commitEnd, extra: `challenges until ${fmtTime(p.challengeEnd)}` },
    { key: "reveal", what: "reveal: each opens its seal; agreeing reveals decide the submission at once, disagreeing ones dispute it", until: p.revealEnd },
    { key: "escalation", what: "escalation: the members not drawn re-train each disputed submission and seal theirs", until: p.escalationCommitEnd },
    { key: "escalation-reveal", what: "escalation reveal: they open their seals; the last decides", until: p.escalationRevealEnd },
    { key: "decide", what: "decide: anyone decides what is left", until: r.params.verifyEnd },
  ] as const;
  const now =
    r.attestPhase === "before" ? "the verify window has not started" : r.attestPhase === "after" ? "the verify window is over" : `${r.attestPhase} phase`;
  return (
    <div className="card">
      <div className="muted">Verify window</div>
      <div className="stat" data-testid="attest-phase" data-phase={r.attestPhase}>
        <span className="badge phase">{now}</span>
      </div>
      <ol className="muted" style={{ margin: "6px 0 0", paddingLeft: 18 }}>
        {rows.map((x) => (
          <li key={x.key} style={{ fontWeight: r.attestPhase === x.key ? 600 : undefined }}>
            {x.what}, until {fmtTime(x.until)}
            {"extra" in x ? ` (${x.extra})` : ""}
          </li>
        ))}
      </ol>
    </div>
  );
}

const ZERO = /^0x0{64}$/;

/** What one attestation came to, in words. */
function outcome(a: AttestationDetail, s: SlotDetail): { text: string; cls: string } {
  if (a.penalty !== null) return { text: `penalised ${fmtToken(a.penalty)}${a.state === "committed" ? " (never revealed)" : ""}`, cls: "badc" };
  if (a.fee !== null) return { text: `fee ${fmtToken(a.fee)}${a.slashShare ? ` + slash share ${fmtToken(a.slashShare)}` : ""}`, cls: "okc" };
  if (!s.decided) return { text: a.state === "committed" ? "sealed" : "awaiting decision", cls: "" };
  if (s.undecided) return { text: "no verdict", cls: "" };
  return { text: a.weightsDigest && ZERO.test(a.weightsDigest) ? "agrees, score only: no fee" : "no fee", cls: "" };
}

export default function Verifiers() {
  const [sel, setSel] = useState<bigint>();
  const roundId = useSelectedRound(sel);
  const round = useRound(roundId);
  const committee = useCommittee();
  const r = round.data;
  // sampled revealed submissions (a settled slot that was never revealed has no genome) and any with commitments
  const attested = r?.tasks.flatMap((t) => t.slots.filter((s) => (s.sampled && s.genome !== undefined) || s.attestations.length > 0).map((s) => ({ task: t.task, s }))) ?? [];
  return (
    <>
      <h1>Verifiers</h1>
      <MyVerifier onChange={() => committee.refetch()} />
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
      <h2>Sealed attestations</h2>
      <RoundPicker value={roundId} onChange={setSel} />
      {r && (
        <>
          <div className="grid">
            <VerifyPhases r={r} />
          </div>
          <p className="muted">
            Quorum {r.params.quorum}, tolerance {fmtBps(r.params.toleranceBps)}: the verdict is the median of the revealed scores, drawn and escalation alike. An
            attestation within the tolerance whose weights digest is the one the re-trainings agree on is paid the fee; a score-only one (digest 0) or an
            unmatched digest is not; one off the median, with a contradicted digest, or never revealed is penalised.
          </p>
        </>
      )}
      {attested.length === 0 ? (
        <p className="muted">No sampled submissions in this round yet.</p>
      ) : (
        <div className="tablewrap">
          <table data-testid="attestations">
            <thead>
              <tr><th>Task</th><th>Slot</th><th className="num">Claim</th><th>Verifier</th><th>Committed</th><th className="num">Revealed score</th><th>Digest</th><th>Fee or penalty</th><th>Decision</th></tr>
            </thead>
            <tbody>
              {attested.map(({ task, s }) => {
                const decision = s.fraud
                  ? `fraud: median ${fmtBps(s.finalBps ?? 0)}`
                  : s.finalBps !== null
                    ? `verified ${fmtBps(s.finalBps)}`
                    : s.undecided
                      ? "undecided (too few reveals)"
                      : "pending";
                if (s.attestations.length === 0) {
                  return (
                    <tr key={`${task}:${s.slot}`} data-testid={`att-${task}-${s.slot}`}>
                      <td>{task}</td><td>{s.slot}</td><td className="num">{fmtBps(s.claimedBps)}</td><td colSpan={5} className="muted">no commitments yet</td><td>{decision}</td>
                    </tr>
                  );
                }
                return s.attestations.map((a, i) => {
                  const o = outcome(a, s);
                  return (
                    <tr key={`${task}:${s.slot}:${a.verifier}`} data-testid={`att-${task}-${s.slot}`}>
                      {i === 0 && (
                        <>
                          <td rowSpan={s.attestations.length}>{task}</td>
                          <td rowSpan={s.attestations.length}>{s.slot}</td>
                          <td rowSpan={s.attestations.length} className="num">{fmtBps(s.claimedBps)}</td>
                        </>
                      )}
                      <td title={a.verifier}>
                        {shortAddr(a.verifier)}
                        {a.escalation ? <span className="badge" data-testid="att-escalation"> escalation</span> : null}
                      </td>
                      <td title={`block ${a.committedBlock}; seal ${a.seal}`}>{a.committedAt !== null ? fmtTime(a.committedAt) : `block ${a.committedBlock}`}</td>
                      <td className="num">{a.scoreBps !== null ? fmtBps(a.scoreBps) : <span className="muted">sealed</span>}</td>
                      <td title={a.weightsDigest ?? undefined}>{a.weightsDigest === null ? "—" : ZERO.test(a.weightsDigest) ? "0 (score only)" : <code>{a.weightsDigest.slice(0, 10)}…</code>}</td>
                      <td className={o.cls} data-testid="att-outcome">{o.text}</td>
                      {i === 0 && <td rowSpan={s.attestations.length} data-testid={`decision-${task}-${s.slot}`}>{decision}</td>}
                    </tr>
                  );
                });
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
