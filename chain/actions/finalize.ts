// Fixing a round's sample and closing it, as any caller does it after the windows: the seed comes
// from the pool's randomness source in two steps (the first fixSampleSeed requests the value,
// a later one, once the source can deliver, fixes it), and finalize needs it. `fixSeed` sends
// fixSampleSeed until the seed is fixed — on a dev chain that mines each block it waits for; at
// once a one-line error while a pause holds the request back (the pool requests nothing paused) — and
// `finalizeRound` finalizes (fixing the seed first if the pool asks for it), treating "already
// finalised" (another caller was first) as done.
import { parseAbi, type Hex } from "viem";
import { poNASPoolAbi } from "../../deployments/abi.js";
import type { PoolClient } from "../client.js";
import { ChainError, poolError } from "../errors.js";
import { sendPool, type SendOptions } from "./send.js";

/** fixSampleSeed calls before fixSeed gives up: enough for any source that answers within a few blocks. */
export const SEED_ATTEMPTS = 64;

const seedOf = async (c: PoolClient, roundId: bigint): Promise<Hex> =>
  (await c.publicClient.readContract({ address: c.pool, abi: poNASPoolAbi, functionName: "getRoundState", args: [roundId] })).seed;

const fixed = (seed: Hex) => BigInt(seed) !== 0n;

/** IRandomnessSource.requested: the one source view fixSeed reads (only while the pool is paused). */
const sourceAbi = parseAbi(["function requested(address consumer, uint256 key) view returns (bool)"]);

/** Whether the pool is paused and has not yet requested this round's value: then no call can fix the seed until unpause. */
async function blockedByPause(c: PoolClient, roundId: bigint): Promise<boolean> {
  const read = { address: c.pool, abi: poNASPoolAbi } as const;
  if (!(await c.publicClient.readContract({ ...read, functionName: "paused" }))) return false;
  const source = await c.publicClient.readContract({ ...read, functionName: "randomness" });
  return !(await c.publicClient.readContract({ address: source, abi: sourceAbi, functionName: "requested", args: [c.pool, roundId] }));
}

/** The round's seed, sending fixSampleSeed (one block apart) until the source has delivered; needs revealEnd to have passed. */
export async function fixSeed(c: PoolClient, roundId: bigint, options: SendOptions & { attempts?: number } = {}): Promise<Hex> {
  const attempts = options.attempts ?? SEED_ATTEMPTS;
  const first = await seedOf(c, roundId);
  if (fixed(first)) return first;
  // a paused pool requests no seed (unpause may still move the reveal window later): asking 64 times would only burn gas
  if (await blockedByPause(c, roundId)) {
    throw new ChainError(`round ${roundId}'s sample seed cannot be requested while the pool is paused; try again once it is unpaused (unpause extends the round's windows by the pause)`);
  }
  let failures = 0;
  for (let i = 0; i < attempts; i++) {
    const seed = await seedOf(c, roundId);
    if (fixed(seed)) return seed;
    // each call is mined in a new block, so the source's target block comes closer every time
    try {
      await sendPool(c, "fixSampleSeed", [roundId], options);
      failures = 0;
    } catch (e) {
      // Several callers race here (every miner finalizes): a call estimated on the request path
      // can be mined after another caller's request and run out of gas on the costlier fulfil
      // path. That is harmless; ask again. A named refusal (the reveal window is not over) or a
      // failure that keeps happening is the caller's to see.
      if (poolError(e) || ++failures >= 3) throw e;
    }
  }
  const seed = await seedOf(c, roundId);
  if (fixed(seed)) return seed;
  throw new ChainError(`round ${roundId}'s randomness source has not delivered a seed after ${attempts} fixSampleSeed calls; try again later (a VRF source answers when its coordinator calls back)`);
}

/**
 * Finalizes `roundId`, fixing its seed first when the pool says it is missing (usually the
 * verifiers fixed it long before); false when another caller had finalized it already. Any other
 * refusal (the verify window is still open) is thrown as the pool's named error.
 */
export async function finalizeRound(c: PoolClient, roundId: bigint, options: SendOptions = {}): Promise<boolean> {
  const state = await c.publicClient.readContract({ address: c.pool, abi: poNASPoolAbi, functionName: "getRoundState", args: [roundId] });
  if (state.finalized) return false;
  for (let seedFixed = false; ; seedFixed = true) {
    try {
      await sendPool(c, "finalize", [roundId], options);
      return true;
    } catch (e) {
      const name = poolError(e)?.name;
      if (name === "PoNASPoolAlreadyFinalized") return false;
      if (name !== "PoNASPoolSeedNotFixed" || seedFixed) throw e;
      await fixSeed(c, roundId, options);
    }
  }
}
