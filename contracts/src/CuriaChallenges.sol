// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {CuriaModule} from "./base/CuriaModule.sol";
import {ICuriaChallenges} from "./interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "./interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "./interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "./interfaces/ICuriaRegistry.sol";
import {MR1} from "./libraries/MR1.sol";

/// @title CuriaChallenges
/// @notice Availability challenges and disputes against versions: commit, reveal, respond or rule, settle; and
///         the pull payments of their outcomes.
/// @dev Holds exactly the bonds of unsettled challenges plus the sum of `claimable`. Slashed tokens pass through
///      it within `settle`: they arrive from the registry and the curation and leave as claimables or burns.
contract CuriaChallenges is ICuriaChallenges, CuriaModule {
    using SafeERC20 for IERC20;

    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_EVIDENCE_BYTES = 2048;
    /// @notice Where burned tokens go: a standard ERC-20 cannot always burn, and transfers to zero revert.
    address public constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;

    /// @notice The registry of versions.
    ICuriaRegistry public immutable registry;
    /// @notice The curation pools.
    ICuriaCuration public immutable curation;

    /// @inheritdoc ICuriaChallenges
    uint256 public challengeCount;
    mapping(uint256 challengeId => Challenge) internal _challenges;
    /// @dev Packed: block number in bits 0-63, timestamp in bits 64-103, reveal deadline in bits 104-143. The
    ///      deadline is fixed at commit time, so a later change of `revealWindow` does not move it.
    mapping(bytes32 commitment => uint256) internal _commitments;
    /// @inheritdoc ICuriaChallenges
    mapping(address account => uint256) public claimable;

    /// @param token_ The bond token.
    /// @param config_ The CuriaConfig.
    /// @param registry_ The CuriaRegistry.
    /// @param curation_ The CuriaCuration.
    constructor(IERC20 token_, ICuriaConfig config_, ICuriaRegistry registry_, ICuriaCuration curation_)
        CuriaModule(token_, config_)
    {
        if (address(registry_) == address(0) || address(curation_) == address(0)) revert InvalidModuleSetup();
        registry = registry_;
        curation = curation_;
    }

    // ------------------------------------------------------------- opening

    /// @inheritdoc ICuriaChallenges
    function commit(bytes32 commitment) external whenNotPaused {
        if (_commitments[commitment] != 0) revert CommitmentExists();
        uint256 revealDeadline = block.timestamp + config.currentTerms().revealWindow;
        _commitments[commitment] = (revealDeadline << 104) | (block.timestamp << 64) | block.number;
        emit ChallengeCommitted(commitment, msg.sender, uint40(revealDeadline));
    }

    /// @inheritdoc ICuriaChallenges
    function revealAvailability(bytes32 versionId, uint32[] calldata chunkIndices, bytes32 salt, uint256 maxBond)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 challengeId)
    {
        bytes32 dataHash = keccak256(abi.encodePacked(chunkIndices));
        (uint32 termsId, ICuriaConfig.Terms memory terms) =
            _consumeCommitment(versionId, Kind.Availability, dataHash, salt);
        ICuriaRegistry.Version memory v = _challengeable(versionId);

        uint256 n = chunkIndices.length;
        if (n == 0 || n > terms.maxChallengeChunks) revert InvalidChunkIndices();
        for (uint256 i; i < n; ++i) {
            if (chunkIndices[i] >= v.numChunks || (i != 0 && chunkIndices[i] <= chunkIndices[i - 1])) {
                revert InvalidChunkIndices();
            }
        }
        challengeId = _open(versionId, Kind.Availability, dataHash, termsId, terms, v.bond, maxBond);
        _emitOpened(challengeId, v.bond, chunkIndices, "");
        _lockBond(versionId, _challenges[challengeId].bond);
    }

    /// @inheritdoc ICuriaChallenges
    function revealDispute(bytes32 versionId, string calldata evidenceURI, bytes32 salt, uint256 maxBond)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 challengeId)
    {
        uint256 len = bytes(evidenceURI).length;
        if (len == 0 || len > MAX_EVIDENCE_BYTES) revert InvalidEvidence();
        bytes32 dataHash = keccak256(bytes(evidenceURI));
        (uint32 termsId, ICuriaConfig.Terms memory terms) = _consumeCommitment(versionId, Kind.Dispute, dataHash, salt);
        ICuriaRegistry.Version memory v = _challengeable(versionId);

        challengeId = _open(versionId, Kind.Dispute, dataHash, termsId, terms, v.bond, maxBond);
        _emitOpened(challengeId, v.bond, new uint32[](0), evidenceURI);
        _lockBond(versionId, _challenges[challengeId].bond);
    }

    // ------------------------------------------------------ answer and rule

    /// @inheritdoc ICuriaChallenges
    function respond(
        uint256 challengeId,
        uint32[] calldata chunkIndices,
        bytes[] calldata chunks,
        bytes32[][] calldata proofs
    ) external {
        Challenge storage c = _existing(challengeId);
        if (c.kind != Kind.Availability) revert WrongKind(challengeId);
        if (c.status != Status.Open) revert WrongChallengeStatus(challengeId, c.status);
        if (block.timestamp > c.deadline) revert DeadlinePassed(c.deadline);
        uint256 n = chunkIndices.length;
        if (keccak256(abi.encodePacked(chunkIndices)) != c.dataHash || chunks.length != n || proofs.length != n) {
            revert AnswerMismatch();
        }

        ICuriaRegistry.Version memory v = registry.getVersion(c.versionId);
        for (uint256 i; i < n; ++i) {
            if (!MR1.verifyChunk(v.contentRoot, v.numChunks, chunkIndices[i], chunks[i], proofs[i])) {
                revert InvalidProof(chunkIndices[i]);
            }
        }
        c.status = Status.Answered;
        c.responder = msg.sender;
        emit ChallengeAnswered(challengeId, c.versionId, msg.sender);
    }

    /// @inheritdoc ICuriaChallenges
    function rule(uint256 challengeId, Ruling ruling) external {
        Challenge storage c = _existing(challengeId);
        if (c.kind != Kind.Dispute) revert WrongKind(challengeId);
        if (msg.sender != config.terms(c.termsId).arbitrator) revert NotArbitrator(msg.sender);
        if (c.status != Status.Open) revert WrongChallengeStatus(challengeId, c.status);
        if (block.timestamp > c.deadline) revert DeadlinePassed(c.deadline);
        if (ruling == Ruling.Upheld) c.status = Status.RuledUpheld;
        else if (ruling == Ruling.Rejected) c.status = Status.RuledRejected;
        else revert InvalidRuling();
        emit ChallengeRuled(challengeId, c.versionId, msg.sender, ruling);
    }

    // ------------------------------------------------------------ settling

    /// @inheritdoc ICuriaChallenges
    function settle(uint256 challengeId) external nonReentrant returns (Status outcome) {
        Challenge storage c = _existing(challengeId);
        outcome = _outcomeOf(c);
        if (outcome == Status.None) {
            if (c.status == Status.Open) revert NotYetSettleable(c.deadline);
            revert WrongChallengeStatus(challengeId, c.status);
        }
        c.status = outcome;
        ICuriaConfig.PayoutTerms memory terms = config.payoutTerms(c.termsId);
        bytes32 versionId = c.versionId;
        Settlement memory s = Settlement(0, 0, 0, 0, 0, 0, 0);

        if (outcome == Status.Upheld) {
            // Effects first, from the amounts the registry and the curation will send.
            s.publisherSlashed = registry.bondOf(versionId);
            s.curatorsSlashed =
                Math.min(Math.mulDiv(c.poolSnapshot, terms.curatorSlashBps, BPS), curation.stakeOf(versionId));
            uint256 slashed = s.publisherSlashed + s.curatorsSlashed;
            s.keeperBounty = Math.mulDiv(slashed, terms.keeperBountyBps, BPS);
            uint256 challengerReward = Math.mulDiv(slashed, terms.challengerRewardBps, BPS);
            s.challengerPayout = c.bond + challengerReward;
            s.burned = slashed - s.keeperBounty - challengerReward;
            claimable[c.challenger] += s.challengerPayout;
            claimable[msg.sender] += s.keeperBounty;
            emit ChallengeSettled(challengeId, versionId, msg.sender, outcome, s);

            // The registry sends exactly the bond read above: nothing can change it in between.
            uint256 bondSlashed = registry.slash(versionId);
            assert(bondSlashed == s.publisherSlashed);
            curation.slash(versionId, s.curatorsSlashed);
        } else if (outcome == Status.Failed) {
            uint256 bond = c.bond;
            s.keeperBounty = Math.mulDiv(bond, terms.keeperBountyBps, BPS);
            uint256 rest = bond - s.keeperBounty;
            s.burned = Math.mulDiv(rest, terms.loserBurnBps, BPS);
            if (c.kind == Kind.Availability) s.responderPayout = Math.mulDiv(rest, terms.responderRewardBps, BPS);
            s.curatorReward = rest - s.burned - s.responderPayout;
            claimable[msg.sender] += s.keeperBounty;
            if (s.responderPayout != 0) claimable[c.responder] += s.responderPayout;
            emit ChallengeSettled(challengeId, versionId, msg.sender, outcome, s);

            registry.clearChallenge(versionId);
            if (s.curatorReward != 0) {
                token.safeTransfer(address(curation), s.curatorReward);
                curation.creditReward(versionId, s.curatorReward);
            }
        } else {
            // Dismissed: a dispute nobody ruled on. The challenger gets its whole bond back.
            s.challengerPayout = c.bond;
            claimable[c.challenger] += s.challengerPayout;
            emit ChallengeSettled(challengeId, versionId, msg.sender, outcome, s);

            registry.clearChallenge(versionId);
        }
        if (s.burned != 0) token.safeTransfer(BURN_ADDRESS, s.burned);
    }

    /// @inheritdoc ICuriaChallenges
    function claim() external nonReentrant returns (uint256 amount) {
        amount = claimable[msg.sender];
        if (amount == 0) revert NothingToClaim();
        claimable[msg.sender] = 0;
        emit Claimed(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ----------------------------------------------------------------- views

    /// @inheritdoc ICuriaChallenges
    function getChallenge(uint256 challengeId) external view returns (Challenge memory) {
        return _challenges[challengeId];
    }

    /// @inheritdoc ICuriaChallenges
    function isSettleable(uint256 challengeId) external view returns (bool) {
        return _outcomeOf(_challenges[challengeId]) != Status.None;
    }

    /// @inheritdoc ICuriaChallenges
    function requiredBond(bytes32 versionId) public view returns (uint256) {
        ICuriaConfig.Terms memory terms = config.currentTerms();
        return _requiredBond(terms, registry.getVersion(versionId).bond, curation.stakeOf(versionId));
    }

    /// @inheritdoc ICuriaChallenges
    function commitmentOf(bytes32 commitment)
        external
        view
        returns (uint64 blockNumber, uint40 timestamp, uint40 revealDeadline)
    {
        uint256 packed = _commitments[commitment];
        return (uint64(packed), uint40(packed >> 64), uint40(packed >> 104));
    }

    /// @inheritdoc ICuriaChallenges
    function availabilityCommitment(address challenger, bytes32 versionId, uint32[] calldata chunkIndices, bytes32 salt)
        external
        pure
        returns (bytes32)
    {
        return _commitmentOf(challenger, versionId, Kind.Availability, keccak256(abi.encodePacked(chunkIndices)), salt);
    }

    /// @inheritdoc ICuriaChallenges
    function disputeCommitment(address challenger, bytes32 versionId, string calldata evidenceURI, bytes32 salt)
        external
        pure
        returns (bytes32)
    {
        return _commitmentOf(challenger, versionId, Kind.Dispute, keccak256(bytes(evidenceURI)), salt);
    }

    // -------------------------------------------------------------- internal

    function _commitmentOf(address challenger, bytes32 versionId, Kind kind, bytes32 dataHash, bytes32 salt)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(challenger, versionId, kind, dataHash, salt));
    }

    /// @notice Checks and deletes the caller's commitment; returns the terms in force now.
    /// @dev The commitment binds the sender, so a copy of a revealed challenge by another address has no commitment.
    function _consumeCommitment(bytes32 versionId, Kind kind, bytes32 dataHash, bytes32 salt)
        internal
        returns (uint32 termsId, ICuriaConfig.Terms memory terms)
    {
        bytes32 commitment = _commitmentOf(msg.sender, versionId, kind, dataHash, salt);
        uint256 packed = _commitments[commitment];
        if (packed == 0) revert UnknownCommitment();
        if (block.number <= uint64(packed)) revert RevealTooEarly();
        if (block.timestamp > uint40(packed >> 104)) revert CommitmentExpired();
        termsId = config.currentTermsId();
        terms = config.currentTerms();
        delete _commitments[commitment];
    }

    /// @notice The version, reverting unless it is Active or Retired.
    function _challengeable(bytes32 versionId) internal view returns (ICuriaRegistry.Version memory v) {
        v = registry.getVersion(versionId);
        if (v.status != ICuriaRegistry.VersionStatus.Active && v.status != ICuriaRegistry.VersionStatus.Retired) {
            revert NotChallengeable(versionId);
        }
    }

    /// @notice Records a new challenge with its deadline, stake-at-risk snapshot and bond.
    function _open(
        bytes32 versionId,
        Kind kind,
        bytes32 dataHash,
        uint32 termsId,
        ICuriaConfig.Terms memory terms,
        uint256 publisherBond,
        uint256 maxBond
    ) internal returns (uint256 challengeId) {
        uint256 pool = curation.stakeOf(versionId);
        uint256 bond = _requiredBond(terms, publisherBond, pool);
        if (bond > maxBond) revert BondAboveMax(bond, maxBond);
        uint256 window = kind == Kind.Availability ? terms.responseWindow : terms.rulingWindow;
        challengeId = ++challengeCount;
        _challenges[challengeId] = Challenge({
            versionId: versionId,
            challenger: msg.sender,
            kind: kind,
            status: Status.Open,
            termsId: termsId,
            deadline: uint40(block.timestamp + window),
            bond: SafeCast.toUint128(bond),
            poolSnapshot: SafeCast.toUint128(pool),
            dataHash: dataHash,
            responder: address(0)
        });
    }

    /// @notice Emits `ChallengeOpened` for a challenge just recorded.
    function _emitOpened(
        uint256 challengeId,
        uint256 publisherBond,
        uint32[] memory chunkIndices,
        string memory evidenceURI
    ) internal {
        Challenge storage c = _challenges[challengeId];
        emit ChallengeOpened(
            challengeId,
            c.versionId,
            msg.sender,
            c.kind,
            c.bond,
            publisherBond,
            c.poolSnapshot,
            c.deadline,
            c.termsId,
            chunkIndices,
            evidenceURI
        );
    }

    /// @notice Marks the version challenged and pulls the challenger's bond (the last step of a reveal).
    function _lockBond(bytes32 versionId, uint256 bond) internal {
        registry.markChallenged(versionId);
        token.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @notice max(minChallengeBond, challengeBondBps x stake at risk), rounded up.
    function _requiredBond(ICuriaConfig.Terms memory terms, uint256 publisherBond, uint256 pool)
        internal
        pure
        returns (uint256)
    {
        uint256 proportional = Math.mulDiv(publisherBond + pool, terms.challengeBondBps, BPS, Math.Rounding.Ceil);
        return Math.max(terms.minChallengeBond, proportional);
    }

    /// @notice The challenge `challengeId`, reverting if it does not exist.
    function _existing(uint256 challengeId) internal view returns (Challenge storage c) {
        c = _challenges[challengeId];
        if (c.status == Status.None) revert UnknownChallenge(challengeId);
    }

    /// @notice The final status `settle` would give now, or None if it cannot settle yet (or already did).
    function _outcomeOf(Challenge storage c) internal view returns (Status) {
        Status status = c.status;
        if (status == Status.Answered || status == Status.RuledRejected) return Status.Failed;
        if (status == Status.RuledUpheld) return Status.Upheld;
        if (status == Status.Open && block.timestamp > c.deadline) {
            return c.kind == Kind.Availability ? Status.Upheld : Status.Dismissed;
        }
        return Status.None;
    }
}
