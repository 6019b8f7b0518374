// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {MerkleBuilder} from "./utils/MerkleBuilder.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @title GasTest
/// @notice One test per protocol operation. Each records the gas of the operation's own call frame with
///         `vm.snapshotGasLastCall` into snapshots/GasTest.json (execution gas; the transaction's 21,000 base and
///         its calldata come on top, see docs/gas.md), and asserts it stays within the goal where there is one.
///         States are typical, not best cases: a second curator, a pool with a reward history, a model that has
///         versions; first-ever writes (a keeper's or responder's first credit) are included where they occur.
contract GasTest is CuriaFixture {
    uint256 internal constant DEPTH = 20;

    bytes32 internal version;
    bytes32 internal modelId;

    function setUp() public override {
        super.setUp();
        modelId = _createModel(publisher, "model");
        version = _publish(publisher, 1);
        _signal(curator1, version, 1_000e18);
        // A version with a reward history: its reward reserve is non-zero, as on any curated version.
        vm.prank(rewarder);
        curation.reward(version, 10e18);
    }

    function test_gas_publish() public {
        ICuriaRegistry.PublishParams memory p = _params(modelId, 2, 2, version, 100e18);
        p.numChunks = 250_000; // a 1 GiB model
        p.totalBytes = 250_000 * 4096;
        vm.prank(publisher);
        registry.publish(p);
        vm.assertLe(vm.snapshotGasLastCall("publish"), 200_000);
    }

    function test_gas_signal() public {
        vm.prank(curator2);
        curation.signal(version, 500e18, 0);
        vm.assertLe(vm.snapshotGasLastCall("signal"), 100_000);
    }

    function test_gas_unsignal() public {
        vm.prank(curator1);
        curation.unsignal(version, 400e18);
        vm.snapshotGasLastCall("unsignal");
    }

    function test_gas_withdraw() public {
        vm.prank(curator1);
        curation.unsignal(version, 400e18);
        vm.warp(block.timestamp + _terms().thawPeriod);
        vm.prank(curator1);
        curation.withdraw(version);
        vm.snapshotGasLastCall("withdraw");
    }

    function test_gas_reward() public {
        vm.prank(rewarder);
        curation.reward(version, 50e18);
        vm.snapshotGasLastCall("reward");
    }

    function test_gas_claim() public {
        vm.prank(rewarder);
        curation.reward(version, 50e18);
        bytes32[] memory versions = new bytes32[](1);
        versions[0] = version;
        vm.prank(curator1);
        curation.claim(versions);
        vm.snapshotGasLastCall("claim");
    }

    function test_gas_commit() public {
        vm.prank(challenger);
        challenges.commit(keccak256("commitment"));
        vm.snapshotGasLastCall("commit");
    }

    function test_gas_revealAvailability() public {
        uint32[] memory indices = _indices(0, 4);
        bytes32 salt = keccak256("salt");
        vm.prank(challenger);
        challenges.commit(challenges.availabilityCommitment(challenger, version, indices, salt));
        vm.roll(block.number + 1);
        vm.prank(challenger);
        challenges.revealAvailability(version, indices, salt, type(uint256).max);
        vm.snapshotGasLastCall("revealAvailability");
    }

    function test_gas_respond_1chunk_depth20() public {
        _respondDepth20(1);
        vm.assertLe(vm.snapshotGasLastCall("respond (1 chunk, depth 20)"), 250_000);
    }

    function test_gas_respond_16chunks_depth20() public {
        _respondDepth20(16);
        vm.assertLe(vm.snapshotGasLastCall("respond (16 chunks, depth 20)"), 16 * 250_000);
    }

    function test_gas_settle_failed() public {
        uint256 id = _openAvailability(challenger, version, _indices(1));
        _respond(responder, id, _indices(1));
        vm.prank(keeper);
        challenges.settle(id);
        vm.assertLe(vm.snapshotGasLastCall("settle (failed)"), 150_000);
    }

    function test_gas_settle_upheld() public {
        _signal(curator2, version, 500e18);
        uint256 id = _openAvailability(challenger, version, _indices(1));
        vm.warp(block.timestamp + _terms().responseWindow + 1);
        vm.prank(keeper);
        challenges.settle(id);
        vm.assertLe(vm.snapshotGasLastCall("settle (upheld)"), 150_000);
    }

    /// @notice Answers a challenge on `n` 4 KiB chunks (indices 0..n-1) of a 2^20-chunk version: the first 16
    ///         leaves form a real subtree; the siblings above it are arbitrary, which fixes the content root.
    function _respondDepth20(uint256 n) internal {
        bytes[] memory sub = MerkleBuilder.chunks(16, 4096, 4096, 42);
        bytes32[] memory upper = new bytes32[](DEPTH - 4);
        for (uint256 h; h < upper.length; ++h) {
            upper[h] = keccak256(abi.encode("sibling", h));
        }
        ICuriaRegistry.PublishParams memory p = _params(modelId, 1, 3, bytes32(0), 100e18);
        p.contentRoot = MerkleBuilder.rootUnder(sub, upper);
        p.numChunks = uint64(1 << DEPTH);
        p.totalBytes = uint64((1 << DEPTH) * 4096);
        vm.prank(publisher);
        bytes32 big = registry.publish(p);

        (uint32[] memory indices, bytes[] memory answer, bytes32[][] memory proofs) =
            MerkleBuilder.answerUnder(sub, upper, n);
        uint256 id = _openAvailability(challenger, big, indices);
        vm.prank(responder);
        challenges.respond(id, indices, answer, proofs);
    }
}
