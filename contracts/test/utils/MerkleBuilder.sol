// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MerkleBuilder
/// @notice Builds small MR1 trees in memory for tests: leaves sha256(0x00 || chunk), zero padding to a power of
///         two, nodes sha256(0x01 || left || right); proofs bottom-up. Independent of the MR1 library on purpose.
library MerkleBuilder {
    /// @notice The MR1 root of `chunks`.
    function root(bytes[] memory cs) internal pure returns (bytes32) {
        bytes32[] memory level = _leaves(cs);
        while (level.length > 1) level = _up(level);
        return level[0];
    }

    /// @notice The MR1 proof of chunk `index`.
    function proof(bytes[] memory cs, uint256 index) internal pure returns (bytes32[] memory siblings) {
        bytes32[] memory level = _leaves(cs);
        uint256 depth;
        for (uint256 n = level.length; n > 1; n >>= 1) {
            ++depth;
        }
        siblings = new bytes32[](depth);
        for (uint256 h; h < depth; ++h) {
            siblings[h] = level[index ^ 1];
            level = _up(level);
            index >>= 1;
        }
    }

    /// @notice `n` distinct chunks of `len` bytes each (the last one `lastLen` bytes), derived from `seed`.
    function chunks(uint256 n, uint256 len, uint256 lastLen, uint256 seed) internal pure returns (bytes[] memory out) {
        out = new bytes[](n);
        for (uint256 i; i < n; ++i) {
            uint256 l = i + 1 == n ? lastLen : len;
            bytes memory c = new bytes(l);
            for (uint256 j; j < l; ++j) {
                c[j] = bytes1(uint8(uint256(keccak256(abi.encode(seed, i, j / 32))) >> (8 * (j % 32))));
            }
            out[i] = c;
        }
    }

    /// @notice A tall tree cheaply: `sub` (a power of two of chunks) is the leftmost subtree and `upper` holds
    ///         arbitrary siblings above it, which fixes the root. Returns that root.
    function rootUnder(bytes[] memory sub, bytes32[] memory upper) internal pure returns (bytes32 node) {
        node = root(sub);
        for (uint256 h; h < upper.length; ++h) {
            node = sha256(abi.encodePacked(bytes1(0x01), node, upper[h]));
        }
    }

    /// @notice An answer for chunks 0..n-1 of a tree built by `rootUnder(sub, upper)`: indices, chunks, proofs.
    function answerUnder(bytes[] memory sub, bytes32[] memory upper, uint256 n)
        internal
        pure
        returns (uint32[] memory indices, bytes[] memory answer, bytes32[][] memory proofs)
    {
        indices = new uint32[](n);
        answer = new bytes[](n);
        proofs = new bytes32[][](n);
        for (uint256 i; i < n; ++i) {
            indices[i] = uint32(i);
            answer[i] = sub[i];
            bytes32[] memory low = proof(sub, i);
            proofs[i] = new bytes32[](low.length + upper.length);
            for (uint256 h; h < proofs[i].length; ++h) {
                proofs[i][h] = h < low.length ? low[h] : upper[h - low.length];
            }
        }
    }

    function _leaves(bytes[] memory chunks_) private pure returns (bytes32[] memory level) {
        uint256 n = chunks_.length;
        uint256 width = 1;
        while (width < n) width <<= 1;
        level = new bytes32[](width);
        for (uint256 i; i < n; ++i) {
            level[i] = sha256(abi.encodePacked(bytes1(0x00), chunks_[i]));
        }
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[](level.length / 2);
        for (uint256 i; i < next.length; ++i) {
            next[i] = sha256(abi.encodePacked(bytes1(0x01), level[2 * i], level[2 * i + 1]));
        }
    }
}
