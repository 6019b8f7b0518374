// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MerkleBuilder} from "../test/utils/MerkleBuilder.sol";
import {CuriaChallenges} from "../src/CuriaChallenges.sol";
import {CuriaCuration} from "../src/CuriaCuration.sol";
import {CuriaRegistry} from "../src/CuriaRegistry.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";
import {TestToken} from "../src/test/TestToken.sol";
import {Deploy} from "./Deploy.s.sol";

/// @title GasScenario
/// @notice Sends every protocol operation as a real transaction to a local anvil so that the receipts give the
///         full gas of each (base, calldata, execution). Driven by scripts/bench/gas, which runs `phase1`, moves
///         time past the response window and the thaw, runs `phase2`, and prints the receipts' gasUsed.
contract GasScenario is Deploy {
    string internal constant MNEMONIC = "test test test test test test test test test test test junk";
    string internal constant STATE = "deployments/gas-scenario.local.json";
    uint256 internal constant DEPTH = 20;

    uint256 internal deployerKey;
    uint256 internal publisherKey;
    uint256 internal curator1Key;
    uint256 internal curator2Key;
    uint256 internal challengerKey;
    uint256 internal responderKey;

    TestToken internal token;
    CuriaRegistry internal registry;
    CuriaCuration internal curation;
    CuriaChallenges internal challenges;

    function _keys() internal {
        deployerKey = vm.deriveKey(MNEMONIC, 0);
        publisherKey = vm.deriveKey(MNEMONIC, 1);
        curator1Key = vm.deriveKey(MNEMONIC, 2);
        curator2Key = vm.deriveKey(MNEMONIC, 3);
        challengerKey = vm.deriveKey(MNEMONIC, 4);
        responderKey = vm.deriveKey(MNEMONIC, 5);
    }

    /// @notice Deploys, then publish, signal, reward, unsignal, claim, commit, reveal, respond (1 and 16 chunks at
    ///         depth 20), settle (failed), and opens the challenge `phase2` settles as upheld.
    function phase1() external {
        _keys();
        address deployer = vm.addr(deployerKey);
        vm.startBroadcast(deployerKey);
        Deployment memory d = deploy(address(0), deployer, deployer, deployer);
        vm.stopBroadcast();
        token = TestToken(d.token);
        registry = CuriaRegistry(d.registry);
        curation = CuriaCuration(d.curation);
        challenges = CuriaChallenges(d.challenges);
        _fundActors();
        _operations();
    }

    function _fundActors() internal {
        uint256[5] memory actors = [publisherKey, curator1Key, curator2Key, challengerKey, responderKey];
        for (uint256 i; i < actors.length; ++i) {
            vm.startBroadcast(actors[i]);
            token.mint(vm.addr(actors[i]), 1_000_000e18);
            token.approve(address(registry), type(uint256).max);
            token.approve(address(curation), type(uint256).max);
            token.approve(address(challenges), type(uint256).max);
            vm.stopBroadcast();
        }
    }

    function _operations() internal {
        // A 16-chunk subtree under arbitrary upper siblings: a 2^20-chunk (4 GiB) version.
        bytes[] memory sub = MerkleBuilder.chunks(16, 4096, 4096, 42);
        bytes32[] memory upper = new bytes32[](DEPTH - 4);
        for (uint256 h; h < upper.length; ++h) {
            upper[h] = keccak256(abi.encode("sibling", h));
        }
        bytes32 root = MerkleBuilder.rootUnder(sub, upper);

        vm.startBroadcast(publisherKey);
        bytes32 modelId = registry.createModel("llama-curia-8b", "ipfs://bafy-model-card");
        bytes32 big = registry.publish(_params(modelId, root, uint64(1 << DEPTH), bytes32(0), 1));
        bytes32 small = registry.publish(_params(modelId, keccak256("small"), 250_000, big, 2));
        vm.stopBroadcast();

        _as(curator1Key);
        curation.signal(small, 1_000e18, 0);
        curation.signal(big, 1_000e18, 0);
        vm.stopBroadcast();
        _as(curator2Key);
        curation.signal(small, 500e18, 0); // the measured signal: a second curator
        curation.reward(small, 50e18);
        curation.unsignal(small, 100e18);
        vm.stopBroadcast();
        _as(curator1Key);
        bytes32[] memory vs = new bytes32[](1);
        vs[0] = small;
        curation.claim(vs);
        vm.stopBroadcast();

        // Availability challenges on `big`: 1 chunk, answered and settled; then 16 chunks, answered.
        _challengeAndRespond(big, sub, upper, 1);
        _as(responderKey);
        challenges.settle(challenges.challengeCount());
        vm.stopBroadcast();
        _challengeAndRespond(big, sub, upper, 16);
        _as(responderKey);
        challenges.settle(challenges.challengeCount());
        vm.stopBroadcast();

        // The challenge phase 2 settles as upheld: on `small`, unanswered.
        uint32[] memory one = new uint32[](1);
        one[0] = 7;
        _as(challengerKey);
        challenges.commit(challenges.availabilityCommitment(vm.addr(challengerKey), small, one, bytes32("s")));
        vm.stopBroadcast();
        vm.roll(block.number + 1);
        _as(challengerKey);
        challenges.revealAvailability(small, one, bytes32("s"), type(uint256).max);
        vm.stopBroadcast();

        string memory o = "state";
        vm.serializeAddress(o, "curation", address(curation));
        vm.serializeAddress(o, "challenges", address(challenges));
        vm.writeJson(vm.serializeString(o, "small", vm.toString(uint256(small))), STATE);
    }

    /// @notice After the response window and the thaw: settle (upheld) and withdraw.
    function phase2() external {
        _keys();
        string memory json = vm.readFile(STATE);
        challenges = CuriaChallenges(vm.parseJsonAddress(json, ".challenges"));
        curation = CuriaCuration(vm.parseJsonAddress(json, ".curation"));
        bytes32 small = bytes32(vm.parseUint(vm.parseJsonString(json, ".small")));
        _as(responderKey);
        challenges.settle(challenges.challengeCount());
        vm.stopBroadcast();
        _as(curator2Key);
        curation.withdraw(small);
        vm.stopBroadcast();
    }

    function _as(uint256 key) internal {
        vm.startBroadcast(key);
    }

    function _challengeAndRespond(bytes32 version, bytes[] memory sub, bytes32[] memory upper, uint256 n) internal {
        (uint32[] memory indices, bytes[] memory answer, bytes32[][] memory proofs) =
            MerkleBuilder.answerUnder(sub, upper, n);
        bytes32 salt = keccak256(abi.encode(n));
        _as(challengerKey);
        challenges.commit(challenges.availabilityCommitment(vm.addr(challengerKey), version, indices, salt));
        vm.stopBroadcast();
        vm.roll(block.number + 1);
        _as(challengerKey);
        uint256 id = challenges.revealAvailability(version, indices, salt, type(uint256).max);
        vm.stopBroadcast();
        _as(responderKey);
        challenges.respond(id, indices, answer, proofs);
        vm.stopBroadcast();
    }

    function _params(bytes32 modelId, bytes32 root, uint64 numChunks, bytes32 parent, uint256 seed)
        internal
        pure
        returns (ICuriaRegistry.PublishParams memory p)
    {
        p.modelId = modelId;
        p.contentRoot = root;
        p.manifestDigest = keccak256(abi.encode("manifest", seed));
        p.numChunks = numChunks;
        p.totalBytes = numChunks * 4096;
        p.locations = new string[](2);
        p.locations[0] = "hf://curia-labs/llama-curia-8b@5f2c1e0";
        p.locations[1] = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
        p.parent = parent;
        p.metadataURI = "ipfs://bafy-version-metadata";
        p.bond = 100e18;
    }
}
