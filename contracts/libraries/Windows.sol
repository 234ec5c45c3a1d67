// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Windows
/// @notice Where a round's windows split: the reveal window between primaries and backups, and
/// the verify window at the close of challenges. One place for both, read by the pool and its lens.
library Windows {
    /// @notice Backups reveal from here: primaries in (commitEnd, split], backups in (split, revealEnd].
    function backupRevealStart(uint256 commitEnd, uint256 revealEnd) internal pure returns (uint256) {
        return (commitEnd + revealEnd) / 2;
    }

    /// @notice Challenges close here, halfway through the verify window, so a challenged claim
    /// always leaves the committee half the window to re-train it.
    function challengeEnd(uint256 revealEnd, uint256 verifyEnd) internal pure returns (uint256) {
        return (revealEnd + verifyEnd) / 2;
    }
}
