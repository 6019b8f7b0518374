// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {ICuriaChallenges} from "../src/interfaces/ICuriaChallenges.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @title WorkedExampleTest
/// @notice Replays the worked example of docs/protocol.md with the default terms and checks every figure to the wei.
contract WorkedExampleTest is CuriaFixture {
    function test_workedExample() public {
        bytes32[] memory none = new bytes32[](0);
        uint256 burnedBefore = token.balanceOf(BURN);

        // 1. Publish with a bond of 100.
        bytes32 v = _publish(publisher, 7);
        vm.assertEq(registry.getVersion(v).bond, 100e18);

        // 2. Three curators signal; 1% tax to the publisher.
        vm.assertEq(_signal(curator1, v, 1000e18), 990e18);
        vm.assertEq(_signal(curator2, v, 2000e18), 1980e18);
        vm.assertEq(_signal(curator3, v, 1000e18), 990e18);
        vm.assertEq(curation.claimable(publisher), 40e18);
        vm.assertEq(curation.stakeOf(v), 3960e18);

        // 3. A reward of 440: 44 to the publisher, 0.1 per share to the curators.
        vm.prank(rewarder);
        curation.reward(v, 440e18);
        vm.assertEq(curation.pendingRewards(v, curator1), 99e18);
        vm.assertEq(curation.pendingRewards(v, curator2), 198e18);
        vm.assertEq(curation.pendingRewards(v, curator3), 99e18);
        vm.assertEq(curation.claimable(publisher), 84e18);

        // 4. An availability challenge: bond max(10, 5% of 4060) = 203.
        vm.assertEq(challenges.requiredBond(v), 203e18);
        uint256 first = _openAvailability(challenger, v, _indices(1, 3));
        vm.assertEq(challenges.getChallenge(first).bond, 203e18);

        // 5. Answered, then settled: the challenger loses.
        _respond(responder, first, _indices(1, 3));
        vm.prank(keeper);
        challenges.settle(first);
        vm.assertEq(challenges.claimable(keeper), 2.03e18);
        vm.assertEq(challenges.claimable(responder), 100.485e18);
        vm.assertEq(token.balanceOf(BURN) - burnedBefore, 20.097e18);
        vm.assertEq(curation.claimable(publisher), 84e18 + 8.0388e18);
        vm.assertEq(curation.pendingRewards(v, curator1), 99e18 + 18.0873e18);
        vm.assertEq(curation.pendingRewards(v, curator2), 198e18 + 36.1746e18);
        vm.assertEq(curation.pendingRewards(v, curator3), 99e18 + 18.0873e18);

        // 6. A second challenge, unanswered: upheld after the deadline.
        vm.assertEq(challenges.requiredBond(v), 203e18);
        uint256 second = _openAvailability(challenger, v, _indices(2));
        vm.warp(block.timestamp + _terms().responseWindow + 1);
        vm.prank(keeper);
        ICuriaChallenges.Status outcome = challenges.settle(second);
        vm.assertEq(uint256(outcome), uint256(ICuriaChallenges.Status.Upheld));
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Slashed));
        vm.assertEq(registry.getVersion(v).bond, 0);
        vm.assertEq(curation.stakeOf(v), 1980e18);
        vm.assertEq(challenges.claimable(keeper), 2.03e18 + 20.8e18);
        vm.assertEq(challenges.claimable(challenger), 1243e18);
        vm.assertEq(token.balanceOf(BURN) - burnedBefore, 20.097e18 + 1019.2e18);

        // Curators exit at half value.
        address[3] memory curators = [curator1, curator2, curator3];
        uint256[3] memory expected = [uint256(495e18), 990e18, 495e18];
        for (uint256 i; i < 3; ++i) {
            vm.startPrank(curators[i]);
            curation.unsignal(v, curation.getPosition(v, curators[i]).shares);
            vm.stopPrank();
        }
        vm.warp(block.timestamp + _terms().thawPeriod);
        for (uint256 i; i < 3; ++i) {
            uint256 before = token.balanceOf(curators[i]);
            vm.prank(curators[i]);
            curation.withdraw(v);
            vm.assertEq(token.balanceOf(curators[i]) - before, expected[i]);
        }

        // 7. Claims: every credit is paid, and the contracts are left empty.
        _claimAll(challenger, 1243e18, 0, none);
        _claimAll(responder, 100.485e18, 0, none);
        _claimAll(keeper, 22.83e18, 0, none);
        _claimAll(publisher, 0, 92.0388e18, none);
        bytes32[] memory vs = new bytes32[](1);
        vs[0] = v;
        _claimAll(curator1, 0, 117.0873e18, vs);
        _claimAll(curator2, 0, 234.1746e18, vs);
        _claimAll(curator3, 0, 117.0873e18, vs);
        vm.assertEq(token.balanceOf(BURN) - burnedBefore, 1039.297e18);
        vm.assertEq(_protocolBalance(), 0);
    }

    function _claimAll(address who, uint256 fromChallenges, uint256 fromCuration, bytes32[] memory versions) internal {
        uint256 before = token.balanceOf(who);
        vm.startPrank(who);
        if (fromChallenges != 0) challenges.claim();
        if (fromCuration != 0) curation.claim(versions);
        vm.stopPrank();
        vm.assertEq(token.balanceOf(who) - before, fromChallenges + fromCuration);
    }
}
