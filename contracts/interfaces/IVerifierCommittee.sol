// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IVerifierCommittee
/// @notice Types, events and errors of the pool's verifier committee: who may verify which round
/// (enrolment, stake), what each verifier attested, what it earned (fees, slash shares) and what
/// it lost (clawed-back fees). The pool (`PoNASPool`) consumes the committee's verdicts; the
/// committee holds the verifiers' tokens and each round's fee budget. Together with the pool's
/// events these recompute every verifier's balance from logs alone.
interface IVerifierCommittee {
    /// @notice A verifier's account.
    struct VerifierAccount {
        uint96 stake;
        uint96 fees; // credited, not yet withdrawn
        bool active;
        uint32 sinceRound; // first round whose committee it is in: rounds opened after it was enrolled
    }

    /// @notice A round's fee budget: funded by the pool at `openRound`, spent per attestation,
    /// the unspent rest swept to the pool's treasury once the verify window is over.
    struct RoundFees {
        uint128 budget;
        uint128 spent;
        bool swept;
    }

    event VerifierSet(address indexed verifier, bool active, uint256 sinceRound);
    event VerifierStaked(address indexed verifier, uint256 amount, uint256 stake);
    event VerifierUnstaked(address indexed verifier, uint256 amount, uint256 stake);
    event FeeBudgetFunded(uint256 indexed roundId, uint256 amount);
    event Attested(
        uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier, uint256 scoreBps, uint256 fee
    );
    event FeeClawedBack(uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier, uint256 fee);
    /// @notice A verifier on the winning side of a fraud verdict was credited its share of the slash.
    event SlashShareCredited(
        uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier, uint256 amount
    );
    event FeesWithdrawn(address indexed verifier, uint256 amount);
    event FeesSwept(uint256 indexed roundId, address indexed treasury, uint256 amount);
    event MinVerifierStakeSet(uint256 amount);

    error VerifierCommitteeZeroAddress();
    error VerifierCommitteeZeroAmount();
    /// @notice Only the pool that created this committee may call this.
    error VerifierCommitteeOnlyPool(address caller);
    error VerifierCommitteeNotVerifier(address account);
    /// @notice The verifier was enrolled after the round opened, so it is not in its committee.
    error VerifierCommitteeNotInCommittee(uint256 roundId, address verifier, uint256 sinceRound);
    error VerifierCommitteeStakeTooLow(address verifier, uint256 stake, uint256 minStake);
    error VerifierCommitteeScoreOutOfRange(uint256 scoreBps);
    error VerifierCommitteeAlreadyAttested(uint256 roundId, uint256 task, uint256 slot, address verifier);
    error VerifierCommitteeNothingToWithdraw(address account);
    error VerifierCommitteeVerifyWindowOpen(uint256 roundId, uint256 verifyEnd);
    error VerifierCommitteeNothingToSweep(uint256 roundId);
}
