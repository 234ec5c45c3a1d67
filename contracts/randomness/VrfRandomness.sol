// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRandomnessSource} from "./IRandomnessSource.sol";
import {IVrfCoordinatorV25} from "./IVrfCoordinatorV25.sol";

/// @title VrfRandomness
/// @notice The pool's randomness from Chainlink VRF v2.5: one request per (consumer, key) — the
/// pool asks once per round, after its reveal window — answered by the coordinator with a
/// verified random word. Follows Chainlink's security rules (docs.chain.link/vrf/v2-5/security):
/// the request id is matched, a key is never re-requested or cancelled to re-roll, nothing the
/// consumer or a user sends after the request changes the value, and the callback is O(1) and
/// never reverts (an unknown or repeated request id is ignored), so the coordinator's
/// fulfilment cannot fail after the proof is posted.
/// @dev Funding: the subscription `subId` (owned by the deployer in the VRF app) pays; add this
/// contract as its consumer. `requestConfirmations` ≥ 3 on mainnet (Chainlink's minimum).
contract VrfRandomness is IRandomnessSource {
    error VrfRandomnessOnlyCoordinator(address caller, address coordinator);
    error VrfRandomnessAlreadyRequested(address consumer, uint256 key);
    error VrfRandomnessNotRequested(address consumer, uint256 key);

    bytes4 private constant EXTRA_ARGS_V1_TAG = bytes4(keccak256("VRF ExtraArgsV1"));

    struct Request {
        uint256 requestId; // 0: not requested
        bytes32 value; // 0 until fulfilled
    }

    struct Origin {
        address consumer;
        uint256 key;
    }

    IVrfCoordinatorV25 public immutable coordinator;
    bytes32 public immutable keyHash;
    uint256 public immutable subId;
    uint16 public immutable requestConfirmations;
    uint32 public immutable callbackGasLimit;
    bool public immutable nativePayment;

    mapping(address consumer => mapping(uint256 key => Request)) private _requests;
    mapping(uint256 requestId => Origin) private _origins;

    constructor(
        IVrfCoordinatorV25 coordinator_,
        bytes32 keyHash_,
        uint256 subId_,
        uint16 requestConfirmations_,
        uint32 callbackGasLimit_,
        bool nativePayment_
    ) {
        coordinator = coordinator_;
        keyHash = keyHash_;
        subId = subId_;
        requestConfirmations = requestConfirmations_;
        callbackGasLimit = callbackGasLimit_;
        nativePayment = nativePayment_;
    }

    /// @inheritdoc IRandomnessSource
    function request(uint256 key) external {
        Request storage r = _requests[msg.sender][key];
        if (r.requestId != 0) revert VrfRandomnessAlreadyRequested(msg.sender, key);
        uint256 id = coordinator.requestRandomWords(
            IVrfCoordinatorV25.RandomWordsRequest({
                keyHash: keyHash,
                subId: subId,
                requestConfirmations: requestConfirmations,
                callbackGasLimit: callbackGasLimit,
                numWords: 1,
                extraArgs: abi.encodeWithSelector(EXTRA_ARGS_V1_TAG, IVrfCoordinatorV25.ExtraArgsV1({nativePayment: nativePayment}))
            })
        );
        r.requestId = id;
        _origins[id] = Origin(msg.sender, key);
        emit RandomnessRequested(msg.sender, key, id);
    }

    /// @notice The coordinator's answer. O(1); ignores a request id it does not know or already
    /// answered, so it never reverts for the coordinator.
    function rawFulfillRandomWords(uint256 requestId, uint256[] calldata randomWords) external {
        if (msg.sender != address(coordinator)) revert VrfRandomnessOnlyCoordinator(msg.sender, address(coordinator));
        Origin storage o = _origins[requestId];
        address consumer = o.consumer;
        if (consumer == address(0) || randomWords.length == 0) return;
        Request storage r = _requests[consumer][o.key];
        if (r.value != bytes32(0) || r.requestId != requestId) return;
        bytes32 value = keccak256(abi.encode(randomWords[0], consumer, o.key));
        if (value == bytes32(0)) value = bytes32(uint256(1)); // 0 means pending
        r.value = value;
        emit RandomnessFulfilled(consumer, o.key, value);
    }

    /// @inheritdoc IRandomnessSource
    /// @dev VRF values arrive by callback: this only reads.
    function fulfill(address consumer, uint256 key) external view returns (bytes32) {
        Request storage r = _requests[consumer][key];
        if (r.requestId == 0) revert VrfRandomnessNotRequested(consumer, key);
        return r.value;
    }

    /// @inheritdoc IRandomnessSource
    function randomnessOf(address consumer, uint256 key) external view returns (bytes32) {
        return _requests[consumer][key].value;
    }

    /// @inheritdoc IRandomnessSource
    function requested(address consumer, uint256 key) external view returns (bool) {
        return _requests[consumer][key].requestId != 0;
    }

    /// @notice The coordinator's request id for (consumer, key); 0 when not requested.
    function requestIdOf(address consumer, uint256 key) external view returns (uint256) {
        return _requests[consumer][key].requestId;
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
        return "chainlink-vrf-v2.5";
    }
}
