// What every command-line tool (manager, verifier) parses the same way: the chain options
// (--rpc, --pool, --key-file), integers, token amounts and addresses as commander argument
// parsers whose refusals are one line naming the argument, and the entry point that prints any
// failure as one `error: …` line and exits 1. Node-only (commander).
import { Command, InvalidArgumentError } from "commander";
import { getAddress, isAddress, parseUnits, type Address } from "viem";
import { explainError } from "./errors.js";
import { DECIMALS } from "./format.js";

/** --rpc, --pool and (when the command signs) --key-file on `cmd`. */
export function withChain(cmd: Command, needsKey: boolean, keyWhat = "signing"): Command {
  cmd
    .requiredOption("--rpc <url>", "JSON-RPC endpoint (or $PONAS_RPC_URL)", process.env.PONAS_RPC_URL)
    .requiredOption("--pool <address|network>", "pool address or deployments/<network>.json name", "localhost");
  if (needsKey) cmd.option("--key-file <path>", `${keyWhat} key file (or $PONAS_PRIVATE_KEY)`);
  return cmd;
}

export const intArg = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}`);
  return n;
};

/** A PONAS amount like 250, 0.5 or 0, kept as the decimal text (for options whose consumer parses it). */
export const tokenTextArg = (name: string) => (v: string): string => {
  if (!/^\d+(\.\d{1,18})?$/.test(v)) throw new InvalidArgumentError(`${name} must be a PONAS amount like 250 or 0.5`);
  return v;
};

/** A PONAS amount like 250 or 0.5, above zero, in the token's smallest unit. */
export const tokenArg = (name: string) => (v: string): bigint => {
  const wei = parseUnits(tokenTextArg(name)(v), DECIMALS);
  if (wei === 0n) throw new InvalidArgumentError(`${name} must be above zero`);
  return wei;
};

export const addressArg = (name: string) => (v: string): Address => {
  if (!isAddress(v, { strict: false })) throw new InvalidArgumentError(`${name} must be a 0x-prefixed 20-byte address`);
  return getAddress(v);
};

/** Runs `program` on the process's argv; any failure is one `error: …` line on stderr and exit code 1. */
export function runMain(program: Command): void {
  program.parseAsync().catch((e: unknown) => {
    console.error(`error: ${explainError(e)}`);
    process.exit(1);
  });
}
