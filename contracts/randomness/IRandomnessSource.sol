// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRandomnessSource
/// @notice One unpredictable 256-bit value per (consumer, key), for the pool's verification
/// sample: requested only once every claim it decides about is fixed (after a round's reveal
/// window), delivered later by a party who cannot choose it, and never re-rolled. The pool sees
/// sources only through this interface, so a deployment picks the source its chain can trust:
/// `FutureBlockRandomness` (a block hash committed to in advance) on L1 and dev chains,
/// `VrfRandomness` (Chainlink VRF v2.5) where VRF is served. Values are keyed by the consumer
/// (msg.sender of `request`), so one source serves many pools and nobody requests or reads on
/// another consumer's behalf.
interface IRandomnessSource {
    /// @notice Emitted when `consumer` requests the value for `key`.
    /// @param ref what the value will come from (the target block number, or the VRF request id).
    event RandomnessRequested(address indexed consumer, uint256 indexed key, uint256 ref);
    /// @notice Emitted once, when the value for (`consumer`, `key`) is fixed.
    event RandomnessFulfilled(address indexed consumer, uint256 indexed key, bytes32 value);

    /// @notice The caller asks for its value for `key`. Once per key; the value cannot be known
    /// by anyone, the caller included, at the time of this call.
    function request(uint256 key) external;

    /// @notice Fixes and returns the value when it can be fixed now (anyone may call); returns 0
    /// while it is still pending. Never reverts for a requested key.
    function fulfill(address consumer, uint256 key) external returns (bytes32 value);

    /// @notice The fixed value, or 0 while pending or never requested.
    function randomnessOf(address consumer, uint256 key) external view returns (bytes32);

    /// @notice Whether `consumer` requested `key`.
    function requested(address consumer, uint256 key) external view returns (bool);

    /// @notice Whether the fixed value for (`consumer`, `key`) is one somebody could have chosen
    /// among candidates it knew: true for a beacon whose committed member kept its secret back
    /// after seeing the others'. The pool then samples every submission of the round
    /// (Sampling.FULL_SAMPLE). False while pending.
    function withheld(address consumer, uint256 key) external view returns (bool);

    /// @notice The most seconds, after its inputs exist, that any one party can hold the value
    /// back (a beacon's reveal window: a committer keeping its secret); 0 for a source without
    /// such a wait of its own. openRound needs a verify window of at least 4 times this, so a
    /// withheld value is still fixed before the challenges close (a quarter in).
    function delayBound() external view returns (uint256);

    /// @notice What the value comes from, as a short name ("future-blockhash",
    /// "chainlink-vrf-v2.5"): deployment refuses block-derived sources on chains whose block
    /// hashes a single party controls (Arbitrum, OP Stack sequencers).
    function kind() external pure returns (string memory);
}
