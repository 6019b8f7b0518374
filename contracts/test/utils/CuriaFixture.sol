// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "./Test.sol";
import {MerkleBuilder} from "./MerkleBuilder.sol";
import {CuriaChallenges} from "../../src/CuriaChallenges.sol";
import {CuriaConfig} from "../../src/CuriaConfig.sol";
import {CuriaCuration} from "../../src/CuriaCuration.sol";
import {CuriaRegistry} from "../../src/CuriaRegistry.sol";
import {ICuriaChallenges} from "../../src/interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "../../src/interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "../../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../../src/interfaces/ICuriaRegistry.sol";
import {MR1} from "../../src/libraries/MR1.sol";
import {TestToken} from "../../src/test/TestToken.sol";
import {Deploy} from "../../script/Deploy.s.sol";

/// @title CuriaFixture
/// @notice A deployed Curia with funded actors and helpers to create models, publish versions with real MR1
///         trees, signal, and open challenges by commit and reveal. Every test contract starts from it.
abstract contract CuriaFixture is Test {
    TestToken internal token;
    CuriaConfig internal config;
    CuriaRegistry internal registry;
    CuriaCuration internal curation;
    CuriaChallenges internal challenges;

    address internal gov = makeAddr("gov");
    address internal arbitrator = makeAddr("arbitrator");
    address internal publisher = makeAddr("publisher");
    address internal publisher2 = makeAddr("publisher2");
    address internal curator1 = makeAddr("curator1");
    address internal curator2 = makeAddr("curator2");
    address internal curator3 = makeAddr("curator3");
    address internal challenger = makeAddr("challenger");
    address internal responder = makeAddr("responder");
    address internal keeper = makeAddr("keeper");
    address internal rewarder = makeAddr("rewarder");

    address internal constant BURN = 0x000000000000000000000000000000000000dEaD;
    uint256 internal constant FUNDS = 1_000_000e18;
    /// Default chunk count of fixture versions: 5 chunks (depth 3, with padding).
    uint256 internal constant NUM_CHUNKS = 5;

    /// The chunks of the last version published by `_publish`, for proofs.
    bytes[] internal lastChunks;

    function setUp() public virtual {
        Deploy deployer = new Deploy();
        Deploy.Deployment memory d = deployer.deploy(address(0), gov, arbitrator, address(deployer));
        token = TestToken(d.token);
        config = CuriaConfig(d.config);
        registry = CuriaRegistry(d.registry);
        curation = CuriaCuration(d.curation);
        challenges = CuriaChallenges(d.challenges);
        vm.prank(gov);
        config.acceptOwnership();

        address[11] memory actors = [
            gov,
            arbitrator,
            publisher,
            publisher2,
            curator1,
            curator2,
            curator3,
            challenger,
            responder,
            keeper,
            rewarder
        ];
        for (uint256 i; i < actors.length; ++i) {
            _fund(actors[i]);
        }
        vm.warp(1_700_000_000);
        vm.roll(100);
    }

    /// @notice Mints FUNDS to `who` and approves all three contracts for everything.
    function _fund(address who) internal {
        token.mint(who, FUNDS);
        vm.startPrank(who);
        token.approve(address(registry), type(uint256).max);
        token.approve(address(curation), type(uint256).max);
        token.approve(address(challenges), type(uint256).max);
        vm.stopPrank();
    }

    /// @notice The terms in force.
    function _terms() internal view returns (ICuriaConfig.Terms memory) {
        return config.currentTerms();
    }

    function _createModel(address owner, string memory name) internal returns (bytes32 modelId) {
        vm.prank(owner);
        modelId = registry.createModel(name, "ipfs://model-card");
    }

    /// @notice Publish params for `numChunks` fresh chunks derived from `seed` (kept in `lastChunks`).
    function _params(bytes32 modelId, uint256 numChunks, uint256 seed, bytes32 parent, uint256 bond)
        internal
        returns (ICuriaRegistry.PublishParams memory p)
    {
        bytes[] memory cs = MerkleBuilder.chunks(numChunks, MR1.CHUNK_SIZE, 1000, seed);
        delete lastChunks;
        for (uint256 i; i < cs.length; ++i) {
            lastChunks.push(cs[i]);
        }
        p.modelId = modelId;
        p.contentRoot = MerkleBuilder.root(cs);
        p.manifestDigest = keccak256(abi.encode("manifest", seed));
        p.numChunks = uint64(numChunks);
        p.totalBytes = uint64((numChunks - 1) * MR1.CHUNK_SIZE + 1000);
        p.locations = new string[](1);
        p.locations[0] = "hf://curia/test@main";
        p.parent = parent;
        p.metadataURI = "ipfs://meta";
        p.bond = bond;
    }

    /// @notice Creates (once) a model for `owner` and publishes a 5-chunk version from `seed` with the minimum bond.
    function _publish(address owner, uint256 seed) internal returns (bytes32 versionId) {
        bytes32 modelId = registry.modelIdOf(owner, "model");
        if (registry.getModel(modelId).owner == address(0)) _createModel(owner, "model");
        ICuriaRegistry.PublishParams memory p =
            _params(modelId, NUM_CHUNKS, seed, bytes32(0), _terms().minPublisherBond);
        vm.prank(owner);
        versionId = registry.publish(p);
    }

    function _signal(address curator, bytes32 versionId, uint256 amount) internal returns (uint256 shares) {
        vm.prank(curator);
        shares = curation.signal(versionId, amount, 0);
    }

    /// @notice Commits, moves one block on, reveals an availability challenge on `indices`.
    function _openAvailability(address who, bytes32 versionId, uint32[] memory indices) internal returns (uint256 id) {
        bytes32 salt = keccak256(abi.encode(who, versionId, block.number));
        bytes32 c = challenges.availabilityCommitment(who, versionId, indices, salt);
        vm.prank(who);
        challenges.commit(c);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
        vm.prank(who);
        id = challenges.revealAvailability(versionId, indices, salt, type(uint256).max);
    }

    /// @notice Commits, moves one block on, reveals a dispute.
    function _openDispute(address who, bytes32 versionId) internal returns (uint256 id) {
        string memory evidence = "ipfs://evidence";
        bytes32 salt = keccak256(abi.encode(who, versionId, block.number, "dispute"));
        bytes32 c = challenges.disputeCommitment(who, versionId, evidence, salt);
        vm.prank(who);
        challenges.commit(c);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
        vm.prank(who);
        id = challenges.revealDispute(versionId, evidence, salt, type(uint256).max);
    }

    /// @notice Answers `id` with the chunks of `lastChunks` at `indices` and their proofs.
    function _respond(address who, uint256 id, uint32[] memory indices) internal {
        bytes[] memory cs = lastChunks;
        bytes[] memory answer = new bytes[](indices.length);
        bytes32[][] memory proofs = new bytes32[][](indices.length);
        for (uint256 i; i < indices.length; ++i) {
            answer[i] = cs[indices[i]];
            proofs[i] = MerkleBuilder.proof(cs, indices[i]);
        }
        vm.prank(who);
        challenges.respond(id, indices, answer, proofs);
    }

    function _indices(uint32 a) internal pure returns (uint32[] memory out) {
        out = new uint32[](1);
        out[0] = a;
    }

    function _indices(uint32 a, uint32 b) internal pure returns (uint32[] memory out) {
        out = new uint32[](2);
        out[0] = a;
        out[1] = b;
    }

    /// @notice Token balance of the three protocol contracts.
    function _protocolBalance() internal view returns (uint256) {
        return
            token.balanceOf(address(registry)) + token.balanceOf(address(curation))
                + token.balanceOf(address(challenges));
    }
}
