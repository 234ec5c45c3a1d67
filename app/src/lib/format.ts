// Formatting of amounts, addresses, bps and times for display: rounded amounts here (Intl), exact
// amounts as every node prints them (chain's format: DECIMALS, fmtTokens), viem for checksums.
import { formatUnits, getAddress, parseUnits } from "viem";
import { DECIMALS, fmtTokens } from "@ponas/chain";

export { DECIMALS };
const num = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });
const pct = new Intl.NumberFormat("en-US", { style: "percent", minimumFractionDigits: 0, maximumFractionDigits: 2 });

/** 1234.5678 PONAS (up to 4 decimals, grouped). */
export function fmtToken(wei: bigint | null | undefined, symbol = "PONAS"): string {
  if (wei === null || wei === undefined) return "—";
  return `${num.format(Number(formatUnits(wei, DECIMALS)))} ${symbol}`;
}

/** "250.5 PONAS": the exact amount (no rounding), for titles; chain's fmtTokens. */
export const exactToken = (wei: bigint): string => fmtTokens(wei);

export function shortAddr(a: string | undefined | null): string {
  if (!a) return "—";
  const c = getAddress(a);
  return `${c.slice(0, 6)}…${c.slice(-4)}`;
}

/** bps as a percentage: 9123 → 91.23%. */
export function fmtBps(bps: number | bigint): string {
  return pct.format(Number(bps) / 10_000);
}

export function fmtDuration(seconds: number): string {
  if (seconds <= 0) return "0 s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return [h && `${h} h`, m && `${m} min`, !h && `${s} s`].filter(Boolean).join(" ");
}

export function fmtTime(unix: number): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(unix * 1000)) + " UTC";
}

/** A positive token amount with at most 18 decimals, not above `max`; or the reason it is not. */
export function parseAmount(text: string, max: bigint | undefined, what: string): { value?: bigint; error?: string } {
  const t = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(t)) return { error: "Enter a positive amount like 25 or 12.5 (at most 18 decimals)." };
  const value = parseUnits(t, DECIMALS);
  if (value === 0n) return { error: "The amount must be more than zero." };
  if (value >= 2n ** 96n) return { error: "The amount is too large." };
  if (max !== undefined && value > max) return { error: `You have only ${fmtTokens(max)} ${what}.` };
  return { value };
}

