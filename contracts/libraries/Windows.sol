// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Windows
/// @notice Where a round's windows split: the reveal window between primaries and backups, and
/// the verify window into its phases (challenges until its half; sealed attestations until three
/// quarters, opened until seven eighths, decided in the last eighth). One place for all of them,
/// read by the pool, its committee and its lens.
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

    /// @notice Sealed attestations are committed in (revealEnd, attestCommitEnd]: three quarters
    /// of the verify window, so a claim challenged at the last moment still leaves a quarter.
    function attestCommitEnd(uint256 revealEnd, uint256 verifyEnd) internal pure returns (uint256) {
        return revealEnd + (verifyEnd - revealEnd) * 3 / 4;
    }

    /// @notice Seals are opened in (attestCommitEnd, attestRevealEnd]; what is left is decided in
    /// (attestRevealEnd, verifyEnd].
    function attestRevealEnd(uint256 revealEnd, uint256 verifyEnd) internal pure returns (uint256) {
        return revealEnd + (verifyEnd - revealEnd) * 7 / 8;
    }
}
