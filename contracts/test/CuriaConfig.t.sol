// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {CuriaConfig} from "../src/CuriaConfig.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";

/// @notice Unit tests of CuriaConfig: initial terms, setTerms and every bound, past terms, pause, wire, ownership.
contract CuriaConfigTest is CuriaFixture {
    address internal stranger = makeAddr("stranger");
    address internal newGov = makeAddr("newGov");
    address internal arbitrator2 = makeAddr("arbitrator2");

    // ------------------------------------------------------------ helpers

    /// @notice The deployment's default terms, as written in Deploy.defaultTerms (restated here on purpose).
    function _defaultTerms() internal view returns (ICuriaConfig.Terms memory t) {
        t.minPublisherBond = 100e18;
        t.minChallengeBond = 10e18;
        t.thawPeriod = 7 days;
        t.responseWindow = 1 days;
        t.rulingWindow = 3 days;
        t.revealWindow = 1 days;
        t.curationTaxBps = 100;
        t.rewardPublisherBps = 1_000;
        t.challengeBondBps = 500;
        t.curatorSlashBps = 5_000;
        t.challengerRewardBps = 5_000;
        t.keeperBountyBps = 100;
        t.responderRewardBps = 5_000;
        t.loserBurnBps = 1_000;
        t.maxChallengeChunks = 16;
        t.arbitrator = arbitrator;
    }

    /// @notice Valid terms that differ from the defaults in every field.
    function _otherTerms() internal view returns (ICuriaConfig.Terms memory t) {
        t.minPublisherBond = 250e18;
        t.minChallengeBond = 25e18;
        t.thawPeriod = 14 days;
        t.responseWindow = 2 days;
        t.rulingWindow = 4 days;
        t.revealWindow = 2 hours;
        t.curationTaxBps = 250;
        t.rewardPublisherBps = 2_000;
        t.challengeBondBps = 700;
        t.curatorSlashBps = 3_000;
        t.challengerRewardBps = 4_000;
        t.keeperBountyBps = 50;
        t.responderRewardBps = 6_000;
        t.loserBurnBps = 2_000;
        t.maxChallengeChunks = 8;
        t.arbitrator = arbitrator2;
    }

    function _assertTermsEq(ICuriaConfig.Terms memory a, ICuriaConfig.Terms memory b) internal pure {
        vm.assertEq(abi.encode(a), abi.encode(b));
    }

    function _expectInvalid(ICuriaConfig.Terms memory t, string memory field) internal {
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICuriaConfig.InvalidTerms.selector, field));
        config.setTerms(t);
    }

    function _expectValid(ICuriaConfig.Terms memory t) internal {
        uint32 before = config.currentTermsId();
        vm.prank(gov);
        uint32 id = config.setTerms(t);
        vm.assertEq(uint256(id), uint256(before) + 1);
        _assertTermsEq(config.currentTerms(), t);
    }

    /// @notice Terms where every window is at its maximum, so that the thaw period can be anything up to MAX_THAW.
    function _wideTerms() internal view returns (ICuriaConfig.Terms memory t) {
        t = _defaultTerms();
        t.thawPeriod = 365 days;
    }

    // ------------------------------------------------- constructor, terms 1

    function test_constructor_initialTermsHaveIdOne() public view {
        vm.assertEq(uint256(config.currentTermsId()), 1);
        _assertTermsEq(config.currentTerms(), _defaultTerms());
        _assertTermsEq(config.terms(1), _defaultTerms());
        vm.assertFalse(config.paused());
        vm.assertEq(config.owner(), gov);
        vm.assertEq(config.pendingOwner(), address(0));
    }

    function test_constructor_wiredByDeployment() public view {
        vm.assertEq(config.registry(), address(registry));
        vm.assertEq(config.curation(), address(curation));
        vm.assertEq(config.challenges(), address(challenges));
    }

    function test_constructor_emitsOwnershipAndTermsUpdated() public {
        ICuriaConfig.Terms memory t = _otherTerms();
        vm.expectEmit();
        emit Ownable.OwnershipTransferred(address(0), newGov);
        vm.expectEmit();
        emit ICuriaConfig.TermsUpdated(1, t);
        CuriaConfig c = new CuriaConfig(newGov, t);
        vm.assertEq(uint256(c.currentTermsId()), 1);
        _assertTermsEq(c.terms(1), t);
        vm.assertEq(c.owner(), newGov);
        vm.assertEq(c.registry(), address(0));
        vm.assertEq(c.curation(), address(0));
        vm.assertEq(c.challenges(), address(0));
        vm.assertFalse(c.paused());
    }

    function test_RevertWhen_constructor_invalidInitialTerms() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.maxChallengeChunks = 0;
        vm.expectRevert(abi.encodeWithSelector(ICuriaConfig.InvalidTerms.selector, "maxChallengeChunks"));
        new CuriaConfig(gov, t);
    }

    function test_RevertWhen_constructor_zeroOwner() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new CuriaConfig(address(0), t);
    }

    function test_constants() public view {
        vm.assertEq(config.MAX_MIN_BOND(), 1e27);
        vm.assertEq(uint256(config.MIN_WINDOW()), 60);
        vm.assertEq(uint256(config.MAX_WINDOW()), 60 days);
        vm.assertEq(uint256(config.MAX_REVEAL_WINDOW()), 7 days);
        vm.assertEq(uint256(config.MAX_THAW()), 365 days);
        vm.assertEq(uint256(config.MAX_CURATION_TAX_BPS()), 1_000);
        vm.assertEq(uint256(config.MAX_REWARD_PUBLISHER_BPS()), 5_000);
        vm.assertEq(uint256(config.MAX_CHALLENGER_REWARD_BPS()), 5_000);
        vm.assertEq(uint256(config.MAX_KEEPER_BOUNTY_BPS()), 1_000);
        vm.assertEq(uint256(config.MAX_CHALLENGE_CHUNKS()), 16);
    }

    // ------------------------------------------------------------- setTerms

    function test_setTerms_createsNewIdAndEmits() public {
        ICuriaConfig.Terms memory t = _otherTerms();
        vm.expectEmit(address(config));
        emit ICuriaConfig.TermsUpdated(2, t);
        vm.prank(gov);
        uint32 id = config.setTerms(t);
        vm.assertEq(uint256(id), 2);
        vm.assertEq(uint256(config.currentTermsId()), 2);
        _assertTermsEq(config.currentTerms(), t);
        _assertTermsEq(config.terms(2), t);
    }

    function test_setTerms_keepsOldTermsReadable() public {
        ICuriaConfig.Terms memory t2 = _otherTerms();
        ICuriaConfig.Terms memory t3 = _defaultTerms();
        t3.curationTaxBps = 0;
        vm.startPrank(gov);
        vm.assertEq(uint256(config.setTerms(t2)), 2);
        vm.assertEq(uint256(config.setTerms(t3)), 3);
        vm.stopPrank();
        _assertTermsEq(config.terms(1), _defaultTerms());
        _assertTermsEq(config.terms(2), t2);
        _assertTermsEq(config.terms(3), t3);
        _assertTermsEq(config.currentTerms(), t3);
        vm.assertEq(uint256(config.currentTermsId()), 3);
    }

    function test_setTerms_identicalTermsStillGetNewId() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        vm.prank(gov);
        vm.assertEq(uint256(config.setTerms(t)), 2);
        _assertTermsEq(config.terms(2), config.terms(1));
    }

    function test_RevertWhen_setTerms_notOwner() public {
        ICuriaConfig.Terms memory t = _otherTerms();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        config.setTerms(t);
        vm.assertEq(uint256(config.currentTermsId()), 1);
    }

    function test_RevertWhen_setTerms_byPendingOwner() public {
        vm.prank(gov);
        config.transferOwnership(newGov);
        ICuriaConfig.Terms memory t = _otherTerms();
        vm.prank(newGov);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, newGov));
        config.setTerms(t);
    }

    function test_setTerms_reportsFirstInvalidField() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.curationTaxBps = 1_001;
        t.arbitrator = address(0);
        t.minChallengeBond = 0;
        _expectInvalid(t, "minChallengeBond");
    }

    // ---- bounds: one past each bound reverts with the field's name; the bound itself passes

    function test_setTerms_bound_minPublisherBond() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.minPublisherBond = 0;
        _expectInvalid(t, "minPublisherBond");
        t.minPublisherBond = 1;
        _expectValid(t);
        t.minPublisherBond = 1e27 + 1;
        _expectInvalid(t, "minPublisherBond");
        t.minPublisherBond = 1e27;
        _expectValid(t);
    }

    function test_setTerms_bound_minChallengeBond() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.minChallengeBond = 0;
        _expectInvalid(t, "minChallengeBond");
        t.minChallengeBond = 1;
        _expectValid(t);
        t.minChallengeBond = 1e27 + 1;
        _expectInvalid(t, "minChallengeBond");
        t.minChallengeBond = 1e27;
        _expectValid(t);
    }

    function test_setTerms_bound_responseWindow() public {
        ICuriaConfig.Terms memory t = _wideTerms();
        t.responseWindow = 59;
        _expectInvalid(t, "responseWindow");
        t.responseWindow = 60;
        _expectValid(t);
        t.responseWindow = 60 days + 1;
        _expectInvalid(t, "responseWindow");
        t.responseWindow = 60 days;
        _expectValid(t);
    }

    function test_setTerms_bound_rulingWindow() public {
        ICuriaConfig.Terms memory t = _wideTerms();
        t.rulingWindow = 59;
        _expectInvalid(t, "rulingWindow");
        t.rulingWindow = 60;
        _expectValid(t);
        t.rulingWindow = 60 days + 1;
        _expectInvalid(t, "rulingWindow");
        t.rulingWindow = 60 days;
        _expectValid(t);
    }

    function test_setTerms_bound_revealWindow() public {
        ICuriaConfig.Terms memory t = _wideTerms();
        t.revealWindow = 59;
        _expectInvalid(t, "revealWindow");
        t.revealWindow = 60;
        _expectValid(t);
        t.revealWindow = 7 days + 1;
        _expectInvalid(t, "revealWindow");
        t.revealWindow = 7 days;
        _expectValid(t);
    }

    function test_setTerms_bound_thawPeriodAtLeastTheWindows() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        // reveal 1 day + response 1 day + ruling 3 days = 5 days.
        t.thawPeriod = 5 days - 1;
        _expectInvalid(t, "thawPeriod");
        t.thawPeriod = 5 days;
        _expectValid(t);
        t.thawPeriod = 0;
        _expectInvalid(t, "thawPeriod");
    }

    function test_setTerms_bound_thawPeriodMinimumWithMinimalWindows() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.revealWindow = 60;
        t.responseWindow = 60;
        t.rulingWindow = 60;
        t.thawPeriod = 179;
        _expectInvalid(t, "thawPeriod");
        t.thawPeriod = 180;
        _expectValid(t);
    }

    function test_setTerms_bound_thawPeriodMaximum() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.thawPeriod = 365 days + 1;
        _expectInvalid(t, "thawPeriod");
        t.thawPeriod = 365 days;
        _expectValid(t);
    }

    function test_setTerms_bound_thawPeriodWithMaximalWindows() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.revealWindow = 7 days;
        t.responseWindow = 60 days;
        t.rulingWindow = 60 days;
        t.thawPeriod = 127 days - 1;
        _expectInvalid(t, "thawPeriod");
        t.thawPeriod = 127 days;
        _expectValid(t);
    }

    function test_setTerms_bound_curationTaxBps() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.curationTaxBps = 1_001;
        _expectInvalid(t, "curationTaxBps");
        t.curationTaxBps = 1_000;
        _expectValid(t);
        t.curationTaxBps = 0;
        _expectValid(t);
    }

    function test_setTerms_bound_rewardPublisherBps() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.rewardPublisherBps = 5_001;
        _expectInvalid(t, "rewardPublisherBps");
        t.rewardPublisherBps = 5_000;
        _expectValid(t);
        t.rewardPublisherBps = 0;
        _expectValid(t);
    }

    function test_setTerms_bound_challengeBondBps() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.challengeBondBps = 10_001;
        _expectInvalid(t, "challengeBondBps");
        t.challengeBondBps = 10_000;
        _expectValid(t);
        t.challengeBondBps = 0;
        _expectValid(t);
    }

    function test_setTerms_bound_curatorSlashBps() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.curatorSlashBps = 10_001;
        _expectInvalid(t, "curatorSlashBps");
        t.curatorSlashBps = 10_000;
        _expectValid(t);
        t.curatorSlashBps = 0;
        _expectValid(t);
    }

    function test_setTerms_bound_challengerRewardBps() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.challengerRewardBps = 5_001;
        _expectInvalid(t, "challengerRewardBps");
        t.challengerRewardBps = 5_000;
        _expectValid(t);
        t.challengerRewardBps = 0;
        _expectValid(t);
    }

    function test_setTerms_bound_keeperBountyBps() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.keeperBountyBps = 1_001;
        _expectInvalid(t, "keeperBountyBps");
        t.keeperBountyBps = 1_000;
        _expectValid(t);
        t.keeperBountyBps = 0;
        _expectValid(t);
    }

    function test_setTerms_bound_responderRewardPlusLoserBurn() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        // responderRewardBps + loserBurnBps <= 10_000; an excess in either is reported as "responderRewardBps".
        t.responderRewardBps = 9_001;
        t.loserBurnBps = 1_000;
        _expectInvalid(t, "responderRewardBps");
        t.responderRewardBps = 9_000;
        _expectValid(t);
        t.loserBurnBps = 1_001;
        _expectInvalid(t, "responderRewardBps");
        t.responderRewardBps = 0;
        t.loserBurnBps = 10_001;
        _expectInvalid(t, "responderRewardBps");
        t.loserBurnBps = 10_000;
        _expectValid(t);
        t.responderRewardBps = 10_000;
        t.loserBurnBps = 0;
        _expectValid(t);
        t.responderRewardBps = 10_001;
        _expectInvalid(t, "responderRewardBps");
    }

    function test_setTerms_bound_maxChallengeChunks() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.maxChallengeChunks = 0;
        _expectInvalid(t, "maxChallengeChunks");
        t.maxChallengeChunks = 1;
        _expectValid(t);
        t.maxChallengeChunks = 17;
        _expectInvalid(t, "maxChallengeChunks");
        t.maxChallengeChunks = 16;
        _expectValid(t);
    }

    function test_setTerms_bound_arbitrator() public {
        ICuriaConfig.Terms memory t = _defaultTerms();
        t.arbitrator = address(0);
        _expectInvalid(t, "arbitrator");
        t.arbitrator = address(1);
        _expectValid(t);
    }

    function test_setTerms_invalidTermsLeaveStateUnchanged() public {
        ICuriaConfig.Terms memory t = _otherTerms();
        t.keeperBountyBps = 1_001;
        _expectInvalid(t, "keeperBountyBps");
        vm.assertEq(uint256(config.currentTermsId()), 1);
        _assertTermsEq(config.currentTerms(), _defaultTerms());
    }

    // ---------------------------------------------------------------- terms

    function test_RevertWhen_terms_idZero() public {
        vm.expectRevert(abi.encodeWithSelector(ICuriaConfig.UnknownTerms.selector, uint32(0)));
        config.terms(0);
    }

    function test_RevertWhen_terms_futureId() public {
        vm.expectRevert(abi.encodeWithSelector(ICuriaConfig.UnknownTerms.selector, uint32(2)));
        config.terms(2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaConfig.UnknownTerms.selector, type(uint32).max));
        config.terms(type(uint32).max);

        ICuriaConfig.Terms memory t = _otherTerms();
        vm.prank(gov);
        config.setTerms(t);
        _assertTermsEq(config.terms(2), t);
        vm.expectRevert(abi.encodeWithSelector(ICuriaConfig.UnknownTerms.selector, uint32(3)));
        config.terms(3);
    }

    // ---------------------------------------------------------- pause/unpause

    function test_pause_setsPausedAndEmits() public {
        vm.expectEmit(address(config));
        emit ICuriaConfig.Paused(gov);
        vm.prank(gov);
        config.pause();
        vm.assertTrue(config.paused());
    }

    function test_unpause_clearsPausedAndEmits() public {
        vm.prank(gov);
        config.pause();
        vm.expectEmit(address(config));
        emit ICuriaConfig.Unpaused(gov);
        vm.prank(gov);
        config.unpause();
        vm.assertFalse(config.paused());
    }

    function test_RevertWhen_pause_alreadyPaused() public {
        vm.prank(gov);
        config.pause();
        vm.prank(gov);
        vm.expectRevert(ICuriaConfig.PauseUnchanged.selector);
        config.pause();
        vm.assertTrue(config.paused());
    }

    function test_RevertWhen_unpause_notPaused() public {
        vm.prank(gov);
        vm.expectRevert(ICuriaConfig.PauseUnchanged.selector);
        config.unpause();
        vm.assertFalse(config.paused());
    }

    function test_RevertWhen_pause_notOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        config.pause();
        vm.assertFalse(config.paused());
    }

    function test_RevertWhen_unpause_notOwner() public {
        vm.prank(gov);
        config.pause();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        config.unpause();
        vm.assertTrue(config.paused());
    }

    function test_pause_doesNotChangeTerms() public {
        vm.prank(gov);
        config.pause();
        vm.assertEq(uint256(config.currentTermsId()), 1);
        ICuriaConfig.Terms memory t = _otherTerms();
        // Governance can still set terms while paused.
        vm.prank(gov);
        vm.assertEq(uint256(config.setTerms(t)), 2);
    }

    // ------------------------------------------------------------------ wire

    function _freshConfig() internal returns (CuriaConfig c) {
        c = new CuriaConfig(gov, _defaultTerms());
    }

    function test_wire_setsAddressesAndEmits() public {
        CuriaConfig c = _freshConfig();
        address r = makeAddr("r");
        address cu = makeAddr("cu");
        address ch = makeAddr("ch");
        vm.expectEmit(address(c));
        emit ICuriaConfig.Wired(r, cu, ch);
        vm.prank(gov);
        c.wire(r, cu, ch);
        vm.assertEq(c.registry(), r);
        vm.assertEq(c.curation(), cu);
        vm.assertEq(c.challenges(), ch);
    }

    function test_RevertWhen_wire_secondTime() public {
        CuriaConfig c = _freshConfig();
        vm.prank(gov);
        c.wire(address(1), address(2), address(3));
        vm.prank(gov);
        vm.expectRevert(ICuriaConfig.AlreadyWired.selector);
        c.wire(address(4), address(5), address(6));
        vm.assertEq(c.registry(), address(1));
        vm.assertEq(c.curation(), address(2));
        vm.assertEq(c.challenges(), address(3));
    }

    function test_RevertWhen_wire_deployedConfigAgain() public {
        vm.prank(gov);
        vm.expectRevert(ICuriaConfig.AlreadyWired.selector);
        config.wire(address(4), address(5), address(6));
    }

    function test_RevertWhen_wire_zeroRegistry() public {
        CuriaConfig c = _freshConfig();
        vm.prank(gov);
        vm.expectRevert(ICuriaConfig.ZeroAddress.selector);
        c.wire(address(0), address(2), address(3));
    }

    function test_RevertWhen_wire_zeroCuration() public {
        CuriaConfig c = _freshConfig();
        vm.prank(gov);
        vm.expectRevert(ICuriaConfig.ZeroAddress.selector);
        c.wire(address(1), address(0), address(3));
    }

    function test_RevertWhen_wire_zeroChallenges() public {
        CuriaConfig c = _freshConfig();
        vm.prank(gov);
        vm.expectRevert(ICuriaConfig.ZeroAddress.selector);
        c.wire(address(1), address(2), address(0));
        // A failed wire leaves it wireable.
        vm.prank(gov);
        c.wire(address(1), address(2), address(3));
        vm.assertEq(c.challenges(), address(3));
    }

    function test_RevertWhen_wire_notOwner() public {
        CuriaConfig c = _freshConfig();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        c.wire(address(1), address(2), address(3));
        vm.assertEq(c.registry(), address(0));
    }

    // ------------------------------------------------------ Ownable2Step

    function test_transferOwnership_startsTwoStepTransfer() public {
        vm.expectEmit(address(config));
        emit Ownable2Step.OwnershipTransferStarted(gov, newGov);
        vm.prank(gov);
        config.transferOwnership(newGov);
        vm.assertEq(config.owner(), gov);
        vm.assertEq(config.pendingOwner(), newGov);
        // The current owner keeps its powers until the transfer is accepted.
        vm.prank(gov);
        config.pause();
        vm.assertTrue(config.paused());
    }

    function test_acceptOwnership_transfersOwnership() public {
        vm.prank(gov);
        config.transferOwnership(newGov);
        vm.expectEmit(address(config));
        emit Ownable.OwnershipTransferred(gov, newGov);
        vm.prank(newGov);
        config.acceptOwnership();
        vm.assertEq(config.owner(), newGov);
        vm.assertEq(config.pendingOwner(), address(0));

        ICuriaConfig.Terms memory t = _otherTerms();
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, gov));
        config.setTerms(t);
        vm.prank(newGov);
        vm.assertEq(uint256(config.setTerms(t)), 2);
    }

    function test_RevertWhen_acceptOwnership_notPendingOwner() public {
        vm.prank(gov);
        config.transferOwnership(newGov);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        config.acceptOwnership();
        vm.assertEq(config.owner(), gov);
        vm.assertEq(config.pendingOwner(), newGov);
    }

    function test_RevertWhen_transferOwnership_notOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        config.transferOwnership(stranger);
        vm.assertEq(config.pendingOwner(), address(0));
    }

    function test_transferOwnership_zeroCancelsPendingTransfer() public {
        vm.startPrank(gov);
        config.transferOwnership(newGov);
        config.transferOwnership(address(0));
        vm.stopPrank();
        vm.assertEq(config.pendingOwner(), address(0));
        vm.prank(newGov);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, newGov));
        config.acceptOwnership();
        vm.assertEq(config.owner(), gov);
    }

    function test_transferOwnership_secondOfferReplacesFirst() public {
        vm.startPrank(gov);
        config.transferOwnership(newGov);
        config.transferOwnership(stranger);
        vm.stopPrank();
        vm.prank(newGov);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, newGov));
        config.acceptOwnership();
        vm.prank(stranger);
        config.acceptOwnership();
        vm.assertEq(config.owner(), stranger);
    }
}
