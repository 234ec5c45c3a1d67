// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRandomnessSource} from "./IRandomnessSource.sol";

/// @title FutureBlockRandomness
/// @notice A value from the hash of a block that does not exist yet when it is requested: the
/// request fixes the target block `block.number + delay`, and the value is
/// `keccak256(blockhash(target), consumer, key)` once the target is mined.
/// @dev Why this is safe where the pool's old seed was not: the old seed hashed prevrandao and
/// the parent hash of the block that fixed it, both known one block ahead, so whoever chose when
/// to send picked a block whose seed spared its false claims. Here the sender of `request`
/// fixes only the *number* of the target; its hash depends on a block still to be built. What
/// remains: whoever builds the target block chooses its hash (it can vary the block's contents,
/// order and extra data and keep trying; not the one bit prevrandao leaves, EIP-4399), so an
/// attacker who builds or buys that block chooses the value — the committee's commit-reveal
/// beacon mixed in is meant to take that away (docs/verification-redesign.md). On chains where
/// one sequencer builds every block (Arbitrum, OP Stack) that party is always the same, so
/// deployment refuses this source there (scripts/deploy.ts).
/// Fallback: `blockhash` is only available for the last 256 blocks. A request whose target
/// aged out before anyone fulfilled it is re-targeted to `block.number + delay` by the next
/// `fulfill` (event `RandomnessRetargeted`): never a value anyone could read beforehand. The
/// party that can exploit the fallback is one that saw the target's hash, disliked it and made
/// sure nobody fulfilled for 256 blocks; anyone may fulfill, and verifier nodes do at once.
contract FutureBlockRandomness is IRandomnessSource {
    /// @notice Emitted when a request's target aged out of `blockhash` and was moved.
    event RandomnessRetargeted(address indexed consumer, uint256 indexed key, uint256 target);

    error FutureBlockRandomnessAlreadyRequested(address consumer, uint256 key);
    error FutureBlockRandomnessNotRequested(address consumer, uint256 key);
    error FutureBlockRandomnessZeroDelay();

    struct Request {
        uint64 target; // block whose hash decides; 0: not requested
        bytes32 value; // 0 until fulfilled
    }

    /// @notice Blocks between a request and its target (≥ 1).
    uint256 public immutable delay;

    mapping(address consumer => mapping(uint256 key => Request)) private _requests;

    constructor(uint256 delay_) {
        if (delay_ == 0) revert FutureBlockRandomnessZeroDelay();
        delay = delay_;
    }

    /// @inheritdoc IRandomnessSource
    function request(uint256 key) external {
        Request storage r = _requests[msg.sender][key];
        if (r.target != 0) revert FutureBlockRandomnessAlreadyRequested(msg.sender, key);
        uint256 target = block.number + delay;
        r.target = uint64(target);
        emit RandomnessRequested(msg.sender, key, target);
    }

    /// @inheritdoc IRandomnessSource
    function fulfill(address consumer, uint256 key) external returns (bytes32 value) {
        Request storage r = _requests[consumer][key];
        value = r.value;
        if (value != bytes32(0)) return value;
        uint256 target = r.target;
        if (target == 0) revert FutureBlockRandomnessNotRequested(consumer, key);
        if (block.number <= target) return bytes32(0); // the target is not mined yet
        bytes32 h = blockhash(target);
        if (h == bytes32(0)) {
            // older than 256 blocks: aim at a block that does not exist yet, again
            uint256 next = block.number + delay;
            r.target = uint64(next);
            emit RandomnessRetargeted(consumer, key, next);
            return bytes32(0);
        }
        value = keccak256(abi.encode(h, consumer, key));
        if (value == bytes32(0)) value = bytes32(uint256(1)); // 0 means pending
        r.value = value;
        emit RandomnessFulfilled(consumer, key, value);
    }

    /// @inheritdoc IRandomnessSource
    function randomnessOf(address consumer, uint256 key) external view returns (bytes32) {
        return _requests[consumer][key].value;
    }

    /// @inheritdoc IRandomnessSource
    function requested(address consumer, uint256 key) external view returns (bool) {
        return _requests[consumer][key].target != 0;
    }

    /// @notice The block whose hash will decide (consumer, key)'s value; 0 when not requested.
    function targetOf(address consumer, uint256 key) external view returns (uint256) {
        return _requests[consumer][key].target;
    }

    /// @inheritdoc IRandomnessSource
    /// @dev Nobody chooses among candidates here: false.
    function withheld(address, uint256) external pure returns (bool) {
        return false;
    }

    /// @inheritdoc IRandomnessSource
    function delayBound() external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IRandomnessSource
    function kind() external pure returns (string memory) {
        return "future-blockhash";
    }
}
