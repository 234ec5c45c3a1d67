// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IVrfCoordinatorV25
/// @notice The part of Chainlink's VRF v2.5 coordinator (VRFCoordinatorV2_5 / IVRFCoordinatorV2Plus)
/// the pool's VRF source calls, written here because the Chainlink contracts package cannot be installed
/// offline. Layout and encoding follow Chainlink's VRFV2PlusClient: `extraArgs` is
/// `abi.encodeWithSelector(bytes4(keccak256("VRF ExtraArgsV1")), ExtraArgsV1({nativePayment}))`.
/// The coordinator answers by calling `rawFulfillRandomWords(requestId, randomWords)` on the
/// requester.
interface IVrfCoordinatorV25 {
    struct RandomWordsRequest {
        bytes32 keyHash;
        uint256 subId;
        uint16 requestConfirmations;
        uint32 callbackGasLimit;
        uint32 numWords;
        bytes extraArgs;
    }

    struct ExtraArgsV1 {
        bool nativePayment;
    }

    function requestRandomWords(RandomWordsRequest calldata req) external returns (uint256 requestId);
}
