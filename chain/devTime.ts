// Chain time on a development node (hardhat node): the demo and the integration tests move a
// round through its windows by setting the next block's timestamp instead of sleeping. Nodes
// never use this: they read time from blocks, so they follow the jumps like real time.
import type { PublicClient } from "viem";

/** Mines one block at `timestamp` (if it is in the future; otherwise one block now). */
export async function advanceTo(client: PublicClient, timestamp: bigint | number): Promise<void> {
  const at = BigInt(timestamp);
  if (at > (await client.getBlock()).timestamp) {
    await client.request({ method: "evm_setNextBlockTimestamp" as never, params: [`0x${at.toString(16)}`] as never });
  }
  await client.request({ method: "evm_mine" as never, params: [] as never });
}

/** The latest block's timestamp. */
export async function chainNow(client: PublicClient): Promise<number> {
  return Number((await client.getBlock()).timestamp);
}
