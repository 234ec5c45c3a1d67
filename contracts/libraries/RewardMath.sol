// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title RewardMath
/// @notice The payout rule `R_i = P_i / ΣP · R_total` and the dust it leaves, kept in one place.
/// Each payout rounds down, so payouts never exceed the pot; what rounding leaves behind is
/// bounded and recoverable (see `owedUpperBound`).
library RewardMath {
    uint256 internal constant BPS = 10_000;

    /// @notice Performance P of a score: basis points above the round's baseline, 0 below it.
    function performance(uint256 scoreBps, uint256 baselineBps) internal pure returns (uint256) {
        return scoreBps > baselineBps ? scoreBps - baselineBps : 0;
    }

    /// @notice The score a counting submission is paid on. Unverified: its claim. Verified at or
    /// above its claim: the claim. Verified below its claim by `over` (at most the tolerance, or
    /// it is fraud and paid nothing): the verified score less `over · (1 − p) / p`, rounded up,
    /// floored at 0. A claim outside the top-K is verified with probability p = sampleBps, so an
    /// over-claim gains `over` with probability 1 − p and loses `over · (1 − p) / p` with
    /// probability p: its expected value is never positive (issue 10, property 6), while an
    /// honest claim (the verified score under the bit-exact reference backend) loses nothing.
    /// Where the penalty would take more than the verified performance (a weak claim at a low p),
    /// the floor would cap the loss, so the pool treats that over-claim as fraud and slashes it.
    function paidScore(uint256 claimedBps, uint256 verifiedBps, bool verified, uint256 sampleBps)
        internal
        pure
        returns (uint256)
    {
        if (!verified || claimedBps <= verifiedBps) return claimedBps;
        if (sampleBps >= BPS) return verifiedBps;
        if (sampleBps == 0) return 0;
        uint256 penalty = Math.mulDiv(claimedBps - verifiedBps, BPS - sampleBps, sampleBps, Math.Rounding.Ceil);
        return verifiedBps > penalty ? verifiedBps - penalty : 0;
    }

    /// @notice R_i = floor(P_i · pot / ΣP).
    function share(uint256 p, uint256 pot, uint256 sumP) internal pure returns (uint256) {
        return sumP == 0 ? 0 : Math.mulDiv(p, pot, sumP);
    }

    /// @notice An upper bound on what the holders of `remainingP` can still withdraw:
    /// Σ floor(P_i·pot/ΣP) <= ceil(ΣP_i·pot/ΣP). Everything above it is dust, safe to sweep.
    function owedUpperBound(uint256 remainingP, uint256 pot, uint256 sumP) internal pure returns (uint256) {
        return sumP == 0 ? 0 : Math.mulDiv(remainingP, pot, sumP, Math.Rounding.Ceil);
    }

    /// @notice What a finalised round holds beyond anything its miners can still withdraw: its
    /// pot plus what it forfeited (slashes, no-show fees) less what was paid and swept, less the
    /// upper bound on what the holders of `remainingP` are owed. This is what `sweep` may take.
    function surplus(uint256 pot, uint256 forfeited, uint256 paid, uint256 swept, uint256 remainingP, uint256 sumP)
        internal
        pure
        returns (uint256)
    {
        uint256 held = pot + forfeited - paid - swept;
        uint256 owed = owedUpperBound(remainingP, pot, sumP);
        return held > owed ? held - owed : 0;
    }

    /// @notice The stake that makes cheating unprofitable (see README, "Economics").
    /// @dev An unverified false claim is possible only outside the always-verified top-K, where it
    /// earns at most pot/(K+1): each of the K higher claims is at least as large. With random
    /// sample probability p the expected value of cheating is (1-p)·G - p·S with G <= pot/(K+1),
    /// negative whenever S·p·(K+1) >= pot·(1-p). A cheater who also runs verifiers can win back
    /// up to the verifiers' `slashBps` share of its own slash by attesting against itself, so it
    /// loses only S·(1 - s): the stake must be S >= pot·(1-p) / (p·(K+1)·(1-s)).
    function minSafeStake(uint256 pot, uint256 sampleBps, uint256 topK, uint256 slashBps)
        internal
        pure
        returns (uint256)
    {
        if (sampleBps >= BPS) return 0;
        if (sampleBps == 0 || slashBps >= BPS) return type(uint256).max;
        return Math.mulDiv(pot * BPS, BPS - sampleBps, sampleBps * (topK + 1) * (BPS - slashBps), Math.Rounding.Ceil);
    }
}
