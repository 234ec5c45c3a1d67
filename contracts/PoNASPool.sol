// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IPoNASPool, CHALLENGED, VERIFIED, FRAUD, DUPLICATE} from "./interfaces/IPoNASPool.sol";
import {VerifierCommittee} from "./VerifierCommittee.sol";
import {PoNASLens} from "./PoNASLens.sol";
import {Genome} from "./libraries/Genome.sol";
import {Welford} from "./libraries/Welford.sol";
import {Sampling, MAX_TOP_K} from "./libraries/Sampling.sol";
import {RewardMath} from "./libraries/RewardMath.sol";
import {Windows} from "./libraries/Windows.sol";
import {WeightsSeal} from "./libraries/WeightsSeal.sol";
import {IRandomnessSource} from "./randomness/IRandomnessSource.sol";

/// @title PoNASPool
/// @notice A mining pool for Proof-of-Neural-Architecture consensus. A manager opens a round
/// over a search space partitioned into disjoint subspaces (tasks); staked miners claim tasks,
/// commit to the best architecture they found and reveal it with its claimed score; a staked
/// verifier committee (`VerifierCommittee`, created with the pool) re-trains the sampled
/// submissions and attests their scores, and the pool applies its verdicts: false claims are
/// slashed; backups take over tasks of no-show primaries; rewards are split R_i = P_i / ΣP · R_total
/// by pull payment. Every cost is O(1) in the number of miners. Derived views live in `lens`.
/// @dev Lifecycle and economics: README "Contracts". Pure rules live in libraries/.
contract PoNASPool is IPoNASPool, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using Welford for Welford.Stats;

    bytes32 public constant MANAGER_ROLE = keccak256("MANAGER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint256 internal constant BPS = 10_000;
    uint256 internal constant NO_SLOT = type(uint256).max;
    /// @dev How long after verifyEnd finalize waits for a missing seed before going ahead without it.
    uint256 internal constant SEED_GRACE = 1 days;

    /// @notice A miner's stake account. `lastClaimRound`/`claimsInRound` enforce the per-round
    /// claim limit without a fresh storage slot per (miner, round).
    struct MinerAccount {
        uint96 balance;
        uint96 locked;
        uint32 lastClaimRound;
        uint32 claimsInRound;
    }

    /// @notice The token used for rewards, fees and stakes.
    IERC20 public immutable token;
    /// @notice Block this pool was deployed in: where readers of its events (oracle, miner, auditors) start.
    uint256 public immutable deploymentBlock;
    /// @notice Receives dust and unspent funds of finished rounds, slashed stake and no-show fees.
    address public treasury;
    /// @dev When the current pause began (0: not paused); `unpause` extends open rounds by its length.
    uint40 private _pausedAt;
    /// @dev Rounds below this id ended before some pause began, so no pause can extend them.
    uint32 private _liveFrom;
    /// @notice The verifier committee whose verdicts this pool applies; it holds verifier stakes
    /// and each round's fee budget. Created in the constructor, so it is fixed for the pool's life.
    VerifierCommittee public immutable committee;
    /// @notice Where each round's sampling seed comes from, fixed for the pool's life so that no
    /// role can swap the source of an open round. See `_fixSeed`.
    IRandomnessSource public immutable randomness;
    /// @notice Read-only derived views of this pool (top-K, sampled, projected reward, σ_p).
    PoNASLens public immutable lens;
    /// @notice Number of rounds opened; round ids are 1..roundCount.
    uint256 public roundCount;

    mapping(uint256 roundId => RoundParams) private _params;
    mapping(uint256 roundId => RoundState) private _state;
    mapping(uint256 roundId => uint64[MAX_TOP_K]) private _topK;
    mapping(uint256 roundId => mapping(uint256 task => Task)) private _tasks;
    mapping(uint256 roundId => mapping(uint256 task => mapping(uint256 slot => Submission))) private _subs;
    /// @dev block number at which a commitment was first recorded.
    mapping(uint256 roundId => mapping(bytes32 commitment => uint256)) private _commits;
    /// @dev first reveal of a genome in a round: commit block << 64 | task << 16 | slot << 8 | 1.
    mapping(uint256 roundId => mapping(bytes32 genome => uint256)) private _genomeOwner;
    mapping(address miner => MinerAccount) private _miners;
    mapping(address miner => Welford.Stats) private _stats;

    /// @param token_ ERC20 used for rewards and stakes.
    /// @param admin receives DEFAULT_ADMIN_ROLE, MANAGER_ROLE and PAUSER_ROLE here and the
    /// committee's DEFAULT_ADMIN_ROLE (it enrols verifiers).
    /// @param treasury_ receives swept dust and leftovers.
    /// @param minVerifierStake_ stake a verifier must hold in the committee to attest.
    /// @param randomness_ the source of every round's sample (FutureBlockRandomness on L1 and dev
    /// chains, VrfRandomness where one sequencer builds the blocks: scripts/deploy.ts checks).
    /// @dev The token's whole supply must be below 2^96 wei: every amount the pool keeps
    /// (stakes, locked stake, fees, rewards credited to a stake) is a uint96, and none can exceed
    /// what the pool holds, so a supply below 2^96 makes every narrowing cast in the accounting
    /// exact — without SafeCast in the runtime code, which has no room for it. The token must not
    /// mint after this check (PoolToken cannot).
    constructor(IERC20 token_, address admin, address treasury_, uint96 minVerifierStake_, IRandomnessSource randomness_) {
        if (address(token_) == address(0) || admin == address(0) || treasury_ == address(0) || address(randomness_) == address(0)) {
            revert PoNASPoolZeroAddress();
        }
        uint256 supply = token_.totalSupply();
        if (supply >= 1 << 96) revert PoNASPoolTokenSupplyTooLarge(supply, 1 << 96);
        token = token_;
        deploymentBlock = block.number;
        treasury = treasury_;
        randomness = randomness_;
        committee = new VerifierCommittee(token_, admin, minVerifierStake_);
        lens = new PoNASLens();
        _liveFrom = 1;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MANAGER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        emit TreasurySet(treasury_);
    }

    modifier onlyCommittee() {
        if (msg.sender != address(committee)) revert PoNASPoolNotCommittee(msg.sender);
        _;
    }

    // =========================================================================================
    // Admin
    // =========================================================================================

    /// @notice Sets the address that receives swept dust and leftovers.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury_ == address(0)) revert PoNASPoolZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @notice Stops new claims, commits, reveals and rounds. Rounds whose reveal window had not
    /// ended wait for unpause to request their seed and be finalised (it moves their windows).
    /// Withdrawals, unstaking, verification, other rounds' finalisation and sweeping keep working.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
        _pausedAt = uint40(block.timestamp);
    }

    /// @notice Lifts a pause and gives the miners their time back: in every round whose reveal
    /// window had not ended when the pause began, each miner window (claim and commit, the
    /// primaries' half of the reveal window, the backups' half) that the pause cut into is
    /// lengthened by the pause's length, and every later window moves with it, so a pause never
    /// makes a miner a no-show (issue 10, property 10). Verification is never paused, so a round
    /// already in its verify window keeps its windows.
    /// @dev The split points are midpoints (libraries/Windows.sol), so a pause in the primaries'
    /// half moves revealEnd (and verifyEnd) by twice its length to move the split by its length.
    /// No seed can have been requested for a moved round: requests come after revealEnd and not
    /// while such a round is paused. Costs O(rounds still open).
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
        uint256 from = _pausedAt;
        uint256 by = block.timestamp - from;
        _pausedAt = 0;
        uint256 n = roundCount;
        uint256 r = _liveFrom;
        while (r <= n && _params[r].revealEnd < from) ++r;
        _liveFrom = uint32(r);
        for (; r <= n; ++r) {
            RoundParams storage p = _params[r];
            uint256 c = p.commitEnd;
            // (A finalised round is skipped here too: finalize needs verifyEnd past, and a round
            // whose revealEnd had not passed at the pause cannot be finalised while paused.)
            if (p.revealEnd < from) continue;
            uint256 shift = c < from && from <= Windows.backupRevealStart(c, p.revealEnd) ? 2 * by : by;
            if (c >= from) p.commitEnd = uint40(c + by);
            p.revealEnd += uint40(shift);
            p.verifyEnd += uint40(shift);
            emit WindowsExtended(r, shift);
        }
    }

    // =========================================================================================
    // Manager
    // =========================================================================================

    /// @notice Opens a round, pulling `rewardTotal` from the caller into the pool and `feeBudget`
    /// into the committee, with its first tasks. The parameters must pass `lens.checkRoundParams`.
    /// @param p the round's parameters; see RoundParams.
    /// @param masks, values the subspaces `(mask, value)` of the tasks, in task order.
    /// @return roundId the new round's id.
    function openRound(RoundParams calldata p, bytes32[] calldata masks, bytes32[] calldata values)
        external
        onlyRole(MANAGER_ROLE)
        whenNotPaused
        returns (uint256 roundId)
    {
        lens.checkRoundParams(p);
        roundId = ++roundCount;
        _params[roundId] = p;
        emit RoundOpened(roundId, msg.sender, p);
        _addTasks(roundId, p.arities, masks, values);
        token.safeTransferFrom(msg.sender, address(this), p.rewardTotal);
        if (p.feeBudget != 0) token.safeTransferFrom(msg.sender, address(committee), p.feeBudget);
        committee.fundRound(roundId, p.feeBudget);
    }

    /// @notice Adds tasks to a round before its commit window ends (for partitions too large
    /// for one transaction).
    function addTasks(uint256 roundId, bytes32[] calldata masks, bytes32[] calldata values)
        external
        onlyRole(MANAGER_ROLE)
    {
        RoundParams storage p = _round(roundId);
        if (block.timestamp > p.commitEnd) revert PoNASPoolClaimWindowClosed(roundId, p.commitEnd);
        _addTasks(roundId, p.arities, masks, values);
    }

    // =========================================================================================
    // Miners: stake
    // =========================================================================================

    /// @notice Deposits `amount` tokens as miner stake (approve first, or use permit).
    function stake(uint96 amount) external {
        if (amount == 0) revert PoNASPoolZeroAmount();
        MinerAccount storage a = _miners[msg.sender];
        a.balance += amount;
        emit Staked(msg.sender, amount, a.balance);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Withdraws `amount` of unlocked stake. Works while paused.
    function unstake(uint96 amount) external nonReentrant {
        if (amount == 0) revert PoNASPoolZeroAmount();
        MinerAccount storage a = _miners[msg.sender];
        uint256 free = a.balance - a.locked;
        if (amount > free) revert PoNASPoolInsufficientFreeStake(msg.sender, free, amount);
        a.balance -= amount;
        emit Unstaked(msg.sender, amount, a.balance);
        token.safeTransfer(msg.sender, amount);
    }

    // =========================================================================================
    // Miners: claim, commit, reveal
    // =========================================================================================

    /// @notice Claims `task` as its primary miner, locking `minStake` of free stake.
    function claim(uint256 roundId, uint256 task) external whenNotPaused {
        RoundParams storage p = _claimable(roundId, task);
        Submission storage primary = _subs[roundId][task][0];
        if (primary.miner != address(0)) revert PoNASPoolTaskTaken(roundId, task, primary.miner);
        _lockForClaim(roundId, p);
        primary.miner = msg.sender;
        primary.status = Status.Claimed;
        emit Claimed(roundId, task, 0, msg.sender, p.minStake);
    }

    /// @notice Joins `task` as a backup miner, locking `minStake`. Allowed while backup slots
    /// are free and the primary is new (no history) or its σ_p is at least the round's threshold.
    /// @return slot the backup's slot (1-based position among the task's backups).
    function joinAsBackup(uint256 roundId, uint256 task) external whenNotPaused returns (uint256 slot) {
        RoundParams storage p = _claimable(roundId, task);
        Submission storage primary = _subs[roundId][task][0];
        address primaryMiner = primary.miner;
        if (primaryMiner == address(0)) revert PoNASPoolNoPrimary(roundId, task);
        if (!_backupsAllowed(primaryMiner, p.sigmaThreshold)) {
            revert PoNASPoolBackupsNotAllowed(roundId, task, _stats[primaryMiner].sigma(), p.sigmaThreshold);
        }
        uint256 n = primary.backups;
        if (n >= p.maxBackups) revert PoNASPoolBackupSlotsFull(roundId, task, p.maxBackups);
        if (primaryMiner == msg.sender) revert PoNASPoolAlreadyOnTask(roundId, task, msg.sender);
        for (uint256 i = 1; i <= n; ++i) {
            if (_subs[roundId][task][i].miner == msg.sender) revert PoNASPoolAlreadyOnTask(roundId, task, msg.sender);
        }
        _lockForClaim(roundId, p);
        slot = n + 1;
        primary.backups = uint8(slot);
        Submission storage sub = _subs[roundId][task][slot];
        sub.miner = msg.sender;
        sub.status = Status.Claimed;
        emit Claimed(roundId, task, slot, msg.sender, p.minStake);
    }

    /// @notice Records a commitment `computeCommitment(...)` before the commit window ends.
    /// @dev Keyed by the hash alone: the hash binds chain, pool, round, task and miner, so a
    /// copied commitment can only ever be revealed by its author. Recommitting is a no-op that
    /// keeps the earliest block (it decides duplicate genomes).
    function commit(uint256 roundId, bytes32 commitment) external whenNotPaused {
        uint256 commitEnd = _round(roundId).commitEnd;
        if (block.timestamp > commitEnd) revert PoNASPoolClaimWindowClosed(roundId, commitEnd);
        if (_commits[roundId][commitment] == 0) _commits[roundId][commitment] = block.number;
        emit Committed(roundId, msg.sender, commitment);
    }

    /// @notice Reveals the committed architecture and its claimed score.
    /// @dev Checks the commitment, the genome against the arities and the task's subspace, the
    /// score range and duplicates (earliest commit wins). The reveal window is split at
    /// `backupRevealStart`: primaries reveal in the first part, and a backup reveals in the
    /// second part only if nothing counts for its task yet (the primary did not deliver); the
    /// first backup to reveal with P > 0 takes the task. A reveal with P = 0 (a claim at or below
    /// the baseline) delivers nothing: it is recorded but does not count, so the task stays open
    /// to its backups and the claim pays the no-show fee at settlement (property 8). So a counting
    /// submission is never displaced, and the always-verified top-K holds exactly the claims that are paid.
    /// `weightsSeal` is `WeightsSeal.compute(chainid, pool, roundId, task, miner, digest)` of the digest
    /// of the weights the miner trained under the recipe on its reference backend: a claim whose
    /// seal the verifiers' agreed digest does not open is fraud (`onVerdict`).
    function reveal(
        uint256 roundId,
        uint256 task,
        uint256 slot,
        bytes32 genome,
        uint16 scoreBps,
        bytes32 salt,
        bytes32 weightsSeal
    ) external whenNotPaused {
        RoundParams storage p = _round(roundId);
        {
            uint256 split = Windows.backupRevealStart(p.commitEnd, p.revealEnd);
            (uint256 from, uint256 to) = slot == 0 ? (uint256(p.commitEnd), split) : (split, uint256(p.revealEnd));
            if (block.timestamp <= from || block.timestamp > to) revert PoNASPoolNotInRevealWindow(roundId, from, to);
        }
        Submission storage sub = _subs[roundId][task][slot];
        if (sub.miner != msg.sender) revert PoNASPoolNotYourSubmission(roundId, task, slot, msg.sender);
        if (sub.status != Status.Claimed) revert PoNASPoolAlreadyRevealed(roundId, task, slot);
        Submission storage primary = slot == 0 ? sub : _subs[roundId][task][0];
        if (primary.active != 0) revert PoNASPoolTaskDelivered(roundId, task, primary.active - 1);
        if (scoreBps > BPS) revert PoNASPoolScoreOutOfRange(scoreBps);
        bytes32 h = computeCommitment(roundId, task, msg.sender, genome, scoreBps, salt);
        uint256 commitBlock = _commits[roundId][h];
        if (commitBlock == 0) revert PoNASPoolCommitmentNotFound(h);
        if (!Genome.isValid(genome, p.arities)) revert PoNASPoolInvalidGenome(genome, p.arities);
        Task storage t = _tasks[roundId][task];
        if (!Genome.inSubspace(genome, t.mask, t.value)) {
            revert PoNASPoolGenomeOutsideSubspace(genome, t.mask, t.value);
        }
        delete _commits[roundId][h];

        RoundState storage s = _state[roundId];
        uint256 owner = _genomeOwner[roundId][genome];
        uint256 mine = (commitBlock << 64) | (task << 16) | (slot << 8) | 1;
        if (owner != 0) {
            // Earliest commit wins; ties in one block go to the lower (task, slot).
            if (mine > owner) revert PoNASPoolDuplicateGenome(genome, (owner >> 16) & 0xffffffff, (owner >> 8) & 0xff);
            _voidDuplicate(roundId, p, s, (owner >> 16) & 0xffffffff, (owner >> 8) & 0xff, genome);
        }
        _genomeOwner[roundId][genome] = mine;

        sub.status = Status.Revealed;
        sub.claimedBps = scoreBps;
        sub.weightsSeal = bytes4(weightsSeal);
        uint256 perf = _unverifiedPerf(scoreBps, p);
        emit Revealed(roundId, task, slot, msg.sender, genome, scoreBps, perf, weightsSeal);

        // An accepted reveal with P > 0 counts for its task (see the window rule above).
        if (perf == 0) return;
        uint256 sumP = s.sumP + perf;
        s.sumP = uint48(sumP);
        primary.active = uint8(slot + 1);
        if (slot != 0) emit ActiveChanged(roundId, task, slot, perf, sumP);

        uint256 k = p.topK;
        if (k != 0) {
            uint64[MAX_TOP_K] memory top = _topK[roundId];
            if (Sampling.insert(top, k, Sampling.entry(scoreBps, task, slot))) _topK[roundId] = top;
        }
    }

    // =========================================================================================
    // Verification (called by the committee)
    // =========================================================================================

    /// @notice Forces a revealed submission into the verification sample, for a committee
    /// verifier (the committee checked its membership), until a quarter into the verify window:
    /// a challenge in the window's last moments would leave no time to re-train, and a sampled
    /// claim left unverified is paid nothing, so a late challenge could void an honest reward.
    function onChallenge(uint256 roundId, uint256 task, uint256 slot, address verifier) external onlyCommittee {
        RoundParams storage p = _round(roundId);
        uint256 challengeEnd = Windows.challengeEnd(p.revealEnd, p.verifyEnd);
        if (block.timestamp > challengeEnd) revert PoNASPoolChallengeWindowClosed(roundId, challengeEnd);
        Submission storage sub = _subs[roundId][task][slot];
        if (sub.status != Status.Revealed) revert PoNASPoolNotRevealed(roundId, task, slot);
        if (sub.flags & CHALLENGED != 0) revert PoNASPoolAlreadyChallenged(roundId, task, slot);
        if (sub.flags & VERIFIED != 0) revert PoNASPoolAlreadyFinal(roundId, task, slot);
        sub.flags |= CHALLENGED;
        emit Challenged(roundId, task, slot, verifier);
    }

    /// @notice Moves the round's sampling seed on once the reveal window is over: the first call
    /// requests the round's value from the randomness source, a later one (once the source can
    /// deliver: a block or two for FutureBlockRandomness) fixes the seed. Returns the seed, 0 while
    /// pending. Anyone may call it; attest and finalize call it too.
    function fixSampleSeed(uint256 roundId) external returns (bytes32) {
        RoundParams storage p = _round(roundId);
        if (block.timestamp <= p.revealEnd) revert PoNASPoolNotInVerifyWindow(roundId, p.revealEnd, p.verifyEnd);
        return _fixSeed(roundId, _state[roundId]);
    }

    /// @notice Checks that a submission may be attested now (inside the verify window, revealed,
    /// sampled, not yet verified), fixing the round's seed if needed.
    /// @return seed the round's sampling seed, which also draws each submission's verifiers.
    function beginVerification(uint256 roundId, uint256 task, uint256 slot) external onlyCommittee returns (bytes32 seed) {
        RoundParams storage p = _round(roundId);
        if (block.timestamp <= p.revealEnd || block.timestamp > p.verifyEnd) {
            revert PoNASPoolNotInVerifyWindow(roundId, p.revealEnd, p.verifyEnd);
        }
        Submission storage sub = _subs[roundId][task][slot];
        if (sub.status != Status.Revealed) revert PoNASPoolNotRevealed(roundId, task, slot);
        if (sub.flags & VERIFIED != 0) revert PoNASPoolAlreadyFinal(roundId, task, slot);
        seed = _fixSeed(roundId, _state[roundId]);
        if (!_isSampled(roundId, p, seed, task, slot, sub.flags)) {
            revert PoNASPoolNotSampled(roundId, task, slot);
        }
    }

    /// @notice Applies the committee's verdict on a submission: `medianBps` becomes its verified
    /// score; a claim above it by more than the tolerance (or by more than its penalty can take
    /// back, RewardMath.paidScore) is fraud and its stake is slashed, a
    /// `slashBps` share to the `winners` verifiers who attested near the median (transferred to
    /// the committee, which credits them) and the rest to the treasury. Never to the round's pot:
    /// a cheater's own unsampled claims (sybils) would win part of it back (property 7).
    /// A claim is fraud too when `weightsDigest` (the digest the re-trainings agreed on, 0 if none)
    /// does not open its weights seal: whatever its score, the miner did not train what it claimed.
    /// @return toVerifiers tokens transferred to the committee for the winners.
    function onVerdict(uint256 roundId, uint256 task, uint256 slot, uint256 medianBps, uint256 winners, bytes32 weightsDigest)
        external
        onlyCommittee
        returns (uint256 toVerifiers)
    {
        RoundParams storage p = _params[roundId];
        RoundState storage s = _state[roundId];
        Submission storage sub = _subs[roundId][task][slot];
        uint256 claimed = sub.claimedBps;
        uint256 perf = RewardMath.performance(RewardMath.paidScore(claimed, medianBps, true, p.sampleBps), p.baselineBps);
        // Fraud: above the median by more than the tolerance, or by less but by more than the
        // over-claim penalty can take back from the verified performance (then the expected gain
        // of over-claiming is positive unless the stake pays for it: property 6).
        bool fraud = claimed > medianBps + p.toleranceBps
            || (claimed > medianBps && perf == 0 && _unverifiedPerf(claimed, p) != 0)
            || !_sealOpens(sub, roundId, task, weightsDigest);
        if (fraud) perf = 0;

        sub.flags |= VERIFIED | (fraud ? FRAUD : 0);
        sub.finalBps = uint16(medianBps);
        uint256 sumP = s.sumP;
        if (_subs[roundId][task][0].active == slot + 1 && sub.flags & DUPLICATE == 0) {
            sumP = sumP - _unverifiedPerf(claimed, p) + perf;
            s.sumP = uint48(sumP);
        }
        emit Verified(roundId, task, slot, medianBps, fraud, perf, sumP, weightsDigest);
        if (!fraud) return 0;

        uint256 amount = p.minStake;
        MinerAccount storage a = _miners[sub.miner];
        a.balance -= uint96(amount);
        a.locked -= uint96(amount);
        toVerifiers = winners == 0 ? 0 : amount * p.slashBps / BPS / winners * winners;
        uint256 toTreasury = amount - toVerifiers;
        s.forfeited += uint128(toTreasury);
        emit Slashed(roundId, task, slot, sub.miner, amount, toVerifiers, toTreasury);
        if (toVerifiers != 0) token.safeTransfer(address(committee), toVerifiers);
    }

    // =========================================================================================
    // Finalisation and payouts
    // =========================================================================================

    /// @notice Closes a round after its verify window: fixes the pot and ΣP. O(1). Anyone may call.
    /// @dev Needs the round's seed (which submissions were drawn decides what is paid): reverts
    /// PoNASPoolSeedNotFixed while the source has not delivered; call fixSampleSeed until it has.
    /// A source that never delivers (a VRF subscription left unfunded) must not lock the round's
    /// stakes and pot: SEED_GRACE after verifyEnd, finalize goes ahead without the seed, and then
    /// no submission counts as randomly drawn (none could have been verified as one anyway).
    function finalize(uint256 roundId) external {
        RoundParams storage p = _round(roundId);
        if (block.timestamp <= p.verifyEnd) revert PoNASPoolVerifyWindowOpen(roundId, p.verifyEnd);
        RoundState storage s = _state[roundId];
        if (s.finalized) revert PoNASPoolAlreadyFinalized(roundId);
        // A round the pause will move waits for unpause, so a long pause cannot run out SEED_GRACE.
        if (_heldByPause(p)) revert EnforcedPause();
        if (s.seed == 0 && block.timestamp <= uint256(p.verifyEnd) + SEED_GRACE && _fixSeed(roundId, s) == 0) {
            revert PoNASPoolSeedNotFixed(roundId);
        }
        s.finalized = true;
        s.remainingP = s.sumP;
        emit RoundFinalized(roundId, p.rewardTotal, s.sumP);
    }

    /// @notice Settles one submission of a finalised round and transfers its reward
    /// `P · pot / ΣP` to the miner: releases its stake and records a primary's performance
    /// (0 for a no-show) in its history. Anyone may call; tokens always go to the miner.
    /// A claim that holds nothing in ΣP (never revealed, revealed with P = 0, or voided as a
    /// duplicate) pays `noShowBps` of its stake to the treasury when it is its task's primary or
    /// nothing counts for its task (a backup of a delivered task owes nothing): holding a slot
    /// without delivering is not free (property 8). A slashed claim pays its slash instead.
    /// @dev A counting submission that was sampled but never reached quorum is paid nothing and
    /// keeps its stake; its share is left to the treasury (README, "Decisions the design left open").
    function withdraw(uint256 roundId, uint256 task, uint256 slot) external nonReentrant {
        (address miner, uint256 reward) = _settle(roundId, task, slot, false);
        if (reward != 0) token.safeTransfer(miner, reward);
    }

    /// @notice Like withdraw, but credits the reward to the miner's stake balance instead of
    /// transferring it (cheaper; the miner restakes or unstakes later). Anyone may call, so
    /// no-shows can be settled and recorded without their miner.
    function settle(uint256 roundId, uint256 task, uint256 slot) external {
        _settle(roundId, task, slot, true);
    }

    function _settle(uint256 roundId, uint256 task, uint256 slot, bool toStake)
        private
        returns (address miner, uint256 reward)
    {
        RoundParams storage p = _round(roundId);
        RoundState storage s = _state[roundId];
        if (!s.finalized) revert PoNASPoolNotFinalized(roundId);
        Submission storage sub = _subs[roundId][task][slot];
        Status status = sub.status;
        if (status == Status.None) revert PoNASPoolNoSubmission(roundId, task, slot);
        if (status == Status.Settled) revert PoNASPoolAlreadySettled(roundId, task, slot);
        miner = sub.miner;
        uint8 flags = sub.flags;

        uint256 perf; // P recorded in the history (primary only)
        uint256 counted; // P this submission holds in ΣP
        bool unverified;
        uint8 active = slot == 0 ? sub.active : _subs[roundId][task][0].active;
        if (status == Status.Revealed && flags & (FRAUD | DUPLICATE) == 0) {
            perf = RewardMath.performance(
                RewardMath.paidScore(sub.claimedBps, sub.finalBps, flags & VERIFIED != 0, p.sampleBps), p.baselineBps
            );
            if (active == slot + 1) {
                counted = perf;
                unverified = flags & VERIFIED == 0 && _isSampled(roundId, p, s.seed, task, slot, flags);
            }
        }
        reward = unverified ? 0 : RewardMath.share(counted, p.rewardTotal, s.sumP);
        uint256 released = flags & FRAUD != 0 ? 0 : p.minStake;
        uint256 fine = counted == 0 && (slot == 0 || active == 0) ? released * p.noShowBps / BPS : 0;

        sub.status = Status.Settled;
        if (counted != 0) s.remainingP -= uint48(counted);
        if (reward != 0) s.paid += uint120(reward);
        MinerAccount storage a = _miners[miner];
        if (released != 0) a.locked -= uint96(released);
        if (fine != 0) {
            a.balance -= uint96(fine);
            s.forfeited += uint128(fine);
            emit NoShowFined(roundId, task, slot, miner, fine);
        }
        if (slot == 0) _stats[miner] = _stats[miner].add(perf);
        emit Withdrawn(roundId, task, slot, miner, counted, reward, released, unverified);
        if (toStake && reward != 0) {
            a.balance += uint96(reward);
            emit Staked(miner, reward, a.balance);
        }
    }

    /// @notice Sends a finalised round's provable surplus to the treasury: slashed stake and
    /// no-show fees, the pot when ΣP is 0, shares of unverified submissions, and rounding dust. Never touches what miners can still
    /// withdraw. Anyone may call. (The unspent fee budget is the committee's: `sweepFees`.)
    function sweep(uint256 roundId) external nonReentrant returns (uint256 amount) {
        _round(roundId);
        amount = _sweepable(roundId);
        if (amount == 0) revert PoNASPoolNothingToSweep(roundId);
        _state[roundId].swept += uint128(amount);
        address to = treasury;
        emit Swept(roundId, to, amount);
        token.safeTransfer(to, amount);
    }

    // =========================================================================================
    // Views
    // =========================================================================================

    /// @notice The commitment a miner submits: binds chain, pool, round, task and miner.
    function computeCommitment(
        uint256 roundId,
        uint256 task,
        address miner,
        bytes32 genome,
        uint16 scoreBps,
        bytes32 salt
    ) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), roundId, task, miner, genome, scoreBps, salt));
    }

    /// @notice Whether `weightsDigest` opens the weights seal of a revealed submission (its first
    /// 4 bytes, all the pool keeps: `Submission.weightsSeal`); true for
    /// 0 (no agreed digest: cross-backend re-trainings are compared by score only). The committee
    /// asks before deciding (a contradicted seal is a dispute) and `onVerdict` applies it.
    function weightsSealOpens(uint256 roundId, uint256 task, uint256 slot, bytes32 weightsDigest) external view returns (bool) {
        return _sealOpens(_subs[roundId][task][slot], roundId, task, weightsDigest);
    }

    /// @dev weightsSealOpens on a submission already loaded (onVerdict's).
    function _sealOpens(Submission storage sub, uint256 roundId, uint256 task, bytes32 weightsDigest) private view returns (bool) {
        return weightsDigest == 0
            || sub.weightsSeal == bytes4(WeightsSeal.compute(block.chainid, address(this), roundId, task, sub.miner, weightsDigest));
    }

    /// @notice A round's parameters.
    function getRound(uint256 roundId) external view returns (RoundParams memory) {
        return _params[roundId];
    }

    /// @notice A round's mutable state.
    function getRoundState(uint256 roundId) external view returns (RoundState memory) {
        return _state[roundId];
    }

    /// @notice A task's subspace.
    function getTask(uint256 roundId, uint256 task) external view returns (Task memory) {
        return _tasks[roundId][task];
    }

    /// @notice A submission (slot 0 = primary).
    function getSubmission(uint256 roundId, uint256 task, uint256 slot) external view returns (Submission memory) {
        return _subs[roundId][task][slot];
    }

    /// @notice The round's top-K list as stored (decoded by `lens.getTopK`).
    function topK(uint256 roundId) external view returns (uint64[MAX_TOP_K] memory) {
        return _topK[roundId];
    }

    /// @notice A miner's stake account.
    function minerAccount(address miner) external view returns (MinerAccount memory) {
        return _miners[miner];
    }

    /// @notice A miner's performance history (count, mean and M2, both scaled by 1e6).
    function performanceStats(address miner) external view returns (Welford.Stats memory) {
        return _stats[miner];
    }

    // =========================================================================================
    // Internals
    // =========================================================================================

    /// @dev What `sweep` may send to the treasury now (0 before finalisation; `lens.sweepable`).
    function _sweepable(uint256 roundId) private view returns (uint256) {
        RoundParams storage p = _params[roundId];
        RoundState storage s = _state[roundId];
        if (!s.finalized) return 0;
        return RewardMath.surplus(p.rewardTotal, s.forfeited, s.paid, s.swept, s.remainingP, s.sumP);
    }

    function _round(uint256 roundId) private view returns (RoundParams storage p) {
        p = _params[roundId];
        if (p.commitEnd == 0) revert PoNASPoolUnknownRound(roundId);
    }

    function _claimable(uint256 roundId, uint256 task) private view returns (RoundParams storage p) {
        p = _round(roundId);
        if (block.timestamp > p.commitEnd) revert PoNASPoolClaimWindowClosed(roundId, p.commitEnd);
        if (task >= _state[roundId].taskCount) revert PoNASPoolUnknownTask(roundId, task);
    }

    function _lockForClaim(uint256 roundId, RoundParams storage p) private {
        MinerAccount storage a = _miners[msg.sender];
        uint256 last = a.lastClaimRound;
        if (roundId < last) revert PoNASPoolClaimOutOfOrder(msg.sender, roundId, last);
        uint256 claims = roundId == last ? uint256(a.claimsInRound) + 1 : 1;
        if (claims > p.maxTasksPerMiner) revert PoNASPoolTooManyTasks(msg.sender, roundId, p.maxTasksPerMiner);
        uint256 need = p.minStake;
        uint256 free = a.balance - a.locked;
        if (free < need) revert PoNASPoolInsufficientFreeStake(msg.sender, free, need);
        a.locked += uint96(need);
        a.lastClaimRound = uint32(roundId);
        a.claimsInRound = uint32(claims);
    }

    function _backupsAllowed(address primary, uint256 threshold) private view returns (bool) {
        return _stats[primary].opensBackups(threshold);
    }

    /// @dev P a revealed claim holds in ΣP until it is verified: its claim's (RewardMath.paidScore, unverified).
    function _unverifiedPerf(uint256 claimedBps, RoundParams storage p) private view returns (uint256) {
        return RewardMath.performance(claimedBps, p.baselineBps);
    }

    /// @dev The seed is the source's value for this round, requested only once every claim is
    /// fixed (after revealEnd) and unknowable when requested, so nobody who chooses when to send
    /// a transaction chooses or predicts the sample (the old seed hashed prevrandao and the parent
    /// hash, both known a block ahead). Returns 0 while the value is pending.
    function _fixSeed(uint256 roundId, RoundState storage s) private returns (bytes32 seed) {
        seed = s.seed;
        if (seed != 0) return seed;
        IRandomnessSource source = randomness;
        if (!source.requested(address(this), roundId)) {
            if (_heldByPause(_params[roundId])) return 0;
            source.request(roundId);
            return 0;
        }
        bytes32 value = source.fulfill(address(this), roundId);
        if (value == 0) return 0;
        // a value someone could have chosen (a withheld beacon secret) samples everything
        seed = Sampling.seedOf(value, roundId, source.withheld(address(this), roundId));
        s.seed = seed;
        emit SampleSeedFixed(roundId, seed);
    }

    /// @dev Whether the current pause will move this round's windows (unpause): its reveal window
    /// had not ended when the pause began. Such a round requests no seed and is not finalised
    /// while paused, so nothing is decided before the miners have had their time.
    function _heldByPause(RoundParams storage p) private view returns (bool) {
        return paused() && p.revealEnd >= _pausedAt;
    }

    function _isSampled(uint256 roundId, RoundParams storage p, bytes32 seed, uint256 task, uint256 slot, uint8 flags)
        private
        view
        returns (bool)
    {
        return Sampling.isSampled(flags & CHALLENGED != 0, _topK[roundId], p.topK, seed, roundId, task, slot, p.sampleBps);
    }

    function _voidDuplicate(
        uint256 roundId,
        RoundParams storage p,
        RoundState storage s,
        uint256 task,
        uint256 slot,
        bytes32 genome
    ) private {
        Submission storage dup = _subs[roundId][task][slot];
        dup.flags |= DUPLICATE;
        Submission storage primary = slot == 0 ? dup : _subs[roundId][task][0];
        uint256 sumP = s.sumP;
        if (primary.active == slot + 1) {
            sumP -= _unverifiedPerf(dup.claimedBps, p);
            s.sumP = uint48(sumP);
            primary.active = 0;
            emit ActiveChanged(roundId, task, NO_SLOT, 0, sumP);
        }
        // A voided claim earns nothing, so it leaves the top-K. Only overlapping tasks (a
        // partition that is not disjoint) produce duplicates, so only they leave such a gap.
        uint64[MAX_TOP_K] memory top = _topK[roundId];
        if (Sampling.remove(top, task, slot)) _topK[roundId] = top;
        emit DuplicateVoided(roundId, task, slot, genome, sumP);
    }

    function _addTasks(uint256 roundId, bytes32 arities, bytes32[] calldata masks, bytes32[] calldata values)
        private
    {
        uint256 n = masks.length;
        if (n == 0 || n != values.length) revert PoNASPoolInvalidParams(ParamRule.Tasks);
        RoundState storage s = _state[roundId];
        uint256 first = s.taskCount;
        for (uint256 i; i < n; ++i) {
            bytes32 mask = masks[i];
            bytes32 value = values[i];
            if (!Genome.isSubspace(mask, value, arities)) revert PoNASPoolInvalidSubspace(first + i, mask, value);
            _tasks[roundId][first + i] = Task(mask, value);
            emit TaskAdded(roundId, first + i, mask, value);
        }
        s.taskCount = uint32(first + n);
    }
}
