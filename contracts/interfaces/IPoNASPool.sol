// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Welford} from "../libraries/Welford.sol";
import {IRandomnessSource} from "../randomness/IRandomnessSource.sol";

// Submission.flags bits (file-level so that the pool and its lens share them).
uint8 constant CHALLENGED = 1;
uint8 constant VERIFIED = 2;
uint8 constant FRAUD = 4;
uint8 constant DUPLICATE = 8;
/// @dev Backup slots a task can have.
uint256 constant MAX_BACKUPS = 8;

/// @title IPoNASPool
/// @notice Types, events and errors of the PoNAS mining pool. The events carry enough to
/// recompute every payout from logs alone: the pot (RoundOpened.rewardTotal; slashes and no-show
/// fees go to the treasury, never into a pot: Slashed.toTreasury, NoShowFined),
/// each counting submission's P (Revealed, ActiveChanged, Verified) and ΣP (ActiveChanged,
/// Verified, RoundFinalized), and each payout (Withdrawn). Verifiers act through the pool's
/// `VerifierCommittee` (IVerifierCommittee), which calls the functions declared here.
interface IPoNASPool {
    /// @notice Everything fixed when a round opens. Times are unix seconds; windows are
    /// claim+commit `[open, commitEnd]`, reveal `(commitEnd, revealEnd]`, verify `(revealEnd, verifyEnd]`.
    struct RoundParams {
        bytes32 spaceId; // keccak256 of the canonical search-space file
        bytes32 recipeId; // keccak256 of the canonical training recipe
        bytes32 arities; // byte i = number of options of gene i, 0 = unused gene
        // One slot with every small field, so each call reads the windows and rules at once.
        uint40 commitEnd;
        uint40 revealEnd;
        uint40 verifyEnd;
        uint16 baselineBps; // P = score above this
        uint16 toleranceBps; // claimed - verified above this is fraud
        uint16 sampleBps; // probability that a submission outside the top-K is re-trained
        uint16 slashBps; // share of a slashed stake paid to the attesting verifiers
        uint8 topK; // highest claims always verified (<= 8)
        uint8 quorum; // attestations that make a verification final (<= 9)
        uint8 maxBackups; // backup slots per task (<= 8)
        uint8 maxTasksPerMiner; // claims (primary or backup) per miner in this round
        uint32 sigmaThreshold; // σ_p (bps · 1e6) at or above which a task opens backup slots
        uint16 noShowBps; // share of minStake a claim that delivers nothing (P = 0 or no reveal) pays (to the treasury)
        uint128 rewardTotal; // R_total, pulled from the manager at open
        uint128 minStake; // stake locked per claimed task (primary or backup)
        uint128 verifierFee; // paid per attestation from feeBudget (< 2^80)
        uint128 feeBudget; // pulled from the manager into the committee at open; the unspent rest is swept
    }

    /// @notice Mutable state of a round.
    struct RoundState {
        // Slot 0 is everything a settlement writes.
        uint32 taskCount;
        uint48 sumP; // Σ P of the counting submissions, kept incrementally
        uint48 remainingP; // part of sumP not yet settled after finalisation
        bool finalized;
        uint120 paid; // rewards paid or credited to miners
        uint128 forfeited; // slashed stake and no-show fees: the treasury's (swept), never the pot's
        uint128 swept; // dust and leftovers sent to the treasury
        bytes32 seed; // sampling seed, fixed after revealEnd
    }

    /// @notice A subspace `{A : A & mask == value}`.
    struct Task {
        bytes32 mask;
        bytes32 value;
    }

    /// @notice The rule of `openRound`'s parameters (or `addTasks`' lists) that a call broke,
    /// carried by PoNASPoolInvalidParams (a code, not a string: the pool has no room for strings;
    /// chain/reverts.ts words each one):
    /// Windows: now < commitEnd, commitEnd + 2 <= revealEnd, revealEnd + 8 <= verifyEnd. Arities: at least one
    /// gene. RewardTotal, MinStake, MaxTasksPerMiner: positive. Bps: baselineBps, slashBps < 10000
    /// and toleranceBps, sampleBps, noShowBps <= 10000. Quorum: odd, 3..9 (no single verifier
    /// decides; an even count's median is a mean one verifier can move). TopK: 0..8. MaxBackups: 0..8.
    /// VerifierFee: < 2^80. Tasks: masks and values non-empty and equal in length.
    enum ParamRule {
        Windows,
        Arities,
        RewardTotal,
        MinStake,
        Bps,
        Quorum,
        TopK,
        MaxBackups,
        MaxTasksPerMiner,
        VerifierFee,
        Tasks,
        RandomnessDelay
    }

    enum Status {
        None,
        Claimed,
        Revealed,
        Settled
    }

    /// @notice One miner's place on a task: slot 0 is the primary, slots 1.. are backups.
    /// @dev `backups` and `active` are meaningful on slot 0 only and describe the task.
    struct Submission {
        address miner;
        Status status;
        uint16 claimedBps;
        uint16 finalBps; // verified median, valid when flags has VERIFIED
        uint8 flags;
        uint8 backups; // slot 0: number of backups that joined
        uint8 active; // slot 0: 1 + slot of the submission that counts for the task, 0 = none
        // the first 4 bytes of the reveal's WeightsSeal (the rest of the slot: no extra SSTORE).
        // A miner that did not train opens it by luck with probability 2^-32; the digest stays
        // hidden either way (it takes the training to know it).
        bytes4 weightsSeal;
    }

    // ---- rounds ----
    event RoundOpened(uint256 indexed roundId, address indexed manager, RoundParams params);
    event TaskAdded(uint256 indexed roundId, uint256 indexed task, bytes32 mask, bytes32 value);
    event SampleSeedFixed(uint256 indexed roundId, bytes32 seed);
    event RoundFinalized(uint256 indexed roundId, uint256 pot, uint256 sumP);
    event Swept(uint256 indexed roundId, address indexed treasury, uint256 amount);

    // ---- miners ----
    event Staked(address indexed miner, uint256 amount, uint256 balance);
    event Unstaked(address indexed miner, uint256 amount, uint256 balance);
    event Claimed(uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed miner, uint256 stakeLocked);
    /// @dev The commit's block (which orders duplicate genomes) is the log's own block number.
    event Committed(uint256 indexed roundId, address indexed miner, bytes32 indexed commitment);
    event Revealed(
        uint256 indexed roundId,
        uint256 indexed task,
        uint256 slot,
        address indexed miner,
        bytes32 genome,
        uint256 claimedBps,
        uint256 p,
        bytes32 weightsSeal
    );
    /// @notice The submission that counts for a task changed: a backup took over the task of a
    /// primary that did not deliver, or a voided duplicate left it (slot = type(uint256).max:
    /// none counts). A primary's reveal with P > 0 makes it count without this event; a reveal
    /// with P = 0 never counts.
    event ActiveChanged(uint256 indexed roundId, uint256 indexed task, uint256 slot, uint256 p, uint256 sumP);
    event DuplicateVoided(uint256 indexed roundId, uint256 indexed task, uint256 slot, bytes32 genome, uint256 sumP);
    /// @notice A submission was settled: `reward` was transferred to the miner (withdraw) or
    /// credited to its stake (settle, which also emits Staked). For slot 0 `p` is also the
    /// performance added to the miner's history.
    event Withdrawn(
        uint256 indexed roundId,
        uint256 indexed task,
        uint256 slot,
        address indexed miner,
        uint256 p,
        uint256 reward,
        uint256 stakeReleased,
        bool unverified
    );

    // ---- verification (the committee's verdicts) ----
    event Challenged(uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed verifier);
    event Verified(
        uint256 indexed roundId, uint256 indexed task, uint256 slot, uint256 medianBps, bool fraud, uint256 p, uint256 sumP,
        bytes32 weightsDigest
    );
    event Slashed(
        uint256 indexed roundId,
        uint256 indexed task,
        uint256 slot,
        address indexed miner,
        uint256 amount,
        uint256 toVerifiers,
        uint256 toTreasury
    );
    /// @notice A claim that delivered nothing (it holds no P: never revealed, revealed with P = 0,
    /// or voided as a duplicate), as its task's primary or as a backup of a task nothing counts
    /// for, paid `amount` of its stake to the treasury at settlement.
    event NoShowFined(uint256 indexed roundId, uint256 indexed task, uint256 slot, address indexed miner, uint256 amount);

    // ---- admin ----
    event TreasurySet(address treasury);
    /// @notice `unpause` moved the reveal and verify ends of `roundId` (and its commit end if the
    /// pause began before it) later by `by` seconds: the pause's length, twice it when the pause
    /// cut into the primaries' half of the reveal window (getRound has the new ends), so a pause never takes time from claims, commits or reveals.
    event WindowsExtended(uint256 indexed roundId, uint256 by);

    // ---- errors ----
    error PoNASPoolZeroAddress();
    /// @notice The token's supply does not fit the pool's 96-bit stake and reward accounting.
    error PoNASPoolTokenSupplyTooLarge(uint256 supply, uint256 limit);
    error PoNASPoolZeroAmount();
    error PoNASPoolUnknownRound(uint256 roundId);
    error PoNASPoolUnknownTask(uint256 roundId, uint256 task);
    error PoNASPoolInvalidParams(ParamRule rule);
    error PoNASPoolUnsafeStake(uint256 minStake, uint256 required);
    error PoNASPoolInvalidSubspace(uint256 index, bytes32 mask, bytes32 value);
    error PoNASPoolClaimWindowClosed(uint256 roundId, uint256 commitEnd);
    error PoNASPoolNotInRevealWindow(uint256 roundId, uint256 commitEnd, uint256 revealEnd);
    error PoNASPoolNotInVerifyWindow(uint256 roundId, uint256 revealEnd, uint256 verifyEnd);
    error PoNASPoolVerifyWindowOpen(uint256 roundId, uint256 verifyEnd);
    /// @notice Challenges close a quarter into the verify window, so a challenged claim always
    /// leaves its drawn verifiers a quarter of the window to re-train it.
    error PoNASPoolChallengeWindowClosed(uint256 roundId, uint256 challengeEnd);
    error PoNASPoolInsufficientFreeStake(address miner, uint256 free, uint256 needed);
    error PoNASPoolTaskTaken(uint256 roundId, uint256 task, address primary);
    error PoNASPoolNoPrimary(uint256 roundId, uint256 task);
    error PoNASPoolBackupsNotAllowed(uint256 roundId, uint256 task, uint256 sigma, uint256 threshold);
    error PoNASPoolBackupSlotsFull(uint256 roundId, uint256 task, uint256 maxBackups);
    error PoNASPoolAlreadyOnTask(uint256 roundId, uint256 task, address miner);
    error PoNASPoolTooManyTasks(address miner, uint256 roundId, uint256 maxTasksPerMiner);
    error PoNASPoolClaimOutOfOrder(address miner, uint256 roundId, uint256 lastClaimRound);
    error PoNASPoolNotYourSubmission(uint256 roundId, uint256 task, uint256 slot, address caller);
    error PoNASPoolAlreadyRevealed(uint256 roundId, uint256 task, uint256 slot);
    error PoNASPoolScoreOutOfRange(uint256 scoreBps);
    error PoNASPoolCommitmentNotFound(bytes32 commitment);
    error PoNASPoolInvalidGenome(bytes32 genome, bytes32 arities);
    error PoNASPoolGenomeOutsideSubspace(bytes32 genome, bytes32 mask, bytes32 value);
    error PoNASPoolTaskDelivered(uint256 roundId, uint256 task, uint256 countingSlot);
    error PoNASPoolDuplicateGenome(bytes32 genome, uint256 task, uint256 slot);
    /// @notice Only the pool's verifier committee may call this.
    error PoNASPoolNotCommittee(address caller);
    error PoNASPoolNotRevealed(uint256 roundId, uint256 task, uint256 slot);
    error PoNASPoolNotSampled(uint256 roundId, uint256 task, uint256 slot);
    error PoNASPoolAlreadyFinal(uint256 roundId, uint256 task, uint256 slot);
    error PoNASPoolAlreadyChallenged(uint256 roundId, uint256 task, uint256 slot);
    error PoNASPoolSeedNotFixed(uint256 roundId);
    error PoNASPoolNotFinalized(uint256 roundId);
    error PoNASPoolAlreadyFinalized(uint256 roundId);
    error PoNASPoolAlreadySettled(uint256 roundId, uint256 task, uint256 slot);
    error PoNASPoolNoSubmission(uint256 roundId, uint256 task, uint256 slot);
    error PoNASPoolNothingToSweep(uint256 roundId);

    // ---- what the committee reads and calls ----
    /// @notice Number of rounds opened; round ids are 1..roundCount.
    function roundCount() external view returns (uint256);
    /// @notice Receives swept leftovers (the committee sweeps unspent fee budgets here too).
    function treasury() external view returns (address);
    /// @notice A round's parameters.
    function getRound(uint256 roundId) external view returns (RoundParams memory);
    /// @notice A round's mutable state.
    function getRoundState(uint256 roundId) external view returns (RoundState memory);
    /// @notice A submission (slot 0 = primary).
    function getSubmission(uint256 roundId, uint256 task, uint256 slot) external view returns (Submission memory);
    /// @notice The round's top-K list as stored: packed entries (Sampling.entry), highest first, 0 = empty.
    function topK(uint256 roundId) external view returns (uint64[8] memory);
    /// @notice A miner's performance history (count, mean and M2, both scaled by 1e6).
    function performanceStats(address miner) external view returns (Welford.Stats memory);
    /// @notice Committee only: a verifier forces a revealed submission into the sample.
    function onChallenge(uint256 roundId, uint256 task, uint256 slot, address verifier) external;
    /// @notice Committee only: checks a submission may be attested now (verify window, revealed,
    /// sampled, not final), fixing the round's sample if needed.
    function beginVerification(uint256 roundId, uint256 task, uint256 slot) external returns (bytes32 seed);
    /// @notice The source of every round's sample, fixed for the pool's life.
    function randomness() external view returns (IRandomnessSource);
    /// @notice Whether the agreed `weightsDigest` (0: none) opens a submission's weights seal.
    function weightsSealOpens(uint256 roundId, uint256 task, uint256 slot, bytes32 weightsDigest) external view returns (bool);
    /// @notice Committee only: applies a verdict; returns the slash share sent to the committee.
    function onVerdict(uint256 roundId, uint256 task, uint256 slot, uint256 medianBps, uint256 winners, bytes32 weightsDigest)
        external
        returns (uint256 toVerifiers);
}
