// Chain time on a development node (hardhat node): the demo and the integration tests move a
// round through its windows by setting the next block's timestamp instead of sleeping. Nodes
// never use this: they read time from blocks, so they follow the jumps like real time.
import { createTestClient, custom, type PublicClient } from "viem";

/** viem's typed test actions (evm_setNextBlockTimestamp, evm_mine) over the same connection. */
const testClientOf = (client: PublicClient) => createTestClient({ mode: "hardhat", chain: client.chain, transport: custom(client) });

/**
 * Mines one block at `timestamp` (if it is in the future; otherwise one block now). Other
 * processes (the nodes) send transactions meanwhile: when one of their blocks reaches `timestamp`
 * between our read of the latest block and our setting of the next one, the node refuses the
 * timestamp as not after its latest block ("Missing or invalid parameters."), and the target is
 * already met: one block now is all that is left to mine.
 */
export async function advanceTo(client: PublicClient, timestamp: bigint | number): Promise<void> {
  const at = BigInt(timestamp);
  const test = testClientOf(client);
  if (at > (await client.getBlock()).timestamp) {
    try {
      await test.setNextBlockTimestamp({ timestamp: at });
    } catch (e) {
      if (at > (await client.getBlock()).timestamp) throw e;
    }
  }
  await test.mine({ blocks: 1 });
}
