// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IVerifierCommittee} from "./interfaces/IVerifierCommittee.sol";
import {IPoNASPool} from "./interfaces/IPoNASPool.sol";
import {Sampling} from "./libraries/Sampling.sol";
import {Windows} from "./libraries/Windows.sol";

/// @dev Attestations a submission can collect; the pool's quorum is at most this.
uint256 constant MAX_QUORUM = 9;

/// @title VerifierCommittee
/// @notice The verifier committee of one PoNAS pool: enrolment and stakes of verifiers, their
/// sealed attestations of re-trained scores, the verdict (the median of the revealed scores), the
/// fees paid to verifiers who proved their re-training, the stake lost by those who did not, and
/// the slash shares of verifiers who caught a false claim. The pool keeps rounds, miners and
/// payouts and applies each verdict (`IPoNASPool.onVerdict`), as Lido's HashConsensus decides
/// reports that a separate contract processes.
/// @dev Created by the pool in its constructor, so `pool` is fixed and trusted both ways. A
/// round's committee is the verifiers enrolled before it opened (`sinceRound`).
///
/// Each sampled submission is attested in phases of the round's verify window
/// (libraries/Windows.sol), so that nobody sees another's result before fixing its own:
/// - drawn commit, `(revealEnd, attestCommitEnd]`: the `quorum` verifiers the round's randomness
///   draws for the submission (`isDrawn`) re-train it under the round's recipe and seal
///   `attestationSeal(...)`, binding the score and the digest of the weights they trained (0 for
///   a cross-backend re-training, which is compared by score only). Nobody chooses who judges it;
/// - drawn reveal, `(attestCommitEnd, attestRevealEnd]`: they open their seals; the last reveal
///   decides at once if the reveals agree;
/// - escalation, `(attestRevealEnd, escalationCommitEnd]` then its reveals until
///   `escalationRevealEnd`: a disputed submission (drawn reveals fewer than quorum, off their
///   median by more than the tolerance, without a weights digest two of them agree on, or with a
///   digest other than the agreed one) takes a
///   sealed attestation from the members of the round's committee who were not drawn, so disagreement brings
///   more verifiers and more time rather than a verdict by the drawn few (property 3);
/// - decide, from `attestRevealEnd` (a disputed submission only after `escalationRevealEnd`) to
///   verifyEnd: anyone decides what is left.
/// The verdict is the median of all revealed scores, drawn and escalation alike (at least
/// `quorum` of them; fewer: no verdict, and the sampled claim stays unverified).
/// A revealed attestation within the tolerance of the median is paid `verifierFee` only if it
/// proves the work: its digest is the one most reference re-trainings agree on (at least two;
/// bit-exact training makes that the true digest). A score-only or unmatched attestation could be
/// an echo of the public claim or a made-up digest, so it is never paid; drawn reveals with no
/// agreed digest are disputed, so the escalation brings re-trainings that can agree.
/// A committer that never revealed, an attestation off the median by more than the tolerance and a
/// digest that contradicts the agreed one each lose `penalty` of stake, swept to the treasury.
contract VerifierCommittee is IVerifierCommittee, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 public constant BPS = 10_000;

    uint8 private constant COMMITTED = 1;
    uint8 private constant REVEALED = 2;

    /// @notice The pool whose submissions this committee verifies (its creator).
    IPoNASPool public immutable pool;
    /// @notice The token of stakes and fees (the pool's).
    IERC20 public immutable token;
    /// @notice Stake a verifier must hold to attest or challenge.
    uint96 public minVerifierStake;
    /// @notice Stake an attestation loses when it is never revealed, lands off the median by more
    /// than the tolerance, or carries a weights digest the agreed re-training contradicts.
    uint96 public penalty;

    mapping(address verifier => VerifierAccount) private _verifiers;
    mapping(uint256 roundId => RoundFees) private _fees;
    mapping(uint256 roundId => mapping(uint256 task => mapping(uint256 slot => Attestation[MAX_QUORUM]))) private
        _attestations;
    /// @dev set once a submission's attestations were judged (with or without a verdict).
    mapping(uint256 roundId => mapping(uint256 task => mapping(uint256 slot => bool))) private _decided;
    /// @dev Every verifier ever enrolled, in enrolment order; `_seat` is its index + 1. The first
    /// `_committeeSize[roundId]` seats are the ones a round can draw from (the roster when it opened).
    address[] private _roster;
    mapping(address verifier => uint256) private _seat;
    mapping(uint256 roundId => uint256) private _committeeSize;
    /// @dev Members penalised for withholding their beacon secret of the round: paid no fee in it.
    mapping(uint256 roundId => mapping(address verifier => bool)) private _beaconNoShow;

    /// @param token_ the pool's token.
    /// @param admin receives DEFAULT_ADMIN_ROLE (enrols and removes verifiers, sets stakes and the penalty).
    /// @param minVerifierStake_ stake a verifier must hold to attest or challenge; the penalty
    /// starts at a tenth of it.
    constructor(IERC20 token_, address admin, uint96 minVerifierStake_) {
        if (admin == address(0)) revert VerifierCommitteeZeroAddress();
        pool = IPoNASPool(msg.sender);
        token = token_;
        minVerifierStake = minVerifierStake_;
        penalty = minVerifierStake_ / 10;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit MinVerifierStakeSet(minVerifierStake_);
        emit PenaltySet(minVerifierStake_ / 10);
    }

    modifier onlyPool() {
        if (msg.sender != address(pool)) revert VerifierCommitteeOnlyPool(msg.sender);
        _;
    }

    // =========================================================================================
    // Admin
    // =========================================================================================

    /// @notice Sets the stake a verifier must hold to attest or challenge.
    function setMinVerifierStake(uint96 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        minVerifierStake = amount;
        emit MinVerifierStakeSet(amount);
    }

    /// @notice Sets the stake a losing or missing attestation costs (at most minVerifierStake, so
    /// a staked verifier can always pay it).
    function setPenalty(uint96 amount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (amount > minVerifierStake) revert VerifierCommitteePenaltyTooLarge(amount, minVerifierStake);
        penalty = amount;
        emit PenaltySet(amount);
    }

    /// @notice Adds a verifier to, or removes it from, the committee. Removal does not touch its
    /// stake, fees or attestations already made.
    /// @dev A round's committee is fixed when it opens: a verifier enrolled now verifies only
    /// rounds opened from now on (`sinceRound`), so nobody can be added to decide a round whose
    /// claims are already known. Removal takes effect at once: it can shrink an open round's
    /// committee, never grow it.
    function setVerifier(address verifier, bool active) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (verifier == address(0)) revert VerifierCommitteeZeroAddress();
        VerifierAccount storage v = _verifiers[verifier];
        if (active && !v.active) v.sinceRound = uint32(pool.roundCount() + 1);
        if (active && _seat[verifier] == 0) {
            _roster.push(verifier);
            _seat[verifier] = _roster.length;
        }
        v.active = active;
        emit VerifierSet(verifier, active, v.sinceRound);
    }

    // =========================================================================================
    // Pool
    // =========================================================================================

    /// @notice Records a round's fee budget, which the pool has just transferred here from the
    /// manager, and the roster its verifiers are drawn from (everyone enrolled so far).
    function fundRound(uint256 roundId, uint256 amount) external onlyPool {
        _fees[roundId].budget = uint128(amount);
        _committeeSize[roundId] = _roster.length;
        emit FeeBudgetFunded(roundId, amount);
    }

    // =========================================================================================
    // Verifiers: stake and fees
    // =========================================================================================

    /// @notice Deposits verifier stake (approve this committee first).
    function stakeVerifier(uint96 amount) external {
        if (amount == 0) revert VerifierCommitteeZeroAmount();
        VerifierAccount storage v = _verifiers[msg.sender];
        v.stake += amount;
        emit VerifierStaked(msg.sender, amount, v.stake);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Withdraws verifier stake; an active verifier must keep at least minVerifierStake.
    function unstakeVerifier(uint96 amount) external nonReentrant {
        if (amount == 0) revert VerifierCommitteeZeroAmount();
        VerifierAccount storage v = _verifiers[msg.sender];
        uint256 keep = v.active ? minVerifierStake : 0;
        if (uint256(amount) + keep > v.stake) {
            revert VerifierCommitteeStakeTooLow(msg.sender, v.stake, uint256(amount) + keep);
        }
        v.stake -= amount;
        emit VerifierUnstaked(msg.sender, amount, v.stake);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice Withdraws the caller's credited fees and slash shares.
    function withdrawFees() external nonReentrant {
        VerifierAccount storage v = _verifiers[msg.sender];
        uint256 amount = v.fees;
        if (amount == 0) revert VerifierCommitteeNothingToWithdraw(msg.sender);
        v.fees = 0;
        emit FeesWithdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice Sends a round's unspent fee budget and the penalties its attestations paid to the
    /// pool's treasury once its verify window is over, when nothing can spend them any more.
    /// Anyone may call.
    function sweepFees(uint256 roundId) external nonReentrant returns (uint256 amount) {
        uint256 verifyEnd = pool.getRound(roundId).verifyEnd;
        if (block.timestamp <= verifyEnd) revert VerifierCommitteeVerifyWindowOpen(roundId, verifyEnd);
        RoundFees storage f = _fees[roundId];
        amount = f.swept ? 0 : uint256(f.budget) - f.spent + f.penalties;
        if (amount == 0) revert VerifierCommitteeNothingToSweep(roundId);
        f.swept = true;
        address to = pool.treasury();
        emit FeesSwept(roundId, to, amount);
        token.safeTransfer(to, amount);
    }

    // =========================================================================================
    // Verifiers: challenge and attest
    // =========================================================================================

    /// @notice Takes `penalty` from a member that committed to round `roundId`'s randomness beacon
    /// and never revealed (BeaconRandomness.penaliseNoShow): withholding a secret is how the last
    /// revealer would pick between two samples, so it must cost. Only the pool's own randomness
    /// source, for this pool. Taken like an attestation's penalty (fees first), swept to the treasury.
    /// The member is also paid no fee for the round's attestations from then on: a withheld secret
    /// makes the round sample every submission (Sampling.FULL_SAMPLE), and the extra attestations
    /// must not pay the withholder back (test/attacks/beacon-withholding.ts, the fees variant).
    function penaliseBeaconNoShow(address consumer, uint256 roundId, address verifier) external {
        if (msg.sender != address(pool.randomness()) || consumer != address(pool)) {
            revert VerifierCommitteeOnlyRandomness(msg.sender, consumer);
        }
        _beaconNoShow[roundId][verifier] = true;
        _penalise(roundId, type(uint256).max, type(uint256).max, _fees[roundId], verifier);
    }

    /// @notice Forces a revealed submission into the verification sample. Open to the round's
    /// committee until a quarter into the verify window (the pool checks).
    function challenge(uint256 roundId, uint256 task, uint256 slot) external {
        _checkMember(msg.sender, roundId);
        pool.onChallenge(roundId, task, slot, msg.sender);
    }

    /// @notice Seals an attestation of a sampled submission: `seal = attestationSeal(roundId,
    /// task, slot, verifier, scoreBps, weightsDigest, salt)`, where `scoreBps` is what re-training
    /// it under the round's recipe measured and `weightsDigest` the keccak256 of the trained
    /// weights under the recipe's reference backend (0 if re-trained on another backend). Open to
    /// the submission's drawn verifiers in the drawn-commit phase and to any other member of the
    /// round's committee in the escalation-commit phase of a disputed submission; the pool checks
    /// that the submission is revealed, sampled and not final (`beginVerification`, which returns
    /// the seed that draws its verifiers). Reverts VerifierCommitteeSeedPending until the round's
    /// seed is fixed (`pool.fixSampleSeed`, a block or two after the reveal window).
    function commitAttestation(uint256 roundId, uint256 task, uint256 slot, bytes32 seal) external {
        _checkMember(msg.sender, roundId);
        bytes32 seed = pool.beginVerification(roundId, task, slot);
        // no seed, no draw: drawing with a pending (zero) seed would pick seats anyone can compute
        // in advance (the revert also undoes the request beginVerification may have sent:
        // pool.fixSampleSeed requests and fixes it)
        if (seed == 0) revert VerifierCommitteeSeedPending(roundId);
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        Attestation[MAX_QUORUM] storage list = _attestations[roundId][task][slot];
        uint256 n;
        bool late; // some escalation commit already
        for (; n < MAX_QUORUM && list[n].verifier != address(0); ++n) {
            if (list[n].verifier == msg.sender) revert VerifierCommitteeAlreadyAttested(roundId, task, slot, msg.sender);
            late = late || list[n].escalation;
        }
        if (n == MAX_QUORUM) revert VerifierCommitteeAttestationsFull(roundId, task, slot);
        bool escalation = block.timestamp > Windows.attestCommitEnd(p.revealEnd, p.verifyEnd);
        if (!escalation) {
            if (!_drawn(seed, roundId, task, slot, msg.sender, p.quorum)) {
                revert VerifierCommitteeNotDrawn(roundId, task, slot, msg.sender);
            }
        } else {
            uint256 from = Windows.attestRevealEnd(p.revealEnd, p.verifyEnd);
            uint256 to = Windows.escalationCommitEnd(p.revealEnd, p.verifyEnd);
            if (block.timestamp <= from || block.timestamp > to) revert VerifierCommitteeNotInPhase(roundId, from, to);
            // a drawn verifier had its turn: joining now, with the drawn reveals public, would be copying
            if (_drawn(seed, roundId, task, slot, msg.sender, p.quorum)) {
                revert VerifierCommitteeWasDrawn(roundId, task, slot, msg.sender);
            }
            if (_decided[roundId][task][slot]) revert VerifierCommitteeAlreadyDecided(roundId, task, slot);
            (bool disputed, uint256 revealed) = _disputed(roundId, task, slot, list, n, p.quorum, p.toleranceBps);
            if (!disputed) revert VerifierCommitteeNotDisputed(roundId, task, slot);
            if (!late) emit Escalated(roundId, task, slot, revealed, Windows.escalationRevealEnd(p.revealEnd, p.verifyEnd));
        }
        list[n] = Attestation(msg.sender, 0, COMMITTED, escalation, seal);
        emit AttestationCommitted(roundId, task, slot, msg.sender, seal, escalation);
    }

    /// @notice Opens the caller's seal on a submission: a drawn seal in the drawn-reveal phase, an
    /// escalation seal in the escalation-reveal phase. The last drawn reveal decides the
    /// submission at once when the drawn reveals agree (or nobody undrawn could join); the last
    /// escalation reveal decides it at once.
    function revealAttestation(
        uint256 roundId,
        uint256 task,
        uint256 slot,
        uint16 scoreBps,
        bytes32 weightsDigest,
        bytes32 salt
    ) external {
        if (scoreBps > BPS) revert VerifierCommitteeScoreOutOfRange(scoreBps);
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        Attestation[MAX_QUORUM] storage list = _attestations[roundId][task][slot];
        uint256 n;
        uint256 mine = MAX_QUORUM;
        for (; n < MAX_QUORUM && list[n].verifier != address(0); ++n) {
            if (list[n].verifier == msg.sender) mine = n;
        }
        if (mine == MAX_QUORUM || list[mine].state != COMMITTED) revert VerifierCommitteeNotCommitted(roundId, task, slot, msg.sender);
        Attestation storage a = list[mine];
        bool escalation = a.escalation;
        {
            (uint256 from, uint256 to) = escalation
                ? (Windows.escalationCommitEnd(p.revealEnd, p.verifyEnd), Windows.escalationRevealEnd(p.revealEnd, p.verifyEnd))
                : (Windows.attestCommitEnd(p.revealEnd, p.verifyEnd), Windows.attestRevealEnd(p.revealEnd, p.verifyEnd));
            if (block.timestamp <= from || block.timestamp > to) revert VerifierCommitteeNotInPhase(roundId, from, to);
        }
        bytes32 expected = attestationSeal(roundId, task, slot, msg.sender, scoreBps, weightsDigest, salt);
        if (a.seal != expected) revert VerifierCommitteeSealMismatch(roundId, task, slot, msg.sender);
        a.scoreBps = scoreBps;
        a.state = REVEALED;
        a.seal = weightsDigest;
        emit Attested(roundId, task, slot, msg.sender, scoreBps, weightsDigest);
        // decide now if nothing more can come: every seal of this phase is open and, for drawn
        // seals, the reveals agree or no other member is left to escalate to
        for (uint256 i; i < n; ++i) {
            if (list[i].escalation == escalation && list[i].state == COMMITTED) return;
        }
        if (!escalation && _canEscalate(roundId, n, p.quorum)) {
            (bool disputed,) = _disputed(roundId, task, slot, list, n, p.quorum, p.toleranceBps);
            if (disputed) return;
        }
        _decide(roundId, task, slot, p, list, n);
    }

    /// @notice Decides a submission once its drawn reveals are over: at once if they agree, after
    /// the escalation phase if it is disputed (VerifierCommitteeEscalated until then): the verdict
    /// if at least `quorum` attestations were revealed, and the fees and penalties either way.
    /// Anyone may call, until the verify window ends.
    function decide(uint256 roundId, uint256 task, uint256 slot) external {
        IPoNASPool.RoundParams memory p = pool.getRound(roundId);
        uint256 from = Windows.attestRevealEnd(p.revealEnd, p.verifyEnd);
        if (block.timestamp <= from || block.timestamp > p.verifyEnd) revert VerifierCommitteeNotInPhase(roundId, from, p.verifyEnd);
        Attestation[MAX_QUORUM] storage list = _attestations[roundId][task][slot];
        uint256 n;
        while (n < MAX_QUORUM && list[n].verifier != address(0)) ++n;
        if (n == 0) revert VerifierCommitteeNothingToDecide(roundId, task, slot);
        if (_decided[roundId][task][slot]) revert VerifierCommitteeAlreadyDecided(roundId, task, slot);
        uint256 until = Windows.escalationRevealEnd(p.revealEnd, p.verifyEnd);
        if (block.timestamp <= until && _escalationOpen(roundId, task, slot, list, n, p)) {
            revert VerifierCommitteeEscalated(roundId, task, slot, until);
        }
        _decide(roundId, task, slot, p, list, n);
    }

    // =========================================================================================
    // Views
    // =========================================================================================

    /// @notice The seal a verifier commits: binds chain, committee, submission, verifier, score,
    /// weights digest and a secret salt, so a seal can be opened only by its author and only to
    /// what it measured.
    function attestationSeal(
        uint256 roundId,
        uint256 task,
        uint256 slot,
        address verifier,
        uint16 scoreBps,
        bytes32 weightsDigest,
        bytes32 salt
    ) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), roundId, task, slot, verifier, scoreBps, weightsDigest, salt));
    }

    /// @notice A verifier's account.
    function verifierAccount(address verifier) external view returns (VerifierAccount memory) {
        return _verifiers[verifier];
    }

    /// @notice A round's fee budget, what was spent of it, the penalties paid, and whether it was swept.
    function roundFees(uint256 roundId) external view returns (RoundFees memory) {
        return _fees[roundId];
    }

    /// @notice Whether `verifier` may attest and challenge in `roundId` now (enrolled before it
    /// opened, still active, staked at least minVerifierStake).
    function isMember(uint256 roundId, address verifier) external view returns (bool) {
        VerifierAccount storage v = _verifiers[verifier];
        return v.active && v.sinceRound <= roundId && v.stake >= minVerifierStake;
    }

    /// @notice Whether the round's randomness drew `verifier` to attest a submission in the
    /// drawn-commit phase (false while the round's seed is not fixed). The draw is `quorum`
    /// consecutive seats of the roster as it was when the round opened, from a seat the seed
    /// picks per submission; every seat when the roster is no larger than the quorum.
    function isDrawn(uint256 roundId, uint256 task, uint256 slot, address verifier) external view returns (bool) {
        bytes32 seed = pool.getRoundState(roundId).seed;
        return seed != 0 && _drawn(seed, roundId, task, slot, verifier, pool.getRound(roundId).quorum);
    }

    /// @notice Whether a submission is disputed and not yet decided, so that (in the escalation
    /// phase) the rest of the committee may attest it and it is decided only after
    /// `escalationRevealEnd`. Meaningful once the drawn reveals are over.
    function isEscalated(uint256 roundId, uint256 task, uint256 slot) external view returns (bool) {
        if (_decided[roundId][task][slot]) return false;
        Attestation[MAX_QUORUM] storage list = _attestations[roundId][task][slot];
        uint256 n;
        while (n < MAX_QUORUM && list[n].verifier != address(0)) ++n;
        return _escalationOpen(roundId, task, slot, list, n, pool.getRound(roundId));
    }

    /// @notice How many roster seats a round draws its verifiers from (everyone enrolled before it opened).
    function committeeSize(uint256 roundId) external view returns (uint256) {
        return _committeeSize[roundId];
    }

    /// @notice Whether a submission's attestations were judged (`decide` or its last reveal).
    function isDecided(uint256 roundId, uint256 task, uint256 slot) external view returns (bool) {
        return _decided[roundId][task][slot];
    }

    /// @notice Every attestation of a submission, in commit order: its verifier, state
    /// (1 committed, 2 revealed), score (once revealed) and seal (weights digest once revealed).
    function getAttestations(uint256 roundId, uint256 task, uint256 slot) external view returns (Attestation[] memory list) {
        Attestation[MAX_QUORUM] storage all = _attestations[roundId][task][slot];
        uint256 n;
        while (n < MAX_QUORUM && all[n].verifier != address(0)) ++n;
        list = new Attestation[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = all[i];
        }
    }

    // =========================================================================================
    // Internals
    // =========================================================================================

    function _checkMember(address who, uint256 roundId) private view returns (VerifierAccount storage v) {
        v = _verifiers[who];
        if (!v.active) revert VerifierCommitteeNotVerifier(who);
        if (v.sinceRound > roundId) revert VerifierCommitteeNotInCommittee(roundId, who, v.sinceRound);
        if (v.stake < minVerifierStake) revert VerifierCommitteeStakeTooLow(who, v.stake, minVerifierStake);
    }

    /// @dev A draw of `quorum` consecutive seats (mod the round's roster) from one the seed picks.
    function _drawn(bytes32 seed, uint256 roundId, uint256 task, uint256 slot, address who, uint256 quorum)
        private
        view
        returns (bool)
    {
        uint256 size = _committeeSize[roundId];
        uint256 seat = _seat[who];
        if (seat == 0 || seat > size) return false;
        if (size <= quorum) return true;
        uint256 first = uint256(keccak256(abi.encode(seed, roundId, task, slot, "drawn"))) % size;
        return (seat - 1 + size - first) % size < quorum;
    }

    /// @dev See _tally.
    struct Tally {
        uint256 revealed;
        uint256 median;
        uint256 low;
        uint256 high;
        bytes32 agreed;
        bool foreign;
    }

    /// @dev Whether members who were not drawn exist to escalate a submission with `n` attestations to.
    function _canEscalate(uint256 roundId, uint256 n, uint256 quorum) private view returns (bool) {
        return _committeeSize[roundId] > quorum && n < MAX_QUORUM;
    }

    /// @dev Whether the drawn reveals of a submission dispute it: fewer than `quorum`, no weights
    /// digest two of them agree on (so nobody proved the work: an echo of the claim cannot be told
    /// from a re-training), a non-zero digest other than the agreed one, or a score off their
    /// median by more than the tolerance; or an agreed digest that does not open the miner's
    /// weights seal (the miner's training contradicts theirs: more re-trainings settle it, so two
    /// drawn colluders cannot frame an honest miner with a made-up digest).
    function _disputed(
        uint256 roundId,
        uint256 task,
        uint256 slot,
        Attestation[MAX_QUORUM] storage list,
        uint256 n,
        uint256 quorum,
        uint256 tolerance
    ) private view returns (bool disputed, uint256 revealed) {
        Tally memory t = _tally(list, n, true);
        revealed = t.revealed;
        // quorum is at least 3 (openRound), so this also covers no reveals at all
        if (revealed < quorum || t.agreed == 0 || t.foreign) return (true, revealed);
        if (!pool.weightsSealOpens(roundId, task, slot, t.agreed)) return (true, revealed);
        disputed = t.median - t.low > tolerance || t.high - t.median > tolerance;
    }

    /// @dev What the revealed attestations of a submission say (only the drawn ones when
    /// `drawnOnly`): how many, the median of their scores (Sampling.median) with the lowest and
    /// highest, the digest at least two of them agree on (Sampling.agreedDigest, 0 if none) and
    /// whether some other non-zero digest was revealed. The one tally behind both the dispute
    /// check and the judgement.
    function _tally(Attestation[MAX_QUORUM] storage list, uint256 n, bool drawnOnly) private view returns (Tally memory t) {
        uint256[] memory scores = new uint256[](n);
        bytes32[] memory digests = new bytes32[](n);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            Attestation storage a = list[i];
            if (a.state != REVEALED || (drawnOnly && a.escalation)) continue;
            digests[k] = a.seal;
            scores[k++] = a.scoreBps;
        }
        t.revealed = k;
        if (k == 0) return t;
        t.agreed = Sampling.agreedDigest(digests, k);
        for (uint256 i; i < k; ++i) {
            if (digests[i] != 0 && digests[i] != t.agreed) t.foreign = true;
        }
        assembly ("memory-safe") {
            mstore(scores, k)
        }
        t.median = Sampling.median(scores); // sorts: scores[0] lowest, scores[k - 1] highest
        t.low = scores[0];
        t.high = scores[k - 1];
    }

    /// @dev A disputed submission whose escalation can bring attestations: some already came, or
    /// the round has members who were not drawn and room is left.
    function _escalationOpen(
        uint256 roundId,
        uint256 task,
        uint256 slot,
        Attestation[MAX_QUORUM] storage list,
        uint256 n,
        IPoNASPool.RoundParams memory p
    ) private view returns (bool) {
        (bool disputed,) = _disputed(roundId, task, slot, list, n, p.quorum, p.toleranceBps);
        if (!disputed) return false;
        if (_canEscalate(roundId, n, p.quorum)) return true;
        for (uint256 i; i < n; ++i) {
            if (list[i].escalation) return true;
        }
        return false;
    }

    /// @dev Judges the `n` attestations of a submission once: the verdict (median of the revealed
    /// scores) when at least `quorum` were revealed, fees for those that proved the work, penalties
    /// for the rest; the winners share the slash if the pool finds fraud.
    function _decide(
        uint256 roundId,
        uint256 task,
        uint256 slot,
        IPoNASPool.RoundParams memory p,
        Attestation[MAX_QUORUM] storage list,
        uint256 n
    ) private {
        if (_decided[roundId][task][slot]) revert VerifierCommitteeAlreadyDecided(roundId, task, slot);
        _decided[roundId][task][slot] = true;

        Tally memory t = _tally(list, n, false);
        bool verdict = t.revealed >= p.quorum; // openRound makes quorum at least 3
        uint256 med = t.median;
        bytes32 agreed = t.agreed;

        RoundFees storage f = _fees[roundId];
        address[] memory winners = new address[](n);
        uint256 nWinners;
        for (uint256 i; i < n; ++i) {
            Attestation storage a = list[i];
            bool won;
            if (a.state == REVEALED && verdict) {
                uint256 s = a.scoreBps;
                bool near = (s > med ? s - med : med - s) <= p.toleranceBps;
                bool digestOk = agreed == 0 || a.seal == agreed || a.seal == 0;
                won = near && digestOk;
                if (won) {
                    winners[nWinners++] = a.verifier;
                    // the fee pays for proven work only: a digest two reference re-trainings agree
                    // on. A score-only attestation, or a digest nobody matched, could be an echo of
                    // the public claim (or a made-up digest), so it is never paid a fee
                    if (agreed != 0 && a.seal == agreed) _payFee(roundId, task, slot, p.verifierFee, f, a.verifier);
                }
            }
            // a revealed attestation without a verdict (too few reveals) neither wins nor loses
            if (!won && (a.state != REVEALED || verdict)) _penalise(roundId, task, slot, f, a.verifier);
        }
        if (!verdict) {
            emit Undecided(roundId, task, slot, t.revealed, p.quorum);
            return;
        }

        uint256 toVerifiers = pool.onVerdict(roundId, task, slot, med, nWinners, agreed);
        if (toVerifiers == 0) return;
        uint256 each = toVerifiers / nWinners;
        for (uint256 i; i < nWinners; ++i) {
            _verifiers[winners[i]].fees += uint96(each);
            emit SlashShareCredited(roundId, task, slot, winners[i], each);
        }
    }

    function _payFee(uint256 roundId, uint256 task, uint256 slot, uint256 rate, RoundFees storage f, address verifier)
        private
    {
        if (_beaconNoShow[roundId][verifier]) return; // withheld its beacon secret this round
        uint256 left = uint256(f.budget) - f.spent;
        uint256 fee = rate < left ? rate : left;
        if (fee == 0) return;
        f.spent += uint128(fee);
        _verifiers[verifier].fees += uint96(fee);
        emit FeePaid(roundId, task, slot, verifier, fee);
    }

    /// @dev Taken from unwithdrawn fees first, then from stake, so withdrawing fees early does not
    /// escape it; capped at what the verifier has here.
    function _penalise(uint256 roundId, uint256 task, uint256 slot, RoundFees storage f, address verifier) private {
        uint256 amount = penalty;
        if (amount == 0) return;
        VerifierAccount storage v = _verifiers[verifier];
        uint256 fromFees = amount < v.fees ? amount : v.fees;
        uint256 fromStake = amount - fromFees;
        if (fromStake > v.stake) fromStake = v.stake;
        v.fees -= uint96(fromFees);
        v.stake -= uint96(fromStake);
        uint256 taken = fromFees + fromStake;
        f.penalties += uint128(taken);
        emit Penalised(roundId, task, slot, verifier, taken);
    }
}
