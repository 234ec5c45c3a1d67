"use client";
// Mine: stake and unstake, claim a task or join as backup, my submissions, withdraw rewards. A
// claim only locks stake: the search runs in the miner CLI, so after a claim the page says the
// exact command to run and the deadlines it must meet (else the stake pays the no-show fee).
import { useState } from "react";
import { useConnection, useReadContract } from "wagmi";
import type { Address } from "viem";
import { poNASPoolAbi, poolTokenAbi } from "@ponas/deployments";
import { RoundPicker, useSelectedRound } from "../../components/RoundPicker";
import { RoundSummary, TaskTable, slotState } from "../../components/RoundViews";
import { TxLog, useTx } from "../../components/Tx";
import { AmountForm } from "../../components/AmountForm";
import { fmtBps, fmtDuration, fmtTime, fmtToken } from "../../lib/format";
import { useAppConfig, useRound } from "../../lib/pool";
import type { RoundDetail, SlotDetail } from "@ponas/chain";

/** "in 5 min 3 s" or "passed", from chain time. */
const countdown = (until: number, now: number): string => (until >= now ? `in ${fmtDuration(until - now)}` : "passed");

/** What a claim still needs, for each of my slots not yet revealed while the round still takes reveals: the miner command and its deadlines. */
function RunMiner({ r, slots }: { r: RoundDetail; slots: (SlotDetail & { task: number })[] }) {
  const cfg = useAppConfig();
  const commitEnd = Number(r.params.commitEnd);
  const revealEnd = Number(r.params.revealEnd);
  const open = slots.filter((s) => s.status === "claimed" && !r.state.finalized && r.now <= revealEnd);
  if (open.length === 0) return null;
  const fee = (r.params.minStake * BigInt(r.params.noShowBps)) / 10_000n;
  return (
    <section className="card warn" aria-labelledby="run-h" data-testid="run-miner">
      <h2 id="run-h">Now run the miner</h2>
      <p>
        A claim only reserves the task and locks your stake: the search, the commit and the reveal are done by the miner program on a machine of yours, not
        by this page. Run, with the key of this wallet in a file:
      </p>
      {open.map((s) => {
        const cmd = `npm run miner -- --rpc ${cfg.minerRpc} --pool ${cfg.pool} --round ${r.roundId} --task ${s.task}${s.slot > 0 ? " --backup" : ""} --key-file <your key file>`;
        const revealFrom = s.slot > 0 ? r.backupRevealStart : commitEnd;
        return (
          <div key={`${s.task}:${s.slot}`} data-testid={`run-${s.task}-${s.slot}`}>
            <div className="muted">
              task {s.task}, {s.slot === 0 ? "primary" : `backup ${s.slot}`}
            </div>
            <pre data-testid={`run-cmd-${s.task}-${s.slot}`} style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
              {cmd}
            </pre>
            <ul>
              <li data-testid={`run-commit-${s.task}-${s.slot}`}>
                commit deadline: {fmtTime(commitEnd)} ({countdown(commitEnd, r.now)}): the miner searches until shortly before it, then commits its best
                architecture
              </li>
              <li data-testid={`run-reveal-${s.task}-${s.slot}`}>
                reveal window: {fmtTime(revealFrom)} to {fmtTime(revealEnd)} (closes {countdown(revealEnd, r.now)}): keep the miner running, or run the same
                command again, to reveal
              </li>
            </ul>
          </div>
        );
      })}
      <p data-testid="run-noshow">
        If nothing is committed and revealed by {fmtTime(revealEnd)}, the claim is a no-show: its stake pays the no-show fee of {fmtToken(fee)} (
        {fmtBps(r.params.noShowBps)} of the {fmtToken(r.params.minStake)} locked){open.some((s) => s.slot > 0) ? "; a backup pays it only when nobody delivers the task" : ""}.
      </p>
    </section>
  );
}

export default function Mine() {
  const cfg = useAppConfig();
  const conn = useConnection();
  const me = conn.address as Address | undefined;
  const wrongChain = conn.isConnected && conn.chainId !== cfg.chainId;
  const [sel, setSel] = useState<bigint>();
  const roundId = useSelectedRound(sel);
  const round = useRound(roundId);
  const { send, log } = useTx();
  // read from the pool's chain even while the wallet is on another one
  const q = { chainId: cfg.chainId, query: { enabled: !!me, refetchInterval: 1500 } } as const;
  const wallet = useReadContract({ address: cfg.token, abi: poolTokenAbi, functionName: "balanceOf", args: [me!], ...q });
  const allowance = useReadContract({ address: cfg.token, abi: poolTokenAbi, functionName: "allowance", args: [me!, cfg.pool], ...q });
  const account = useReadContract({ address: cfg.pool, abi: poNASPoolAbi, functionName: "minerAccount", args: [me!], ...q });
  const free = account.data ? account.data.balance - account.data.locked : undefined;
  const [task, setTask] = useState("0");
  const [formError, setFormError] = useState<string>();
  const busy = log.some((t) => t.state === "pending");
  const refresh = () => Promise.all([wallet.refetch(), allowance.refetch(), account.refetch(), round.refetch()]);
  const pool = { address: cfg.pool, abi: poNASPoolAbi } as const;

  async function stake(value: bigint): Promise<boolean> {
    if (!me) return false;
    if ((allowance.data ?? 0n) < value) {
      if (!(await send(`Approve ${fmtToken(value)}`, { address: cfg.token, abi: poolTokenAbi, functionName: "approve", args: [cfg.pool, value] }))) return false;
    }
    const ok = await send(`Stake ${fmtToken(value)}`, { ...pool, functionName: "stake", args: [value] });
    await refresh();
    return ok;
  }
  async function unstake(value: bigint): Promise<boolean> {
    if (!me) return false;
    const ok = await send(`Unstake ${fmtToken(value)}`, { ...pool, functionName: "unstake", args: [value] });
    await refresh();
    return ok;
  }
  async function onClaim(backup: boolean) {
    if (!me || roundId === undefined) return;
    setFormError(undefined);
    await send(`${backup ? "Join as backup on" : "Claim"} task ${task} of round ${roundId}`, { ...pool, functionName: backup ? "joinAsBackup" : "claim", args: [roundId, BigInt(task)] });
    await refresh();
  }
  async function onWithdraw(t: number, slot: number) {
    if (!me || roundId === undefined) return;
    await send(`Withdraw task ${t} slot ${slot} of round ${roundId}`, { ...pool, functionName: "withdraw", args: [roundId, BigInt(t), BigInt(slot)] });
    await refresh();
  }

  const mine = round.data?.tasks.flatMap((t) => t.slots.filter((s) => me && s.miner.toLowerCase() === me.toLowerCase()).map((s) => ({ task: t.task, ...s }))) ?? [];
  const canSend = conn.isConnected && !wrongChain && !busy;
  return (
    <>
      <h1>Mine</h1>
      {!conn.isConnected && <p className="warn">Read-only mode: connect a wallet (top right) to stake, claim and withdraw.</p>}
      {wrongChain && <p className="warn">Switch your wallet to chain {cfg.chainId} (button at the top) before sending transactions.</p>}
      <div className="grid">
        <div className="card">
          <div className="muted">Wallet balance</div>
          <div className="stat" data-testid="wallet-balance">{me ? fmtToken(wallet.data) : "—"}</div>
        </div>
        <div className="card">
          <div className="muted">Staked (free / locked)</div>
          <div className="stat" data-testid="stake-balance">{me ? fmtToken(account.data?.balance) : "—"}</div>
          <div className="muted" data-testid="stake-free">free {fmtToken(free)} · locked {fmtToken(account.data?.locked)}</div>
        </div>
      </div>
      <section className="card" aria-labelledby="stake-h">
        <h2 id="stake-h">Stake</h2>
        <AmountForm label="Amount to stake (PONAS)" name="stake" placeholder="e.g. 20" button="Stake" disabled={!canSend} max={wallet.data} maxWhat="in your wallet" onError={setFormError} onAmount={stake} />
        <AmountForm label="Amount to unstake (PONAS)" name="unstake" placeholder="free stake only" button="Unstake" secondary disabled={!canSend} max={free} maxWhat="of free stake" onError={setFormError} onAmount={unstake} />
        {formError && <p className="error" role="alert" data-testid="form-error">{formError}</p>}
      </section>
      <section className="card" aria-labelledby="claim-h">
        <h2 id="claim-h">Claim a task</h2>
        <RoundPicker value={roundId} onChange={setSel} />
        <div className="row">
          <label>
            Task
            <select value={task} onChange={(e) => setTask(e.target.value)} data-testid="task-select">
              {(round.data?.tasks ?? []).map((t) => (
                <option key={t.task} value={t.task}>
                  {t.task} {t.slots.length ? `(primary ${t.slots[0].miner.slice(0, 8)}…)` : "(open)"}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => onClaim(false)} disabled={!canSend || !round.data} data-testid="claim">
            Claim (locks {fmtToken(round.data?.params.minStake)})
          </button>
          <button type="button" className="secondary" onClick={() => onClaim(true)} disabled={!canSend || !round.data} data-testid="join-backup">
            Join as backup
          </button>
        </div>
        <TxLog log={log} />
      </section>
      {round.data && <RunMiner r={round.data} slots={mine} />}
      <section aria-labelledby="my-h">
        <h2 id="my-h">My tasks and submissions</h2>
        {!me ? (
          <p className="muted">Connect a wallet to see your tasks.</p>
        ) : mine.length === 0 ? (
          <p className="muted">No claims in this round.</p>
        ) : (
          <div className="tablewrap">
            <table data-testid="my-tasks">
              <thead><tr><th>Task</th><th>Role</th><th>State</th><th className="num">Reward</th><th>Action</th></tr></thead>
              <tbody>
                {mine.map((s) => (
                  <tr key={`${s.task}:${s.slot}`} data-testid={`my-${s.task}-${s.slot}`}>
                    <td>{s.task}</td>
                    <td>{s.slot === 0 ? "primary" : `backup ${s.slot}`}</td>
                    <td data-testid={`my-${s.task}-${s.slot}-state`}>{slotState(s)}</td>
                    <td className="num">{fmtToken(s.paid ?? s.projectedReward)}</td>
                    <td>
                      {s.status !== "settled" && round.data?.state.finalized ? (
                        <button type="button" onClick={() => onWithdraw(s.task, s.slot)} disabled={!canSend} data-testid={`withdraw-${s.task}-${s.slot}`}>
                          Withdraw
                        </button>
                      ) : s.status === "settled" ? "paid out" : "withdraw after finalization"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {round.data && (
        <>
          <h2>Round {round.data.roundId.toString()}</h2>
          <RoundSummary r={round.data} />
          <TaskTable r={round.data} />
        </>
      )}
    </>
  );
}
