// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChallengesBase} from "./CuriaChallenges.t.sol";
import {ICuriaChallenges} from "../src/interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";

/// @title BugsUnit2Test
/// @notice Regression tests for bugs found while testing CuriaChallenges; each failed before its fix.
///
///
/// Bug: a commitment's reveal window is read from the terms in force at reveal, not at commit.
///      `commit` emits `ChallengeCommitted(…, revealDeadline = now + revealWindow)` from the current terms, but
///      `_consumeCommitment` checks `block.timestamp > committedAt + currentTerms().revealWindow`. A governance
///      change of `revealWindow` between commit and reveal therefore expires commitments the event promised were
///      revealable (shortened window) or revives expired ones (lengthened window), against "a parameter change
///      applies only to what is created after it".
///      Fix: store the reveal deadline with the commitment at commit time, e.g. pack
///      `(deadline << 104) | (timestamp << 64) | blockNumber`, and check `block.timestamp > deadline` at reveal.
contract RegressionsUnit2Test is ChallengesBase {
    bytes32 internal v;

    function setUp() public override {
        super.setUp();
        v = _pub(publisher, 1);
    }

    function test_RevealWindowOfTheCommitSurvivesAShorterWindow() public {
        uint32[] memory idx = _indices(1);
        bytes32 c = challenges.availabilityCommitment(challenger, v, idx, SALT);
        uint40 promised = uint40(block.timestamp + 1 days);
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeCommitted(c, challenger, promised);
        vm.prank(challenger);
        challenges.commit(c);

        ICuriaConfig.Terms memory t = _terms();
        t.revealWindow = 1 hours;
        _setTerms(t);

        // Two hours later: well before the revealDeadline the event announced.
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 2 hours);
        vm.assertLt(block.timestamp, uint256(promised));
        uint256 id = _revealA(challenger, v, idx, SALT); // reverts CommitmentExpired today
        vm.assertEq(id, 1);
    }

    function test_RevertWhen_ExpiredCommitmentRevealedAfterALongerWindow() public {
        uint32[] memory idx = _indices(1);
        _commitA(challenger, v, idx, SALT);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 1 days + 1); // expired under the terms of the commit

        ICuriaConfig.Terms memory t = _terms();
        t.revealWindow = 7 days;
        t.thawPeriod = 14 days;
        _setTerms(t);

        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.CommitmentExpired.selector)); // opens today
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }
}
