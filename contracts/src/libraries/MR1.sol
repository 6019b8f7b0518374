// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MR1: the Curia content commitment
/// @notice On-chain side of the MR1 commitment (DESIGN.md, "MR1: the content commitment"): the version id and the
///         verification of one 4096-byte chunk against a version's `contentRoot`.
/// @dev The tree: `leaf_i = sha256(0x00 || chunk_i)`, padded to the next power of two with 32 zero bytes (a padding
///      leaf is the value `bytes32(0)`, not a hash), `node = sha256(0x01 || left || right)`; the root is the leaf
///      itself when there is one chunk. A proof of chunk `i` is the `depth(numChunks)` sibling hashes, bottom-up;
///      bit `h` of `i` set means the sibling at level `h` is on the left.
///
///      All hashing goes through the SHA-256 precompile (address 0x02) with `staticcall`, building the preimage in
///      memory past the free memory pointer (never allocated: the free memory pointer is not moved, so the memory is
///      reused by whatever Solidity allocates next) and reading the digest back from the scratch space (0x00-0x1f).
///      The precompile only fails when it runs out of gas; every such failure is checked and reverts, never being
///      reported as a wrong proof, so a caller cannot turn a valid proof into `false` by starving the call. (The
///      revert carries {Sha256Failed} when the 1/64 of gas kept by the caller frame suffices to encode it; otherwise
///      the frame itself runs out of gas, which is a revert as well.)
library MR1 {
    /// @notice Domain separator of MR1 version ids: `keccak256("curia.mr1")`.
    bytes32 internal constant DOMAIN = keccak256("curia.mr1");

    /// @notice Size of a chunk in bytes; only the last chunk of a file is shorter (never empty, never padded).
    uint256 internal constant CHUNK_SIZE = 4096;

    /// @notice The SHA-256 precompile did not return (it only fails when it runs out of gas).
    error Sha256Failed();

    /// @dev `bytes4(keccak256("Sha256Failed()"))`, for the assembly revert; checked against the error in the tests.
    uint256 private constant _SHA256_FAILED_SELECTOR = 0xc176b3c5;

    /// @notice The id of a model version: the same content has the same id on every chain.
    /// @param contentRoot Root of the MR1 chunk tree.
    /// @param manifestDigest sha256 of the RFC 8785 canonical JSON manifest.
    /// @param numChunks Total number of chunks (>= 1).
    /// @param totalBytes Total number of content bytes over all files.
    /// @return The version id, `keccak256(abi.encode(DOMAIN, contentRoot, manifestDigest, numChunks, totalBytes))`.
    function versionId(bytes32 contentRoot, bytes32 manifestDigest, uint256 numChunks, uint256 totalBytes)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(DOMAIN, contentRoot, manifestDigest, numChunks, totalBytes));
    }

    /// @notice Depth of the tree over `numChunks` leaves: `ceil(log2(numChunks))`, the length of every proof.
    /// @dev Equals the bit length of `numChunks - 1` (1 -> 0, 2 -> 1, 3 -> 2, 4 -> 2, 5 -> 3). `numChunks` must be
    ///      at least 1; for 0 the subtraction wraps and the result is 256 (no tree has 0 chunks: {verifyChunk}
    ///      rejects every index for it before calling this).
    /// @param numChunks Number of chunks (leaves before padding).
    /// @return d The tree depth.
    function depth(uint256 numChunks) internal pure returns (uint256 d) {
        assembly ("memory-safe") {
            // x = numChunks - 1; d = bit length of x = floor(log2(x)) + 1 for x > 0, and 0 for x = 0.
            let x := sub(numChunks, 1)
            // Binary search for floor(log2(x)): at each step, if x >> d still has a bit at or above 2^k, add k to d.
            d := shl(7, lt(0xffffffffffffffffffffffffffffffff, x))
            d := or(d, shl(6, lt(0xffffffffffffffff, shr(d, x))))
            d := or(d, shl(5, lt(0xffffffff, shr(d, x))))
            d := or(d, shl(4, lt(0xffff, shr(d, x))))
            d := or(d, shl(3, lt(0xff, shr(d, x))))
            d := or(d, shl(2, lt(0xf, shr(d, x))))
            d := or(d, shl(1, lt(0x3, shr(d, x))))
            d := or(d, lt(0x1, shr(d, x)))
            // floor(log2(x)) + 1 when x != 0 (the search above yields 0 for both x = 0 and x = 1).
            d := add(d, iszero(iszero(x)))
        }
    }

    /// @notice Leaf hash of a chunk: `sha256(0x00 || chunk)`.
    /// @dev `view` because it calls the SHA-256 precompile. Reverts if the precompile fails (see {Sha256Failed}).
    /// @param chunk The raw chunk bytes (any length; {verifyChunk} enforces 1..CHUNK_SIZE).
    /// @return h The leaf hash.
    function leafHash(bytes calldata chunk) internal view returns (bytes32 h) {
        assembly ("memory-safe") {
            // Preimage at the free memory pointer (not allocated, only used until the call returns):
            // [ptr] = 0x00, [ptr + 1 .. ptr + 1 + len) = chunk, copied straight from calldata.
            let ptr := mload(0x40)
            mstore8(ptr, 0x00)
            calldatacopy(add(ptr, 1), chunk.offset, chunk.length)
            // sha256 precompile over len + 1 bytes, digest written to the scratch word at 0x00.
            if iszero(staticcall(gas(), 0x02, ptr, add(chunk.length, 1), 0x00, 0x20)) {
                mstore(0x00, _SHA256_FAILED_SELECTOR)
                revert(0x1c, 0x04)
            }
            h := mload(0x00)
        }
    }

    /// @notice Inner node hash: `sha256(0x01 || left || right)`.
    /// @dev `view` because it calls the SHA-256 precompile. Reverts if the precompile fails (see {Sha256Failed}).
    /// @param left The left child.
    /// @param right The right child.
    /// @return h The node hash.
    function nodeHash(bytes32 left, bytes32 right) internal view returns (bytes32 h) {
        assembly ("memory-safe") {
            // 65-byte preimage at the free memory pointer (the 64-byte scratch space is one byte short):
            // [ptr] = 0x01, [ptr + 0x01 .. 0x21) = left, [ptr + 0x21 .. 0x41) = right.
            let ptr := mload(0x40)
            mstore8(ptr, 0x01)
            mstore(add(ptr, 0x01), left)
            mstore(add(ptr, 0x21), right)
            if iszero(staticcall(gas(), 0x02, ptr, 0x41, 0x00, 0x20)) {
                mstore(0x00, _SHA256_FAILED_SELECTOR)
                revert(0x1c, 0x04)
            }
            h := mload(0x00)
        }
    }

    /// @notice Checks that `chunk` is chunk number `index` of the content committed to by `contentRoot`.
    /// @dev Never reverts on bad input: returns false if `index >= numChunks`, if the chunk is empty or longer than
    ///      CHUNK_SIZE, if `proof.length != depth(numChunks)`, or if the recomputed root differs. It reverts only
    ///      when out of gas (see {Sha256Failed}). Cost: one SHA-256 over `chunk.length + 1` bytes plus one 65-byte
    ///      SHA-256 per level, about 10.2k gas for a 4096-byte chunk at depth 20 (~357 gas per level).
    /// @param contentRoot The committed root.
    /// @param numChunks Number of chunks of the content (leaves before padding).
    /// @param index Global index of the chunk, in [0, numChunks).
    /// @param chunk The chunk bytes: CHUNK_SIZE bytes, or fewer for the last chunk of a file.
    /// @param proof The sibling hashes, bottom-up; bit h of `index` set means the sibling at level h is on the left.
    /// @return ok True iff the proof is valid.
    function verifyChunk(
        bytes32 contentRoot,
        uint256 numChunks,
        uint256 index,
        bytes calldata chunk,
        bytes32[] calldata proof
    ) internal view returns (bool ok) {
        // Cheap shape checks first; `index < numChunks` also rules out numChunks == 0 before depth() is called,
        // and guarantees that index has no bit at or above depth(numChunks).
        if (index >= numChunks) return false;
        if (chunk.length == 0 || chunk.length > CHUNK_SIZE) return false;
        if (proof.length != depth(numChunks)) return false;

        assembly ("memory-safe") {
            let ptr := mload(0x40)

            // Leaf: sha256(0x00 || chunk), preimage built at ptr as in leafHash(), digest into scratch 0x00.
            mstore8(ptr, 0x00)
            calldatacopy(add(ptr, 1), chunk.offset, chunk.length)
            if iszero(staticcall(gas(), 0x02, ptr, add(chunk.length, 1), 0x00, 0x20)) {
                mstore(0x00, _SHA256_FAILED_SELECTOR)
                revert(0x1c, 0x04)
            }
            let h := mload(0x00)

            // Inner nodes reuse the same 65 bytes at ptr: [ptr] = 0x01 (written once), then two 32-byte slots at
            // ptr + 0x01 (left) and ptr + 0x21 (right), refilled at every level.
            mstore8(ptr, 0x01)
            let left := add(ptr, 0x01)
            // proof[k] sits in calldata at proof.offset + 32 * k (ABI-decoding has already bounds-checked it).
            let p := proof.offset
            let end := add(p, shl(5, proof.length))
            for {} lt(p, end) { p := add(p, 0x20) } {
                // Bit h of the original index is the low bit of `index` (shifted right once per level).
                // Branch-free placement: bit 0 -> running hash left, sibling right; bit 1 -> sibling left, hash right.
                let hOff := shl(5, and(index, 1)) // slot offset of the running hash: 0 (left) or 32 (right)
                mstore(add(left, hOff), h)
                mstore(add(left, xor(hOff, 0x20)), calldataload(p)) // the sibling takes the other slot
                // h = sha256(0x01 || left || right); stop at the first failure (out of gas), with the error.
                if iszero(staticcall(gas(), 0x02, ptr, 0x41, 0x00, 0x20)) {
                    mstore(0x00, _SHA256_FAILED_SELECTOR)
                    revert(0x1c, 0x04)
                }
                h := mload(0x00)
                index := shr(1, index)
            }
            ok := eq(h, contentRoot)
        }
    }
}
