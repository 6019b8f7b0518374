// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICuriaChallenges
/// @notice Anyone can challenge a version, by commit then reveal. An availability challenge names chunk indices
///         that anyone holding the weights answers with the chunks and their MR1 proofs; a dispute is ruled by the
///         arbitrator. `settle` closes a challenge: an upheld challenge slashes the version's publisher bond in
///         full and its curator pool in part; a failed one forfeits the challenger's bond.
interface ICuriaChallenges {
    /// @notice What a challenge claims.
    enum Kind {
        /// The weights cannot be produced: answered on-chain with chunks and proofs.
        Availability,
        /// Something an arbitrator must judge: wrong bytes at a location, poisoned or mislabelled weights, licence.
        Dispute
    }

    /// @notice A challenge's life. Open, Answered, RuledUpheld and RuledRejected wait for `settle`; the last three
    ///         are final.
    enum Status {
        None,
        /// Waiting for an answer (availability) or a ruling (dispute).
        Open,
        /// A valid answer was given: the challenge failed; settle pays out.
        Answered,
        /// The arbitrator upheld the dispute; settle slashes.
        RuledUpheld,
        /// The arbitrator rejected the dispute; settle forfeits the challenger's bond.
        RuledRejected,
        /// Settled: the version was slashed.
        Upheld,
        /// Settled: the challenger lost its bond.
        Failed,
        /// Settled: a dispute without a ruling; the challenger's bond was returned.
        Dismissed
    }

    /// @notice A ruling on a dispute.
    enum Ruling {
        None,
        /// The dispute is right: slash the version.
        Upheld,
        /// The dispute is wrong or frivolous: the challenger forfeits its bond.
        Rejected
    }

    /// @notice A challenge.
    struct Challenge {
        /// The challenged version.
        bytes32 versionId;
        /// Who opened it.
        address challenger;
        /// Availability or dispute.
        Kind kind;
        /// Current status.
        Status status;
        /// Terms in force at opening (payout shares, arbitrator).
        uint32 termsId;
        /// Last second for an answer or a ruling.
        uint40 deadline;
        /// The challenger's bond.
        uint128 bond;
        /// The curator pool's stake when the challenge opened.
        uint128 poolSnapshot;
        /// keccak256(abi.encodePacked(chunkIndices)) for availability; keccak256(bytes(evidenceURI)) for disputes.
        bytes32 dataHash;
        /// Who answered (availability).
        address responder;
    }

    /// @notice Every amount a settlement moved.
    struct Settlement {
        /// Keeper bounty, credited to the caller of settle.
        uint256 keeperBounty;
        /// Credited to the challenger (its bond back plus its reward, or its bond back when dismissed).
        uint256 challengerPayout;
        /// Credited to the responder (failed availability challenges).
        uint256 responderPayout;
        /// Paid into the version's rewards (failed challenges).
        uint256 curatorReward;
        /// Publisher bond slashed (upheld).
        uint256 publisherSlashed;
        /// Curator stake slashed (upheld).
        uint256 curatorsSlashed;
        /// Tokens burned.
        uint256 burned;
    }

    /// @notice A commitment was made; it can be revealed from the next block until `revealDeadline`.
    event ChallengeCommitted(bytes32 indexed commitment, address indexed challenger, uint40 revealDeadline);
    /// @notice A challenge opened. `chunkIndices` is empty for disputes, `evidenceURI` for availability challenges.
    event ChallengeOpened(
        uint256 indexed challengeId,
        bytes32 indexed versionId,
        address indexed challenger,
        Kind kind,
        uint256 bond,
        uint256 publisherBond,
        uint256 poolSnapshot,
        uint40 deadline,
        uint32 termsId,
        uint32[] chunkIndices,
        string evidenceURI
    );
    /// @notice An availability challenge was answered with valid chunks and proofs.
    event ChallengeAnswered(uint256 indexed challengeId, bytes32 indexed versionId, address indexed responder);
    /// @notice The arbitrator ruled on a dispute.
    event ChallengeRuled(
        uint256 indexed challengeId, bytes32 indexed versionId, address indexed arbitrator, Ruling ruling
    );
    /// @notice A challenge was settled with final status `outcome`; `amounts` lists every payment.
    event ChallengeSettled(
        uint256 indexed challengeId,
        bytes32 indexed versionId,
        address indexed keeper,
        Status outcome,
        Settlement amounts
    );
    /// @notice An account claimed its challenge payouts.
    event Claimed(address indexed account, uint256 amount);

    /// @notice No commitment from the caller matches (wrong parameters, salt or sender), or it was already used.
    error UnknownCommitment();
    /// @notice The commitment already exists.
    error CommitmentExists();
    /// @notice A commitment can be revealed only in a later block than the commit.
    error RevealTooEarly();
    /// @notice The commitment's reveal deadline (fixed when it was made) has passed; commit again with a fresh salt.
    error CommitmentExpired();
    /// @notice The version is not Active or Retired (unknown, already challenged, or slashed).
    error NotChallengeable(bytes32 versionId);
    /// @notice Chunk indices must be 1 to maxChallengeChunks, strictly increasing, each below numChunks.
    error InvalidChunkIndices();
    /// @notice The evidence URI must be 1 to 2048 bytes.
    error InvalidEvidence();
    /// @notice The required bond exceeds the caller's `maxBond`.
    error BondAboveMax(uint256 required, uint256 maxBond);
    /// @notice No challenge has this id.
    error UnknownChallenge(uint256 challengeId);
    /// @notice The challenge is not in a status that allows this.
    error WrongChallengeStatus(uint256 challengeId, Status status);
    /// @notice The challenge is not of the kind this needs.
    error WrongKind(uint256 challengeId);
    /// @notice The deadline has passed.
    error DeadlinePassed(uint40 deadline);
    /// @notice The challenge can be settled only after its deadline (or once answered or ruled).
    error NotYetSettleable(uint40 deadline);
    /// @notice The indices given do not match the challenge, or the answer's arrays differ in length.
    error AnswerMismatch();
    /// @notice A chunk or its proof does not verify against the version's content root.
    error InvalidProof(uint256 chunkIndex);
    /// @notice The caller is not the arbitrator of the challenge's terms.
    error NotArbitrator(address caller);
    /// @notice A ruling must be Upheld or Rejected.
    error InvalidRuling();
    /// @notice Nothing to claim.
    error NothingToClaim();

    /// @notice Commits to a challenge without revealing it. Refused while paused.
    /// @param commitment From `availabilityCommitment` or `disputeCommitment` with the caller's address and a secret salt.
    function commit(bytes32 commitment) external;

    /// @notice Opens an availability challenge committed earlier (in an earlier block, within the reveal window) and
    ///         locks the bond (approve up to `maxBond` first). Refused while paused.
    /// @param versionId An Active or Retired version.
    /// @param chunkIndices 1 to maxChallengeChunks chunk indices, strictly increasing.
    /// @param salt The salt of the commitment.
    /// @param maxBond The most the caller agrees to lock; the bond is max(minChallengeBond, bps x stake at risk).
    /// @return challengeId The new challenge.
    function revealAvailability(bytes32 versionId, uint32[] calldata chunkIndices, bytes32 salt, uint256 maxBond)
        external
        returns (uint256 challengeId);

    /// @notice Opens a dispute committed earlier and locks the bond (approve up to `maxBond` first). Refused while paused.
    /// @param versionId An Active or Retired version.
    /// @param evidenceURI Where the evidence is (1 to 2048 bytes).
    /// @param salt The salt of the commitment.
    /// @param maxBond The most the caller agrees to lock.
    /// @return challengeId The new challenge.
    function revealDispute(bytes32 versionId, string calldata evidenceURI, bytes32 salt, uint256 maxBond)
        external
        returns (uint256 challengeId);

    /// @notice Answers an open availability challenge with the named chunks and their MR1 proofs, before the deadline.
    ///         Anyone may answer; the responder is paid from the challenger's bond at settlement.
    /// @param challengeId The challenge.
    /// @param chunkIndices The challenge's chunk indices, as opened.
    /// @param chunks The chunks' bytes, in the same order.
    /// @param proofs Each chunk's sibling hashes, bottom-up.
    function respond(
        uint256 challengeId,
        uint32[] calldata chunkIndices,
        bytes[] calldata chunks,
        bytes32[][] calldata proofs
    ) external;

    /// @notice Rules on an open dispute before its deadline. The arbitrator of the challenge's terms only.
    /// @param challengeId The dispute.
    /// @param ruling Upheld or Rejected.
    function rule(uint256 challengeId, Ruling ruling) external;

    /// @notice Settles a challenge: once answered or ruled, or after its deadline. Anyone may call; the caller
    ///         earns the keeper bounty. Works while paused.
    /// @param challengeId The challenge.
    /// @return outcome The final status.
    function settle(uint256 challengeId) external returns (Status outcome);

    /// @notice Pays the caller's claimable challenge payouts.
    /// @return amount Tokens paid.
    function claim() external returns (uint256 amount);

    /// @notice A challenge.
    /// @param challengeId The challenge.
    function getChallenge(uint256 challengeId) external view returns (Challenge memory);

    /// @notice Whether a challenge can be settled now.
    /// @param challengeId The challenge.
    function isSettleable(uint256 challengeId) external view returns (bool);

    /// @notice The bond a challenge against `versionId` would require now.
    /// @param versionId The version.
    function requiredBond(bytes32 versionId) external view returns (uint256);

    /// @notice Payouts an account can claim.
    /// @param account The account.
    function claimable(address account) external view returns (uint256);

    /// @notice Number of challenges opened so far (ids run from 1).
    function challengeCount() external view returns (uint256);

    /// @notice Block number, timestamp and reveal deadline of a commitment (zeros if none). An expired commitment
    ///         stays stored: commit again with a fresh salt.
    /// @param commitment The commitment.
    function commitmentOf(bytes32 commitment)
        external
        view
        returns (uint64 blockNumber, uint40 timestamp, uint40 revealDeadline);

    /// @notice The commitment for an availability challenge.
    /// @param challenger The address that will reveal.
    /// @param versionId The version.
    /// @param chunkIndices The chunk indices.
    /// @param salt A secret random salt.
    function availabilityCommitment(address challenger, bytes32 versionId, uint32[] calldata chunkIndices, bytes32 salt)
        external
        pure
        returns (bytes32);

    /// @notice The commitment for a dispute.
    /// @param challenger The address that will reveal.
    /// @param versionId The version.
    /// @param evidenceURI The evidence URI.
    /// @param salt A secret random salt.
    function disputeCommitment(address challenger, bytes32 versionId, string calldata evidenceURI, bytes32 salt)
        external
        pure
        returns (bytes32);
}
