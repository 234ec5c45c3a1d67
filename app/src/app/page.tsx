"use client";
// Dashboard: the round's phase and time left, its tasks in words with claims, reveals and
// verification, a chart of each miner's P_i and R_i, and past rounds.
import { useState } from "react";
import { RoundPicker, useSelectedRound } from "../components/RoundPicker";
import { Chart, RoundSummary, TaskTable } from "../components/RoundViews";
import { fmtToken } from "../lib/format";
import { useRound, useRoundCount, useRoundSummary } from "../lib/pool";

function PastRounds({ current }: { current: bigint }) {
  const count = useRoundCount();
  const n = Number(count.data ?? 0n);
  const ids = Array.from({ length: n }, (_, i) => BigInt(n - i)).filter((id) => id !== current).slice(0, 10);
  return ids.length ? (
    <ul>
      {ids.map((id) => (
        <PastRound key={id.toString()} id={id} />
      ))}
    </ul>
  ) : (
    <p className="muted">No other rounds.</p>
  );
}
function PastRound({ id }: { id: bigint }) {
  const r = useRoundSummary(id);
  return <li>Round {id.toString()}: {r.data ? `${r.data.phase}, ${r.data.state.taskCount} tasks, pot ${fmtToken(r.data.params.rewardTotal)}, paid ${fmtToken(r.data.state.paid)}, forfeited to treasury ${fmtToken(r.data.state.forfeited)}` : "loading…"}</li>;
}

export default function Dashboard() {
  const [sel, setSel] = useState<bigint>();
  const roundId = useSelectedRound(sel);
  const r = useRound(roundId);
  return (
    <>
      <h1>Dashboard</h1>
      <RoundPicker value={roundId} onChange={setSel} />
      {r.isError && <p className="error">{r.error.message.slice(0, 300)}</p>}
      {r.data && (
        <>
          <RoundSummary r={r.data} />
          <h2>Tasks</h2>
          <TaskTable r={r.data} />
          <h2>P_i and R_i per miner</h2>
          <div className="card">
            <Chart r={r.data} />
          </div>
          <h2>Past rounds</h2>
          <PastRounds current={r.data.roundId} />
        </>
      )}
    </>
  );
}
