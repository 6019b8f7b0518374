// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {ICuriaCuration} from "../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @notice Regression tests for bugs found while writing the unit tests; each failed before its fix.
contract RegressionsTest is CuriaFixture {
    address internal whale = makeAddr("whale");

    uint256 internal constant THAW = 7 days;

    /// @notice Regression (withdraw during a challenge). Thawed stake could be withdrawn while its version is Challenged. The slash is computed from the
    ///         pool snapshot taken at opening (curatorSlashBps x snapshot) and only capped by what is left, so the
    ///         curators who stay pay for the one who left: here the remaining curator loses 100% of its stake
    ///         although curatorSlashBps is 50%, and the leaver, whose stake was in the snapshot, loses nothing.
    ///         Expected: no curator whose stake was at risk when the challenge opened loses more than
    ///         curatorSlashBps of it.
    function test_withdraw_waitsForChallengeSoStayersLoseAtMostTheirShare() public {
        bytes32 v = _publish(publisher, 1);
        _signal(curator1, v, 1000e18); // 990e18 shares, stays
        _signal(curator2, v, 1000e18); // 990e18 shares, leaves
        vm.prank(curator2);
        curation.unsignal(v, 990e18);
        uint256 thawEnd2 = block.timestamp + THAW;

        // A challenge opens an hour before curator2's thaw ends: its stake is in the snapshot.
        vm.warp(thawEnd2 - 1 hours);
        uint256 id = _openAvailability(challenger, v, _indices(0));
        vm.assertEq(uint256(challenges.getChallenge(id).poolSnapshot), 1980e18);

        // curator2's thaw ends while the version is Challenged: its withdrawal waits for the settlement.
        vm.warp(thawEnd2);
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Challenged));
        vm.prank(curator2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.VersionChallenged.selector, v));
        curation.withdraw(v);

        // Nobody answers: upheld. Slash = 50% x 1980e18, shared by both curators.
        vm.warp(challenges.getChallenge(id).deadline + 1);
        challenges.settle(id);

        vm.prank(curator2);
        vm.assertEq(curation.withdraw(v), 495e18);
        vm.prank(curator1);
        curation.unsignal(v, 990e18);
        vm.warp(block.timestamp + THAW);
        vm.prank(curator1);
        uint256 paid = curation.withdraw(v);
        vm.assertEq(paid, 495e18);
        uint256 maxLoss = 990e18 * uint256(config.currentTerms().curatorSlashBps) / 10_000;
        vm.assertGe(paid, 990e18 - maxLoss, "remaining curator lost more than curatorSlashBps of its stake");
    }

    /// @notice Regression. ICuriaCuration declares `AmountTooLarge` ("the amount does not fit the pool's 128-bit
    ///         accounting") but CuriaCuration never raises it: a signal whose shares exceed 128 bits reverts with
    ///         OpenZeppelin's SafeCastOverflowedUintDowncast, which clients decoding the ICuriaCuration ABI cannot
    ///         name.
    function test_signal_RevertWhen_amountAbove128Bits() public {
        bytes32 v = _publish(publisher, 1);
        uint256 amount = 2 ** 129;
        token.mint(whale, amount);
        vm.prank(whale);
        token.approve(address(curation), amount);
        vm.prank(whale);
        vm.expectRevert(ICuriaCuration.AmountTooLarge.selector);
        curation.signal(v, amount, 0);
    }

    /// @notice Regression. Same for `reward`: a curator share above 128 bits reverts with SafeCastOverflowedUintDowncast
    ///         instead of the declared `AmountTooLarge`.
    function test_reward_RevertWhen_amountAbove128Bits() public {
        bytes32 v = _publish(publisher, 1);
        _signal(curator1, v, 1000e18);
        uint256 amount = 2 ** 129;
        token.mint(whale, amount);
        vm.prank(whale);
        token.approve(address(curation), amount);
        vm.prank(whale);
        vm.expectRevert(ICuriaCuration.AmountTooLarge.selector);
        curation.reward(v, amount);
    }
}
