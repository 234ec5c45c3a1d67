// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Genome} from "../libraries/Genome.sol";
import {Welford} from "../libraries/Welford.sol";
import {Sampling, MAX_TOP_K} from "../libraries/Sampling.sol";
import {RewardMath} from "../libraries/RewardMath.sol";
import {Windows} from "../libraries/Windows.sol";
import {WeightsSeal} from "../libraries/WeightsSeal.sol";

/// @title LibraryHarness
/// @notice Test-only: exposes the pool's pure libraries as external functions so that
/// test/libraries.test.ts can check them directly. Never deployed outside tests.
contract LibraryHarness {
    using Welford for Welford.Stats;

    // ---- Genome ----

    function isValid(bytes32 genome, bytes32 arities) external pure returns (bool) {
        return Genome.isValid(genome, arities);
    }

    function inSubspace(bytes32 genome, bytes32 mask, bytes32 value) external pure returns (bool) {
        return Genome.inSubspace(genome, mask, value);
    }

    function isSubspace(bytes32 mask, bytes32 value, bytes32 arities) external pure returns (bool) {
        return Genome.isSubspace(mask, value, arities);
    }

    function disjoint(bytes32 maskA, bytes32 valueA, bytes32 maskB, bytes32 valueB) external pure returns (bool) {
        return Genome.disjoint(maskA, valueA, maskB, valueB);
    }

    // ---- Welford ----

    /// @notice One update: the stats after adding `x` to `(count, mean, m2)`.
    function welfordAdd(uint32 count, uint64 mean, uint128 m2, uint256 x)
        external
        pure
        returns (uint32, uint64, uint128)
    {
        Welford.Stats memory s = Welford.Stats(count, mean, m2).add(x);
        return (s.count, s.mean, s.m2);
    }

    function welfordVariance(uint32 count, uint64 mean, uint128 m2) external pure returns (uint256) {
        return Welford.Stats(count, mean, m2).variance();
    }

    function welfordSigma(uint32 count, uint64 mean, uint128 m2) external pure returns (uint256) {
        return Welford.Stats(count, mean, m2).sigma();
    }

    /// @notice Feeds `xs` in order into empty stats; returns the final stats and σ_p.
    function welfordRun(uint256[] calldata xs)
        external
        pure
        returns (uint32 count, uint64 mean, uint128 m2, uint256 sigma)
    {
        Welford.Stats memory s;
        for (uint256 i; i < xs.length; ++i) {
            s = s.add(xs[i]);
        }
        return (s.count, s.mean, s.m2, s.sigma());
    }

    // ---- Sampling ----

    function drawn(bytes32 seed, uint256 roundId, uint256 task, uint256 slot, uint256 sampleBps)
        external
        pure
        returns (bool)
    {
        return Sampling.drawn(seed, roundId, task, slot, sampleBps);
    }

    /// @notice How many of `n` seeds `keccak256(abi.encode(seed0, i))` draw `(roundId, task, slot)`.
    function seedOf(bytes32 value, uint256 roundId, bool full) external pure returns (bytes32) {
        return Sampling.seedOf(value, roundId, full);
    }

    function isSampledBySeed(bytes32 seed, uint256 roundId, uint256 task, uint256 slot, uint256 sampleBps) external pure returns (bool) {
        uint64[MAX_TOP_K] memory none;
        return Sampling.isSampled(false, none, 0, seed, roundId, task, slot, sampleBps);
    }

    function countDrawn(bytes32 seed0, uint256 n, uint256 roundId, uint256 task, uint256 slot, uint256 sampleBps)
        external
        pure
        returns (uint256 hits)
    {
        for (uint256 i; i < n; ++i) {
            if (Sampling.drawn(keccak256(abi.encode(seed0, i)), roundId, task, slot, sampleBps)) ++hits;
        }
    }

    function entry(uint256 scoreBps, uint256 task, uint256 slot) external pure returns (uint64) {
        return Sampling.entry(scoreBps, task, slot);
    }

    function entryScore(uint64 e) external pure returns (uint256) {
        return Sampling.entryScore(e);
    }

    /// @notice Inserts `e` into a copy of `list`; returns whether it went in and the new list.
    function insert(uint64[MAX_TOP_K] memory list, uint256 k, uint64 e)
        external
        pure
        returns (bool inserted, uint64[MAX_TOP_K] memory)
    {
        inserted = Sampling.insert(list, k, e);
        return (inserted, list);
    }

    function contains(uint64[MAX_TOP_K] memory list, uint256 task, uint256 slot) external pure returns (bool) {
        return Sampling.contains(list, task, slot);
    }

    /// @notice Removes `(task, slot)` from a copy of `list`; returns whether it was there and the new list.
    function remove(uint64[MAX_TOP_K] memory list, uint256 task, uint256 slot)
        external
        pure
        returns (bool removed, uint64[MAX_TOP_K] memory)
    {
        removed = Sampling.remove(list, task, slot);
        return (removed, list);
    }

    function weightsSeal(uint256 chainId, address pool, uint256 roundId, uint256 task, address miner, bytes32 digest)
        external
        pure
        returns (bytes32)
    {
        return WeightsSeal.compute(chainId, pool, roundId, task, miner, digest);
    }

    function agreedDigest(bytes32[] memory digests) external pure returns (bytes32) {
        return Sampling.agreedDigest(digests, digests.length);
    }

    function windows(uint256 commitEnd, uint256 revealEnd, uint256 verifyEnd)
        external
        pure
        returns (
            uint256 backupRevealStart,
            uint256 challengeEnd,
            uint256 attestCommitEnd,
            uint256 attestRevealEnd,
            uint256 escalationCommitEnd,
            uint256 escalationRevealEnd
        )
    {
        return (
            Windows.backupRevealStart(commitEnd, revealEnd),
            Windows.challengeEnd(revealEnd, verifyEnd),
            Windows.attestCommitEnd(revealEnd, verifyEnd),
            Windows.attestRevealEnd(revealEnd, verifyEnd),
            Windows.escalationCommitEnd(revealEnd, verifyEnd),
            Windows.escalationRevealEnd(revealEnd, verifyEnd)
        );
    }

    function median(uint256[] memory values) external pure returns (uint256) {
        return Sampling.median(values);
    }

    // ---- RewardMath ----

    function performance(uint256 scoreBps, uint256 baselineBps) external pure returns (uint256) {
        return RewardMath.performance(scoreBps, baselineBps);
    }

    function share(uint256 p, uint256 pot, uint256 sumP) external pure returns (uint256) {
        return RewardMath.share(p, pot, sumP);
    }

    function owedUpperBound(uint256 remainingP, uint256 pot, uint256 sumP) external pure returns (uint256) {
        return RewardMath.owedUpperBound(remainingP, pot, sumP);
    }

    function paidScore(uint256 claimedBps, uint256 verifiedBps, bool verified, uint256 sampleBps)
        external
        pure
        returns (uint256)
    {
        return RewardMath.paidScore(claimedBps, verifiedBps, verified, sampleBps);
    }

    function minSafeStake(uint256 pot, uint256 sampleBps, uint256 topK, uint256 slashBps) external pure returns (uint256) {
        return RewardMath.minSafeStake(pot, sampleBps, topK, slashBps);
    }
}
