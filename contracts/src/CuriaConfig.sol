// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ICuriaConfig} from "./interfaces/ICuriaConfig.sol";

/// @title CuriaConfig
/// @notice Governance of Curia. The owner (an EOA on a devnet, a timelock in production) puts new terms in force,
///         pauses new entries and wires the protocol contracts once. Terms are append-only: past terms stay readable
///         so that everything created under them settles under them.
contract CuriaConfig is ICuriaConfig, Ownable2Step {
    uint256 internal constant BPS = 10_000;
    /// @notice Upper bound of each minimum bond.
    uint256 public constant MAX_MIN_BOND = 1e27;
    /// @notice Lower bound of every window.
    uint32 public constant MIN_WINDOW = 1 minutes;
    /// @notice Upper bound of the response and ruling windows.
    uint32 public constant MAX_WINDOW = 60 days;
    /// @notice Upper bound of the reveal window.
    uint32 public constant MAX_REVEAL_WINDOW = 7 days;
    /// @notice Upper bound of the thaw period.
    uint32 public constant MAX_THAW = 365 days;
    /// @notice Upper bound of the curation tax.
    uint16 public constant MAX_CURATION_TAX_BPS = 1_000;
    /// @notice Upper bound of the publisher's share of rewards.
    uint16 public constant MAX_REWARD_PUBLISHER_BPS = 5_000;
    /// @notice Upper bound of the challenger's share of a slash.
    uint16 public constant MAX_CHALLENGER_REWARD_BPS = 5_000;
    /// @notice Upper bound of the keeper bounty.
    uint16 public constant MAX_KEEPER_BOUNTY_BPS = 1_000;
    /// @notice Upper bound of the number of chunks an availability challenge names.
    uint8 public constant MAX_CHALLENGE_CHUNKS = 16;

    /// @inheritdoc ICuriaConfig
    uint32 public currentTermsId;
    /// @inheritdoc ICuriaConfig
    bool public paused;
    /// @inheritdoc ICuriaConfig
    address public registry;
    /// @inheritdoc ICuriaConfig
    address public curation;
    /// @inheritdoc ICuriaConfig
    address public challenges;

    mapping(uint32 termsId => Terms) internal _terms;

    /// @param owner_ The governance address.
    /// @param initial The first terms (id 1).
    constructor(address owner_, Terms memory initial) Ownable(owner_) {
        _setTerms(initial);
    }

    /// @inheritdoc ICuriaConfig
    function wire(address registry_, address curation_, address challenges_) external onlyOwner {
        if (registry != address(0)) revert AlreadyWired();
        if (registry_ == address(0) || curation_ == address(0) || challenges_ == address(0)) revert ZeroAddress();
        registry = registry_;
        curation = curation_;
        challenges = challenges_;
        emit Wired(registry_, curation_, challenges_);
    }

    /// @inheritdoc ICuriaConfig
    function setTerms(Terms calldata newTerms) external onlyOwner returns (uint32 termsId) {
        return _setTerms(newTerms);
    }

    /// @inheritdoc ICuriaConfig
    function pause() external onlyOwner {
        if (paused) revert PauseUnchanged();
        paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc ICuriaConfig
    function unpause() external onlyOwner {
        if (!paused) revert PauseUnchanged();
        paused = false;
        emit Unpaused(msg.sender);
    }

    /// @inheritdoc ICuriaConfig
    function currentTerms() external view returns (Terms memory) {
        return _terms[currentTermsId];
    }

    /// @inheritdoc ICuriaConfig
    function curationTerms() external view returns (CurationTerms memory c) {
        Terms storage t = _terms[currentTermsId];
        c.paused = paused;
        c.curationTaxBps = t.curationTaxBps;
        c.rewardPublisherBps = t.rewardPublisherBps;
        c.thawPeriod = t.thawPeriod;
    }

    /// @inheritdoc ICuriaConfig
    function payoutTerms(uint32 termsId) external view returns (PayoutTerms memory p) {
        if (termsId == 0 || termsId > currentTermsId) revert UnknownTerms(termsId);
        Terms storage t = _terms[termsId];
        p.curatorSlashBps = t.curatorSlashBps;
        p.challengerRewardBps = t.challengerRewardBps;
        p.keeperBountyBps = t.keeperBountyBps;
        p.responderRewardBps = t.responderRewardBps;
        p.loserBurnBps = t.loserBurnBps;
    }

    /// @inheritdoc ICuriaConfig
    function terms(uint32 termsId) external view returns (Terms memory) {
        if (termsId == 0 || termsId > currentTermsId) revert UnknownTerms(termsId);
        return _terms[termsId];
    }

    /// @notice Checks `t` against every bound and stores it as the next terms.
    function _setTerms(Terms memory t) internal returns (uint32 termsId) {
        _validate(t);
        termsId = currentTermsId + 1;
        currentTermsId = termsId;
        _terms[termsId] = t;
        emit TermsUpdated(termsId, t);
    }

    /// @notice Reverts with `InvalidTerms(field)` naming the first parameter outside its bounds.
    function _validate(Terms memory t) internal pure {
        if (t.minPublisherBond == 0 || t.minPublisherBond > MAX_MIN_BOND) revert InvalidTerms("minPublisherBond");
        if (t.minChallengeBond == 0 || t.minChallengeBond > MAX_MIN_BOND) revert InvalidTerms("minChallengeBond");
        if (t.responseWindow < MIN_WINDOW || t.responseWindow > MAX_WINDOW) revert InvalidTerms("responseWindow");
        if (t.rulingWindow < MIN_WINDOW || t.rulingWindow > MAX_WINDOW) revert InvalidTerms("rulingWindow");
        if (t.revealWindow < MIN_WINDOW || t.revealWindow > MAX_REVEAL_WINDOW) revert InvalidTerms("revealWindow");
        // Stake that starts thawing when a challenge is committed must still be there when it settles.
        if (
            uint256(t.thawPeriod) < uint256(t.revealWindow) + t.responseWindow + t.rulingWindow
                || t.thawPeriod > MAX_THAW
        ) revert InvalidTerms("thawPeriod");
        if (t.curationTaxBps > MAX_CURATION_TAX_BPS) revert InvalidTerms("curationTaxBps");
        if (t.rewardPublisherBps > MAX_REWARD_PUBLISHER_BPS) revert InvalidTerms("rewardPublisherBps");
        if (t.challengeBondBps > BPS) revert InvalidTerms("challengeBondBps");
        if (t.curatorSlashBps > BPS) revert InvalidTerms("curatorSlashBps");
        if (t.challengerRewardBps > MAX_CHALLENGER_REWARD_BPS) revert InvalidTerms("challengerRewardBps");
        if (t.keeperBountyBps > MAX_KEEPER_BOUNTY_BPS) revert InvalidTerms("keeperBountyBps");
        if (uint256(t.responderRewardBps) + t.loserBurnBps > BPS) revert InvalidTerms("responderRewardBps");
        if (t.maxChallengeChunks == 0 || t.maxChallengeChunks > MAX_CHALLENGE_CHUNKS) {
            revert InvalidTerms("maxChallengeChunks");
        }
        if (t.arbitrator == address(0)) revert InvalidTerms("arbitrator");
    }
}
