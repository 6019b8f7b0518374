// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {Vm} from "./utils/Vm.sol";
import {ICuriaChallenges} from "../src/interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @notice Unit tests of CuriaRegistry: models, two-step model ownership, publish, retire, withdrawBond, the
///         challenge hooks and the views.
contract CuriaRegistryTest is CuriaFixture {
    address internal stranger = makeAddr("stranger");

    bytes32 internal modelId;
    uint256 internal constant MIN_BOND = 100e18;
    uint256 internal constant THAW = 7 days;

    function setUp() public override {
        super.setUp();
        modelId = _createModel(publisher, "model");
    }

    // ------------------------------------------------------------ helpers

    /// @notice Publish params with a made-up (nonzero) content root: the registry never checks the tree itself.
    function _p(bytes32 modelId_, uint256 seed) internal pure returns (ICuriaRegistry.PublishParams memory p) {
        p.modelId = modelId_;
        p.contentRoot = keccak256(abi.encode("root", seed));
        p.manifestDigest = keccak256(abi.encode("manifest", seed));
        p.numChunks = 5;
        p.totalBytes = 4 * 4096 + 1000;
        p.locations = new string[](2);
        p.locations[0] = "hf://curia/test@main";
        p.locations[1] = "ipfs://bafybeigdyrzt";
        p.parent = bytes32(0);
        p.metadataURI = "ipfs://meta";
        p.bond = MIN_BOND;
    }

    /// @notice The MR1 version id, computed here from the DESIGN formula (independently of the MR1 library).
    function _vid(ICuriaRegistry.PublishParams memory p) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("curia.mr1"), p.contentRoot, p.manifestDigest, uint256(p.numChunks), uint256(p.totalBytes)
            )
        );
    }

    function _pub(address who, ICuriaRegistry.PublishParams memory p) internal returns (bytes32 v) {
        vm.prank(who);
        v = registry.publish(p);
    }

    function _pubSeed(uint256 seed) internal returns (bytes32) {
        return _pub(publisher, _p(modelId, seed));
    }

    function _expectPublishRevert(ICuriaRegistry.PublishParams memory p, bytes memory err) internal {
        vm.prank(publisher);
        vm.expectRevert(err);
        registry.publish(p);
    }

    function _string(uint256 len) internal pure returns (string memory) {
        bytes memory b = new bytes(len);
        for (uint256 i; i < len; ++i) {
            b[i] = "a";
        }
        return string(b);
    }

    function _status(bytes32 v) internal view returns (uint256) {
        return uint256(registry.getVersion(v).status);
    }

    function _setTerms(uint256 minBond, uint32 thaw) internal {
        ICuriaConfig.Terms memory t = config.currentTerms();
        t.minPublisherBond = uint96(minBond);
        t.thawPeriod = thaw;
        vm.prank(gov);
        config.setTerms(t);
    }

    function _pause() internal {
        vm.prank(gov);
        config.pause();
    }

    // ---------------------------------------------------------- createModel

    function test_createModel_storesOwnerAndEmits() public {
        bytes32 expected = keccak256(abi.encode(publisher2, "llama-3"));
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.ModelCreated(expected, publisher2, "llama-3", "ipfs://card");
        vm.prank(publisher2);
        bytes32 id = registry.createModel("llama-3", "ipfs://card");
        vm.assertEq(id, expected);
        ICuriaRegistry.Model memory m = registry.getModel(id);
        vm.assertEq(m.owner, publisher2);
        vm.assertEq(m.pendingOwner, address(0));
    }

    function test_createModel_sameNameDifferentCreators() public {
        bytes32 a = _createModel(publisher2, "model");
        vm.assertEq(a, keccak256(abi.encode(publisher2, "model")));
        vm.assertNotEq(a, modelId);
        vm.assertEq(registry.getModel(a).owner, publisher2);
        vm.assertEq(registry.getModel(modelId).owner, publisher);
    }

    function test_createModel_nameBoundsAccepted() public {
        string memory n128 = _string(128);
        vm.startPrank(publisher2);
        bytes32 a = registry.createModel("x", "");
        bytes32 b = registry.createModel(n128, "");
        vm.stopPrank();
        vm.assertEq(a, keccak256(abi.encode(publisher2, "x")));
        vm.assertEq(b, keccak256(abi.encode(publisher2, n128)));
        vm.assertEq(registry.getModel(b).owner, publisher2);
    }

    function test_RevertWhen_createModel_emptyName() public {
        vm.prank(publisher2);
        vm.expectRevert(ICuriaRegistry.InvalidModelName.selector);
        registry.createModel("", "ipfs://card");
    }

    function test_RevertWhen_createModel_nameOf129Bytes() public {
        string memory n = _string(129);
        vm.prank(publisher2);
        vm.expectRevert(ICuriaRegistry.InvalidModelName.selector);
        registry.createModel(n, "ipfs://card");
    }

    function test_RevertWhen_createModel_exists() public {
        vm.prank(publisher);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.ModelExists.selector, modelId));
        registry.createModel("model", "other metadata");
    }

    function test_RevertWhen_createModel_paused() public {
        _pause();
        vm.prank(publisher2);
        vm.expectRevert(ICuriaConfig.ProtocolPaused.selector);
        registry.createModel("model", "");
    }

    function test_createModel_afterUnpause() public {
        _pause();
        vm.prank(gov);
        config.unpause();
        bytes32 id = _createModel(publisher2, "model");
        vm.assertEq(registry.getModel(id).owner, publisher2);
    }

    // -------------------------------------------------- model ownership

    function test_transferModelOwnership_setsPendingAndEmits() public {
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.ModelOwnershipTransferStarted(modelId, publisher, publisher2);
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        ICuriaRegistry.Model memory m = registry.getModel(modelId);
        vm.assertEq(m.owner, publisher);
        vm.assertEq(m.pendingOwner, publisher2);
    }

    function test_acceptModelOwnership_transfersAndEmits() public {
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.ModelOwnershipTransferred(modelId, publisher, publisher2);
        vm.prank(publisher2);
        registry.acceptModelOwnership(modelId);
        ICuriaRegistry.Model memory m = registry.getModel(modelId);
        vm.assertEq(m.owner, publisher2);
        vm.assertEq(m.pendingOwner, address(0));
    }

    function test_transferModelOwnership_zeroCancels() public {
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.ModelOwnershipTransferStarted(modelId, publisher, address(0));
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, address(0));
        vm.assertEq(registry.getModel(modelId).pendingOwner, address(0));
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPendingOwner.selector, modelId, publisher2));
        registry.acceptModelOwnership(modelId);
        vm.assertEq(registry.getModel(modelId).owner, publisher);
    }

    function test_transferModelOwnership_secondOfferReplacesFirst() public {
        vm.startPrank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        registry.transferModelOwnership(modelId, stranger);
        vm.stopPrank();
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPendingOwner.selector, modelId, publisher2));
        registry.acceptModelOwnership(modelId);
        vm.prank(stranger);
        registry.acceptModelOwnership(modelId);
        vm.assertEq(registry.getModel(modelId).owner, stranger);
    }

    function test_RevertWhen_transferModelOwnership_notOwner() public {
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotModelOwner.selector, modelId, publisher2));
        registry.transferModelOwnership(modelId, publisher2);
    }

    function test_RevertWhen_transferModelOwnership_byPendingOwner() public {
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotModelOwner.selector, modelId, publisher2));
        registry.transferModelOwnership(modelId, stranger);
    }

    function test_RevertWhen_transferModelOwnership_unknownModel() public {
        bytes32 unknown = keccak256("nope");
        vm.prank(publisher);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.UnknownModel.selector, unknown));
        registry.transferModelOwnership(unknown, publisher2);
    }

    function test_RevertWhen_acceptModelOwnership_notPendingOwner() public {
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPendingOwner.selector, modelId, stranger));
        registry.acceptModelOwnership(modelId);
    }

    function test_RevertWhen_acceptModelOwnership_noOffer() public {
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPendingOwner.selector, modelId, publisher2));
        registry.acceptModelOwnership(modelId);
        // Not even the owner can "accept" its own model.
        vm.prank(publisher);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPendingOwner.selector, modelId, publisher));
        registry.acceptModelOwnership(modelId);
    }

    function test_RevertWhen_acceptModelOwnership_unknownModel() public {
        bytes32 unknown = keccak256("nope");
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.UnknownModel.selector, unknown));
        registry.acceptModelOwnership(unknown);
    }

    function test_acceptModelOwnership_newOwnerPublishesOldCannot() public {
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        // Until acceptance the old owner still publishes and the pending owner cannot.
        ICuriaRegistry.PublishParams memory p1 = _p(modelId, 1);
        _expectPublishRevertAs(
            publisher2, p1, abi.encodeWithSelector(ICuriaRegistry.NotModelOwner.selector, modelId, publisher2)
        );
        bytes32 v1 = _pub(publisher, p1);

        vm.prank(publisher2);
        registry.acceptModelOwnership(modelId);

        ICuriaRegistry.PublishParams memory p2 = _p(modelId, 2);
        _expectPublishRevertAs(
            publisher, p2, abi.encodeWithSelector(ICuriaRegistry.NotModelOwner.selector, modelId, publisher)
        );
        bytes32 v2 = _pub(publisher2, p2);
        vm.assertEq(registry.getVersion(v2).publisher, publisher2);
        vm.assertEq(registry.getVersion(v2).modelId, modelId);
        // The earlier version stays the old owner's: it retires it, the new model owner cannot.
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPublisher.selector, v1, publisher2));
        registry.retire(v1);
        vm.prank(publisher);
        registry.retire(v1);
        // The model id does not change with the owner.
        vm.assertEq(registry.modelIdOf(publisher, "model"), modelId);
    }

    function test_modelOwnership_worksWhilePaused() public {
        _pause();
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        vm.prank(publisher2);
        registry.acceptModelOwnership(modelId);
        vm.assertEq(registry.getModel(modelId).owner, publisher2);
    }

    function _expectPublishRevertAs(address who, ICuriaRegistry.PublishParams memory p, bytes memory err) internal {
        vm.prank(who);
        vm.expectRevert(err);
        registry.publish(p);
    }

    // -------------------------------------------------------------- publish

    function test_publish_storesVersion() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.bond = 150e18;
        bytes32 v = _pub(publisher, p);
        ICuriaRegistry.Version memory ver = registry.getVersion(v);
        vm.assertEq(ver.modelId, modelId);
        vm.assertEq(ver.contentRoot, p.contentRoot);
        vm.assertEq(ver.publisher, publisher);
        vm.assertEq(uint256(ver.status), uint256(ICuriaRegistry.VersionStatus.Active));
        vm.assertEq(uint256(ver.termsId), 1);
        vm.assertEq(uint256(ver.publishedAt), 1_700_000_000);
        vm.assertEq(uint256(ver.bond), 150e18);
        vm.assertEq(uint256(ver.numChunks), 5);
        vm.assertEq(uint256(ver.thawEnd), 0);
        (address pubr, ICuriaRegistry.VersionStatus st) = registry.publisherAndStatus(v);
        vm.assertEq(pubr, publisher);
        vm.assertEq(uint256(st), uint256(ICuriaRegistry.VersionStatus.Active));
    }

    function test_publish_versionIdIsMR1Formula() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 7);
        bytes32 v = _pub(publisher, p);
        vm.assertEq(v, _vid(p));
        // Hand-expanded: the domain is keccak256("curia.mr1").
        vm.assertEq(
            v,
            keccak256(
                abi.encodePacked(
                    keccak256(bytes("curia.mr1")), p.contentRoot, p.manifestDigest, uint256(5), uint256(4 * 4096 + 1000)
                )
            )
        );
    }

    function test_publish_versionIdIgnoresLocationsMetadataParentAndBond() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 3);
        bytes32 expected = _vid(p);
        p.locations = new string[](1);
        p.locations[0] = "s3://bucket/key";
        p.metadataURI = "";
        p.bond = 123e18;
        vm.assertEq(_pub(publisher, p), expected);
    }

    function test_publish_emitsVersionPublishedWithParams() public {
        bytes32 parent = _pubSeed(100);
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.parent = parent;
        p.bond = 111e18;
        p.metadataURI = "ipfs://card-v2";
        bytes32 expected = _vid(p);
        vm.recordLogs();
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionPublished(expected, modelId, publisher, 1, p);
        vm.prank(publisher);
        registry.publish(p);
        // VersionPublished is the registry's only event for a publish (the token emits its Transfer).
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 n;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(registry)) ++n;
        }
        vm.assertEq(n, 1);
    }

    function test_publish_transfersBond() public {
        uint256 pubBefore = token.balanceOf(publisher);
        uint256 regBefore = token.balanceOf(address(registry));
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.bond = 250e18;
        _pub(publisher, p);
        vm.assertEq(token.balanceOf(publisher), pubBefore - 250e18);
        vm.assertEq(token.balanceOf(address(registry)), regBefore + 250e18);
    }

    function test_publish_bondAtMinimumAccepted() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.bond = MIN_BOND;
        bytes32 v = _pub(publisher, p);
        vm.assertEq(uint256(registry.getVersion(v).bond), MIN_BOND);
    }

    function test_publish_recordsTermsIdInForce() public {
        bytes32 v1 = _pubSeed(1);
        _setTerms(MIN_BOND, 30 days);
        ICuriaRegistry.PublishParams memory p = _p(modelId, 2);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionPublished(_vid(p), modelId, publisher, 2, p);
        bytes32 v2 = _pub(publisher, p);
        vm.assertEq(uint256(registry.getVersion(v1).termsId), 1);
        vm.assertEq(uint256(registry.getVersion(v2).termsId), 2);
    }

    function test_publish_laterMinBondIncreaseDoesNotAffectExisting() public {
        bytes32 v = _pubSeed(1);
        _setTerms(200e18, uint32(THAW));
        // The existing version keeps its bond and its rights.
        ICuriaRegistry.Version memory ver = registry.getVersion(v);
        vm.assertEq(uint256(ver.bond), MIN_BOND);
        vm.assertEq(uint256(ver.status), uint256(ICuriaRegistry.VersionStatus.Active));
        _signal(curator1, v, 50e18);
        vm.prank(publisher);
        registry.retire(v);
        vm.warp(block.timestamp + THAW);
        uint256 before = token.balanceOf(publisher);
        vm.prank(publisher);
        vm.assertEq(registry.withdrawBond(v), MIN_BOND);
        vm.assertEq(token.balanceOf(publisher), before + MIN_BOND);
        // A new version needs the new minimum.
        ICuriaRegistry.PublishParams memory p = _p(modelId, 2);
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.BondTooLow.selector, MIN_BOND, 200e18));
        p.bond = 200e18;
        _pub(publisher, p);
    }

    function test_publish_parentAcrossPublishers() public {
        bytes32 parent = _pubSeed(1);
        bytes32 m2 = _createModel(publisher2, "fork");
        ICuriaRegistry.PublishParams memory p = _p(m2, 2);
        p.parent = parent;
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionPublished(_vid(p), m2, publisher2, 1, p);
        bytes32 child = _pub(publisher2, p);
        vm.assertEq(registry.getVersion(child).publisher, publisher2);
        vm.assertEq(registry.getVersion(child).modelId, m2);
    }

    function test_publish_parentMayBeRetired() public {
        bytes32 parent = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(parent);
        ICuriaRegistry.PublishParams memory p = _p(modelId, 2);
        p.parent = parent;
        bytes32 child = _pub(publisher, p);
        vm.assertEq(_status(child), uint256(ICuriaRegistry.VersionStatus.Active));
    }

    function test_publish_commitmentBoundsAccepted() public {
        // totalBytes == numChunks (every chunk one byte).
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.numChunks = 3;
        p.totalBytes = 3;
        _pub(publisher, p);
        // totalBytes == numChunks * 4096 (every chunk full).
        p = _p(modelId, 2);
        p.numChunks = 3;
        p.totalBytes = 3 * 4096;
        bytes32 v = _pub(publisher, p);
        vm.assertEq(uint256(registry.getVersion(v).numChunks), 3);
        // One chunk of one byte.
        p = _p(modelId, 3);
        p.numChunks = 1;
        p.totalBytes = 1;
        _pub(publisher, p);
    }

    function test_publish_locationBoundsAccepted() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.locations = new string[](16);
        for (uint256 i; i < 16; ++i) {
            p.locations[i] = i == 15 ? _string(512) : "x";
        }
        bytes32 v = _pub(publisher, p);
        vm.assertEq(v, _vid(p));
    }

    function test_RevertWhen_publish_zeroRoot() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.contentRoot = bytes32(0);
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidCommitment.selector));
    }

    function test_RevertWhen_publish_zeroChunks() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.numChunks = 0;
        p.totalBytes = 0;
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidCommitment.selector));
        p.totalBytes = 100;
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidCommitment.selector));
    }

    function test_RevertWhen_publish_totalBytesBelowNumChunks() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.numChunks = 5;
        p.totalBytes = 4;
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidCommitment.selector));
    }

    function test_RevertWhen_publish_totalBytesAboveChunkCapacity() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.numChunks = 5;
        p.totalBytes = 5 * 4096 + 1;
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidCommitment.selector));
    }

    function test_publish_largestCommitmentAccepted() public {
        // No overflow for the largest values: numChunks * 4096 is computed in 256 bits.
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.numChunks = type(uint64).max;
        p.totalBytes = type(uint64).max;
        bytes32 v = _pub(publisher, p);
        vm.assertEq(uint256(registry.getVersion(v).numChunks), type(uint64).max);
    }

    function test_RevertWhen_publish_noLocations() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.locations = new string[](0);
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidLocations.selector));
    }

    function test_RevertWhen_publish_seventeenLocations() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.locations = new string[](17);
        for (uint256 i; i < 17; ++i) {
            p.locations[i] = "hf://x@y";
        }
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidLocations.selector));
    }

    function test_RevertWhen_publish_emptyLocation() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.locations[1] = "";
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidLocations.selector));
    }

    function test_RevertWhen_publish_locationOf513Bytes() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.locations[0] = _string(513);
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.InvalidLocations.selector));
    }

    function test_RevertWhen_publish_unknownParent() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.parent = keccak256("no such version");
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.UnknownParent.selector, p.parent));
    }

    function test_RevertWhen_publish_bondTooLow() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.bond = MIN_BOND - 1;
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.BondTooLow.selector, MIN_BOND - 1, MIN_BOND));
        p.bond = 0;
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.BondTooLow.selector, 0, MIN_BOND));
    }

    function test_RevertWhen_publish_versionExists() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        bytes32 v = _pub(publisher, p);
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.VersionExists.selector, v));
    }

    function test_RevertWhen_publish_sameContentByAnotherPublisher() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        bytes32 v = _pub(publisher, p);
        bytes32 m2 = _createModel(publisher2, "copy");
        ICuriaRegistry.PublishParams memory q = _p(m2, 1);
        q.locations[0] = "https://mirror.example/weights";
        q.bond = 500e18;
        _expectPublishRevertAs(publisher2, q, abi.encodeWithSelector(ICuriaRegistry.VersionExists.selector, v));
    }

    function test_publish_sameRootDifferentManifestIsNewVersion() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        bytes32 v1 = _pub(publisher, p);
        p.manifestDigest = keccak256("another manifest");
        bytes32 v2 = _pub(publisher, p);
        vm.assertNotEq(v1, v2);
        vm.assertEq(v2, _vid(p));
    }

    function test_RevertWhen_publish_unknownModel() public {
        bytes32 unknown = keccak256("nope");
        ICuriaRegistry.PublishParams memory p = _p(unknown, 1);
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaRegistry.UnknownModel.selector, unknown));
    }

    function test_RevertWhen_publish_notModelOwner() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        _expectPublishRevertAs(
            publisher2, p, abi.encodeWithSelector(ICuriaRegistry.NotModelOwner.selector, modelId, publisher2)
        );
    }

    function test_RevertWhen_publish_paused() public {
        _pause();
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        _expectPublishRevert(p, abi.encodeWithSelector(ICuriaConfig.ProtocolPaused.selector));
    }

    function test_RevertWhen_publish_insufficientAllowance() public {
        vm.prank(publisher);
        token.approve(address(registry), MIN_BOND - 1);
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        vm.prank(publisher);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(registry), MIN_BOND - 1, MIN_BOND
            )
        );
        registry.publish(p);
        vm.assertEq(registry.getVersion(_vid(p)).publisher, address(0));
    }

    // --------------------------------------------------------------- retire

    function test_retire_setsRetiredAndThawEnd() public {
        bytes32 v = _pubSeed(1);
        vm.warp(block.timestamp + 1 days);
        uint40 thawEnd = uint40(block.timestamp + THAW);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionRetired(v, thawEnd);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Retired);
        vm.prank(publisher);
        registry.retire(v);
        ICuriaRegistry.Version memory ver = registry.getVersion(v);
        vm.assertEq(uint256(ver.status), uint256(ICuriaRegistry.VersionStatus.Retired));
        vm.assertEq(uint256(ver.thawEnd), uint256(thawEnd));
        vm.assertEq(uint256(ver.thawEnd), 1_700_000_000 + 1 days + 7 days);
        vm.assertEq(uint256(ver.bond), MIN_BOND);
    }

    function test_retire_usesVersionTermsThawPeriod() public {
        bytes32 v1 = _pubSeed(1);
        _setTerms(MIN_BOND, 30 days);
        bytes32 v2 = _pubSeed(2);
        vm.prank(publisher);
        registry.retire(v1);
        vm.prank(publisher);
        registry.retire(v2);
        vm.assertEq(uint256(registry.getVersion(v1).thawEnd), block.timestamp + 7 days);
        vm.assertEq(uint256(registry.getVersion(v2).thawEnd), block.timestamp + 30 days);
    }

    function test_retire_usesVersionTermsAfterShorterThaw() public {
        bytes32 v = _pubSeed(1);
        _setTerms(MIN_BOND, 5 days);
        vm.prank(publisher);
        registry.retire(v);
        vm.assertEq(uint256(registry.getVersion(v).thawEnd), block.timestamp + 7 days);
        vm.warp(block.timestamp + 5 days);
        vm.prank(publisher);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.StillThawing.selector, uint40(1_700_000_000 + 7 days)));
        registry.withdrawBond(v);
    }

    function test_retire_worksWhilePaused() public {
        bytes32 v = _pubSeed(1);
        _pause();
        vm.prank(publisher);
        registry.retire(v);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Retired));
    }

    function test_RevertWhen_retire_unknownVersion() public {
        bytes32 v = keccak256("nope");
        vm.prank(publisher);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.UnknownVersion.selector, v));
        registry.retire(v);
    }

    function test_RevertWhen_retire_notPublisher() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPublisher.selector, v, publisher2));
        registry.retire(v);
    }

    function test_RevertWhen_retire_alreadyRetired() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        vm.prank(publisher);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Retired)
        );
        registry.retire(v);
    }

    function test_RevertWhen_retire_challenged() public {
        bytes32 v = _pubSeed(1);
        _openDispute(challenger, v);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Challenged));
        vm.prank(publisher);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Challenged)
        );
        registry.retire(v);
    }

    function test_RevertWhen_retire_slashed() public {
        bytes32 v = _pubSeed(1);
        _slashViaDispute(v);
        vm.prank(publisher);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Slashed)
        );
        registry.retire(v);
    }

    function _slashViaDispute(bytes32 v) internal {
        uint256 id = _openDispute(challenger, v);
        vm.prank(arbitrator);
        challenges.rule(id, ICuriaChallenges.Ruling.Upheld);
        vm.prank(keeper);
        challenges.settle(id);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Slashed));
    }

    // ---------------------------------------------------------- withdrawBond

    function test_withdrawBond_paysExactBondAfterThaw() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.bond = 321e18;
        bytes32 v = _pub(publisher, p);
        vm.prank(publisher);
        registry.retire(v);
        uint40 thawEnd = registry.getVersion(v).thawEnd;
        vm.warp(thawEnd); // exactly at thawEnd is allowed
        uint256 pubBefore = token.balanceOf(publisher);
        uint256 regBefore = token.balanceOf(address(registry));
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.BondWithdrawn(v, publisher, 321e18);
        vm.prank(publisher);
        uint256 amount = registry.withdrawBond(v);
        vm.assertEq(amount, 321e18);
        vm.assertEq(token.balanceOf(publisher), pubBefore + 321e18);
        vm.assertEq(token.balanceOf(address(registry)), regBefore - 321e18);
        ICuriaRegistry.Version memory ver = registry.getVersion(v);
        vm.assertEq(uint256(ver.bond), 0);
        vm.assertEq(uint256(ver.status), uint256(ICuriaRegistry.VersionStatus.Retired));
    }

    function test_withdrawBond_worksWhilePaused() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        _pause();
        vm.warp(block.timestamp + THAW);
        vm.prank(publisher);
        vm.assertEq(registry.withdrawBond(v), MIN_BOND);
    }

    function test_withdrawBond_paidToPublisherAfterModelTransfer() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.transferModelOwnership(modelId, publisher2);
        vm.prank(publisher2);
        registry.acceptModelOwnership(modelId);
        vm.prank(publisher);
        registry.retire(v);
        vm.warp(block.timestamp + THAW);
        vm.prank(publisher2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPublisher.selector, v, publisher2));
        registry.withdrawBond(v);
        uint256 before = token.balanceOf(publisher);
        vm.prank(publisher);
        registry.withdrawBond(v);
        vm.assertEq(token.balanceOf(publisher), before + MIN_BOND);
    }

    function test_RevertWhen_withdrawBond_stillThawing() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        uint40 thawEnd = uint40(block.timestamp + THAW);
        vm.prank(publisher);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.StillThawing.selector, thawEnd));
        registry.withdrawBond(v);
        vm.warp(thawEnd - 1);
        vm.prank(publisher);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.StillThawing.selector, thawEnd));
        registry.withdrawBond(v);
    }

    function test_RevertWhen_withdrawBond_active() public {
        bytes32 v = _pubSeed(1);
        vm.warp(block.timestamp + 365 days);
        vm.prank(publisher);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Active)
        );
        registry.withdrawBond(v);
    }

    function test_RevertWhen_withdrawBond_challengedAfterRetire() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        _openDispute(challenger, v);
        vm.warp(block.timestamp + THAW);
        vm.prank(publisher);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Challenged)
        );
        registry.withdrawBond(v);
    }

    function test_withdrawBond_afterDismissedChallengeOfRetiredVersion() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        uint256 id = _openDispute(challenger, v);
        vm.warp(block.timestamp + 3 days + 1); // past the ruling window, no ruling: dismissed
        challenges.settle(id);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Retired));
        vm.warp(block.timestamp + THAW);
        vm.prank(publisher);
        vm.assertEq(registry.withdrawBond(v), MIN_BOND);
    }

    function test_RevertWhen_withdrawBond_slashed() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        _slashViaDispute(v);
        vm.warp(block.timestamp + THAW);
        vm.prank(publisher);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Slashed)
        );
        registry.withdrawBond(v);
    }

    function test_RevertWhen_withdrawBond_secondTime() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        vm.warp(block.timestamp + THAW);
        vm.prank(publisher);
        registry.withdrawBond(v);
        vm.prank(publisher);
        vm.expectRevert(ICuriaRegistry.NothingToWithdraw.selector);
        registry.withdrawBond(v);
    }

    function test_RevertWhen_withdrawBond_notPublisher() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        vm.warp(block.timestamp + THAW);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.NotPublisher.selector, v, stranger));
        registry.withdrawBond(v);
    }

    function test_RevertWhen_withdrawBond_unknownVersion() public {
        bytes32 v = keccak256("nope");
        vm.prank(publisher);
        vm.expectRevert(abi.encodeWithSelector(ICuriaRegistry.UnknownVersion.selector, v));
        registry.withdrawBond(v);
    }

    // ------------------------------------------------------ challenge hooks

    function test_RevertWhen_markChallenged_notChallenges() public {
        bytes32 v = _pubSeed(1);
        address[4] memory callers = [publisher, gov, address(curation), address(registry)];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(ICuriaRegistry.OnlyChallenges.selector);
            registry.markChallenged(v);
        }
    }

    function test_RevertWhen_clearChallenge_notChallenges() public {
        bytes32 v = _pubSeed(1);
        _openDispute(challenger, v);
        address[4] memory callers = [publisher, gov, address(curation), arbitrator];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(ICuriaRegistry.OnlyChallenges.selector);
            registry.clearChallenge(v);
        }
    }

    function test_RevertWhen_slash_notChallenges() public {
        bytes32 v = _pubSeed(1);
        _openDispute(challenger, v);
        address[4] memory callers = [publisher, gov, address(curation), arbitrator];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(ICuriaRegistry.OnlyChallenges.selector);
            registry.slash(v);
        }
        vm.assertEq(uint256(registry.getVersion(v).bond), MIN_BOND);
    }

    function test_markChallenged_fromActiveAndClear() public {
        bytes32 v = _pubSeed(1);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Challenged);
        vm.prank(address(challenges));
        registry.markChallenged(v);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Challenged));

        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Active);
        vm.prank(address(challenges));
        registry.clearChallenge(v);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Active));
    }

    function test_clearChallenge_restoresRetired() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        uint40 thawEnd = registry.getVersion(v).thawEnd;
        vm.prank(address(challenges));
        registry.markChallenged(v);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Retired);
        vm.prank(address(challenges));
        registry.clearChallenge(v);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Retired));
        vm.assertEq(uint256(registry.getVersion(v).thawEnd), uint256(thawEnd));
    }

    function test_RevertWhen_markChallenged_wrongStatus() public {
        bytes32 unknown = keccak256("nope");
        vm.prank(address(challenges));
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, unknown, ICuriaRegistry.VersionStatus.None)
        );
        registry.markChallenged(unknown);

        bytes32 v = _pubSeed(1);
        vm.prank(address(challenges));
        registry.markChallenged(v);
        vm.prank(address(challenges));
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Challenged)
        );
        registry.markChallenged(v);

        vm.prank(address(challenges));
        registry.slash(v);
        vm.prank(address(challenges));
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Slashed)
        );
        registry.markChallenged(v);
    }

    function test_RevertWhen_clearChallenge_notChallenged() public {
        bytes32 v = _pubSeed(1);
        vm.prank(address(challenges));
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Active)
        );
        registry.clearChallenge(v);
    }

    function test_RevertWhen_slash_notChallenged() public {
        bytes32 v = _pubSeed(1);
        vm.prank(address(challenges));
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Active)
        );
        registry.slash(v);
        vm.prank(publisher);
        registry.retire(v);
        vm.prank(address(challenges));
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Retired)
        );
        registry.slash(v);
    }

    function test_slash_sendsWholeBondToChallenges() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.bond = 777e18;
        bytes32 v = _pub(publisher, p);
        vm.prank(address(challenges));
        registry.markChallenged(v);
        uint256 chBefore = token.balanceOf(address(challenges));
        uint256 regBefore = token.balanceOf(address(registry));
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.BondSlashed(v, 777e18);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Slashed);
        vm.prank(address(challenges));
        uint256 amount = registry.slash(v);
        vm.assertEq(amount, 777e18);
        vm.assertEq(token.balanceOf(address(challenges)), chBefore + 777e18);
        vm.assertEq(token.balanceOf(address(registry)), regBefore - 777e18);
        vm.assertEq(uint256(registry.getVersion(v).bond), 0);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Slashed));
    }

    function test_slash_retiredVersionWithWithdrawnBondSlashesZero() public {
        bytes32 v = _pubSeed(1);
        vm.prank(publisher);
        registry.retire(v);
        vm.warp(block.timestamp + THAW);
        vm.prank(publisher);
        registry.withdrawBond(v);
        vm.prank(address(challenges));
        registry.markChallenged(v);
        uint256 chBefore = token.balanceOf(address(challenges));
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.BondSlashed(v, 0);
        vm.prank(address(challenges));
        vm.assertEq(registry.slash(v), 0);
        vm.assertEq(token.balanceOf(address(challenges)), chBefore);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Slashed));
    }

    function test_hooks_viaRealChallengeFlow() public {
        bytes32 v = _pubSeed(1);
        uint256 id = _openDispute(challenger, v);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Challenged));
        vm.prank(arbitrator);
        challenges.rule(id, ICuriaChallenges.Ruling.Rejected);
        challenges.settle(id);
        vm.assertEq(_status(v), uint256(ICuriaRegistry.VersionStatus.Active));
        vm.assertEq(uint256(registry.getVersion(v).bond), MIN_BOND);
    }

    // ----------------------------------------------------------------- views

    function test_getModel_unknownIsEmpty() public view {
        ICuriaRegistry.Model memory m = registry.getModel(keccak256("nope"));
        vm.assertEq(m.owner, address(0));
        vm.assertEq(m.pendingOwner, address(0));
    }

    function test_getVersion_unknownIsEmpty() public view {
        ICuriaRegistry.Version memory ver = registry.getVersion(keccak256("nope"));
        vm.assertEq(ver.publisher, address(0));
        vm.assertEq(uint256(ver.status), uint256(ICuriaRegistry.VersionStatus.None));
        vm.assertEq(uint256(ver.bond), 0);
        vm.assertEq(ver.modelId, bytes32(0));
        (address p, ICuriaRegistry.VersionStatus s) = registry.publisherAndStatus(keccak256("nope"));
        vm.assertEq(p, address(0));
        vm.assertEq(uint256(s), 0);
    }

    function test_publisherAndStatus_followsLifecycle() public {
        bytes32 v = _pubSeed(1);
        (address p, ICuriaRegistry.VersionStatus s) = registry.publisherAndStatus(v);
        vm.assertEq(p, publisher);
        vm.assertEq(uint256(s), uint256(ICuriaRegistry.VersionStatus.Active));
        vm.prank(publisher);
        registry.retire(v);
        (p, s) = registry.publisherAndStatus(v);
        vm.assertEq(p, publisher);
        vm.assertEq(uint256(s), uint256(ICuriaRegistry.VersionStatus.Retired));
        _openDispute(challenger, v);
        (, s) = registry.publisherAndStatus(v);
        vm.assertEq(uint256(s), uint256(ICuriaRegistry.VersionStatus.Challenged));
    }

    function test_modelIdOf_matchesFormula() public view {
        vm.assertEq(registry.modelIdOf(publisher, "model"), keccak256(abi.encode(publisher, "model")));
        vm.assertEq(registry.modelIdOf(publisher, "model"), modelId);
        vm.assertEq(registry.modelIdOf(curator1, "a/b c"), keccak256(abi.encode(curator1, string("a/b c"))));
        vm.assertNotEq(registry.modelIdOf(curator1, "model"), modelId);
    }

    function test_balance_equalsSumOfBonds() public {
        ICuriaRegistry.PublishParams memory p = _p(modelId, 1);
        p.bond = 120e18;
        bytes32 v1 = _pub(publisher, p);
        p = _p(modelId, 2);
        p.bond = 130e18;
        _pub(publisher, p);
        vm.assertEq(token.balanceOf(address(registry)), 250e18);
        vm.prank(publisher);
        registry.retire(v1);
        vm.warp(block.timestamp + THAW);
        vm.prank(publisher);
        registry.withdrawBond(v1);
        vm.assertEq(token.balanceOf(address(registry)), 130e18);
    }
}
