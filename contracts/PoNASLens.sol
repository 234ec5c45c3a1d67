// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoNASPool, CHALLENGED, VERIFIED, FRAUD, DUPLICATE, MAX_BACKUPS} from "./interfaces/IPoNASPool.sol";
import {MAX_QUORUM} from "./VerifierCommittee.sol";
import {Welford} from "./libraries/Welford.sol";
import {Sampling, MAX_TOP_K} from "./libraries/Sampling.sol";
import {RewardMath} from "./libraries/RewardMath.sol";
import {Windows} from "./libraries/Windows.sol";

/// @title PoNASLens
/// @notice Derived read-only views of one PoNAS pool: the top-K list decoded, whether a
/// submission is sampled, its projected reward, σ_p and whether a task takes backups. They are
/// computed from the pool's raw getters with the same libraries the pool applies, so a view here
/// and the pool's own rule cannot disagree.
/// @dev Created by the pool in its constructor (`PoNASPool.lens()`); it holds no state and moves
/// no tokens. It exists so the pool's runtime code has room for its rules (EIP-170; issue 10).
contract PoNASLens {
    using Welford for Welford.Stats;

    uint256 internal constant BPS = 10_000;

    /// @notice The pool these views read (its creator).
    IPoNASPool public immutable pool;

    constructor() {
        pool = IPoNASPool(msg.sender);
    }

    /// @notice Reverts with the pool's PoNASPoolInvalidParams(rule) or PoNASPoolUnsafeStake unless
    /// `p` is a round `openRound` accepts now; `openRound` calls it, and a manager can call it
    /// before sending. Each rule keeps a bound of README "Economics" true.
    function checkRoundParams(IPoNASPool.RoundParams calldata p) external view {
        // revealEnd >= commitEnd + 2 so that both halves of the split reveal window (primaries,
        // then backups) contain at least one second; verifyEnd >= revealEnd + 16 so that each
        // phase of the verify window (challenges, drawn commits and reveals, escalation commits
        // and reveals, decisions; libraries/Windows.sol) does.
        if (!(block.timestamp < p.commitEnd && p.commitEnd + 1 < p.revealEnd && p.revealEnd + 16 <= p.verifyEnd)) {
            revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.Windows);
        }
        if (p.arities == bytes32(0)) revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.Arities);
        if (p.rewardTotal == 0) revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.RewardTotal);
        if (p.minStake == 0) revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.MinStake);
        if (p.baselineBps >= BPS || p.toleranceBps > BPS || p.sampleBps > BPS || p.slashBps >= BPS || p.noShowBps > BPS) {
            revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.Bps);
        }
        if (p.quorum < 3 || p.quorum > MAX_QUORUM || p.quorum % 2 == 0) revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.Quorum);
        if (p.topK > MAX_TOP_K) revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.TopK);
        if (p.maxBackups > MAX_BACKUPS) revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.MaxBackups);
        if (p.maxTasksPerMiner == 0) revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.MaxTasksPerMiner);
        if (p.verifierFee > type(uint80).max) revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.VerifierFee);
        // a withheld beacon secret holds the seed back up to delayBound(): it must still be fixed
        // before the challenges close, a quarter into the verify window
        if (p.verifyEnd - p.revealEnd < 4 * pool.randomness().delayBound()) {
            revert IPoNASPool.PoNASPoolInvalidParams(IPoNASPool.ParamRule.RandomnessDelay);
        }
        uint256 required = RewardMath.minSafeStake(p.rewardTotal, p.sampleBps, p.topK, p.slashBps);
        if (p.minStake < required) revert IPoNASPool.PoNASPoolUnsafeStake(p.minStake, required);
    }

    /// @notice The round's top-K claims, highest first, as (task, slot, claimedBps).
    function getTopK(uint256 roundId)
        external
        view
        returns (uint256[] memory tasks, uint256[] memory slots, uint256[] memory scores)
    {
        uint64[MAX_TOP_K] memory top = pool.topK(roundId);
        uint256 n;
        while (n < MAX_TOP_K && top[n] != 0) ++n;
        tasks = new uint256[](n);
        slots = new uint256[](n);
        scores = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            tasks[i] = ((top[i] >> 16) & 0xffffffff) - 1;
            slots[i] = (top[i] >> 8) & 0xff;
            scores[i] = Sampling.entryScore(top[i]);
        }
    }

    /// @notice Whether a revealed submission must be verified: challenged, in the top-K claims,
    /// or drawn by the seed. Reverts PoNASPoolSeedNotFixed until the seed is fixed.
    function isSampled(uint256 roundId, uint256 task, uint256 slot) external view returns (bool) {
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        if (p.commitEnd == 0) revert IPoNASPool.PoNASPoolUnknownRound(roundId);
        bytes32 seed = pool.getRoundState(roundId).seed;
        if (seed == 0) revert IPoNASPool.PoNASPoolSeedNotFixed(roundId);
        IPoNASPool.Submission memory sub = pool.getSubmission(roundId, task, slot);
        if (sub.status == IPoNASPool.Status.None || sub.status == IPoNASPool.Status.Claimed) return false;
        return Sampling.isSampled(
            sub.flags & CHALLENGED != 0, pool.topK(roundId), p.topK, seed, roundId, task, slot, p.sampleBps
        );
    }

    /// @notice The projected reward of a submission under the current ΣP and pot: what `withdraw`
    /// pays if it is verified by then or not sampled (a sampled claim left unverified is paid 0).
    function projectedReward(uint256 roundId, uint256 task, uint256 slot) external view returns (uint256) {
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        IPoNASPool.Submission memory sub = pool.getSubmission(roundId, task, slot);
        if (sub.status != IPoNASPool.Status.Revealed || sub.flags & (FRAUD | DUPLICATE) != 0) return 0;
        if (pool.getSubmission(roundId, task, 0).active != slot + 1) return 0;
        uint256 score = RewardMath.paidScore(sub.claimedBps, sub.finalBps, sub.flags & VERIFIED != 0, p.sampleBps);
        return RewardMath.share(
            RewardMath.performance(score, p.baselineBps), p.rewardTotal, pool.getRoundState(roundId).sumP
        );
    }

    /// @notice When backups may start revealing: primaries reveal in (commitEnd, backupRevealStart],
    /// backups in (backupRevealStart, revealEnd].
    function backupRevealStart(uint256 roundId) external view returns (uint256) {
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        if (p.commitEnd == 0) revert IPoNASPool.PoNASPoolUnknownRound(roundId);
        return Windows.backupRevealStart(p.commitEnd, p.revealEnd);
    }

    /// @notice When challenges close: a quarter into the verify window.
    function challengeEnd(uint256 roundId) external view returns (uint256) {
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        if (p.commitEnd == 0) revert IPoNASPool.PoNASPoolUnknownRound(roundId);
        return Windows.challengeEnd(p.revealEnd, p.verifyEnd);
    }

    /// @notice The attestation phases of the verify window (VerifierCommittee; libraries/Windows.sol):
    /// drawn verifiers commit seals until `commitEnd` and open them until `revealEnd`; a disputed
    /// submission takes escalation commits until `escalationCommitEnd` and their reveals until
    /// `escalationRevealEnd`; what is left is decided until verifyEnd.
    function attestPhases(uint256 roundId)
        external
        view
        returns (uint256 commitEnd, uint256 revealEnd, uint256 escalationCommitEnd, uint256 escalationRevealEnd)
    {
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        if (p.commitEnd == 0) revert IPoNASPool.PoNASPoolUnknownRound(roundId);
        (uint256 r, uint256 v) = (p.revealEnd, p.verifyEnd);
        return (
            Windows.attestCommitEnd(r, v),
            Windows.attestRevealEnd(r, v),
            Windows.escalationCommitEnd(r, v),
            Windows.escalationRevealEnd(r, v)
        );
    }

    /// @notice What `sweep` would send to the treasury now (0 before finalisation).
    function sweepable(uint256 roundId) external view returns (uint256) {
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        IPoNASPool.RoundState memory s = pool.getRoundState(roundId);
        if (!s.finalized) return 0;
        return RewardMath.surplus(p.rewardTotal, s.forfeited, s.paid, s.swept, s.remainingP, s.sumP);
    }

    /// @notice σ_p of a miner's history, in bps · 1e6.
    function sigma(address miner) external view returns (uint256) {
        return pool.performanceStats(miner).sigma();
    }

    /// @notice Whether a task of `roundId` would accept a backup now (slots aside): its primary
    /// is new (no history) or its σ_p is at least the round's threshold.
    function backupsAllowed(uint256 roundId, uint256 task) external view returns (bool) {
        address primary = pool.getSubmission(roundId, task, 0).miner;
        return primary != address(0)
            && Welford.opensBackups(pool.performanceStats(primary), pool.getRound(roundId).sigmaThreshold);
    }
}
