// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {CuriaRegistry} from "../src/CuriaRegistry.sol";
import {CuriaCuration} from "../src/CuriaCuration.sol";
import {CuriaChallenges} from "../src/CuriaChallenges.sol";
import {CuriaModule} from "../src/base/CuriaModule.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @title CuriaModuleTest
/// @notice The pieces shared by the protocol contracts and the cheap cross-contract reads: constructor checks,
///         `curationTerms`, `payoutTerms`, `bondOf`, `creditReward`.
contract CuriaModuleTest is CuriaFixture {
    function test_constructors_RevertWhen_zeroAddresses() public {
        vm.expectRevert(CuriaModule.InvalidModuleSetup.selector);
        new CuriaRegistry(IERC20(address(0)), config);
        vm.expectRevert(CuriaModule.InvalidModuleSetup.selector);
        new CuriaRegistry(IERC20(address(token)), ICuriaConfig(address(0)));
        vm.expectRevert(CuriaModule.InvalidModuleSetup.selector);
        new CuriaCuration(IERC20(address(token)), config, ICuriaRegistry(address(0)));
        vm.expectRevert(CuriaModule.InvalidModuleSetup.selector);
        new CuriaChallenges(IERC20(address(token)), config, registry, ICuriaCuration(address(0)));
    }

    function test_curationTerms_followCurrentTermsAndPause() public {
        ICuriaConfig.CurationTerms memory c = config.curationTerms();
        vm.assertFalse(c.paused);
        vm.assertEq(c.curationTaxBps, 100);
        vm.assertEq(c.rewardPublisherBps, 1000);
        vm.assertEq(c.thawPeriod, 7 days);

        ICuriaConfig.Terms memory t = _terms();
        t.curationTaxBps = 250;
        t.rewardPublisherBps = 3000;
        t.thawPeriod = 30 days;
        vm.startPrank(gov);
        config.setTerms(t);
        config.pause();
        vm.stopPrank();
        c = config.curationTerms();
        vm.assertTrue(c.paused);
        vm.assertEq(c.curationTaxBps, 250);
        vm.assertEq(c.rewardPublisherBps, 3000);
        vm.assertEq(c.thawPeriod, 30 days);
    }

    function test_payoutTerms_ofPastTermsAndUnknownIds() public {
        ICuriaConfig.Terms memory t = _terms();
        t.curatorSlashBps = 1234;
        t.challengerRewardBps = 4321;
        t.keeperBountyBps = 55;
        t.responderRewardBps = 6000;
        t.loserBurnBps = 2000;
        vm.prank(gov);
        uint32 id = config.setTerms(t);

        ICuriaConfig.PayoutTerms memory p = config.payoutTerms(id);
        vm.assertEq(p.curatorSlashBps, 1234);
        vm.assertEq(p.challengerRewardBps, 4321);
        vm.assertEq(p.keeperBountyBps, 55);
        vm.assertEq(p.responderRewardBps, 6000);
        vm.assertEq(p.loserBurnBps, 2000);
        p = config.payoutTerms(1);
        vm.assertEq(p.curatorSlashBps, 5000);
        vm.assertEq(p.loserBurnBps, 1000);

        vm.expectRevert(abi.encodeWithSelector(ICuriaConfig.UnknownTerms.selector, uint32(0)));
        config.payoutTerms(0);
        vm.expectRevert(abi.encodeWithSelector(ICuriaConfig.UnknownTerms.selector, id + 1));
        config.payoutTerms(id + 1);
    }

    function test_bondOf_tracksTheLockedBond() public {
        bytes32 v = _publish(publisher, 1);
        vm.assertEq(registry.bondOf(v), 100e18);
        vm.assertEq(registry.bondOf(bytes32(uint256(1))), 0);
        vm.prank(publisher);
        registry.retire(v);
        vm.warp(block.timestamp + 7 days);
        vm.prank(publisher);
        registry.withdrawBond(v);
        vm.assertEq(registry.bondOf(v), 0);
    }

    function test_statusOf_followsTheVersion() public {
        vm.assertEq(uint256(registry.statusOf(bytes32(uint256(1)))), uint256(ICuriaRegistry.VersionStatus.None));
        bytes32 v = _publish(publisher, 1);
        vm.assertEq(uint256(registry.statusOf(v)), uint256(ICuriaRegistry.VersionStatus.Active));
        _openAvailability(challenger, v, _indices(1));
        vm.assertEq(uint256(registry.statusOf(v)), uint256(ICuriaRegistry.VersionStatus.Challenged));
    }

    function test_creditReward_RevertWhen_notChallenges() public {
        bytes32 v = _publish(publisher, 1);
        vm.prank(rewarder);
        vm.expectRevert(ICuriaCuration.OnlyChallenges.selector);
        curation.creditReward(v, 1e18);
    }

    function test_creditReward_booksTokensAlreadyTransferred() public {
        bytes32 v = _publish(publisher, 1);
        _signal(curator1, v, 1000e18);
        // CuriaChallenges transfers first, then books.
        token.mint(address(curation), 100e18);
        vm.prank(address(challenges));
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(
            v, address(challenges), publisher, 100e18, 10e18, 90e18, uint256(90e18) * 1e27 / 990e18
        );
        curation.creditReward(v, 100e18);
        vm.assertEq(curation.pendingRewards(v, curator1), 90e18 - 1); // 990 shares: the accumulator rounds down
        vm.assertEq(curation.claimable(publisher), 10e18 + 10e18); // tax of the signal + publisher share
    }
}
