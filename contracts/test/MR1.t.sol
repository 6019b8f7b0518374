// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MR1} from "../src/libraries/MR1.sol";
import {Test} from "./utils/Test.sol";

/// @notice Exposes the MR1 library through external functions, so that `bytes calldata` / `bytes32[] calldata`
///         parameters are real calldata, as in the contracts that use it.
contract MR1Harness {
    /// @notice MR1.DOMAIN.
    function domain() external pure returns (bytes32) {
        return MR1.DOMAIN;
    }

    /// @notice MR1.CHUNK_SIZE.
    function chunkSize() external pure returns (uint256) {
        return MR1.CHUNK_SIZE;
    }

    /// @notice MR1.versionId.
    function versionId(bytes32 contentRoot, bytes32 manifestDigest, uint256 numChunks, uint256 totalBytes)
        external
        pure
        returns (bytes32)
    {
        return MR1.versionId(contentRoot, manifestDigest, numChunks, totalBytes);
    }

    /// @notice MR1.depth.
    function depth(uint256 numChunks) external pure returns (uint256) {
        return MR1.depth(numChunks);
    }

    /// @notice MR1.leafHash.
    function leafHash(bytes calldata chunk) external view returns (bytes32) {
        return MR1.leafHash(chunk);
    }

    /// @notice MR1.nodeHash.
    function nodeHash(bytes32 left, bytes32 right) external view returns (bytes32) {
        return MR1.nodeHash(left, right);
    }

    /// @notice MR1.verifyChunk.
    function verifyChunk(
        bytes32 contentRoot,
        uint256 numChunks,
        uint256 index,
        bytes calldata chunk,
        bytes32[] calldata proof
    ) external view returns (bool) {
        return MR1.verifyChunk(contentRoot, numChunks, index, chunk, proof);
    }

    /// @notice MR1.verifyChunk, also returning the gas spent inside the library call (no ABI or call overhead).
    function verifyChunkMetered(
        bytes32 contentRoot,
        uint256 numChunks,
        uint256 index,
        bytes calldata chunk,
        bytes32[] calldata proof
    ) external view returns (bool ok, uint256 gasUsed) {
        uint256 before = gasleft();
        ok = MR1.verifyChunk(contentRoot, numChunks, index, chunk, proof);
        gasUsed = before - gasleft();
    }
}

/// @notice Tests of the MR1 library against the shared vectors (testdata/mr1.json) and synthetic trees.
contract MR1Test is Test {
    /// @dev Printed by forge at -vv and above (the event forge-std's `log_named_uint` emits).
    event log_named_uint(string key, uint256 val);

    /// @dev One file of a vector case.
    struct FileSpec {
        bytes path;
        uint256 size;
        uint256 seed;
    }

    /// @dev One listed proof, with the chunk regenerated from the content rule.
    struct VectorProof {
        string caseName;
        bytes32 contentRoot;
        uint256 numChunks;
        uint256 index;
        bytes chunk;
        bytes32[] siblings;
    }

    string internal constant VECTORS = "testdata/mr1.json";
    uint256 internal constant DEPTH20_CHUNKS = 1 << 20;

    MR1Harness internal h;

    function setUp() public {
        h = new MR1Harness();
    }

    // =============================================================================================================
    // Reference implementation (plain Solidity, independent of the library's assembly)
    // =============================================================================================================

    /// @dev sha256(0x00 || chunk).
    function _refLeaf(bytes memory chunk) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x00), chunk));
    }

    /// @dev sha256(0x01 || left || right).
    function _refNode(bytes32 left, bytes32 right) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x01), left, right));
    }

    /// @dev Smallest d with 2^d >= n.
    function _refDepth(uint256 n) internal pure returns (uint256 d) {
        while (d < 256 && (uint256(1) << d) < n) d++;
    }

    /// @dev The root reached from `leaf` at `index` with `siblings` (bit h of index set: sibling on the left).
    function _refRoot(bytes32 leaf, uint256 index, bytes32[] memory siblings) internal pure returns (bytes32 node) {
        node = leaf;
        for (uint256 i = 0; i < siblings.length; i++) {
            node = (index >> i) & 1 == 1 ? _refNode(siblings[i], node) : _refNode(node, siblings[i]);
        }
    }

    /// @dev `n` arbitrary sibling hashes derived from `seed`.
    function _siblings(bytes32 seed, uint256 n) internal pure returns (bytes32[] memory s) {
        s = new bytes32[](n);
        for (uint256 i = 0; i < n; i++) {
            s[i] = keccak256(abi.encode(seed, i));
        }
    }

    /// @dev `len` pseudo-random bytes derived from `seed`.
    function _randomChunk(uint256 seed, uint256 len) internal pure returns (bytes memory b) {
        b = new bytes(len);
        for (uint256 i = 0; i < len; i += 32) {
            bytes32 w = keccak256(abi.encode(seed, i));
            assembly ("memory-safe") {
                // Whole words; the bytes past `len` in the last word land in the allocation's own padding
                // (new bytes(len) allocates a multiple of 32 bytes).
                mstore(add(add(b, 0x20), i), w)
            }
        }
    }

    /// @dev Bytes [start, start + len) of a vector file: byte j = (seed + 7*j + (j >> 12)) mod 256.
    function _fileBytes(uint256 seed, uint256 start, uint256 len) internal pure returns (bytes memory b) {
        b = new bytes(len);
        assembly ("memory-safe") {
            let dst := add(b, 0x20)
            for { let k := 0 } lt(k, len) { k := add(k, 1) } {
                let j := add(start, k)
                // mstore8 keeps the low byte: the mod 256.
                mstore8(add(dst, k), add(add(seed, mul(7, j)), shr(12, j)))
            }
        }
    }

    /// @dev Byte-wise comparison of raw paths: true iff a < b.
    function _lessThan(bytes memory a, bytes memory b) internal pure returns (bool) {
        uint256 n = a.length < b.length ? a.length : b.length;
        for (uint256 i = 0; i < n; i++) {
            if (a[i] != b[i]) return uint8(a[i]) < uint8(b[i]);
        }
        return a.length < b.length;
    }

    /// @dev The files of a case, sorted by raw path bytes (insertion sort; the lists are short).
    function _sortFiles(FileSpec[] memory files) internal pure {
        for (uint256 i = 1; i < files.length; i++) {
            FileSpec memory x = files[i];
            uint256 j = i;
            while (j > 0 && _lessThan(x.path, files[j - 1].path)) {
                files[j] = files[j - 1];
                j--;
            }
            files[j] = x;
        }
    }

    /// @dev Chunk number `g` (global, files in sorted order) of the content described by `sorted`.
    function _chunkAt(FileSpec[] memory sorted, uint256 g) internal pure returns (bytes memory) {
        for (uint256 f = 0; f < sorted.length; f++) {
            uint256 n = (sorted[f].size + MR1.CHUNK_SIZE - 1) / MR1.CHUNK_SIZE;
            if (g < n) {
                uint256 start = g * MR1.CHUNK_SIZE;
                uint256 end = start + MR1.CHUNK_SIZE;
                if (end > sorted[f].size) end = sorted[f].size;
                return _fileBytes(sorted[f].seed, start, end - start);
            }
            g -= n;
        }
        revert("chunk index past the content");
    }

    // =============================================================================================================
    // Vector loading
    // =============================================================================================================

    function _key(uint256 c, string memory rest) internal pure returns (string memory) {
        return string.concat(".cases[", vm.toString(c), "]", rest);
    }

    function _numCases(string memory json) internal view returns (uint256 n) {
        while (vm.keyExistsJson(json, _key(n, ""))) n++;
    }

    function _files(string memory json, uint256 c) internal view returns (FileSpec[] memory files) {
        uint256 n;
        while (vm.keyExistsJson(json, _key(c, string.concat(".files[", vm.toString(n), "]")))) n++;
        files = new FileSpec[](n);
        for (uint256 k = 0; k < n; k++) {
            string memory fk = string.concat(".files[", vm.toString(k), "]");
            files[k].path = bytes(vm.parseJsonString(json, _key(c, string.concat(fk, ".path"))));
            files[k].size = vm.parseJsonUint(json, _key(c, string.concat(fk, ".size")));
            files[k].seed = vm.parseJsonUint(json, _key(c, string.concat(fk, ".seed")));
        }
    }

    function _numProofs(string memory json, uint256 c) internal view returns (uint256 n) {
        while (vm.keyExistsJson(json, _key(c, string.concat(".proofs[", vm.toString(n), "]")))) n++;
    }

    function _proofKey(uint256 c, uint256 p, string memory field) internal pure returns (string memory) {
        return _key(c, string.concat(".proofs[", vm.toString(p), "].", field));
    }

    /// @dev Every listed proof of every case, with its chunk regenerated and checked against chunkLen/chunkSha256.
    function _loadVectorProofs() internal view returns (VectorProof[] memory out) {
        string memory json = vm.readFile(VECTORS);
        uint256 cases = _numCases(json);
        uint256 total;
        for (uint256 c = 0; c < cases; c++) {
            total += _numProofs(json, c);
        }
        out = new VectorProof[](total);
        uint256 o;
        for (uint256 c = 0; c < cases; c++) {
            FileSpec[] memory files = _files(json, c);
            _sortFiles(files);
            uint256 np = _numProofs(json, c);
            for (uint256 p = 0; p < np; p++) {
                out[o++] = _loadProof(json, c, p, files);
            }
        }
        vm.assertTrue(total > 0, "no proofs in the vectors");
    }

    /// @dev Proof `p` of case `c`; `sorted` is the case's file list in raw path byte order.
    function _loadProof(string memory json, uint256 c, uint256 p, FileSpec[] memory sorted)
        internal
        pure
        returns (VectorProof memory v)
    {
        v.caseName = vm.parseJsonString(json, _key(c, ".name"));
        v.contentRoot = vm.parseJsonBytes32(json, _key(c, ".contentRoot"));
        v.numChunks = vm.parseJsonUint(json, _key(c, ".numChunks"));
        v.index = vm.parseJsonUint(json, _proofKey(c, p, "index"));
        v.chunk = _chunkAt(sorted, v.index);
        v.siblings = vm.parseJsonBytes32Array(json, _proofKey(c, p, "siblings"));
        uint256 chunkLen = vm.parseJsonUint(json, _proofKey(c, p, "chunkLen"));
        bytes32 chunkSha = vm.parseJsonBytes32(json, _proofKey(c, p, "chunkSha256"));
        vm.assertEq(v.chunk.length, chunkLen, _what(v, "chunkLen"));
        vm.assertEq(sha256(v.chunk), chunkSha, _what(v, "chunkSha256"));
    }

    function _verify(VectorProof memory v) internal view returns (bool) {
        return h.verifyChunk(v.contentRoot, v.numChunks, v.index, v.chunk, v.siblings);
    }

    function _what(VectorProof memory v, string memory mutation) internal pure returns (string memory) {
        return string.concat(v.caseName, " #", vm.toString(v.index), ": ", mutation);
    }

    function _copy(bytes memory b) internal pure returns (bytes memory) {
        return bytes.concat(b);
    }

    function _copy(bytes32[] memory a) internal pure returns (bytes32[] memory c) {
        c = new bytes32[](a.length);
        for (uint256 i = 0; i < a.length; i++) {
            c[i] = a[i];
        }
    }

    function _flipBit(bytes memory b, uint256 bit) internal pure returns (bytes memory c) {
        c = _copy(b);
        c[bit / 8] = bytes1(uint8(c[bit / 8]) ^ uint8(1 << (bit % 8)));
    }

    // =============================================================================================================
    // Constants
    // =============================================================================================================

    function test_Constants() public view {
        vm.assertEq(h.domain(), keccak256("curia.mr1"), "DOMAIN");
        vm.assertEq(h.chunkSize(), 4096, "CHUNK_SIZE");
        // The assembly reverts with a hard-coded selector; it must be the declared error's.
        vm.assertEq(bytes32(MR1.Sha256Failed.selector), bytes32(bytes4(0xc176b3c5)), "Sha256Failed selector");
    }

    // =============================================================================================================
    // Vectors
    // =============================================================================================================

    /// @notice versionId (and the case's manifestDigest, totalBytes, numChunks) of every vector case.
    function test_Vectors_VersionIdMatches() public view {
        string memory json = vm.readFile(VECTORS);
        uint256 cases = _numCases(json);
        vm.assertTrue(cases > 0, "no cases in the vectors");
        for (uint256 c = 0; c < cases; c++) {
            string memory name = vm.parseJsonString(json, _key(c, ".name"));
            bytes32 root = vm.parseJsonBytes32(json, _key(c, ".contentRoot"));
            bytes32 digest = vm.parseJsonBytes32(json, _key(c, ".manifestDigest"));
            uint256 numChunks = vm.parseJsonUint(json, _key(c, ".numChunks"));
            uint256 totalBytes = vm.parseJsonUint(json, _key(c, ".totalBytes"));
            vm.assertEq(
                h.versionId(root, digest, numChunks, totalBytes),
                vm.parseJsonBytes32(json, _key(c, ".versionId")),
                string.concat(name, ": versionId")
            );
            // The rest of the case is self-consistent with the content rule and the manifest.
            vm.assertEq(
                sha256(bytes(vm.parseJsonString(json, _key(c, ".manifest")))), digest, string.concat(name, ": digest")
            );
            FileSpec[] memory files = _files(json, c);
            uint256 sumBytes;
            uint256 sumChunks;
            for (uint256 k = 0; k < files.length; k++) {
                sumBytes += files[k].size;
                sumChunks += (files[k].size + MR1.CHUNK_SIZE - 1) / MR1.CHUNK_SIZE;
            }
            vm.assertEq(sumBytes, totalBytes, string.concat(name, ": totalBytes"));
            vm.assertEq(sumChunks, numChunks, string.concat(name, ": numChunks"));
        }
    }

    /// @notice Every listed proof verifies with the chunk regenerated from the content rule (files in raw byte
    ///         order); the chunk's length and sha256 match the vector (checked in _loadVectorProofs).
    function test_Vectors_ProofsVerify() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            vm.assertEq(h.depth(v.numChunks), v.siblings.length, _what(v, "proof length = depth"));
            vm.assertEq(h.leafHash(v.chunk), _refLeaf(v.chunk), _what(v, "leafHash"));
            vm.assertEq(_refRoot(_refLeaf(v.chunk), v.index, v.siblings), v.contentRoot, _what(v, "reference root"));
            vm.assertTrue(_verify(v), _what(v, "verifyChunk"));
        }
    }

    /// @notice The path order is raw bytes ("A.txt" < "a/b.bin" < "empty" < "z.json"), not the JSON order.
    function test_Vectors_FileOrderIsRawBytes() public pure {
        FileSpec[] memory f = new FileSpec[](4);
        f[0].path = "z.json";
        f[1].path = "a/b.bin";
        f[2].path = "A.txt";
        f[3].path = "empty";
        _sortFiles(f);
        vm.assertEq(keccak256(f[0].path), keccak256("A.txt"), "0");
        vm.assertEq(keccak256(f[1].path), keccak256("a/b.bin"), "1");
        vm.assertEq(keccak256(f[2].path), keccak256("empty"), "2");
        vm.assertEq(keccak256(f[3].path), keccak256("z.json"), "3");
    }

    // =============================================================================================================
    // Rejections (mutations of every vector proof)
    // =============================================================================================================

    function test_Reject_FlippedChunkBit() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            uint256 bits = v.chunk.length * 8;
            uint256[3] memory at = [uint256(0), bits / 2 + 3, bits - 1];
            for (uint256 k = 0; k < 3; k++) {
                vm.assertFalse(
                    h.verifyChunk(v.contentRoot, v.numChunks, v.index, _flipBit(v.chunk, at[k]), v.siblings),
                    _what(v, string.concat("chunk bit ", vm.toString(at[k])))
                );
            }
        }
    }

    function test_Reject_FlippedSiblingBit() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            for (uint256 s = 0; s < v.siblings.length; s++) {
                for (uint256 bit = 0; bit < 256; bit += 85) {
                    bytes32[] memory bad = _copy(v.siblings);
                    bad[s] ^= bytes32(uint256(1) << bit);
                    vm.assertFalse(
                        h.verifyChunk(v.contentRoot, v.numChunks, v.index, v.chunk, bad),
                        _what(v, string.concat("sibling ", vm.toString(s), " bit ", vm.toString(bit)))
                    );
                }
            }
        }
    }

    function test_Reject_FlippedRootBit() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            vm.assertFalse(
                h.verifyChunk(v.contentRoot ^ bytes32(uint256(1)), v.numChunks, v.index, v.chunk, v.siblings),
                _what(v, "root bit 0")
            );
        }
    }

    function test_Reject_WrongIndex() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            vm.assertFalse(
                h.verifyChunk(v.contentRoot, v.numChunks, v.index ^ 1, v.chunk, v.siblings), _what(v, "index ^ 1")
            );
            vm.assertFalse(
                h.verifyChunk(v.contentRoot, v.numChunks, v.index + 1, v.chunk, v.siblings), _what(v, "index + 1")
            );
        }
    }

    function test_Reject_ShortProof() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        uint256 tried;
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            if (v.siblings.length == 0) continue;
            bytes32[] memory shortProof = new bytes32[](v.siblings.length - 1);
            for (uint256 s = 0; s < shortProof.length; s++) {
                shortProof[s] = v.siblings[s];
            }
            vm.assertFalse(h.verifyChunk(v.contentRoot, v.numChunks, v.index, v.chunk, shortProof), _what(v, "short"));
            tried++;
        }
        vm.assertTrue(tried > 0, "no vector proof to shorten");
    }

    function test_Reject_LongProof() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            bytes32[] memory longProof = new bytes32[](v.siblings.length + 1);
            for (uint256 s = 0; s < v.siblings.length; s++) {
                longProof[s] = v.siblings[s];
            }
            // The extra sibling: zero (a padding leaf) and an arbitrary hash.
            vm.assertFalse(h.verifyChunk(v.contentRoot, v.numChunks, v.index, v.chunk, longProof), _what(v, "long 0"));
            longProof[v.siblings.length] = keccak256("extra");
            vm.assertFalse(h.verifyChunk(v.contentRoot, v.numChunks, v.index, v.chunk, longProof), _what(v, "long x"));
        }
    }

    function test_Reject_IndexOutOfRange() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            vm.assertFalse(
                h.verifyChunk(v.contentRoot, v.numChunks, v.numChunks, v.chunk, v.siblings), _what(v, "index = N")
            );
            vm.assertFalse(
                h.verifyChunk(v.contentRoot, v.numChunks, type(uint256).max, v.chunk, v.siblings),
                _what(v, "index = max")
            );
            vm.assertFalse(h.verifyChunk(v.contentRoot, 0, v.index, v.chunk, v.siblings), _what(v, "numChunks = 0"));
        }
    }

    function test_Reject_EmptyChunk() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            vm.assertFalse(h.verifyChunk(v.contentRoot, v.numChunks, v.index, "", v.siblings), _what(v, "empty chunk"));
        }
    }

    function test_Reject_OversizeChunk() public view {
        VectorProof[] memory vs = _loadVectorProofs();
        for (uint256 i = 0; i < vs.length; i++) {
            VectorProof memory v = vs[i];
            bytes memory big = bytes.concat(v.chunk, new bytes(4097 - v.chunk.length));
            vm.assertEq(big.length, 4097, "4097 bytes");
            vm.assertFalse(h.verifyChunk(v.contentRoot, v.numChunks, v.index, big, v.siblings), _what(v, "4097 bytes"));
        }
    }

    // =============================================================================================================
    // Rejections where the hashes DO reach the root: only the shape checks can refuse these.
    // =============================================================================================================

    /// @notice A 4097-byte or empty "chunk" whose leaf is genuinely in the tree is still refused.
    function test_Reject_BadChunkLength_EvenWhenHashesMatch() public view {
        uint256 index = 5;
        bytes32[] memory sib = _siblings("len", 3);
        bytes memory big = _randomChunk(1, 4097);
        vm.assertFalse(h.verifyChunk(_refRoot(_refLeaf(big), index, sib), 8, index, big, sib), "4097 bytes");
        bytes memory empty = "";
        vm.assertFalse(h.verifyChunk(_refRoot(_refLeaf(empty), index, sib), 8, index, empty, sib), "empty");
        // Control: the same construction with a 4096-byte chunk verifies.
        bytes memory ok = _randomChunk(1, 4096);
        vm.assertTrue(h.verifyChunk(_refRoot(_refLeaf(ok), index, sib), 8, index, ok, sib), "4096 bytes");
    }

    /// @notice Proofs one level too short or too long, consistent with their own root, are refused.
    function test_Reject_WrongProofLength_EvenWhenHashesMatch() public view {
        bytes memory chunk = _randomChunk(2, 4096);
        bytes32 leaf = _refLeaf(chunk);
        uint256 n = 5; // depth 3
        uint256 index = 2;
        bytes32[] memory two = _siblings("short", 2);
        bytes32[] memory four = _siblings("long", 4);
        vm.assertFalse(h.verifyChunk(_refRoot(leaf, index, two), n, index, chunk, two), "depth 2 for N = 5");
        vm.assertFalse(h.verifyChunk(_refRoot(leaf, index, four), n, index, chunk, four), "depth 4 for N = 5");
        bytes32[] memory three = _siblings("ok", 3);
        vm.assertTrue(h.verifyChunk(_refRoot(leaf, index, three), n, index, chunk, three), "depth 3 for N = 5");
    }

    /// @notice An index in the padding (>= numChunks but < 2^depth), with a path that hashes to the root, is refused.
    function test_Reject_PaddingIndex_EvenWhenHashesMatch() public view {
        bytes memory chunk = _randomChunk(3, 100);
        bytes32[] memory sib = _siblings("pad", 2); // N = 3 -> depth 2, leaves 0..3, leaf 3 is padding
        bytes32 root = _refRoot(_refLeaf(chunk), 3, sib);
        vm.assertFalse(h.verifyChunk(root, 3, 3, chunk, sib), "index 3 of N = 3");
        vm.assertTrue(h.verifyChunk(root, 4, 3, chunk, sib), "control: index 3 of N = 4");
    }

    // =============================================================================================================
    // Synthetic depth-20 trees and fuzzing
    // =============================================================================================================

    /// @notice A 4 KiB chunk in a tree of 2^20 chunks: the proof is built by hashing upward from arbitrary siblings.
    function test_Depth20_SyntheticProofVerifies() public view {
        uint256[4] memory indices = [uint256(0), 0xABCDE, 0x55555, DEPTH20_CHUNKS - 1];
        for (uint256 k = 0; k < indices.length; k++) {
            bytes memory chunk = _randomChunk(indices[k], 4096);
            bytes32[] memory sib = _siblings(bytes32(indices[k]), 20);
            bytes32 root = _refRoot(_refLeaf(chunk), indices[k], sib);
            vm.assertTrue(h.verifyChunk(root, DEPTH20_CHUNKS, indices[k], chunk, sib), vm.toString(indices[k]));
            // The same proof in a tree one chunk larger needs depth 21: refused.
            vm.assertFalse(h.verifyChunk(root, DEPTH20_CHUNKS + 1, indices[k], chunk, sib), "N = 2^20 + 1");
        }
    }

    function testFuzz_Depth20_ProofVerifies(uint256 index, bytes32 siblingSeed, uint256 chunkSeed, uint256 chunkLen)
        public
        view
    {
        index = bound(index, 0, DEPTH20_CHUNKS - 1);
        chunkLen = bound(chunkLen, 1, MR1.CHUNK_SIZE);
        bytes memory chunk = _randomChunk(chunkSeed, chunkLen);
        bytes32[] memory sib = _siblings(siblingSeed, 20);
        bytes32 root = _refRoot(_refLeaf(chunk), index, sib);
        vm.assertTrue(h.verifyChunk(root, DEPTH20_CHUNKS, index, chunk, sib), "valid depth-20 proof");
    }

    /// @notice Any tree size: numChunks in [1, 2^40], any index below it, proof of length ceil(log2(numChunks)).
    function testFuzz_AnyTreeSize_ProofVerifies(
        uint256 numChunks,
        uint256 index,
        bytes32 siblingSeed,
        uint256 chunkSeed,
        uint256 chunkLen
    ) public view {
        numChunks = bound(numChunks, 1, 1 << 40);
        index = bound(index, 0, numChunks - 1);
        chunkLen = bound(chunkLen, 1, MR1.CHUNK_SIZE);
        bytes memory chunk = _randomChunk(chunkSeed, chunkLen);
        bytes32[] memory sib = _siblings(siblingSeed, _refDepth(numChunks));
        bytes32 root = _refRoot(_refLeaf(chunk), index, sib);
        vm.assertTrue(h.verifyChunk(root, numChunks, index, chunk, sib), "valid proof");
    }

    /// @notice Starting from a valid depth-20 proof, flipping any one bit of the index, of the chunk or of one
    ///         sibling makes it fail.
    function testFuzz_OneBitChange_Rejected(
        uint256 index,
        bytes32 siblingSeed,
        uint256 chunkSeed,
        uint256 chunkLen,
        uint256 target,
        uint256 where,
        uint256 bit
    ) public view {
        index = bound(index, 0, DEPTH20_CHUNKS - 1);
        chunkLen = bound(chunkLen, 1, MR1.CHUNK_SIZE);
        bytes memory chunk = _randomChunk(chunkSeed, chunkLen);
        bytes32[] memory sib = _siblings(siblingSeed, 20);
        bytes32 root = _refRoot(_refLeaf(chunk), index, sib);
        vm.assertTrue(h.verifyChunk(root, DEPTH20_CHUNKS, index, chunk, sib), "valid before the change");

        target = target % 3;
        if (target == 0) {
            // Any bit of the 256-bit index (bits >= 20 push it out of range).
            index ^= uint256(1) << bound(bit, 0, 255);
        } else if (target == 1) {
            chunk = _flipBit(chunk, bound(where, 0, chunkLen * 8 - 1));
        } else {
            sib[bound(where, 0, 19)] ^= bytes32(uint256(1) << bound(bit, 0, 255));
        }
        vm.assertFalse(h.verifyChunk(root, DEPTH20_CHUNKS, index, chunk, sib), "one bit changed");
    }

    // =============================================================================================================
    // depth(), leafHash(), nodeHash(), versionId()
    // =============================================================================================================

    function test_Depth_Values() public view {
        vm.assertEq(h.depth(1), 0, "1");
        vm.assertEq(h.depth(2), 1, "2");
        vm.assertEq(h.depth(3), 2, "3");
        vm.assertEq(h.depth(4), 2, "4");
        vm.assertEq(h.depth(5), 3, "5");
        vm.assertEq(h.depth(17), 5, "17");
        vm.assertEq(h.depth(1 << 20), 20, "2^20");
        vm.assertEq(h.depth((1 << 20) + 1), 21, "2^20 + 1");
        vm.assertEq(h.depth(1 << 255), 255, "2^255");
        vm.assertEq(h.depth((1 << 255) + 1), 256, "2^255 + 1");
        vm.assertEq(h.depth(type(uint256).max), 256, "max");
    }

    function testFuzz_Depth_MatchesReference(uint256 n) public view {
        n = bound(n, 1, type(uint256).max);
        vm.assertEq(h.depth(n), _refDepth(n), "depth");
    }

    function testFuzz_Depth_PowersOfTwoAndNeighbours(uint8 k) public view {
        uint256 p = uint256(1) << k;
        vm.assertEq(h.depth(p), k, "2^k");
        if (p > 1) vm.assertEq(h.depth(p - 1), _refDepth(p - 1), "2^k - 1");
        vm.assertEq(h.depth(p + 1), uint256(k) + 1, "2^k + 1");
    }

    function test_LeafHash_KnownValues() public view {
        // sha256(0x00) and sha256(0x00 || "abc"), independent of the reference implementation.
        vm.assertEq(h.leafHash(""), 0x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d, "leaf of empty");
        vm.assertEq(h.leafHash("abc"), sha256(hex"00616263"), "leaf of abc");
    }

    function testFuzz_LeafHash_MatchesReference(uint256 seed, uint256 len) public view {
        bytes memory chunk = _randomChunk(seed, bound(len, 0, 5000));
        vm.assertEq(h.leafHash(chunk), _refLeaf(chunk), "leafHash");
    }

    function testFuzz_NodeHash_MatchesReference(bytes32 left, bytes32 right) public view {
        vm.assertEq(h.nodeHash(left, right), _refNode(left, right), "nodeHash");
        vm.assertEq(h.nodeHash(left, right), sha256(abi.encodePacked(hex"01", left, right)), "nodeHash packed");
    }

    function testFuzz_VersionId_MatchesAbiEncode(bytes32 root, bytes32 digest, uint256 n, uint256 total) public view {
        vm.assertEq(
            h.versionId(root, digest, n, total),
            keccak256(abi.encode(keccak256("curia.mr1"), root, digest, n, total)),
            "versionId"
        );
    }

    // =============================================================================================================
    // Gas
    // =============================================================================================================

    /// @notice Gas of one verifyChunk call on a 4096-byte chunk at depth 20 (2^20 chunks). Building the chunk and
    ///         the proof is not metered, so the snapshot of this test is essentially that one external call.
    function test_Gas_VerifyChunk_4KiB_Depth20() public {
        vm.pauseGasMetering();
        uint256 index = 0xABCDE;
        bytes memory chunk = _randomChunk(42, 4096);
        bytes32[] memory sib = _siblings("gas", 20);
        bytes32 root = _refRoot(_refLeaf(chunk), index, sib);
        MR1Harness harness = h;
        vm.resumeGasMetering();

        uint256 before = gasleft();
        bool ok = harness.verifyChunk(root, DEPTH20_CHUNKS, index, chunk, sib);
        uint256 used = before - gasleft();

        vm.pauseGasMetering();
        vm.assertTrue(ok, "valid proof");
        // Intrinsic calldata gas of the call's arguments (16 per non-zero byte, 4 per zero byte), for reference.
        bytes memory data = abi.encodeCall(MR1Harness.verifyChunk, (root, DEPTH20_CHUNKS, index, chunk, sib));
        uint256 calldataGas;
        for (uint256 i = 0; i < data.length; i++) {
            calldataGas += data[i] == 0 ? 4 : 16;
        }
        emit log_named_uint("verifyChunk 4 KiB depth 20: gas of the external call from the test", used);
        emit log_named_uint("verifyChunk 4 KiB depth 20: calldata bytes", data.length);
        emit log_named_uint("verifyChunk 4 KiB depth 20: calldata gas (EIP-2028)", calldataGas);
        vm.assertLe(used, 25_000, "external verifyChunk budget");
        vm.resumeGasMetering();
    }

    /// @notice Gas spent inside MR1.verifyChunk alone (measured in the harness around the library call), for a
    ///         4096-byte chunk at depth 20: what a calling contract pays on top of its own ABI decoding.
    function test_Gas_VerifyChunk_InLibrary_4KiB_Depth20() public {
        vm.pauseGasMetering();
        uint256 index = 0xABCDE;
        bytes memory chunk = _randomChunk(42, 4096);
        bytes32[] memory sib = _siblings("gas", 20);
        bytes32 root = _refRoot(_refLeaf(chunk), index, sib);
        MR1Harness harness = h;
        vm.resumeGasMetering();
        (bool ok, uint256 inLibrary) = harness.verifyChunkMetered(root, DEPTH20_CHUNKS, index, chunk, sib);
        vm.pauseGasMetering();
        vm.assertTrue(ok, "valid proof");
        emit log_named_uint("verifyChunk 4 KiB depth 20: gas inside MR1.verifyChunk", inLibrary);
        vm.assertLe(inLibrary, 12_000, "MR1.verifyChunk budget");
        vm.resumeGasMetering();
    }

    /// @notice Starving the call of gas never turns a valid proof into `false`: the call either returns true or
    ///         reverts. (Because of the 63/64 rule the frame is usually left with too little gas to even emit
    ///         Sha256Failed, so most starved calls end in a plain out-of-gas revert with no data.)
    function test_GasStarvation_NeverReturnsFalse() public view {
        uint256 index = 777;
        bytes memory chunk = _randomChunk(7, 4096);
        bytes32[] memory sib = _siblings("starve", 20);
        bytes32 root = _refRoot(_refLeaf(chunk), index, sib);
        uint256 reverts;
        uint256 successes;
        for (uint256 g = 500; g <= 20_000; g += 23) {
            try h.verifyChunk{gas: g}(root, DEPTH20_CHUNKS, index, chunk, sib) returns (bool ok) {
                vm.assertTrue(ok, string.concat("returned false with gas ", vm.toString(g)));
                successes++;
            } catch (bytes memory reason) {
                if (reason.length != 0) {
                    vm.assertEq(
                        keccak256(reason),
                        keccak256(abi.encodeWithSelector(MR1.Sha256Failed.selector)),
                        "unexpected revert data"
                    );
                }
                reverts++;
            }
        }
        vm.assertTrue(reverts > 0, "no starved call in the sweep");
        vm.assertTrue(successes > 0, "no success in the sweep");
    }
}
