// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChallengesBase} from "./CuriaChallenges.t.sol";
import {ICuriaChallenges} from "../src/interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @title ScenariosTest
/// @notice End-to-end scenarios across the registry, the curation and the challenges, with exact amounts and a
///         flow account: every token that went into the protocol is still held, or was burned, claimed or
///         withdrawn.
contract ScenariosTest is ChallengesBase {
    /// Tokens paid into the protocol (bonds, signals, challenge bonds).
    uint256 internal inflow;
    /// Tokens that left it (burns, claims, withdrawals).
    uint256 internal outflow;

    // ------------------------------------------------------------ helpers

    function _assertFlow() internal view {
        vm.assertEq(_protocolBalance(), inflow - outflow, "protocol holds what went in less what left");
        _assertBooks();
    }

    /// @notice A published version with curator1..3 in its pool (6000 signalled, 5940 pool, 60 tax), all counted.
    function _curatedVersion(uint256 seed) internal returns (bytes32 v) {
        v = _pub(publisher, seed);
        _fillPool(v);
        inflow += 100e18 + 6000e18;
        vm.assertEq(curation.stakeOf(v), 5940e18);
        vm.assertEq(curation.claimable(publisher), 60e18);
        vm.assertEq(challenges.requiredBond(v), 302e18);
        _assertFlow();
    }

    function _claimChallenges(address who, uint256 expected) internal {
        uint256 walletBefore = token.balanceOf(who);
        vm.prank(who);
        vm.assertEq(challenges.claim(), expected);
        vm.assertEq(token.balanceOf(who), walletBefore + expected);
        outflow += expected;
    }

    function _claimCuration(address who, bytes32 v, uint256 expected) internal {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = v;
        uint256 walletBefore = token.balanceOf(who);
        vm.prank(who);
        vm.assertEq(curation.claim(ids), expected);
        vm.assertEq(token.balanceOf(who), walletBefore + expected);
        outflow += expected;
    }

    function _exit(address curator, bytes32 v, uint256 expected) internal {
        uint256 shares = curation.getPosition(v, curator).shares;
        vm.prank(curator);
        curation.unsignal(v, shares);
        vm.warp(curation.getPosition(v, curator).thawEnd);
        vm.prank(curator);
        vm.assertEq(curation.withdraw(v), expected);
        outflow += expected;
    }

    function _upheldSettlement() internal pure returns (ICuriaChallenges.Settlement memory) {
        // Slash 100 + 50% of 5940 = 3070: keeper 1% = 30.7, challenger 302 + 50% = 1837, burned 1504.3.
        return _settlement(30.7e18, 1837e18, 0, 0, 100e18, 2970e18, 1504.3e18);
    }

    /// @notice After an upheld challenge on a curated version: the losses and every exit.
    function _afterUpheld(bytes32 v) internal {
        outflow += 1504.3e18;
        _assertFlow();
        ICuriaRegistry.Version memory ver = registry.getVersion(v);
        vm.assertEq(uint256(ver.status), uint256(ICuriaRegistry.VersionStatus.Slashed));
        vm.assertEq(uint256(ver.bond), 0, "publisher bond gone");
        vm.assertEq(token.balanceOf(address(registry)), 0);
        vm.assertEq(curation.stakeOf(v), 2970e18, "curators slashed by 50% of the snapshot");
        vm.prank(publisher);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaRegistry.WrongStatus.selector, v, ICuriaRegistry.VersionStatus.Slashed)
        );
        registry.retire(v);

        _claimChallenges(challenger, 1837e18);
        _claimChallenges(keeper, 30.7e18);
        _claimCuration(publisher, v, 60e18); // the curation tax is not slashed
        _exit(curator1, v, 495e18);
        _exit(curator2, v, 990e18);
        _exit(curator3, v, 1485e18);
        vm.assertEq(token.balanceOf(challenger), FUNDS + 1535e18);
        vm.assertEq(_protocolBalance(), 0, "everything paid out");
        _assertFlow();
    }

    // ------------------------------------------------------------ scenarios

    /// (1) An availability challenge answered: the challenger loses its bond to the keeper, the responder, the
    ///     curators and the burn.
    function test_scenario_AvailabilityAnswered() public {
        bytes32 v = _curatedVersion(1);
        uint32[] memory idx = _indices(0, 4);
        uint256 id = _openA(challenger, v, idx);
        inflow += 302e18;
        _assertFlow();
        _respondTo(responder, id, idx);

        _settleExpect(
            keeper, id, ICuriaChallenges.Status.Failed, _settlement(3.02e18, 0, 149.49e18, 119.592e18, 0, 0, 29.898e18)
        );
        outflow += 29.898e18;
        _assertFlow();
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Active));

        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NothingToClaim.selector));
        challenges.claim();
        vm.assertEq(token.balanceOf(challenger), FUNDS - 302e18, "the challenger lost its bond");

        _claimChallenges(responder, 149.49e18);
        _claimChallenges(keeper, 3.02e18);
        _claimCuration(curator1, v, 17.9388e18);
        _claimCuration(curator2, v, 35.8776e18);
        _claimCuration(curator3, v, 53.8164e18);
        _claimCuration(publisher, v, 60e18 + 11.9592e18);
        vm.assertEq(_protocolBalance(), 100e18 + 5940e18, "only the bond and the pool are left");
        vm.assertEq(token.balanceOf(address(challenges)), 0);
        _assertFlow();
    }

    /// (2) The same challenge unanswered: the version is slashed.
    function test_scenario_AvailabilityUnanswered() public {
        bytes32 v = _curatedVersion(1);
        uint256 id = _openA(challenger, v, _indices(0, 4));
        inflow += 302e18;
        _pastDeadline(id);
        vm.assertTrue(challenges.isSettleable(id));
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, _upheldSettlement());
        _afterUpheld(v);
    }

    /// (3) A dispute upheld by the arbitrator: settled at once, same slash.
    function test_scenario_DisputeUpheld() public {
        bytes32 v = _curatedVersion(1);
        uint256 id = _openD(challenger, v);
        inflow += 302e18;
        _rule(id, ICuriaChallenges.Ruling.Upheld);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, _upheldSettlement());
        _afterUpheld(v);
    }

    /// (4) A dispute rejected: the bond goes to the keeper, the burn and the curators (no responder).
    function test_scenario_DisputeRejected() public {
        bytes32 v = _curatedVersion(1);
        uint256 id = _openD(challenger, v);
        inflow += 302e18;
        _rule(id, ICuriaChallenges.Ruling.Rejected);
        _settleExpect(
            keeper, id, ICuriaChallenges.Status.Failed, _settlement(3.02e18, 0, 0, 269.082e18, 0, 0, 29.898e18)
        );
        outflow += 29.898e18;
        _assertFlow();
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Active));

        _claimChallenges(keeper, 3.02e18);
        _claimCuration(curator1, v, 40.3623e18);
        _claimCuration(curator2, v, 80.7246e18);
        _claimCuration(curator3, v, 121.0869e18);
        _claimCuration(publisher, v, 60e18 + 26.9082e18);
        vm.assertEq(token.balanceOf(challenger), FUNDS - 302e18);
        vm.assertEq(_protocolBalance(), 6040e18);
        _assertFlow();
    }

    /// (5) A dispute nobody ruled on: dismissed, the bond returned whole, no bounty.
    function test_scenario_DisputeDismissed() public {
        bytes32 v = _curatedVersion(1);
        uint256 id = _openD(challenger, v);
        inflow += 302e18;
        vm.warp(challenges.getChallenge(id).deadline);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaChallenges.NotYetSettleable.selector, challenges.getChallenge(id).deadline)
        );
        challenges.settle(id);
        vm.warp(block.timestamp + 1);

        _settleExpect(keeper, id, ICuriaChallenges.Status.Dismissed, _settlement(0, 302e18, 0, 0, 0, 0, 0));
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Active));
        vm.prank(arbitrator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICuriaChallenges.WrongChallengeStatus.selector, id, ICuriaChallenges.Status.Dismissed
            )
        );
        challenges.rule(id, ICuriaChallenges.Ruling.Upheld);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NothingToClaim.selector));
        challenges.claim();

        _claimChallenges(challenger, 302e18);
        vm.assertEq(token.balanceOf(challenger), FUNDS, "bond returned whole");
        vm.assertEq(_protocolBalance(), 6040e18 + 60e18, "the bond, the pool and the unclaimed tax");
        _assertFlow();
    }

    /// (6) A copy of a challenge by another address fails: it has no commitment of its own, a commitment made
    ///     in the reveal's block cannot be revealed in it, and once the original is revealed the version is taken.
    function test_scenario_CopiedRevealFails() public {
        bytes32 v = _curatedVersion(1);
        address copier = _newActor("copier");
        uint32[] memory idx = _indices(1, 3);
        bytes32 salt = keccak256("challenger's secret");
        _commitA(challenger, v, idx, salt);
        _next();

        // The copier front-runs the reveal with the same parameters: no commitment of its own.
        vm.prank(copier);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealAvailability(v, idx, salt, type(uint256).max);
        // It commits its own copy in the reveal's block: too early to reveal in that block.
        _commitA(copier, v, idx, salt);
        vm.prank(copier);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.RevealTooEarly.selector));
        challenges.revealAvailability(v, idx, salt, type(uint256).max);

        uint256 id = _revealA(challenger, v, idx, salt);
        inflow += 302e18;
        vm.assertEq(challenges.getChallenge(id).challenger, challenger);

        // In the next block its commitment is valid, but the version is already challenged.
        _next();
        vm.prank(copier);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotChallengeable.selector, v));
        challenges.revealAvailability(v, idx, salt, type(uint256).max);
        // A dispute copy fares no better.
        _commitD(copier, v, EVIDENCE, salt);
        _next();
        vm.prank(copier);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotChallengeable.selector, v));
        challenges.revealDispute(v, EVIDENCE, salt, type(uint256).max);

        vm.assertEq(challenges.challengeCount(), 1);
        vm.assertEq(token.balanceOf(copier), FUNDS, "the copier locked nothing");
        _assertFlow();
    }

    /// (7) Stake moved to thaw during a challenge is still slashed, and paid out pro rata after the thaw.
    function test_scenario_ThawingStakeIsSlashed() public {
        bytes32 v = _curatedVersion(1);
        uint256 id = _openA(challenger, v, _indices(2));
        inflow += 302e18;

        // curator3 sees the challenge and leaves: its stake thaws, still in the pool.
        vm.prank(curator3);
        curation.unsignal(v, 2970e18);
        uint40 thawEnd = curation.getPosition(v, curator3).thawEnd;
        vm.assertEq(uint256(thawEnd), block.timestamp + 7 days);
        vm.assertEq(curation.stakeOf(v), 5940e18);
        vm.assertLt(uint256(challenges.getChallenge(id).deadline), uint256(thawEnd));

        _pastDeadline(id);
        vm.prank(curator3);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.StillThawing.selector, thawEnd));
        curation.withdraw(v);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, _upheldSettlement());
        outflow += 1504.3e18;
        ICuriaCuration.Pool memory p = curation.getPool(v);
        vm.assertEq(uint256(p.tokens), 2970e18);
        vm.assertEq(uint256(p.shares), 2970e18);
        vm.assertEq(uint256(p.thawing), 2970e18);
        vm.assertEq(uint256(p.slashNumerator), 2970e18);
        vm.assertEq(uint256(p.slashDenominator), 5940e18);

        vm.warp(thawEnd);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Withdrawn(v, curator3, 2970e18, 1485e18);
        vm.prank(curator3);
        vm.assertEq(curation.withdraw(v), 1485e18, "half of the thawing stake");
        outflow += 1485e18;
        vm.assertEq(token.balanceOf(curator3), FUNDS - 3000e18 + 1485e18);

        _exit(curator1, v, 495e18);
        _exit(curator2, v, 990e18);
        vm.assertEq(curation.stakeOf(v), 0);
        _claimChallenges(challenger, 1837e18);
        _claimChallenges(keeper, 30.7e18);
        _claimCuration(publisher, v, 60e18);
        vm.assertEq(_protocolBalance(), 0);
        _assertFlow();
    }

    /// (8) Pausing stops new entries, never exits: unsignal, withdraw, both claims, retire, withdrawBond,
    ///     respond, rule and settle all work while paused.
    function test_scenario_PauseDoesNotBlockExits() public {
        bytes32 v1 = _pub(publisher, 1);
        bytes32 v2 = _pub(publisher, 2);
        bytes32 v3 = _pub(publisher2, 3);
        bytes32 v4 = _pub(publisher, 4);
        inflow += 400e18;
        _signal(curator1, v1, 1000e18);
        _signal(curator2, v1, 1000e18);
        inflow += 2000e18;
        vm.prank(publisher);
        registry.retire(v2);
        vm.prank(curator2);
        curation.unsignal(v1, 990e18);
        vm.warp(block.timestamp + 7 days);

        uint256 a = _openA(challenger, v1, _indices(1)); // 5% of 100 + 1980 = 104
        uint256 d = _openD(challenger, v3); // 10
        inflow += 104e18 + 10e18;
        uint32[] memory idx = _indices(0);
        bytes32 salt = keccak256("pending");
        _commitA(challenger, v4, idx, salt);
        _commitD(challenger, v4, EVIDENCE, salt);
        _next();

        _pause();
        vm.assertTrue(config.paused());
        bytes memory paused = abi.encodeWithSelector(ICuriaConfig.ProtocolPaused.selector);

        // New entries are refused.
        vm.prank(publisher2);
        vm.expectRevert(paused);
        registry.createModel("another", "");
        ICuriaRegistry.PublishParams memory p =
            _params(registry.modelIdOf(publisher, "model"), NUM_CHUNKS, 9, bytes32(0), 100e18);
        vm.prank(publisher);
        vm.expectRevert(paused);
        registry.publish(p);
        vm.prank(curator3);
        vm.expectRevert(paused);
        curation.signal(v4, 1000e18, 0);
        vm.prank(challenger);
        vm.expectRevert(paused);
        challenges.commit(keccak256("new"));
        vm.prank(challenger);
        vm.expectRevert(paused);
        challenges.revealAvailability(v4, idx, salt, type(uint256).max);
        vm.prank(challenger);
        vm.expectRevert(paused);
        challenges.revealDispute(v4, EVIDENCE, salt, type(uint256).max);

        // Exits go on.
        vm.prank(curator1);
        curation.unsignal(v1, 990e18);
        vm.assertEq(uint256(curation.getPosition(v1, curator1).thawing), 990e18);
        // curator2's thaw is over, but v1 is challenged: its withdrawal waits for the settlement below.
        vm.prank(curator2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.VersionChallenged.selector, v1));
        curation.withdraw(v1);
        _claimCuration(publisher, v1, 20e18); // the tax on both signals
        vm.prank(publisher);
        registry.retire(v4);
        vm.assertEq(uint256(registry.getVersion(v4).status), uint256(ICuriaRegistry.VersionStatus.Retired));
        vm.prank(publisher);
        vm.assertEq(registry.withdrawBond(v2), 100e18);
        outflow += 100e18;

        _respondTo(responder, a, _indices(1));
        _rule(d, ICuriaChallenges.Ruling.Rejected);
        // a: bond 104: keeper 1.04, burn 10.296, responder 51.48, curators 41.184 (no active shares: publisher).
        _settleExpect(
            keeper, a, ICuriaChallenges.Status.Failed, _settlement(1.04e18, 0, 51.48e18, 41.184e18, 0, 0, 10.296e18)
        );
        vm.prank(curator2);
        vm.assertEq(curation.withdraw(v1), 990e18);
        outflow += 990e18;
        // d: bond 10: keeper 0.1, burn 0.99, the publisher of v3 gets 8.91.
        _settleExpect(keeper, d, ICuriaChallenges.Status.Failed, _settlement(0.1e18, 0, 0, 8.91e18, 0, 0, 0.99e18));
        outflow += 10.296e18 + 0.99e18;
        _claimChallenges(keeper, 1.14e18);
        _claimChallenges(responder, 51.48e18);
        _claimCuration(publisher, v1, 41.184e18);
        _claimCuration(publisher2, v3, 8.91e18);
        vm.assertTrue(config.paused());
        _assertFlow();

        // Unpaused, new entries are accepted again.
        vm.prank(gov);
        config.unpause();
        _commitA(keeper, v1, idx, salt);
    }

    /// (9) A parameter change applies only to what is created after it: challenges opened before `setTerms`
    ///     settle with the old shares and windows, one opened after with the new ones.
    function test_scenario_TermsChangeAppliesToNewChallengesOnly() public {
        bytes32 v1 = _pub(publisher, 1);
        bytes32 v2 = _pub(publisher, 2);
        bytes32 v3 = _pub(publisher, 3);
        _signal(curator1, v1, 1000e18);
        _signal(curator1, v2, 1000e18);
        inflow += 300e18 + 2000e18;

        uint256 a = _openA(challenger, v1, _indices(0)); // terms 1: 5% of 1090 = 54.5
        uint40 deadlineA = challenges.getChallenge(a).deadline;
        vm.assertEq(uint256(deadlineA), block.timestamp + 1 days);
        uint256 c = _openA(challenger, v3, _indices(1)); // terms 1: the minimum, 10
        inflow += 54.5e18 + 10e18;
        _respondTo(responder, c, _indices(1));

        ICuriaConfig.Terms memory t = _terms();
        t.minChallengeBond = 20e18;
        t.challengeBondBps = 1_000;
        t.keeperBountyBps = 500;
        t.challengerRewardBps = 2_000;
        t.curatorSlashBps = 10_000;
        t.responderRewardBps = 3_000;
        t.loserBurnBps = 2_000;
        t.responseWindow = 2 days;
        vm.assertEq(uint256(_setTerms(t)), 2);
        vm.assertEq(challenges.requiredBond(v2), 109e18);

        uint256 b = _openA(challenger, v2, _indices(0)); // terms 2: 10% of 1090 = 109
        inflow += 109e18;
        vm.assertEq(uint256(challenges.getChallenge(a).termsId), 1);
        vm.assertEq(uint256(challenges.getChallenge(c).termsId), 1);
        vm.assertEq(uint256(challenges.getChallenge(b).termsId), 2);
        vm.assertEq(uint256(challenges.getChallenge(a).deadline), uint256(deadlineA), "old window kept");
        vm.assertEq(uint256(challenges.getChallenge(b).deadline), block.timestamp + 2 days, "new window");
        vm.assertEq(uint256(challenges.getChallenge(b).bond), 109e18);

        // c (terms 1): keeper 1% of 10, burn 10% and responder 50% of the rest; terms 2 would be 0.5/1.9/2.85.
        ICuriaChallenges.Settlement memory sc = _settlement(0.1e18, 0, 4.95e18, 3.96e18, 0, 0, 0.99e18);
        _assertSettlementEq(_expectFailed(1, 10e18, true), sc);
        _settleExpect(keeper, c, ICuriaChallenges.Status.Failed, sc);

        // a (terms 1): 100 + 50% of 990 = 595: keeper 1% = 5.95, challenger 50% = 297.5, burned 291.55.
        vm.warp(uint256(deadlineA) + 1);
        vm.assertFalse(challenges.isSettleable(b));
        ICuriaChallenges.Settlement memory sa =
            _settlement(5.95e18, 54.5e18 + 297.5e18, 0, 0, 100e18, 495e18, 291.55e18);
        _assertSettlementEq(_expectUpheld(1, 54.5e18, 100e18, 990e18, 990e18), sa);
        _settleExpect(keeper, a, ICuriaChallenges.Status.Upheld, sa);
        vm.assertEq(curation.stakeOf(v1), 495e18);

        // b (terms 2): 100 + 100% of 990 = 1090: keeper 5% = 54.5, challenger 20% = 218, burned 817.5.
        _pastDeadline(b);
        ICuriaChallenges.Settlement memory sb = _settlement(54.5e18, 109e18 + 218e18, 0, 0, 100e18, 990e18, 817.5e18);
        _assertSettlementEq(_expectUpheld(2, 109e18, 100e18, 990e18, 990e18), sb);
        _settleExpect(keeper, b, ICuriaChallenges.Status.Upheld, sb);
        vm.assertEq(curation.stakeOf(v2), 0);

        outflow += 0.99e18 + 291.55e18 + 817.5e18;
        _claimChallenges(challenger, 54.5e18 + 297.5e18 + 109e18 + 218e18);
        _claimChallenges(keeper, 0.1e18 + 5.95e18 + 54.5e18);
        _claimChallenges(responder, 4.95e18);
        _assertFlow();
    }
}
