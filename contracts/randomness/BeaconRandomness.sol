// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRandomnessSource} from "./IRandomnessSource.sol";

/// @notice What the beacon needs of its consumer (the pool): the committee whose members may
/// commit for a round, and that penalises a member that committed and never revealed.
interface IBeaconConsumer {
    function committee() external view returns (IBeaconCommittee);
}

interface IBeaconCommittee {
    function isMember(uint256 roundId, address verifier) external view returns (bool);
    function penaliseBeaconNoShow(address consumer, uint256 roundId, address verifier) external;
}

/// @title BeaconRandomness
/// @notice The round's value from an inner source (FutureBlockRandomness, or VRF) mixed with a
/// commit-reveal beacon of the round's committee (issue 10, property 1, second half):
///
///   1. until the consumer requests the key (the pool does after revealEnd), each member of the
///      round's committee may commit `commitmentOf(consumer, key, member, secret)`;
///   2. the request fixes the inner source's target; once the inner value is fixed, committers
///      reveal their secrets for `revealWindow` seconds;
///   3. the value is `keccak256(inner, xor of the revealed secrets, consumer, key)`, fixed by the
///      first `fulfill` after every committer revealed or the window closed;
///   4. a committer that never revealed loses the committee's `penalty` (`penaliseNoShow`).
///
/// @dev Why this takes away what the inner source leaves: whoever builds the inner target block
/// chooses its hash, but the secrets are sealed until that block exists, so the builder cannot
/// know which hash spares a claim. What it leaves: the last revealer sees the inner value and the
/// other secrets and may withhold its own, choosing between two values at the price of the
/// penalty (k colluding members: 2^k values). That is the bound to size the penalty against
/// (docs/verification-redesign.md). With no commits at all, the value is the inner value's hash:
/// never worse than the inner source alone.
contract BeaconRandomness is IRandomnessSource {
    event BeaconCommitted(address indexed consumer, uint256 indexed key, address indexed member, bytes32 commitment);
    event BeaconRevealed(address indexed consumer, uint256 indexed key, address indexed member, bytes32 secret);
    event BeaconInnerFixed(address indexed consumer, uint256 indexed key, bytes32 inner, uint256 revealsUntil);
    event BeaconNoShowPenalised(address indexed consumer, uint256 indexed key, address indexed member);

    error BeaconRandomnessZeroWindow();
    error BeaconRandomnessAlreadyRequested(address consumer, uint256 key);
    error BeaconRandomnessNotRequested(address consumer, uint256 key);
    error BeaconRandomnessCommitsClosed(address consumer, uint256 key);
    error BeaconRandomnessNotMember(address consumer, uint256 key, address member);
    error BeaconRandomnessAlreadyCommitted(address consumer, uint256 key, address member);
    error BeaconRandomnessInvalidCommitment(bytes32 commitment);
    error BeaconRandomnessNotCommitted(address consumer, uint256 key, address member);
    error BeaconRandomnessInnerPending(address consumer, uint256 key);
    error BeaconRandomnessRevealsClosed(address consumer, uint256 key, uint256 until);
    error BeaconRandomnessWrongSecret(address consumer, uint256 key, address member);
    error BeaconRandomnessNotFixed(address consumer, uint256 key);

    struct Beacon {
        bool requested;
        uint32 committed;
        uint32 revealed;
        uint64 revealsUntil; // 0 until the inner value is fixed
        bytes32 inner;
        bytes32 mix; // xor of the revealed secrets
        bytes32 value; // 0 until fixed
    }

    /// @dev A member's entry: 0 none, else its commitment, then REVEALED or PENALISED.
    bytes32 private constant REVEALED = bytes32(uint256(1));
    bytes32 private constant PENALISED = bytes32(uint256(2));

    /// @notice The source whose value the beacon mixes (its consumer is this contract).
    IRandomnessSource public immutable inner;
    /// @notice Seconds committers have to reveal once the inner value is fixed.
    uint256 public immutable revealWindow;

    mapping(address consumer => mapping(uint256 key => Beacon)) private _beacons;
    mapping(address consumer => mapping(uint256 key => mapping(address member => bytes32))) private _entries;

    constructor(IRandomnessSource inner_, uint256 revealWindow_) {
        if (revealWindow_ == 0) revert BeaconRandomnessZeroWindow();
        inner = inner_;
        revealWindow = revealWindow_;
    }

    // =========================================================================================
    // The committee's beacon
    // =========================================================================================

    /// @notice Commits the caller's secret for (`consumer`, `key`): open to the consumer's
    /// committee members of round `key` until the consumer requests the value.
    function commit(address consumer, uint256 key, bytes32 commitment) external {
        Beacon storage b = _beacons[consumer][key];
        if (b.requested) revert BeaconRandomnessCommitsClosed(consumer, key);
        if (!IBeaconConsumer(consumer).committee().isMember(key, msg.sender)) revert BeaconRandomnessNotMember(consumer, key, msg.sender);
        mapping(address => bytes32) storage entries = _entries[consumer][key];
        if (entries[msg.sender] != 0) revert BeaconRandomnessAlreadyCommitted(consumer, key, msg.sender);
        if (uint256(commitment) <= uint256(PENALISED)) revert BeaconRandomnessInvalidCommitment(commitment);
        entries[msg.sender] = commitment;
        b.committed += 1;
        emit BeaconCommitted(consumer, key, msg.sender, commitment);
    }

    /// @notice Opens the caller's commitment, once the inner value is fixed and until
    /// `revealWindow` seconds after.
    function reveal(address consumer, uint256 key, bytes32 secret) external {
        Beacon storage b = _beacons[consumer][key];
        bytes32 c = _entries[consumer][key][msg.sender];
        if (uint256(c) <= uint256(PENALISED)) revert BeaconRandomnessNotCommitted(consumer, key, msg.sender);
        if (_innerValue(consumer, key, b) == 0) revert BeaconRandomnessInnerPending(consumer, key);
        if (b.value != 0 || block.timestamp > b.revealsUntil) revert BeaconRandomnessRevealsClosed(consumer, key, b.revealsUntil);
        if (commitmentOf(consumer, key, msg.sender, secret) != c) revert BeaconRandomnessWrongSecret(consumer, key, msg.sender);
        _entries[consumer][key][msg.sender] = REVEALED;
        b.mix ^= secret;
        b.revealed += 1;
        emit BeaconRevealed(consumer, key, msg.sender, secret);
    }

    /// @notice Takes the committee's penalty from a member that committed for (`consumer`, `key`)
    /// and never revealed, once the value is fixed. Anyone may call; once per member.
    function penaliseNoShow(address consumer, uint256 key, address member) external {
        if (_beacons[consumer][key].value == 0) revert BeaconRandomnessNotFixed(consumer, key);
        bytes32 c = _entries[consumer][key][member];
        if (uint256(c) <= uint256(PENALISED)) revert BeaconRandomnessNotCommitted(consumer, key, member);
        _entries[consumer][key][member] = PENALISED;
        emit BeaconNoShowPenalised(consumer, key, member);
        IBeaconConsumer(consumer).committee().penaliseBeaconNoShow(consumer, key, member);
    }

    /// @notice The commitment of `secret` by `member` for (`consumer`, `key`) on this source.
    function commitmentOf(address consumer, uint256 key, address member, bytes32 secret) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), consumer, key, member, secret));
    }

    /// @notice `member`'s entry for (`consumer`, `key`): 0 if it never committed, its commitment
    /// until it reveals, then 1 (revealed) or 2 (penalised as a no-show). A node restarting reads
    /// it to know whether its commitment went in and whether its reveal did.
    function entryOf(address consumer, uint256 key, address member) external view returns (bytes32) {
        return _entries[consumer][key][member];
    }

    /// @notice The beacon of (`consumer`, `key`): commits, reveals, when reveals close (0 until
    /// the inner value is fixed), the inner value and the value (0 while pending).
    function beaconOf(address consumer, uint256 key) external view returns (Beacon memory) {
        return _beacons[consumer][key];
    }

    // =========================================================================================
    // IRandomnessSource
    // =========================================================================================

    /// @inheritdoc IRandomnessSource
    /// @dev Closes the commits and asks the inner source.
    function request(uint256 key) external {
        Beacon storage b = _beacons[msg.sender][key];
        if (b.requested) revert BeaconRandomnessAlreadyRequested(msg.sender, key);
        b.requested = true;
        uint256 innerKey = _innerKey(msg.sender, key);
        inner.request(innerKey);
        emit RandomnessRequested(msg.sender, key, innerKey);
    }

    /// @inheritdoc IRandomnessSource
    function fulfill(address consumer, uint256 key) external returns (bytes32 value) {
        Beacon storage b = _beacons[consumer][key];
        value = b.value;
        if (value != 0) return value;
        if (!b.requested) revert BeaconRandomnessNotRequested(consumer, key);
        bytes32 x = _innerValue(consumer, key, b);
        if (x == 0) return 0;
        if (b.revealed < b.committed && block.timestamp <= b.revealsUntil) return 0; // reveals still open
        value = keccak256(abi.encode(x, b.mix, consumer, key));
        if (value == 0) value = bytes32(uint256(1)); // 0 means pending
        b.value = value;
        emit RandomnessFulfilled(consumer, key, value);
    }

    /// @inheritdoc IRandomnessSource
    function randomnessOf(address consumer, uint256 key) external view returns (bytes32) {
        return _beacons[consumer][key].value;
    }

    /// @inheritdoc IRandomnessSource
    function requested(address consumer, uint256 key) external view returns (bool) {
        return _beacons[consumer][key].requested;
    }

    /// @inheritdoc IRandomnessSource
    /// @dev True once the value is fixed with fewer reveals than commits: the last member to hold
    /// its secret back saw the inner value and the other secrets, so it chose between two values.
    function withheld(address consumer, uint256 key) external view returns (bool) {
        Beacon storage b = _beacons[consumer][key];
        return b.value != 0 && b.revealed < b.committed;
    }

    /// @inheritdoc IRandomnessSource
    /// @dev The reveal window, plus what the inner source holds it back.
    function delayBound() external view returns (uint256) {
        return revealWindow + inner.delayBound();
    }

    /// @inheritdoc IRandomnessSource
    function kind() external pure returns (string memory) {
        return "committee-beacon";
    }

    /// @dev Fixes the inner value when the inner source can deliver it, which opens the reveals.
    function _innerValue(address consumer, uint256 key, Beacon storage b) private returns (bytes32 x) {
        x = b.inner;
        if (x != 0 || !b.requested) return x;
        x = inner.fulfill(address(this), _innerKey(consumer, key));
        if (x == 0) return 0;
        b.inner = x;
        uint256 until = block.timestamp + revealWindow;
        b.revealsUntil = uint64(until);
        emit BeaconInnerFixed(consumer, key, x, until);
    }

    /// @dev One inner key per (consumer, key): this contract is the inner source's only consumer.
    function _innerKey(address consumer, uint256 key) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(consumer, key)));
    }
}
