// Loads the signing key of a miner, verifier or manager from a key file or an environment
// variable. The key itself is never printed or logged; errors name the file, not its content.
import { readFileSync } from "node:fs";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { ChainError } from "./errors.js";

export const KEY_ENV = "PONAS_PRIVATE_KEY";

/** From `keyFile` (a file whose first line is a 0x-prefixed 32-byte hex key) or $PONAS_PRIVATE_KEY. */
export function loadAccount(keyFile?: string, env: NodeJS.ProcessEnv = process.env): PrivateKeyAccount {
  let raw: string;
  let source: string;
  if (keyFile) {
    source = `key file ${keyFile}`;
    try {
      raw = readFileSync(keyFile, "utf8");
    } catch (e) {
      throw new ChainError(`cannot read ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; pass --key-file <path> or set ${KEY_ENV}`);
    }
  } else if (env[KEY_ENV]) {
    source = `$${KEY_ENV}`;
    raw = env[KEY_ENV]!;
  } else {
    throw new ChainError(`no signing key: pass --key-file <path> or set ${KEY_ENV}`);
  }
  const key = raw.split(/\r?\n/)[0].trim();
  const hex = key.startsWith("0x") ? key : `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
    throw new ChainError(`${source} does not hold a private key: expected 64 hex digits (optionally 0x-prefixed) on its first line`);
  }
  return privateKeyToAccount(hex as `0x${string}`);
}
