// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRandomnessSource} from "../randomness/IRandomnessSource.sol";

/// @notice Test double: a source that never delivers and refuses every request (a VRF adapter
/// whose coordinator reverts: subscription unfunded, consumer not added). Shows that such a source
/// cannot lock a round's stakes and pot (PoNASPool.SEED_GRACE).
contract BrokenRandomness is IRandomnessSource {
    error BrokenRandomnessDown();

    function request(uint256) external pure {
        revert BrokenRandomnessDown();
    }

    function fulfill(address, uint256) external pure returns (bytes32) {
        revert BrokenRandomnessDown();
    }

    function randomnessOf(address, uint256) external pure returns (bytes32) {
        return 0;
    }

    function requested(address, uint256) external pure returns (bool) {
        return false;
    }

    function withheld(address, uint256) external pure returns (bool) {
        return false;
    }

    function delayBound() external pure returns (uint256) {
        return 0;
    }

    function kind() external pure returns (string memory) {
        return "broken";
    }
}
