// How every node prints amounts and chain times: token amounts exactly (these are stakes and
// rewards, so no rounding) and timestamps as ISO-8601 UTC. Browser-safe. The web app rounds for
// display (app/src/lib/format.ts) but shows these exact forms in titles and CSV.
import { formatUnits } from "viem";

/** The token's decimals (PoolToken is a plain 18-decimal ERC-20). */
export const DECIMALS = 18;

/** "250.5 PONAS": exact, no rounding. */
export const fmtTokens = (wei: bigint): string => `${formatUnits(wei, DECIMALS)} PONAS`;

/** A unix time in seconds as "2026-12-01T09:30:00Z" (milliseconds dropped when zero). */
export const isoTime = (t: bigint | number): string => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
