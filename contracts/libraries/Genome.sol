// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Genome
/// @notice The on-chain copy of the genome validity rule. A genome is a `bytes32` whose byte `i`
/// (byte 0 is the most significant, the first two hex digits) is the option index of gene `i`,
/// macro decisions first. `arities` has the same layout: byte `i` is the number of options of
/// gene `i`, or 0 for an unused gene. nas/ implements the same rule in TypeScript; both are
/// checked against the shared vectors in test/vectors/genome.json.
library Genome {
    /// @notice Every used gene below its arity and every unused gene zero.
    function isValid(bytes32 genome, bytes32 arities) internal pure returns (bool) {
        uint256 g = uint256(genome);
        uint256 a = uint256(arities);
        unchecked {
            for (uint256 shift; shift < 256; shift += 8) {
                uint256 gi = (g >> shift) & 0xff;
                uint256 ai = (a >> shift) & 0xff;
                // An unused gene (arity 0) admits only option 0, exactly like a gene of arity 1.
                if (gi >= (ai == 0 ? 1 : ai)) return false;
            }
        }
        return true;
    }

    /// @notice Whether `genome` lies in the subspace `{A : A & mask == value}`.
    function inSubspace(bytes32 genome, bytes32 mask, bytes32 value) internal pure returns (bool) {
        return genome & mask == value;
    }

    /// @notice Whether `(mask, value)` is a well-formed, non-empty subspace of the space.
    /// @dev `value` must not fix bits outside `mask`. Per gene, the subspace's smallest member
    /// is `value`'s own byte (the free bits only add), so the subspace holds a valid genome
    /// exactly when `value` itself is valid.
    function isSubspace(bytes32 mask, bytes32 value, bytes32 arities) internal pure returns (bool) {
        return value & ~mask == 0 && isValid(value, arities);
    }

    /// @notice Whether two subspaces share no genome: some bit is fixed by both to different values.
    function disjoint(bytes32 maskA, bytes32 valueA, bytes32 maskB, bytes32 valueB)
        internal
        pure
        returns (bool)
    {
        return (valueA ^ valueB) & maskA & maskB != 0;
    }
}
