// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Windows
/// @notice Where a round's windows split: the reveal window between primaries and backups, and
/// the verify window `(revealEnd, verifyEnd]` of length V into its phases. One place for all of
/// them, read by the pool, its committee and its lens:
///
///   challenges        (r, r + V/4]
///   drawn commits     (r, r + V/2]          each sampled submission's drawn verifiers seal
///   drawn reveals     (r + V/2, r + 5V/8]
///   escalation commits (r + 5V/8, r + 7V/8] a disputed submission: any other member seals
///   escalation reveals (r + 7V/8, r + 15V/16]
///   decide            (r + 5V/8, verifyEnd] (a disputed one only after r + 15V/16)
///
/// So a claim challenged at the last moment still leaves a quarter of the window to re-train it,
/// and a disputed one leaves its escalation another quarter.
library Windows {
    /// @notice Backups reveal from here: primaries in (commitEnd, split], backups in (split, revealEnd].
    function backupRevealStart(uint256 commitEnd, uint256 revealEnd) internal pure returns (uint256) {
        return (commitEnd + revealEnd) / 2;
    }

    /// @notice Challenges close here, a quarter into the verify window, so a challenged claim
    /// always leaves its drawn verifiers a quarter of the window to re-train it.
    function challengeEnd(uint256 revealEnd, uint256 verifyEnd) internal pure returns (uint256) {
        return revealEnd + (verifyEnd - revealEnd) / 4;
    }

    /// @notice The drawn verifiers commit their sealed attestations in (revealEnd, attestCommitEnd]:
    /// half of the verify window.
    function attestCommitEnd(uint256 revealEnd, uint256 verifyEnd) internal pure returns (uint256) {
        return revealEnd + (verifyEnd - revealEnd) / 2;
    }

    /// @notice Drawn seals are opened in (attestCommitEnd, attestRevealEnd]; an undisputed
    /// submission is decided from then on.
    function attestRevealEnd(uint256 revealEnd, uint256 verifyEnd) internal pure returns (uint256) {
        return revealEnd + (verifyEnd - revealEnd) * 5 / 8;
    }

    /// @notice A disputed submission (its drawn reveals disagree, or fewer than quorum) takes
    /// escalation commits from the rest of the committee in (attestRevealEnd, escalationCommitEnd].
    function escalationCommitEnd(uint256 revealEnd, uint256 verifyEnd) internal pure returns (uint256) {
        return revealEnd + (verifyEnd - revealEnd) * 7 / 8;
    }

    /// @notice Escalation seals are opened in (escalationCommitEnd, escalationRevealEnd]; a
    /// disputed submission is decided in (escalationRevealEnd, verifyEnd].
    function escalationRevealEnd(uint256 revealEnd, uint256 verifyEnd) internal pure returns (uint256) {
        return revealEnd + (verifyEnd - revealEnd) * 15 / 16;
    }
}
