// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICuriaRegistry
/// @notice Models and their versions. A version is identified by the MR1 commitment of its weight files and
///         carries a publisher bond that is slashed in full if a challenge against it is upheld.
interface ICuriaRegistry {
    /// @notice The life of a version. Challenged returns to Active (or Retired) when a challenge fails or is
    ///         dismissed; Slashed is final.
    enum VersionStatus {
        None,
        Active,
        Challenged,
        Slashed,
        Retired
    }

    /// @notice A model: a name under an owner. `modelId = keccak256(abi.encode(creator, name))`.
    struct Model {
        /// The current owner, who publishes the model's versions.
        address owner;
        /// The address a two-step ownership transfer is waiting on (zero if none).
        address pendingOwner;
    }

    /// @notice A registered version. The manifest digest and total size are committed in the version id and
    ///         emitted in `VersionPublished`; they are not stored.
    struct Version {
        /// The model the version belongs to.
        bytes32 modelId;
        /// MR1 Merkle root of the weight chunks.
        bytes32 contentRoot;
        /// Who published the version, locked its bond and receives its curation tax and reward share.
        address publisher;
        /// Current status.
        VersionStatus status;
        /// Terms in force at publication (the bond's thaw period comes from them).
        uint32 termsId;
        /// Block timestamp of publication.
        uint40 publishedAt;
        /// Publisher bond still locked.
        uint128 bond;
        /// Number of MR1 chunks.
        uint64 numChunks;
        /// When the bond of a retired version can be withdrawn (zero while not retired).
        uint40 thawEnd;
    }

    /// @notice What `publish` needs. All MR1 fields must match the weights: `versionId` is computed from them.
    struct PublishParams {
        /// The model (its owner must be the caller).
        bytes32 modelId;
        /// MR1 content root.
        bytes32 contentRoot;
        /// MR1 manifest digest (sha256 of the canonical manifest).
        bytes32 manifestDigest;
        /// Number of MR1 chunks (at least 1).
        uint64 numChunks;
        /// Total bytes of the weight files (between numChunks and numChunks * 4096).
        uint64 totalBytes;
        /// Where the weights can be fetched (hf://repo@commit, ipfs://, ar://, https://, s3://); 1 to 16 entries.
        string[] locations;
        /// A registered version this one derives from (any publisher's), or zero.
        bytes32 parent;
        /// Free-form metadata (model card, licence), usually a URI.
        string metadataURI;
        /// Publisher bond to lock; at least the current minimum.
        uint256 bond;
    }

    /// @notice A model was created.
    event ModelCreated(bytes32 indexed modelId, address indexed owner, string name, string metadataURI);
    /// @notice The owner of a model offered it to `to`.
    event ModelOwnershipTransferStarted(bytes32 indexed modelId, address indexed from, address indexed to);
    /// @notice `to` accepted the ownership of a model.
    event ModelOwnershipTransferred(bytes32 indexed modelId, address indexed from, address indexed to);
    /// @notice A version was registered and its bond locked. `params` holds every field given to `publish`
    ///         (MR1 commitment, locations, parent, metadata, bond).
    event VersionPublished(
        bytes32 indexed versionId,
        bytes32 indexed modelId,
        address indexed publisher,
        uint32 termsId,
        PublishParams params
    );
    /// @notice A version's status changed (challenge opened or closed, slashed, retired).
    event VersionStatusChanged(bytes32 indexed versionId, VersionStatus status);
    /// @notice A version was retired by its publisher; its bond thaws until `thawEnd`.
    event VersionRetired(bytes32 indexed versionId, uint40 thawEnd);
    /// @notice A retired version's bond was paid back to its publisher.
    event BondWithdrawn(bytes32 indexed versionId, address indexed publisher, uint256 amount);
    /// @notice A version's bond was slashed in full by an upheld challenge (sent to CuriaChallenges).
    event BondSlashed(bytes32 indexed versionId, uint256 amount);

    /// @notice The caller is not the model's owner.
    error NotModelOwner(bytes32 modelId, address caller);
    /// @notice The caller is not the pending owner of the model.
    error NotPendingOwner(bytes32 modelId, address caller);
    /// @notice No model has this id.
    error UnknownModel(bytes32 modelId);
    /// @notice The caller already created a model with this name.
    error ModelExists(bytes32 modelId);
    /// @notice A model name must be 1 to 128 bytes.
    error InvalidModelName();
    /// @notice No version has this id.
    error UnknownVersion(bytes32 versionId);
    /// @notice This content is already registered (same MR1 commitment, same version id).
    error VersionExists(bytes32 versionId);
    /// @notice The parent is not a registered version.
    error UnknownParent(bytes32 parent);
    /// @notice The MR1 fields are inconsistent (zero root, zero chunks, or a size that the chunk count cannot hold).
    error InvalidCommitment();
    /// @notice 1 to 16 locations, each 1 to 512 bytes, are required.
    error InvalidLocations();
    /// @notice The bond is below the minimum of the current terms.
    error BondTooLow(uint256 bond, uint256 minimum);
    /// @notice The caller is not the version's publisher.
    error NotPublisher(bytes32 versionId, address caller);
    /// @notice The version is not in a status that allows this.
    error WrongStatus(bytes32 versionId, VersionStatus status);
    /// @notice The retired version's bond is still thawing.
    error StillThawing(uint40 thawEnd);
    /// @notice Nothing to withdraw.
    error NothingToWithdraw();
    /// @notice Only CuriaChallenges may call this.
    error OnlyChallenges();

    /// @notice Creates a model owned by the caller. Refused while paused.
    /// @param name 1 to 128 bytes; unique per creator.
    /// @param metadataURI Free-form metadata about the model.
    /// @return modelId keccak256(abi.encode(msg.sender, name)).
    function createModel(string calldata name, string calldata metadataURI) external returns (bytes32 modelId);

    /// @notice Offers the model to `newOwner`, who must accept. Zero cancels a pending offer.
    /// @param modelId The model.
    /// @param newOwner The proposed owner.
    function transferModelOwnership(bytes32 modelId, address newOwner) external;

    /// @notice Accepts a pending ownership offer.
    /// @param modelId The model.
    function acceptModelOwnership(bytes32 modelId) external;

    /// @notice Registers a version of one of the caller's models and locks its bond (approve the exact bond first).
    ///         Refused while paused.
    /// @param params The version's MR1 commitment, locations, lineage, metadata and bond.
    /// @return versionId The MR1 version id.
    function publish(PublishParams calldata params) external returns (bytes32 versionId);

    /// @notice Retires an active version: no new signals; the bond starts thawing. Stays challengeable.
    /// @param versionId The version (the caller must be its publisher).
    function retire(bytes32 versionId) external;

    /// @notice Pays a retired version's bond back to its publisher after the thaw.
    /// @param versionId The version (the caller must be its publisher).
    /// @return amount The bond paid.
    function withdrawBond(bytes32 versionId) external returns (uint256 amount);

    /// @notice Marks a version Challenged. CuriaChallenges only.
    /// @param versionId An Active or Retired version.
    function markChallenged(bytes32 versionId) external;

    /// @notice Returns a challenged version to Active (or Retired). CuriaChallenges only.
    /// @param versionId A Challenged version.
    function clearChallenge(bytes32 versionId) external;

    /// @notice Marks a challenged version Slashed and sends its whole bond to CuriaChallenges. CuriaChallenges only.
    /// @param versionId A Challenged version.
    /// @return amount The bond slashed.
    function slash(bytes32 versionId) external returns (uint256 amount);

    /// @notice A model's owner and pending owner.
    /// @param modelId The model.
    function getModel(bytes32 modelId) external view returns (Model memory);

    /// @notice A version's stored state.
    /// @param versionId The version.
    function getVersion(bytes32 versionId) external view returns (Version memory);

    /// @notice A version's locked publisher bond (one storage read).
    /// @param versionId The version.
    function bondOf(bytes32 versionId) external view returns (uint256);

    /// @notice A version's status (one storage read).
    /// @param versionId The version.
    function statusOf(bytes32 versionId) external view returns (VersionStatus);

    /// @notice A version's publisher and status (one storage read; used by CuriaCuration).
    /// @param versionId The version.
    function publisherAndStatus(bytes32 versionId) external view returns (address publisher, VersionStatus status);

    /// @notice The model id that `creator` gets for `name`.
    /// @param creator The creating address.
    /// @param name The model name.
    function modelIdOf(address creator, string calldata name) external pure returns (bytes32);
}
