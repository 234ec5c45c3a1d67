// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title WeightsSeal
/// @notice The seal a miner's reveal carries over the weights it trained (property 2, second
/// half). Training under the round's recipe on the reference backend is bit-exact, so the digest
/// of the trained weights (keccak256, the trainer's weightsHash) is a fact about the architecture
/// that only a training run yields. The miner reveals `seal(..., digest)`, never the digest: the
/// digest has 256 bits of entropy, so nobody who did not train can open the seal or check a guess
/// against it, and the reveal teaches a lazy verifier nothing it could echo. The committee's
/// agreed digest opens it later (no miner transaction, nothing to miss): a seal that the agreed
/// digest does not open contradicts the re-training, and the claim is fraud. Binding chain, pool,
/// round, task and miner means a seal seen in one round cannot be replayed in another by someone
/// who never learned the digest. chain/seals.ts implements the same formula in TypeScript; both
/// are checked against the shared vectors in test/vectors/weights-seal.json.
library WeightsSeal {
    /// @notice The seal of `weightsDigest` for `miner`'s submission on `task` of `roundId` in `pool`.
    function compute(uint256 chainId, address pool, uint256 roundId, uint256 task, address miner, bytes32 weightsDigest)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(chainId, pool, roundId, task, miner, weightsDigest));
    }
}
