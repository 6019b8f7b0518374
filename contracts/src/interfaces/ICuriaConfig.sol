// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICuriaConfig
/// @notice Governance of Curia: the protocol's parameters ("terms"), the arbitrator, the pause switch and the
///         addresses of the three protocol contracts.
/// @dev Every change of parameters creates a new, immutable set of terms with a new id. Whatever the protocol
///      creates (a version, a thaw request, a challenge) records or uses the terms in force when it was created,
///      so a change applies only to what is created after it.
interface ICuriaConfig {
    /// @notice One immutable set of protocol parameters. Basis points (bps) are out of 10_000.
    /// @dev Packed into three storage slots; field order matters for packing.
    struct Terms {
        // slot 1
        /// Minimum publisher bond, in token units (wei).
        uint96 minPublisherBond;
        /// Minimum challenge bond, in token units (wei).
        uint96 minChallengeBond;
        /// Seconds an availability challenge stays open for an answer.
        uint32 responseWindow;
        /// Seconds the arbitrator has to rule on a dispute.
        uint32 rulingWindow;
        // slot 2: everything curation and settlement read, so that they read one slot
        /// Seconds a curator's unsignalled stake and a retired version's bond thaw before they can be withdrawn.
        uint32 thawPeriod;
        /// Seconds after a commit during which it can be revealed.
        uint32 revealWindow;
        /// Curation tax on every signal, paid to the version's publisher.
        uint16 curationTaxBps;
        /// Publisher's share of every reward; the rest goes to the version's curators.
        uint16 rewardPublisherBps;
        /// Challenge bond as a share of the stake at risk (publisher bond plus curator pool), at least minChallengeBond.
        uint16 challengeBondBps;
        /// Share of the curator pool snapshot slashed when a challenge is upheld.
        uint16 curatorSlashBps;
        /// Challenger's reward as a share of the total slash when a challenge is upheld (at most 50%).
        uint16 challengerRewardBps;
        /// Keeper bounty as a share of the loser's forfeit (the slash, or the challenger's bond).
        uint16 keeperBountyBps;
        /// Responder's share of a losing availability challenger's bond (after the keeper bounty).
        uint16 responderRewardBps;
        /// Share of a losing challenger's bond (after the keeper bounty) that is burned.
        uint16 loserBurnBps;
        /// Maximum number of chunk indices an availability challenge may name (at most 16).
        uint8 maxChallengeChunks;
        // slot 3
        /// The address allowed to rule on disputes opened under these terms.
        address arbitrator;
    }

    /// @notice What CuriaCuration reads on every call, in one call and two storage reads.
    struct CurationTerms {
        /// Whether new entries are paused.
        bool paused;
        /// Curation tax of the terms in force.
        uint16 curationTaxBps;
        /// Publisher's share of rewards of the terms in force.
        uint16 rewardPublisherBps;
        /// Thaw period of the terms in force.
        uint32 thawPeriod;
    }

    /// @notice The payout shares of a set of terms, which settlement reads (one storage read).
    struct PayoutTerms {
        uint16 curatorSlashBps;
        uint16 challengerRewardBps;
        uint16 keeperBountyBps;
        uint16 responderRewardBps;
        uint16 loserBurnBps;
    }

    /// @notice Emitted when a new set of terms comes into force.
    event TermsUpdated(uint32 indexed termsId, Terms terms);
    /// @notice Emitted once, when the protocol contracts are wired to this configuration.
    event Wired(address registry, address curation, address challenges);
    /// @notice Emitted when governance pauses new entries.
    event Paused(address indexed by);
    /// @notice Emitted when governance lifts the pause.
    event Unpaused(address indexed by);

    /// @notice A parameter is outside its bounds; `field` names it.
    error InvalidTerms(string field);
    /// @notice `wire` was called a second time.
    error AlreadyWired();
    /// @notice A zero address was given where a contract address is required.
    error ZeroAddress();
    /// @notice No terms exist with this id.
    error UnknownTerms(uint32 termsId);
    /// @notice The protocol is paused: new entries (models, versions, signals, challenges) are refused.
    error ProtocolPaused();
    /// @notice The pause switch is already in the requested position.
    error PauseUnchanged();

    /// @notice Sets the addresses of the protocol contracts. Callable once, by the owner.
    /// @param registry_ The CuriaRegistry.
    /// @param curation_ The CuriaCuration.
    /// @param challenges_ The CuriaChallenges.
    function wire(address registry_, address curation_, address challenges_) external;

    /// @notice Puts a new set of terms in force; it applies to everything created from now on.
    /// @param newTerms The new parameters; each is checked against its bounds.
    /// @return termsId The id of the new terms.
    function setTerms(Terms calldata newTerms) external returns (uint32 termsId);

    /// @notice Stops new entries (models, versions, signals, challenges). Exits and settlement go on.
    function pause() external;

    /// @notice Lifts the pause.
    function unpause() external;

    /// @notice Whether new entries are paused.
    function paused() external view returns (bool);

    /// @notice Id of the terms in force.
    function currentTermsId() external view returns (uint32);

    /// @notice The terms in force (their id is `currentTermsId`).
    function currentTerms() external view returns (Terms memory);

    /// @notice The pause switch and the curation parameters in force (a cheap read for CuriaCuration).
    function curationTerms() external view returns (CurationTerms memory);

    /// @notice The payout shares of a past or present set of terms (a cheap read for settlement).
    /// @param termsId The id of the terms.
    function payoutTerms(uint32 termsId) external view returns (PayoutTerms memory);

    /// @notice A past or present set of terms.
    /// @param termsId The id of the terms.
    function terms(uint32 termsId) external view returns (Terms memory);

    /// @notice The CuriaRegistry address (zero until wired).
    function registry() external view returns (address);

    /// @notice The CuriaCuration address (zero until wired).
    function curation() external view returns (address);

    /// @notice The CuriaChallenges address (zero until wired).
    function challenges() external view returns (address);
}
