"use client";
import { useRoundCount } from "../lib/pool";

/** A round selector (latest by default); returns the chosen round id. */
export function RoundPicker({ value, onChange }: { value: bigint | undefined; onChange: (r: bigint) => void }) {
  const count = useRoundCount();
  const n = Number(count.data ?? 0n);
  if (count.isError) return <p className="error">Cannot read the pool: {String(count.error.message).slice(0, 200)}</p>;
  if (!count.data) return <p className="muted">{count.isLoading ? "Loading rounds…" : "The pool has no rounds yet."}</p>;
  const current = value ?? count.data;
  return (
    <label className="picker">
      Round{" "}
      <select value={current.toString()} onChange={(e) => onChange(BigInt(e.target.value))} data-testid="round-picker">
        {Array.from({ length: n }, (_, i) => n - i).map((r) => (
          <option key={r} value={r}>
            {r}
            {r === n ? " (latest)" : ""}
          </option>
        ))}
      </select>
    </label>
  );
}

export function useSelectedRound(selected: bigint | undefined): bigint | undefined {
  const count = useRoundCount();
  return selected ?? (count.data && count.data > 0n ? count.data : undefined);
}
