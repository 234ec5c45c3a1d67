// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev Top-K capacity; file-level so that storage array types can use it.
uint256 constant MAX_TOP_K = 8;

/// @title Sampling
/// @notice Which submissions the verifier committee must re-train, and how its attestations
/// combine: the seeded random sample, the always-verified top-K claims, and the median.
library Sampling {
    uint256 internal constant BPS = 10_000;
    /// @notice Bit 0 of a round's seed: set when the source says someone could have chosen its
    /// value (`IRandomnessSource.withheld`: a beacon member kept its secret back), and then every
    /// revealed submission is sampled. Withholding can then never spare a claim: whoever withholds
    /// to re-roll the sample gets the worst sample a cheater can have.
    uint256 internal constant FULL_SAMPLE = 1;

    /// @notice The round's seed from its source's value: keccak256(abi.encode(value, roundId))
    /// with bit 0 (FULL_SAMPLE) set if `full`, cleared otherwise.
    function seedOf(bytes32 value, uint256 roundId, bool full) internal pure returns (bytes32) {
        uint256 s = uint256(keccak256(abi.encode(value, roundId))) & ~FULL_SAMPLE;
        return bytes32(full ? s | FULL_SAMPLE : s);
    }

    /// @notice The random part of the sample: a submission is drawn with probability sampleBps/10000.
    /// @param seed fixed after the reveal window, so unknown when the claim was committed.
    function drawn(bytes32 seed, uint256 roundId, uint256 task, uint256 slot, uint256 sampleBps)
        internal
        pure
        returns (bool)
    {
        return uint256(keccak256(abi.encode(seed, roundId, task, slot))) % BPS < sampleBps;
    }

    /// @notice Whether a revealed submission must be verified: challenged, among the round's
    /// `topK` highest claims (`top`), or drawn by `seed` (never while the seed is 0, i.e. pending;
    /// always when the seed has FULL_SAMPLE set).
    function isSampled(
        bool challenged,
        uint64[MAX_TOP_K] memory top,
        uint256 topK,
        bytes32 seed,
        uint256 roundId,
        uint256 task,
        uint256 slot,
        uint256 sampleBps
    ) internal pure returns (bool) {
        if (challenged) return true;
        if (topK != 0 && contains(top, task, slot)) return true;
        if (seed == 0) return false;
        return uint256(seed) & FULL_SAMPLE != 0 || drawn(seed, roundId, task, slot, sampleBps);
    }

    /// @notice Packs a top-K entry: claimed score in the high bits so entries sort by score.
    function entry(uint256 scoreBps, uint256 task, uint256 slot) internal pure returns (uint64) {
        return uint64((scoreBps << 48) | ((task + 1) << 16) | (slot << 8));
    }

    function entryScore(uint64 e) internal pure returns (uint256) {
        return e >> 48;
    }

    /// @notice Inserts `e` into the list of the `k` highest claims, sorted descending. An equal
    /// score does not displace an earlier entry, so ties go to the earlier reveal.
    function insert(uint64[MAX_TOP_K] memory list, uint256 k, uint64 e) internal pure returns (bool inserted) {
        uint256 score = entryScore(e);
        for (uint256 i; i < k; ++i) {
            if (list[i] == 0 || score > entryScore(list[i])) {
                for (uint256 j = k - 1; j > i; --j) {
                    list[j] = list[j - 1];
                }
                list[i] = e;
                return true;
            }
        }
        return false;
    }

    /// @notice Whether the submission `(task, slot)` is among the listed top-K claims.
    function contains(uint64[MAX_TOP_K] memory list, uint256 task, uint256 slot) internal pure returns (bool) {
        uint64 key = uint64(((task + 1) << 16) | (slot << 8));
        for (uint256 i; i < MAX_TOP_K; ++i) {
            if (list[i] == 0) return false;
            if (list[i] & 0xffffffffffff == key) return true;
        }
        return false;
    }

    /// @notice Removes the submission `(task, slot)` from the list, closing the gap.
    function remove(uint64[MAX_TOP_K] memory list, uint256 task, uint256 slot) internal pure returns (bool removed) {
        uint64 key = uint64(((task + 1) << 16) | (slot << 8));
        for (uint256 i; i < MAX_TOP_K && list[i] != 0; ++i) {
            if (list[i] & 0xffffffffffff == key) {
                for (uint256 j = i; j + 1 < MAX_TOP_K; ++j) {
                    list[j] = list[j + 1];
                }
                list[MAX_TOP_K - 1] = 0;
                return true;
            }
        }
        return false;
    }

    /// @notice The median of `values` (sorted in place); for an even count, the mean of the two
    /// middle values rounded down.
    function median(uint256[] memory values) internal pure returns (uint256) {
        uint256 n = values.length;
        for (uint256 i = 1; i < n; ++i) {
            uint256 v = values[i];
            uint256 j = i;
            while (j > 0 && values[j - 1] > v) {
                values[j] = values[j - 1];
                --j;
            }
            values[j] = v;
        }
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /// @notice The weights digest the re-trainings of a submission agree on: the non-zero digest
    /// among the first `n` that occurs most often, if at least twice and more often than any
    /// other; 0 when there is no such digest (0 is a cross-backend re-training, which has none).
    /// Under the recipe's bit-exact reference backend every honest re-training yields the same
    /// digest, so only collusion or a lucky guess of 32 bytes can produce a competing pair.
    function agreedDigest(bytes32[] memory digests, uint256 n) internal pure returns (bytes32 agreed) {
        uint256 best;
        bool tie;
        for (uint256 i; i < n; ++i) {
            bytes32 d = digests[i];
            if (d == 0 || d == agreed) continue;
            uint256 c;
            for (uint256 j; j < n; ++j) {
                if (digests[j] == d) ++c;
            }
            if (c > best) {
                (best, agreed, tie) = (c, d, false);
            } else if (c == best) {
                tie = true;
            }
        }
        if (best < 2 || tie) return 0;
    }
}
