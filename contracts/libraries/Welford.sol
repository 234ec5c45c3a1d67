// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title Welford
/// @notice Running count, mean and sum of squared deviations (M2) of a miner's performance, in
/// fixed point, so that the standard deviation `σ_p = sqrt(M2 / n)` of the paper is available
/// on-chain in O(1) per update.
/// @dev Samples are basis points (0..10000). `mean` is scaled by SCALE, `m2` by SCALE as well
/// (bps² · SCALE), so one packed slot holds all three for any realistic history.
library Welford {
    uint256 internal constant SCALE = 1e6;

    struct Stats {
        uint32 count;
        uint64 mean; // bps · SCALE
        uint128 m2; // bps² · SCALE
    }

    /// @notice Adds sample `x` (bps) to `s`.
    function add(Stats memory s, uint256 x) internal pure returns (Stats memory) {
        uint256 n = uint256(s.count) + 1;
        int256 xs = int256(x * SCALE);
        int256 mean = int256(uint256(s.mean));
        int256 delta = xs - mean;
        int256 newMean = mean + delta / int256(n);
        // delta and (xs - newMean) never have opposite signs (truncation toward zero keeps
        // |delta / n| <= |delta|), so the increment is never negative.
        uint256 inc = uint256(delta * (xs - newMean)) / SCALE;
        return Stats({count: uint32(n), mean: uint64(uint256(newMean)), m2: uint128(uint256(s.m2) + inc)});
    }

    /// @notice Population variance M2 / n, in bps² · SCALE.
    function variance(Stats memory s) internal pure returns (uint256) {
        return s.count == 0 ? 0 : uint256(s.m2) / s.count;
    }

    /// @notice Population standard deviation σ_p in bps · SCALE.
    function sigma(Stats memory s) internal pure returns (uint256) {
        return Math.sqrt(variance(s) * SCALE);
    }

    /// @notice The backup rule: a task whose primary has this history opens backup slots when the
    /// primary is new (no history) or unreliable enough (σ_p >= threshold, in bps · SCALE).
    function opensBackups(Stats memory s, uint256 threshold) internal pure returns (bool) {
        return s.count == 0 || sigma(s) >= threshold;
    }
}
