// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IVerifierCommittee
/// @notice Types, events and errors of the pool's verifier committee: who may verify which round
/// (enrolment, stake), what each verifier sealed and then attested, what it earned (fees, slash
/// shares) and what it lost (penalties). The pool (`PoNASPool`) consumes the committee's verdicts; the
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

    /// @notice A round's fee budget: funded by the pool at `openRound`, spent per paid
    /// attestation; the unspent rest and the penalties its attestations paid are swept to the
    /// pool's treasury once the verify window is over.
    struct RoundFees {
        uint128 budget;
        uint128 spent;
        uint128 penalties;
        bool swept;
    }

    /// @notice One verifier's attestation of a submission: sealed (state 1, `seal` the
    /// commitment), then revealed (state 2, `scoreBps` and `seal` = the weights digest it trained).
    /// `escalation`: committed in the escalation phase of a disputed submission (else the
    /// verifier was drawn for it).
    struct Attestation {
        address verifier;
        uint16 scoreBps;
        uint8 state;
        bool escalation;
        bytes32 seal;
    }

    event VerifierSet(address indexed verifier, bool active, uint256 sinceRound);
    event VerifierStaked(address indexed verifier, uint256 amount, uint256 stake);
    event VerifierUnstaked(address indexed verifier, uint256 amount, uint256 stake);
    event FeeBudgetFunded(uint256 indexed roundId, uint256 amount);
    /// @notice A verifier sealed an attestation: drawn for the submission, or (`escalation`) in
    /// the escalation phase of a disputed one.
    event AttestationCommitted(
        uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier, bytes32 seal, bool escalation
    );
    /// @notice The drawn verifiers' reveals of a submission disagree (or are fewer than quorum):
    /// the rest of the round's committee may attest it until `until`, and it is decided after.
    event Escalated(uint256 indexed roundId, uint256 indexed task, uint256 slot, uint256 revealed, uint256 until);
    /// @notice A verifier opened its seal: the score it measured and the digest of the weights it trained.
    event Attested(
        uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier, uint256 scoreBps, bytes32 weightsDigest
    );
    /// @notice A winning attestation that proved its re-training was paid `fee` from the round's budget.
    event FeePaid(uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier, uint256 fee);
    /// @notice An attestation never revealed, off the median, or contradicting the agreed digest lost
    /// `amount`; task = slot = type(uint256).max: a commitment to the round's randomness beacon never revealed.
    event Penalised(uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier, uint256 amount);
    /// @notice A submission was judged without a verdict: fewer than `quorum` attestations were revealed.
    event Undecided(uint256 indexed roundId, uint256 indexed task, uint256 slot, uint256 revealed, uint256 quorum);
    /// @notice A verifier on the winning side of a fraud verdict was credited its share of the slash.
    event SlashShareCredited(
        uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier, uint256 amount
    );
    event FeesWithdrawn(address indexed verifier, uint256 amount);
    event FeesSwept(uint256 indexed roundId, address indexed treasury, uint256 amount);
    event MinVerifierStakeSet(uint256 amount);
    event PenaltySet(uint256 amount);

    error VerifierCommitteeZeroAddress();
    error VerifierCommitteeZeroAmount();
    /// @notice Only the pool that created this committee may call this.
    error VerifierCommitteeOnlyPool(address caller);
    /// @notice Only the pool's own randomness source may penalise a beacon no-show, and only for this pool.
    error VerifierCommitteeOnlyRandomness(address caller, address consumer);
    error VerifierCommitteeNotVerifier(address account);
    /// @notice The verifier was enrolled after the round opened, so it is not in its committee.
    error VerifierCommitteeNotInCommittee(uint256 roundId, address verifier, uint256 sinceRound);
    error VerifierCommitteeStakeTooLow(address verifier, uint256 stake, uint256 minStake);
    error VerifierCommitteeScoreOutOfRange(uint256 scoreBps);
    error VerifierCommitteeAlreadyAttested(uint256 roundId, uint256 task, uint256 slot, address verifier);
    /// @notice Outside the phase of the verify window this call belongs to, `(from, to]`.
    error VerifierCommitteeNotInPhase(uint256 roundId, uint256 from, uint256 to);
    error VerifierCommitteeAttestationsFull(uint256 roundId, uint256 task, uint256 slot);
    /// @notice The round's sample seed is not fixed yet, so nobody is drawn: call the pool's
    /// fixSampleSeed (it requests the value, and fixes it a block or two later) and commit again.
    error VerifierCommitteeSeedPending(uint256 roundId);
    /// @notice Drawn commits: the round's randomness did not draw this verifier for this submission.
    error VerifierCommitteeNotDrawn(uint256 roundId, uint256 task, uint256 slot, address verifier);
    /// @notice Escalation commits are for members who were not drawn: a drawn verifier had its turn.
    error VerifierCommitteeWasDrawn(uint256 roundId, uint256 task, uint256 slot, address verifier);
    /// @notice Escalation commits: the drawn verifiers' reveals of this submission agree.
    error VerifierCommitteeNotDisputed(uint256 roundId, uint256 task, uint256 slot);
    /// @notice The submission is disputed and its escalation still open: decide after `until`.
    error VerifierCommitteeEscalated(uint256 roundId, uint256 task, uint256 slot, uint256 until);
    error VerifierCommitteeNotCommitted(uint256 roundId, uint256 task, uint256 slot, address verifier);
    error VerifierCommitteeSealMismatch(uint256 roundId, uint256 task, uint256 slot, address verifier);
    error VerifierCommitteeNothingToDecide(uint256 roundId, uint256 task, uint256 slot);
    error VerifierCommitteeAlreadyDecided(uint256 roundId, uint256 task, uint256 slot);
    error VerifierCommitteePenaltyTooLarge(uint256 penalty, uint256 minVerifierStake);
    error VerifierCommitteeNothingToWithdraw(address account);
    error VerifierCommitteeVerifyWindowOpen(uint256 roundId, uint256 verifyEnd);
    error VerifierCommitteeNothingToSweep(uint256 roundId);
}
