// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IVerifierCommittee} from "./interfaces/IVerifierCommittee.sol";
import {IPoNASPool} from "./interfaces/IPoNASPool.sol";
import {Sampling} from "./libraries/Sampling.sol";

/// @dev Attestations a submission can collect; the pool's quorum is at most this.
uint256 constant MAX_QUORUM = 9;

/// @title VerifierCommittee
/// @notice The verifier committee of one PoNAS pool: enrolment and stakes of verifiers, their
/// attestations of re-trained scores, the verdict at quorum (the median), the fees each round
/// pays per attestation, and the slash shares of verifiers who caught a false claim. The pool
/// keeps rounds, miners and payouts and applies each verdict (`IPoNASPool.onVerdict`), as Lido's
/// HashConsensus decides reports that a separate contract processes.
/// @dev Created by the pool in its constructor, so `pool` is fixed and trusted both ways. A
/// round's committee is the verifiers enrolled before it opened (`sinceRound`).
contract VerifierCommittee is IVerifierCommittee, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 public constant BPS = 10_000;

    /// @notice The pool whose submissions this committee verifies (its creator).
    IPoNASPool public immutable pool;
    /// @notice The token of stakes and fees (the pool's).
    IERC20 public immutable token;
    /// @notice Stake a verifier must hold to attest or challenge.
    uint96 public minVerifierStake;

    mapping(address verifier => VerifierAccount) private _verifiers;
    mapping(uint256 roundId => RoundFees) private _fees;
    /// @dev each attestation packs verifier (bits 96..255), fee credited (16..95), score (0..15);
    /// never 0, so the count is the first empty entry (no counter slot of its own to pay for).
    mapping(uint256 roundId => mapping(uint256 task => mapping(uint256 slot => uint256[MAX_QUORUM]))) private
        _attestations;

    /// @param token_ the pool's token.
    /// @param admin receives DEFAULT_ADMIN_ROLE (enrols and removes verifiers).
    /// @param minVerifierStake_ stake a verifier must hold to attest or challenge.
    constructor(IERC20 token_, address admin, uint96 minVerifierStake_) {
        if (admin == address(0)) revert VerifierCommitteeZeroAddress();
        pool = IPoNASPool(msg.sender);
        token = token_;
        minVerifierStake = minVerifierStake_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit MinVerifierStakeSet(minVerifierStake_);
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
        v.active = active;
        emit VerifierSet(verifier, active, v.sinceRound);
    }

    // =========================================================================================
    // Pool
    // =========================================================================================

    /// @notice Records a round's fee budget, which the pool has just transferred here from the manager.
    function fundRound(uint256 roundId, uint256 amount) external onlyPool {
        _fees[roundId].budget = uint128(amount);
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

    /// @notice Sends a round's unspent fee budget (clawed-back fees included) to the pool's
    /// treasury once its verify window is over, when nothing can spend it any more. Anyone may call.
    function sweepFees(uint256 roundId) external nonReentrant returns (uint256 amount) {
        uint256 verifyEnd = pool.getRound(roundId).verifyEnd;
        if (block.timestamp <= verifyEnd) revert VerifierCommitteeVerifyWindowOpen(roundId, verifyEnd);
        RoundFees storage f = _fees[roundId];
        amount = f.swept ? 0 : f.budget - f.spent;
        if (amount == 0) revert VerifierCommitteeNothingToSweep(roundId);
        f.swept = true;
        address to = pool.treasury();
        emit FeesSwept(roundId, to, amount);
        token.safeTransfer(to, amount);
    }

    // =========================================================================================
    // Verifiers: challenge and attest
    // =========================================================================================

    /// @notice Forces a revealed submission into the verification sample. Open to the round's
    /// committee from the submission's reveal until the verify window ends.
    function challenge(uint256 roundId, uint256 task, uint256 slot) external {
        _checkMember(msg.sender, roundId);
        pool.onChallenge(roundId, task, slot, msg.sender);
    }

    /// @notice Attests the score a verifier measured by re-training a sampled submission under
    /// the round's recipe. Pays `verifierFee` from the round's fee budget while it lasts. The
    /// attestation that reaches quorum fixes the median as the verified score (the pool slashes
    /// a claim above it by more than the tolerance) and claws back the fee of attestations off
    /// the median by more than the tolerance.
    /// @dev The pool checks the window and that the submission is revealed, sampled and not yet
    /// verified (`beginVerification`, which also fixes the round's sample).
    function attest(uint256 roundId, uint256 task, uint256 slot, uint16 scoreBps) external {
        VerifierAccount storage v = _checkMember(msg.sender, roundId);
        if (scoreBps > BPS) revert VerifierCommitteeScoreOutOfRange(scoreBps);
        (uint256 quorum, uint256 toleranceBps, uint256 feeRate) = pool.beginVerification(roundId, task, slot);

        uint256[MAX_QUORUM] storage list = _attestations[roundId][task][slot];
        uint256 n;
        // At most quorum - 1 <= 8 entries are filled here (the pool refuses a verified submission).
        for (uint256 a = list[0]; a != 0; a = list[++n]) {
            if (address(uint160(a >> 96)) == msg.sender) revert VerifierCommitteeAlreadyAttested(roundId, task, slot, msg.sender);
        }
        RoundFees storage f = _fees[roundId];
        uint256 fee = feeRate;
        if (uint256(f.spent) + fee > f.budget) fee = f.budget - f.spent;
        list[n] = (uint256(uint160(msg.sender)) << 96) | (fee << 16) | scoreBps;
        if (fee != 0) {
            f.spent += uint128(fee);
            v.fees += uint96(fee);
        }
        emit Attested(roundId, task, slot, msg.sender, scoreBps, fee);

        if (n + 1 == quorum) _decide(roundId, task, slot, quorum, toleranceBps, f, list);
    }

    // =========================================================================================
    // Views
    // =========================================================================================

    /// @notice A verifier's account.
    function verifierAccount(address verifier) external view returns (VerifierAccount memory) {
        return _verifiers[verifier];
    }

    /// @notice A round's fee budget, what was spent of it, and whether the rest was swept.
    function roundFees(uint256 roundId) external view returns (RoundFees memory) {
        return _fees[roundId];
    }

    /// @notice Whether `verifier` may attest and challenge in `roundId` now (enrolled before it
    /// opened, still active, staked at least minVerifierStake).
    function isMember(uint256 roundId, address verifier) external view returns (bool) {
        VerifierAccount storage v = _verifiers[verifier];
        return v.active && v.sinceRound <= roundId && v.stake >= minVerifierStake;
    }

    /// @notice Every attestation of a submission so far, in arrival order: verifiers, scores and fees credited.
    function getAttestations(uint256 roundId, uint256 task, uint256 slot)
        external
        view
        returns (address[] memory verifiers, uint256[] memory scores, uint256[] memory fees)
    {
        uint256[MAX_QUORUM] storage list = _attestations[roundId][task][slot];
        uint256 n;
        while (n < MAX_QUORUM && list[n] != 0) ++n;
        verifiers = new address[](n);
        scores = new uint256[](n);
        fees = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 a = list[i];
            verifiers[i] = address(uint160(a >> 96));
            scores[i] = uint16(a);
            fees[i] = (a >> 16) & type(uint80).max;
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

    /// @dev The verdict at quorum: the median of the attested scores. Attestations off it by more
    /// than the tolerance lose their fee; the others share the slash if the pool finds fraud.
    function _decide(
        uint256 roundId,
        uint256 task,
        uint256 slot,
        uint256 q,
        uint256 tol,
        RoundFees storage f,
        uint256[MAX_QUORUM] storage list
    ) private {
        uint256[] memory scores = new uint256[](q);
        for (uint256 i; i < q; ++i) {
            scores[i] = uint16(list[i]);
        }
        uint256 med = Sampling.median(scores);

        address[] memory winners = new address[](q);
        uint256 nWinners;
        for (uint256 i; i < q; ++i) {
            uint256 a = list[i];
            address verifier = address(uint160(a >> 96));
            uint256 score = uint16(a);
            if ((score > med ? score - med : med - score) > tol) {
                _clawBackFee(roundId, task, slot, (a >> 16) & type(uint80).max, f, verifier);
            } else {
                winners[nWinners++] = verifier;
            }
        }

        uint256 toVerifiers = pool.onVerdict(roundId, task, slot, med, nWinners);
        if (toVerifiers == 0) return;
        uint256 each = toVerifiers / nWinners;
        for (uint256 i; i < nWinners; ++i) {
            _verifiers[winners[i]].fees += uint96(each);
            emit SlashShareCredited(roundId, task, slot, winners[i], each);
        }
    }

    function _clawBackFee(
        uint256 roundId,
        uint256 task,
        uint256 slot,
        uint256 fee,
        RoundFees storage f,
        address verifier
    ) private {
        if (fee == 0) return;
        // Taken from unwithdrawn fees first, then from stake, so withdrawing a fee early does
        // not escape the clawback.
        VerifierAccount storage v = _verifiers[verifier];
        uint256 fromFees = fee < v.fees ? fee : v.fees;
        uint256 fromStake = fee - fromFees;
        if (fromStake > v.stake) fromStake = v.stake;
        v.fees -= uint96(fromFees);
        v.stake -= uint96(fromStake);
        uint256 back = fromFees + fromStake;
        f.spent -= uint128(back);
        emit FeeClawedBack(roundId, task, slot, verifier, back);
    }
}
