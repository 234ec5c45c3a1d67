// The contract's per-miner performance statistics, bit for bit: contracts/libraries/Welford.sol
// (count, mean and M2 in fixed point, SCALE = 1e6, Solidity's truncating integer division,
// OpenZeppelin's floor square root) and Welford.opensBackups (the pool's backup rule: a task opens
// backup slots when its primary has no history or σ_p ≥ sigmaThreshold). Ported with BigInt rather than floats so
// that the simulated backup decisions are the ones the chain would take for the same history.

export const SCALE = 1_000_000n;

export interface Stats {
  count: number;
  /** bps · SCALE */
  mean: bigint;
  /** bps² · SCALE */
  m2: bigint;
}

export const EMPTY: Stats = Object.freeze({ count: 0, mean: 0n, m2: 0n });

/** Welford.add: adds sample `x` (bps, 0..10000). */
export function add(s: Stats, x: number): Stats {
  if (!(Number.isInteger(x) && x >= 0)) throw new RangeError(`a performance sample is a non-negative integer (bps), got ${x}`);
  const n = BigInt(s.count + 1);
  const xs = BigInt(x) * SCALE;
  const delta = xs - s.mean;
  // BigInt division truncates toward zero, as Solidity's signed division does.
  const newMean = s.mean + delta / n;
  const inc = (delta * (xs - newMean)) / SCALE;
  return { count: s.count + 1, mean: newMean, m2: s.m2 + inc };
}

/** Welford.variance: M2 / n in bps² · SCALE (0 without samples). */
export function varianceOf(s: Stats): bigint {
  return s.count === 0 ? 0n : s.m2 / BigInt(s.count);
}

/** floor(sqrt(v)), as OpenZeppelin Math.sqrt (rounding down). */
export function isqrt(v: bigint): bigint {
  if (v < 0n) throw new RangeError("isqrt of a negative number");
  if (v < 2n) return v;
  let x = BigInt(Math.floor(Math.sqrt(Number(v))));
  // The float estimate is within a few units; settle it exactly.
  while (x * x > v) x--;
  while ((x + 1n) * (x + 1n) <= v) x++;
  return x;
}

/** Welford.sigma: σ_p in bps · SCALE (what the pool lens's sigma(miner) returns). */
export function sigma(s: Stats): bigint {
  return isqrt(varianceOf(s) * SCALE);
}

/** Welford.opensBackups (PoNASPool's backup rule): a new primary (no history) or σ_p ≥ threshold (bps · SCALE) opens backup slots. */
export function backupsAllowed(s: Stats, sigmaThreshold: bigint): boolean {
  return s.count === 0 || sigma(s) >= sigmaThreshold;
}
