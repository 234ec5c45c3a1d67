// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IVrfCoordinatorV25} from "../randomness/IVrfCoordinatorV25.sol";

/// @title MockVrfCoordinator
/// @notice Test stand-in for Chainlink's VRFCoordinatorV2_5 (whose own mock cannot be installed
/// offline): records requests and lets a test answer them, calling back the requester the way
/// the coordinator does — with the request's callback gas limit, and recording whether the
/// callback succeeded instead of reverting (the real coordinator keeps the fulfilment either way).
contract MockVrfCoordinator is IVrfCoordinatorV25 {
    event RandomWordsRequested(uint256 indexed requestId, address indexed requester, RandomWordsRequest req);
    event RandomWordsFulfilled(uint256 indexed requestId, bool success, uint256 gasUsed);

    struct Pending {
        address requester;
        uint32 callbackGasLimit;
    }

    uint256 public lastRequestId;
    mapping(uint256 => Pending) public pending;
    mapping(uint256 => RandomWordsRequest) private _requests;

    function requestRandomWords(RandomWordsRequest calldata req) external returns (uint256 requestId) {
        requestId = ++lastRequestId;
        pending[requestId] = Pending(msg.sender, req.callbackGasLimit);
        _requests[requestId] = req;
        emit RandomWordsRequested(requestId, msg.sender, req);
    }

    function requestOf(uint256 requestId) external view returns (RandomWordsRequest memory) {
        return _requests[requestId];
    }

    /// @notice Answers `requestId` with `words`, as the coordinator would after verifying a proof.
    function fulfill(uint256 requestId, uint256[] calldata words) external returns (bool success) {
        Pending memory p = pending[requestId];
        require(p.requester != address(0), "unknown request");
        uint256 before = gasleft();
        (success,) = p.requester.call{gas: p.callbackGasLimit}(
            abi.encodeWithSignature("rawFulfillRandomWords(uint256,uint256[])", requestId, words)
        );
        emit RandomWordsFulfilled(requestId, success, before - gasleft());
    }

    /// @notice Calls back `requester` for a request id it never made (a coordinator bug or replay).
    function fulfillUnknown(address requester, uint256 requestId, uint256[] calldata words) external returns (bool success) {
        (success,) = requester.call(abi.encodeWithSignature("rawFulfillRandomWords(uint256,uint256[])", requestId, words));
    }
}
