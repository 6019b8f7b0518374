// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {CuriaModule} from "./base/CuriaModule.sol";
import {ICuriaConfig} from "./interfaces/ICuriaConfig.sol";
import {ICuriaRegistry} from "./interfaces/ICuriaRegistry.sol";
import {MR1} from "./libraries/MR1.sol";

/// @title CuriaRegistry
/// @notice Models, their versions and the publisher bonds. A version's id is its MR1 version id, so the same
///         content has the same id on every chain and is registered once.
/// @dev Holds exactly the sum of `Version.bond` over all versions.
contract CuriaRegistry is ICuriaRegistry, CuriaModule {
    using SafeERC20 for IERC20;

    uint256 internal constant MAX_NAME_BYTES = 128;
    uint256 internal constant MAX_LOCATIONS = 16;
    uint256 internal constant MAX_LOCATION_BYTES = 512;

    mapping(bytes32 modelId => Model) internal _models;
    mapping(bytes32 versionId => Version) internal _versions;

    /// @param token_ The bond token.
    /// @param config_ The CuriaConfig.
    constructor(IERC20 token_, ICuriaConfig config_) CuriaModule(token_, config_) {}

    modifier onlyChallenges() {
        if (!_isChallenges(msg.sender)) revert OnlyChallenges();
        _;
    }

    // ---------------------------------------------------------------- models

    /// @inheritdoc ICuriaRegistry
    function createModel(string calldata name, string calldata metadataURI)
        external
        whenNotPaused
        returns (bytes32 modelId)
    {
        uint256 len = bytes(name).length;
        if (len == 0 || len > MAX_NAME_BYTES) revert InvalidModelName();
        modelId = keccak256(abi.encode(msg.sender, name));
        if (_models[modelId].owner != address(0)) revert ModelExists(modelId);
        _models[modelId].owner = msg.sender;
        emit ModelCreated(modelId, msg.sender, name, metadataURI);
    }

    /// @inheritdoc ICuriaRegistry
    function transferModelOwnership(bytes32 modelId, address newOwner) external {
        Model storage m = _ownedModel(modelId);
        m.pendingOwner = newOwner;
        emit ModelOwnershipTransferStarted(modelId, msg.sender, newOwner);
    }

    /// @inheritdoc ICuriaRegistry
    function acceptModelOwnership(bytes32 modelId) external {
        Model storage m = _models[modelId];
        if (m.owner == address(0)) revert UnknownModel(modelId);
        if (m.pendingOwner != msg.sender) revert NotPendingOwner(modelId, msg.sender);
        address previous = m.owner;
        m.owner = msg.sender;
        m.pendingOwner = address(0);
        emit ModelOwnershipTransferred(modelId, previous, msg.sender);
    }

    // -------------------------------------------------------------- versions

    /// @inheritdoc ICuriaRegistry
    function publish(PublishParams calldata p) external nonReentrant whenNotPaused returns (bytes32 versionId) {
        _ownedModel(p.modelId);
        if (p.contentRoot == bytes32(0) || p.numChunks == 0) revert InvalidCommitment();
        // Every chunk holds 1 to 4096 bytes.
        if (p.totalBytes < p.numChunks || uint256(p.totalBytes) > uint256(p.numChunks) * MR1.CHUNK_SIZE) {
            revert InvalidCommitment();
        }
        _checkLocations(p.locations);
        if (p.parent != bytes32(0) && _versions[p.parent].publisher == address(0)) revert UnknownParent(p.parent);

        uint32 termsId = config.currentTermsId();
        ICuriaConfig.Terms memory terms = config.currentTerms();
        if (p.bond < terms.minPublisherBond) revert BondTooLow(p.bond, terms.minPublisherBond);

        versionId = MR1.versionId(p.contentRoot, p.manifestDigest, p.numChunks, p.totalBytes);
        Version storage v = _versions[versionId];
        if (v.publisher != address(0)) revert VersionExists(versionId);

        v.modelId = p.modelId;
        v.contentRoot = p.contentRoot;
        v.publisher = msg.sender;
        v.status = VersionStatus.Active;
        v.termsId = termsId;
        v.publishedAt = uint40(block.timestamp);
        v.bond = SafeCast.toUint128(p.bond);
        v.numChunks = p.numChunks;

        emit VersionPublished(versionId, p.modelId, msg.sender, termsId, p);

        token.safeTransferFrom(msg.sender, address(this), p.bond);
    }

    /// @inheritdoc ICuriaRegistry
    function retire(bytes32 versionId) external {
        Version storage v = _publishedBy(versionId);
        if (v.status != VersionStatus.Active) revert WrongStatus(versionId, v.status);
        uint40 thawEnd = uint40(block.timestamp + config.terms(v.termsId).thawPeriod);
        v.status = VersionStatus.Retired;
        v.thawEnd = thawEnd;
        emit VersionRetired(versionId, thawEnd);
        emit VersionStatusChanged(versionId, VersionStatus.Retired);
    }

    /// @inheritdoc ICuriaRegistry
    function withdrawBond(bytes32 versionId) external nonReentrant returns (uint256 amount) {
        Version storage v = _publishedBy(versionId);
        // A challenged version's bond stays locked until the challenge settles.
        if (v.status != VersionStatus.Retired) revert WrongStatus(versionId, v.status);
        if (block.timestamp < v.thawEnd) revert StillThawing(v.thawEnd);
        amount = v.bond;
        if (amount == 0) revert NothingToWithdraw();
        v.bond = 0;
        emit BondWithdrawn(versionId, msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ------------------------------------------------------ challenge hooks

    /// @inheritdoc ICuriaRegistry
    function markChallenged(bytes32 versionId) external onlyChallenges {
        Version storage v = _versions[versionId];
        if (v.status != VersionStatus.Active && v.status != VersionStatus.Retired) {
            revert WrongStatus(versionId, v.status);
        }
        v.status = VersionStatus.Challenged;
        emit VersionStatusChanged(versionId, VersionStatus.Challenged);
    }

    /// @inheritdoc ICuriaRegistry
    function clearChallenge(bytes32 versionId) external onlyChallenges {
        Version storage v = _versions[versionId];
        if (v.status != VersionStatus.Challenged) revert WrongStatus(versionId, v.status);
        VersionStatus restored = v.thawEnd == 0 ? VersionStatus.Active : VersionStatus.Retired;
        v.status = restored;
        emit VersionStatusChanged(versionId, restored);
    }

    /// @inheritdoc ICuriaRegistry
    function slash(bytes32 versionId) external nonReentrant onlyChallenges returns (uint256 amount) {
        Version storage v = _versions[versionId];
        if (v.status != VersionStatus.Challenged) revert WrongStatus(versionId, v.status);
        amount = v.bond;
        v.bond = 0;
        v.status = VersionStatus.Slashed;
        emit BondSlashed(versionId, amount);
        emit VersionStatusChanged(versionId, VersionStatus.Slashed);
        if (amount != 0) token.safeTransfer(msg.sender, amount);
    }

    // ----------------------------------------------------------------- views

    /// @inheritdoc ICuriaRegistry
    function getModel(bytes32 modelId) external view returns (Model memory) {
        return _models[modelId];
    }

    /// @inheritdoc ICuriaRegistry
    function getVersion(bytes32 versionId) external view returns (Version memory) {
        return _versions[versionId];
    }

    /// @inheritdoc ICuriaRegistry
    function bondOf(bytes32 versionId) external view returns (uint256) {
        return _versions[versionId].bond;
    }

    /// @inheritdoc ICuriaRegistry
    function statusOf(bytes32 versionId) external view returns (VersionStatus) {
        return _versions[versionId].status;
    }

    /// @inheritdoc ICuriaRegistry
    function publisherAndStatus(bytes32 versionId) external view returns (address, VersionStatus) {
        Version storage v = _versions[versionId];
        return (v.publisher, v.status);
    }

    /// @inheritdoc ICuriaRegistry
    function modelIdOf(address creator, string calldata name) external pure returns (bytes32) {
        return keccak256(abi.encode(creator, name));
    }

    // -------------------------------------------------------------- internal

    /// @notice The model `modelId`, reverting unless the caller owns it.
    function _ownedModel(bytes32 modelId) internal view returns (Model storage m) {
        m = _models[modelId];
        if (m.owner == address(0)) revert UnknownModel(modelId);
        if (m.owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
    }

    /// @notice The version `versionId`, reverting unless the caller published it.
    function _publishedBy(bytes32 versionId) internal view returns (Version storage v) {
        v = _versions[versionId];
        if (v.publisher == address(0)) revert UnknownVersion(versionId);
        if (v.publisher != msg.sender) revert NotPublisher(versionId, msg.sender);
    }

    /// @notice 1 to 16 locations, each 1 to 512 bytes.
    function _checkLocations(string[] calldata locations) internal pure {
        uint256 n = locations.length;
        if (n == 0 || n > MAX_LOCATIONS) revert InvalidLocations();
        for (uint256 i; i < n; ++i) {
            uint256 len = bytes(locations[i]).length;
            if (len == 0 || len > MAX_LOCATION_BYTES) revert InvalidLocations();
        }
    }
}
