// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {ICuriaChallenges} from "../src/interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @notice Unit tests of CuriaCuration: signal, unsignal, withdraw (also after a slash), reward, claim, slash and
///         the views. Expected amounts are derived by hand from the default terms (1% tax, 10% publisher reward
///         share, 7-day thaw, 50% curator slash), never read back from the contract.
contract CuriaCurationTest is CuriaFixture {
    address internal stranger = makeAddr("stranger");

    uint256 internal constant BPS = 10_000;
    uint256 internal constant TAX_BPS = 100;
    uint256 internal constant PUB_BPS = 1_000;
    uint256 internal constant THAW = 7 days;
    uint256 internal constant ACC = 1e27;

    bytes32 internal v;

    function setUp() public override {
        super.setUp();
        v = _pubCheap(publisher, 1);
    }

    // ------------------------------------------------------------ helpers

    /// @notice Publishes a version with a made-up content root (5 chunks) and the minimum bond.
    function _pubCheap(address owner, uint256 seed) internal returns (bytes32) {
        bytes32 m = registry.modelIdOf(owner, "model");
        if (registry.getModel(m).owner == address(0)) _createModel(owner, "model");
        ICuriaRegistry.PublishParams memory p;
        p.modelId = m;
        p.contentRoot = keccak256(abi.encode("root", seed));
        p.manifestDigest = keccak256(abi.encode("manifest", seed));
        p.numChunks = 5;
        p.totalBytes = 4 * 4096 + 1000;
        p.locations = new string[](1);
        p.locations[0] = "hf://curia/test@main";
        p.metadataURI = "ipfs://meta";
        p.bond = 100e18;
        vm.prank(owner);
        return registry.publish(p);
    }

    function _ceilTax(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return (amount * bps + BPS - 1) / BPS;
    }

    function _unsignal(address who, bytes32 ver, uint256 shares) internal {
        vm.prank(who);
        curation.unsignal(ver, shares);
    }

    function _reward(bytes32 ver, uint256 amount) internal {
        vm.prank(rewarder);
        curation.reward(ver, amount);
    }

    function _claim(address who, bytes32 ver) internal returns (uint256) {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = ver;
        vm.prank(who);
        return curation.claim(ids);
    }

    function _withdraw(address who, bytes32 ver) internal returns (uint256) {
        vm.prank(who);
        return curation.withdraw(ver);
    }

    function _pause() internal {
        vm.prank(gov);
        config.pause();
    }

    function _setTerms(uint16 taxBps, uint16 pubBps, uint32 thaw) internal {
        ICuriaConfig.Terms memory t = config.currentTerms();
        t.curationTaxBps = taxBps;
        t.rewardPublisherBps = pubBps;
        t.thawPeriod = thaw;
        vm.prank(gov);
        config.setTerms(t);
    }

    /// @notice Opens an availability challenge nobody answers and settles it after the deadline: upheld.
    function _upheld(bytes32 ver) internal returns (uint256 id) {
        id = _openAvailability(challenger, ver, _indices(0));
        vm.warp(challenges.getChallenge(id).deadline + 1);
        vm.prank(keeper);
        challenges.settle(id);
        vm.assertEq(uint256(registry.getVersion(ver).status), uint256(ICuriaRegistry.VersionStatus.Slashed));
    }

    function _assertPool(bytes32 ver, uint256 shares, uint256 thawing, uint256 tokens, uint256 reserve, uint256 acc)
        internal
        view
    {
        ICuriaCuration.Pool memory p = curation.getPool(ver);
        vm.assertEq(uint256(p.shares), shares, "pool.shares");
        vm.assertEq(uint256(p.thawing), thawing, "pool.thawing");
        vm.assertEq(uint256(p.tokens), tokens, "pool.tokens");
        vm.assertEq(uint256(p.rewardReserve), reserve, "pool.rewardReserve");
        vm.assertEq(p.accRewardPerShare, acc, "pool.accRewardPerShare");
    }

    function _assertPosition(bytes32 ver, address who, uint256 shares, uint256 thawing, uint256 thawEnd) internal view {
        ICuriaCuration.Position memory p = curation.getPosition(ver, who);
        vm.assertEq(uint256(p.shares), shares, "position.shares");
        vm.assertEq(uint256(p.thawing), thawing, "position.thawing");
        vm.assertEq(uint256(p.thawEnd), thawEnd, "position.thawEnd");
    }

    // --------------------------------------------------------------- signal

    function test_signal_mintsSharesAndCreditsTax() public {
        uint256 curBefore = token.balanceOf(curator1);
        uint256 poolBefore = token.balanceOf(address(curation));
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Signalled(v, curator1, publisher, 1000e18, 10e18, 990e18);
        vm.prank(curator1);
        uint256 shares = curation.signal(v, 1000e18, 990e18);
        vm.assertEq(shares, 990e18);
        vm.assertEq(curation.claimable(publisher), 10e18);
        vm.assertEq(curation.claimable(curator1), 0);
        _assertPool(v, 990e18, 0, 990e18, 0, 0);
        _assertPosition(v, curator1, 990e18, 0, 0);
        vm.assertEq(curation.stakeOf(v), 990e18);
        vm.assertEq(token.balanceOf(curator1), curBefore - 1000e18);
        vm.assertEq(token.balanceOf(address(curation)), poolBefore + 1000e18);
    }

    function test_signal_taxRoundsUp() public {
        // 101 * 1% = 1.01 -> tax 2, shares 99.
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Signalled(v, curator1, publisher, 101, 2, 99);
        vm.assertEq(_signal(curator1, v, 101), 99);
        vm.assertEq(_ceilTax(101, TAX_BPS), 2);
        // 100 * 1% = 1 exactly -> tax 1, shares 99.
        vm.assertEq(_signal(curator2, v, 100), 99);
        // 12345 * 1% = 123.45 -> tax 124.
        vm.assertEq(_signal(curator3, v, 12_345), 12_345 - 124);
        vm.assertEq(curation.claimable(publisher), 2 + 1 + 124);
        _assertPool(v, 99 + 99 + 12_221, 0, 99 + 99 + 12_221, 0, 0);
    }

    function test_signal_accumulatesPosition() public {
        _signal(curator1, v, 1000e18);
        _signal(curator1, v, 500e18);
        _assertPosition(v, curator1, 990e18 + 495e18, 0, 0);
        _assertPool(v, 1485e18, 0, 1485e18, 0, 0);
        vm.assertEq(curation.claimable(publisher), 15e18);
    }

    function test_signal_usesCurrentTax() public {
        _setTerms(1_000, uint16(PUB_BPS), uint32(THAW));
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Signalled(v, curator1, publisher, 1000e18, 100e18, 900e18);
        vm.assertEq(_signal(curator1, v, 1000e18), 900e18);
        vm.assertEq(curation.claimable(publisher), 100e18);
    }

    function test_signal_zeroTaxCreditsNothing() public {
        _setTerms(0, uint16(PUB_BPS), uint32(THAW));
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Signalled(v, curator1, publisher, 7, 0, 7);
        vm.assertEq(_signal(curator1, v, 7), 7);
        vm.assertEq(curation.claimable(publisher), 0);
        _assertPool(v, 7, 0, 7, 0, 0);
    }

    function test_signal_taxGoesToVersionPublisherNotModelOwner() public {
        bytes32 m = registry.modelIdOf(publisher, "model");
        vm.prank(publisher);
        registry.transferModelOwnership(m, publisher2);
        vm.prank(publisher2);
        registry.acceptModelOwnership(m);
        _signal(curator1, v, 1000e18);
        vm.assertEq(curation.claimable(publisher), 10e18);
        vm.assertEq(curation.claimable(publisher2), 0);
    }

    function test_signal_minSharesEqualToSharesPasses() public {
        vm.prank(curator1);
        vm.assertEq(curation.signal(v, 1000e18, 990e18), 990e18);
    }

    function test_RevertWhen_signal_slippageExceeded() public {
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.SlippageExceeded.selector, 990e18, 990e18 + 1));
        curation.signal(v, 1000e18, 990e18 + 1);
    }

    function test_RevertWhen_signal_taxRaisedAboveExpectation() public {
        // The curator expects 990 shares for 1000 (1% tax); governance raises the tax to 10% meanwhile.
        _setTerms(1_000, uint16(PUB_BPS), uint32(THAW));
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.SlippageExceeded.selector, 900e18, 990e18));
        curation.signal(v, 1000e18, 990e18);
    }

    function test_RevertWhen_signal_taxTakesEverything() public {
        // 1 wei: tax ceil(0.01) = 1, no share would be minted.
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.SlippageExceeded.selector, 0, 0));
        curation.signal(v, 1, 0);
    }

    function test_RevertWhen_signal_zeroAmount() public {
        vm.prank(curator1);
        vm.expectRevert(ICuriaCuration.ZeroAmount.selector);
        curation.signal(v, 0, 0);
    }

    function test_RevertWhen_signal_unknownVersion() public {
        bytes32 unknown = keccak256("nope");
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.NotSignallable.selector, unknown));
        curation.signal(unknown, 1000e18, 0);
    }

    function test_RevertWhen_signal_retired() public {
        vm.prank(publisher);
        registry.retire(v);
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.NotSignallable.selector, v));
        curation.signal(v, 1000e18, 0);
    }

    function test_RevertWhen_signal_challenged() public {
        _openDispute(challenger, v);
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.NotSignallable.selector, v));
        curation.signal(v, 1000e18, 0);
    }

    function test_RevertWhen_signal_slashed() public {
        _upheld(v);
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.NotSignallable.selector, v));
        curation.signal(v, 1000e18, 0);
    }

    function test_RevertWhen_signal_paused() public {
        _pause();
        vm.prank(curator1);
        vm.expectRevert(ICuriaConfig.ProtocolPaused.selector);
        curation.signal(v, 1000e18, 0);
    }

    function test_signal_afterFailedChallengeAgain() public {
        uint256 id = _openDispute(challenger, v);
        vm.prank(arbitrator);
        challenges.rule(id, ICuriaChallenges.Ruling.Rejected);
        challenges.settle(id);
        vm.assertEq(_signal(curator1, v, 1000e18), 990e18);
    }

    // ------------------------------------------------------------- unsignal

    function test_unsignal_movesSharesToThawing() public {
        _signal(curator1, v, 1000e18);
        uint40 thawEnd = uint40(block.timestamp + THAW);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Unsignalled(v, curator1, 400e18, 400e18, thawEnd);
        _unsignal(curator1, v, 400e18);
        _assertPosition(v, curator1, 590e18, 400e18, thawEnd);
        _assertPool(v, 590e18, 400e18, 990e18, 0, 0);
        // Thawing stake is still at stake.
        vm.assertEq(curation.stakeOf(v), 990e18);
    }

    function test_unsignal_secondUnsignalRestartsThaw() public {
        _signal(curator1, v, 1000e18);
        _unsignal(curator1, v, 400e18);
        vm.warp(block.timestamp + 6 days);
        uint40 thawEnd = uint40(block.timestamp + THAW);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Unsignalled(v, curator1, 100e18, 500e18, thawEnd);
        _unsignal(curator1, v, 100e18);
        _assertPosition(v, curator1, 490e18, 500e18, thawEnd);
        vm.assertEq(uint256(thawEnd), 1_700_000_000 + 13 days);
        // The first part's original thaw end (day 7) no longer lets anything out.
        vm.warp(1_700_000_000 + 7 days);
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.StillThawing.selector, thawEnd));
        curation.withdraw(v);
    }

    function test_unsignal_usesCurrentThawPeriod() public {
        _signal(curator1, v, 1000e18);
        _setTerms(uint16(TAX_BPS), uint16(PUB_BPS), 20 days);
        _unsignal(curator1, v, 990e18);
        _assertPosition(v, curator1, 0, 990e18, block.timestamp + 20 days);
    }

    function test_unsignal_worksWhilePaused() public {
        _signal(curator1, v, 1000e18);
        _pause();
        _unsignal(curator1, v, 990e18);
        _assertPosition(v, curator1, 0, 990e18, block.timestamp + THAW);
    }

    function test_unsignal_worksWhileChallenged() public {
        _signal(curator1, v, 1000e18);
        _openDispute(challenger, v);
        _unsignal(curator1, v, 990e18);
        _assertPosition(v, curator1, 0, 990e18, block.timestamp + THAW);
        _assertPool(v, 0, 990e18, 990e18, 0, 0);
    }

    function test_unsignal_settlesRewardsFirst() public {
        _signal(curator1, v, 1000e18);
        _reward(v, 1100e18); // 110 to the publisher, 990 to 990e18 shares: 1 per share
        vm.expectEmit(address(curation));
        emit ICuriaCuration.RewardsSettled(v, curator1, 990e18);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Unsignalled(v, curator1, 990e18, 990e18, uint40(block.timestamp + THAW));
        _unsignal(curator1, v, 990e18);
        vm.assertEq(curation.claimable(curator1), 990e18);
        vm.assertEq(curation.pendingRewards(v, curator1), 0);
        vm.assertEq(curation.getPosition(v, curator1).accSnapshot, ACC);
    }

    function test_RevertWhen_unsignal_insufficientShares() public {
        _signal(curator1, v, 1000e18);
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.InsufficientShares.selector, 990e18, 990e18 + 1));
        curation.unsignal(v, 990e18 + 1);
        vm.prank(curator2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.InsufficientShares.selector, 0, 1));
        curation.unsignal(v, 1);
    }

    function test_RevertWhen_unsignal_thawingSharesAgain() public {
        _signal(curator1, v, 1000e18);
        _unsignal(curator1, v, 990e18);
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.InsufficientShares.selector, 0, 1));
        curation.unsignal(v, 1);
    }

    function test_RevertWhen_unsignal_zeroAmount() public {
        _signal(curator1, v, 1000e18);
        vm.prank(curator1);
        vm.expectRevert(ICuriaCuration.ZeroAmount.selector);
        curation.unsignal(v, 0);
    }

    // ------------------------------------------------------------- withdraw

    function test_withdraw_paysNominalAfterThaw() public {
        _signal(curator1, v, 1000e18);
        _unsignal(curator1, v, 600e18);
        uint40 thawEnd = uint40(block.timestamp + THAW);
        vm.warp(thawEnd); // exactly at thawEnd is allowed
        uint256 before = token.balanceOf(curator1);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Withdrawn(v, curator1, 600e18, 600e18);
        vm.assertEq(_withdraw(curator1, v), 600e18);
        vm.assertEq(token.balanceOf(curator1), before + 600e18);
        _assertPosition(v, curator1, 390e18, 0, 0);
        _assertPool(v, 390e18, 0, 390e18, 0, 0);
        vm.assertEq(curation.stakeOf(v), 390e18);
    }

    function test_withdraw_worksWhilePaused() public {
        _signal(curator1, v, 1000e18);
        _unsignal(curator1, v, 990e18);
        _pause();
        vm.warp(block.timestamp + THAW);
        vm.assertEq(_withdraw(curator1, v), 990e18);
    }

    function test_withdraw_retiredVersion() public {
        _signal(curator1, v, 1000e18);
        vm.prank(publisher);
        registry.retire(v);
        _unsignal(curator1, v, 990e18);
        vm.warp(block.timestamp + THAW);
        vm.assertEq(_withdraw(curator1, v), 990e18);
        _assertPool(v, 0, 0, 0, 0, 0);
    }

    function test_RevertWhen_withdraw_nothingThawing() public {
        vm.prank(curator1);
        vm.expectRevert(ICuriaCuration.NothingThawing.selector);
        curation.withdraw(v);
        _signal(curator1, v, 1000e18);
        vm.prank(curator1);
        vm.expectRevert(ICuriaCuration.NothingThawing.selector);
        curation.withdraw(v);
    }

    function test_RevertWhen_withdraw_twice() public {
        _signal(curator1, v, 1000e18);
        _unsignal(curator1, v, 990e18);
        vm.warp(block.timestamp + THAW);
        _withdraw(curator1, v);
        vm.prank(curator1);
        vm.expectRevert(ICuriaCuration.NothingThawing.selector);
        curation.withdraw(v);
    }

    function test_RevertWhen_withdraw_stillThawing() public {
        _signal(curator1, v, 1000e18);
        _unsignal(curator1, v, 990e18);
        uint40 thawEnd = uint40(block.timestamp + THAW);
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.StillThawing.selector, thawEnd));
        curation.withdraw(v);
        vm.warp(thawEnd - 1);
        vm.prank(curator1);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.StillThawing.selector, thawEnd));
        curation.withdraw(v);
    }

    /// @notice Three curators (one thawing at the slash, two active); an upheld availability challenge slashes
    ///         50% of the snapshot, rounded down; each pay-out is nominal * (tokens left) / (nominal total),
    ///         rounded down.
    function test_withdraw_afterUpheldChallengeIsProRata() public {
        // shares: 1000 - ceil(10) = 990; 337 - ceil(3.37) = 333; 102 - ceil(1.02) = 100. Stake 1423.
        vm.assertEq(_signal(curator1, v, 1000), 990);
        vm.assertEq(_signal(curator2, v, 337), 333);
        vm.assertEq(_signal(curator3, v, 102), 100);
        _unsignal(curator2, v, 333); // thawing at the slash: still slashable
        uint40 thawEnd2 = uint40(block.timestamp + THAW);

        uint256 id = _openAvailability(challenger, v, _indices(0));
        vm.assertEq(uint256(challenges.getChallenge(id).poolSnapshot), 1423);
        vm.warp(challenges.getChallenge(id).deadline + 1);
        // Slash = floor(1423 * 50%) = 711; 712 tokens stay for 1423 nominal.
        vm.expectEmit(address(curation));
        emit ICuriaCuration.PoolSlashed(v, 711, 1423);
        challenges.settle(id);

        ICuriaCuration.Pool memory p = curation.getPool(v);
        vm.assertEq(uint256(p.tokens), 712);
        vm.assertEq(uint256(p.slashNumerator), 712);
        vm.assertEq(uint256(p.slashDenominator), 1423);
        vm.assertEq(curation.stakeOf(v), 712);

        // curator2: 333 * 712 / 1423 = 166.61... -> 166.
        vm.warp(thawEnd2);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Withdrawn(v, curator2, 333, 166);
        vm.assertEq(_withdraw(curator2, v), 166);

        // Active stake in a slashed pool: unsignal, thaw, withdraw. 990 * 712 / 1423 = 495.34... -> 495.
        _unsignal(curator1, v, 990);
        _unsignal(curator3, v, 100);
        vm.warp(block.timestamp + THAW);
        uint256 before1 = token.balanceOf(curator1);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Withdrawn(v, curator1, 990, 495);
        vm.assertEq(_withdraw(curator1, v), 495);
        vm.assertEq(token.balanceOf(curator1), before1 + 495);
        // 100 * 712 / 1423 = 50.03... -> 50.
        vm.assertEq(_withdraw(curator3, v), 50);
        uint256 num = 712;
        uint256 den = 1423;
        vm.assertEq(990 * num / den + 333 * num / den + 100 * num / den, 711);
        // One unit of rounding dust stays in the pool.
        _assertPool(v, 0, 0, 1, 0, 0);
    }

    function test_withdraw_afterFullSlashPaysZero() public {
        ICuriaConfig.Terms memory t = config.currentTerms();
        t.curatorSlashBps = 10_000;
        vm.prank(gov);
        config.setTerms(t);
        _signal(curator1, v, 1000e18);
        _unsignal(curator1, v, 990e18);
        _upheld(v);
        vm.warp(block.timestamp + THAW);
        uint256 before = token.balanceOf(curator1);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Withdrawn(v, curator1, 990e18, 0);
        vm.assertEq(_withdraw(curator1, v), 0);
        vm.assertEq(token.balanceOf(curator1), before);
        _assertPosition(v, curator1, 0, 0, 0);
    }

    // --------------------------------------------------------------- reward

    function test_reward_splitsBetweenPublisherAndCurators() public {
        _signal(curator1, v, 1000e18); // 990e18 shares
        uint256 acc = 900e18 * ACC / 990e18;
        vm.assertEq(acc, 909_090_909_090_909_090_909_090_909);
        uint256 rewBefore = token.balanceOf(rewarder);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, rewarder, publisher, 1000e18, 100e18, 900e18, acc);
        _reward(v, 1000e18);
        vm.assertEq(curation.claimable(publisher), 10e18 + 100e18);
        _assertPool(v, 990e18, 0, 990e18, 900e18, acc);
        // 990e18 * acc / 1e27 = 899.99...e18, rounded down.
        vm.assertEq(curation.pendingRewards(v, curator1), 900e18 - 1);
        vm.assertEq(token.balanceOf(rewarder), rewBefore - 1000e18);
    }

    function test_reward_publisherShareRoundsDown() public {
        _signal(curator1, v, 1000e18);
        // 19 * 10% = 1.9 -> 1 to the publisher, 18 to the curators.
        uint256 acc = 18 * ACC / 990e18;
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, rewarder, publisher, 19, 1, 18, acc);
        _reward(v, 19);
        vm.assertEq(curation.claimable(publisher), 10e18 + 1);
        vm.assertEq(uint256(curation.getPool(v).rewardReserve), 18);
    }

    function test_reward_allToPublisherWithoutShares() public {
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, rewarder, publisher, 500e18, 500e18, 0, 0);
        _reward(v, 500e18);
        vm.assertEq(curation.claimable(publisher), 500e18);
        _assertPool(v, 0, 0, 0, 0, 0);
        vm.assertEq(token.balanceOf(address(curation)), 500e18);
    }

    function test_reward_allToPublisherWhenEveryoneThaws() public {
        _signal(curator1, v, 1000e18);
        _unsignal(curator1, v, 990e18);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, rewarder, publisher, 500e18, 500e18, 0, 0);
        _reward(v, 500e18);
        vm.assertEq(curation.claimable(publisher), 10e18 + 500e18);
        vm.assertEq(curation.pendingRewards(v, curator1), 0);
    }

    function test_reward_usesCurrentPublisherShare() public {
        _signal(curator1, v, 1000e18);
        _setTerms(uint16(TAX_BPS), 5_000, uint32(THAW));
        uint256 acc = 500e18 * ACC / 990e18;
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, rewarder, publisher, 1000e18, 500e18, 500e18, acc);
        _reward(v, 1000e18);
    }

    function test_reward_zeroPublisherShare() public {
        _signal(curator1, v, 1000e18);
        _setTerms(uint16(TAX_BPS), 0, uint32(THAW));
        _reward(v, 990e18);
        vm.assertEq(curation.claimable(publisher), 10e18);
        vm.assertEq(curation.pendingRewards(v, curator1), 990e18);
    }

    function test_reward_retiredChallengedAndPausedVersions() public {
        _signal(curator1, v, 1000e18);
        vm.prank(publisher);
        registry.retire(v);
        _reward(v, 1100e18); // Retired: rewardable
        _openDispute(challenger, v);
        _reward(v, 1100e18); // Challenged: rewardable
        _pause();
        _reward(v, 1100e18); // Paused: rewards are not entries
        vm.assertEq(curation.pendingRewards(v, curator1), 3 * 990e18);
        vm.assertEq(curation.claimable(publisher), 10e18 + 3 * 110e18);
    }

    function test_RevertWhen_reward_unknownVersion() public {
        bytes32 unknown = keccak256("nope");
        vm.prank(rewarder);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.NotRewardable.selector, unknown));
        curation.reward(unknown, 1e18);
    }

    function test_RevertWhen_reward_slashed() public {
        _upheld(v);
        vm.prank(rewarder);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.NotRewardable.selector, v));
        curation.reward(v, 1e18);
    }

    function test_RevertWhen_reward_zeroAmount() public {
        vm.prank(rewarder);
        vm.expectRevert(ICuriaCuration.ZeroAmount.selector);
        curation.reward(v, 0);
    }

    // ---------------------------------------------------------------- claim

    function test_claim_settlesListedVersionsThenPaysAll() public {
        bytes32 v2 = _pubCheap(publisher2, 2);
        _signal(curator1, v, 1000e18); // 990e18 shares
        _signal(curator1, v2, 2000e18); // 1980e18 shares
        _reward(v, 1100e18); // 990e18 to curators: 1 per share
        _reward(v2, 4400e18); // 3960e18 to curators: 2 per share
        vm.assertEq(curation.pendingRewards(v, curator1), 990e18);
        vm.assertEq(curation.pendingRewards(v2, curator1), 3960e18);
        vm.assertEq(curation.claimable(curator1), 0);

        bytes32[] memory ids = new bytes32[](2);
        ids[0] = v;
        ids[1] = v2;
        uint256 before = token.balanceOf(curator1);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.RewardsSettled(v, curator1, 990e18);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.RewardsSettled(v2, curator1, 3960e18);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Claimed(curator1, 4950e18);
        vm.prank(curator1);
        vm.assertEq(curation.claim(ids), 4950e18);
        vm.assertEq(token.balanceOf(curator1), before + 4950e18);
        vm.assertEq(curation.claimable(curator1), 0);
        vm.assertEq(curation.pendingRewards(v, curator1), 0);
        vm.assertEq(curation.pendingRewards(v2, curator1), 0);
        vm.assertEq(uint256(curation.getPool(v).rewardReserve), 0);
        vm.assertEq(uint256(curation.getPool(v2).rewardReserve), 0);
        vm.assertEq(curation.getPosition(v, curator1).accSnapshot, ACC);
        vm.assertEq(curation.getPosition(v2, curator1).accSnapshot, 2 * ACC);
    }

    function test_claim_onlyListedVersionsAreSettled() public {
        bytes32 v2 = _pubCheap(publisher2, 2);
        _signal(curator1, v, 1000e18);
        _signal(curator1, v2, 1000e18);
        _reward(v, 1100e18);
        _reward(v2, 1100e18);
        vm.assertEq(_claim(curator1, v), 990e18);
        vm.assertEq(curation.pendingRewards(v2, curator1), 990e18);
        vm.assertEq(_claim(curator1, v2), 990e18);
    }

    function test_claim_duplicateVersionSettledOnce() public {
        _signal(curator1, v, 1000e18);
        _reward(v, 1100e18);
        bytes32[] memory ids = new bytes32[](3);
        ids[0] = v;
        ids[1] = v;
        ids[2] = keccak256("unknown version");
        vm.prank(curator1);
        vm.assertEq(curation.claim(ids), 990e18);
    }

    function test_claim_publisherTaxAndRewardShare() public {
        _signal(curator1, v, 1000e18); // 10e18 tax
        _reward(v, 1000e18); // 100e18 publisher share
        uint256 before = token.balanceOf(publisher);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Claimed(publisher, 110e18);
        vm.prank(publisher);
        vm.assertEq(curation.claim(new bytes32[](0)), 110e18);
        vm.assertEq(token.balanceOf(publisher), before + 110e18);
        vm.assertEq(curation.claimable(publisher), 0);
    }

    function test_claim_worksWhilePaused() public {
        _signal(curator1, v, 1000e18);
        _reward(v, 1100e18);
        _pause();
        vm.assertEq(_claim(curator1, v), 990e18);
    }

    function test_RevertWhen_claim_nothingToClaim() public {
        vm.prank(curator1);
        vm.expectRevert(ICuriaCuration.NothingToClaim.selector);
        curation.claim(new bytes32[](0));
    }

    function test_RevertWhen_claim_rewardsPendingButNotListed() public {
        _signal(curator1, v, 1000e18);
        _reward(v, 1100e18);
        vm.prank(curator1);
        vm.expectRevert(ICuriaCuration.NothingToClaim.selector);
        curation.claim(new bytes32[](0));
        vm.assertEq(curation.pendingRewards(v, curator1), 990e18);
    }

    function test_RevertWhen_claim_secondTime() public {
        _signal(curator1, v, 1000e18);
        _reward(v, 1100e18);
        _claim(curator1, v);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = v;
        vm.prank(curator1);
        vm.expectRevert(ICuriaCuration.NothingToClaim.selector);
        curation.claim(ids);
    }

    function test_claim_thawingStakeEarnsNothing() public {
        _signal(curator1, v, 1000e18); // 990e18
        _signal(curator2, v, 1000e18); // 990e18
        _unsignal(curator2, v, 990e18); // all thawing
        _reward(v, 2200e18); // 1980e18 to the curators: all to curator1's 990e18 active shares
        vm.assertEq(curation.pendingRewards(v, curator1), 1980e18);
        vm.assertEq(curation.pendingRewards(v, curator2), 0);
        vm.assertEq(_claim(curator1, v), 1980e18);
        vm.prank(curator2);
        vm.expectRevert(ICuriaCuration.NothingToClaim.selector);
        curation.claim(_one(v));
    }

    function test_claim_lateSignallerEarnsNothingOfEarlierReward() public {
        _signal(curator1, v, 1000e18);
        _reward(v, 1100e18); // 990e18 to curator1
        _signal(curator2, v, 1000e18); // after the reward
        vm.assertEq(curation.pendingRewards(v, curator2), 0);
        vm.assertEq(curation.getPosition(v, curator2).accSnapshot, ACC);
        _reward(v, 2200e18); // 1980e18 over 1980e18 shares: 1 per share each
        vm.assertEq(curation.pendingRewards(v, curator1), 990e18 + 990e18);
        vm.assertEq(curation.pendingRewards(v, curator2), 990e18);
        vm.assertEq(_claim(curator2, v), 990e18);
        vm.assertEq(_claim(curator1, v), 1980e18);
    }

    function _one(bytes32 id) internal pure returns (bytes32[] memory ids) {
        ids = new bytes32[](1);
        ids[0] = id;
    }

    /// @notice Three curators with different stakes, three rewards, an unsignal and a top-up in between.
    function test_claim_threeCuratorsSeveralRewards() public {
        // Shares 99e18, 198e18, 297e18 (tax 1e18, 2e18, 3e18).
        _signal(curator1, v, 100e18);
        _signal(curator2, v, 200e18);
        _signal(curator3, v, 300e18);

        // Reward 1: 660e18 -> publisher 66e18, curators 594e18 over 594e18 shares: +1e27.
        _reward(v, 660e18);
        uint256 acc = ACC;

        // curator3 unsignals 198e18 (settles 297e18 first), keeps 99e18 active.
        vm.expectEmit(address(curation));
        emit ICuriaCuration.RewardsSettled(v, curator3, 297e18);
        _unsignal(curator3, v, 198e18);

        // Reward 2: 440e18 -> publisher 44e18, curators 396e18 over 99 + 198 + 99 = 396e18 shares: +1e27.
        _reward(v, 440e18);
        acc += ACC;

        // curator1 tops up by 100e18 (settles 99e18 + 99e18 first): 198e18 shares; pool 495e18 shares.
        vm.expectEmit(address(curation));
        emit ICuriaCuration.RewardsSettled(v, curator1, 198e18);
        _signal(curator1, v, 100e18);

        // Reward 3: 1000e18 -> publisher 100e18, curators 900e18 over 495e18: +floor(900e27 / 495).
        uint256 inc3 = 900e18 * ACC / 495e18;
        vm.assertEq(inc3, 1_818_181_818_181_818_181_818_181_818);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, rewarder, publisher, 1000e18, 100e18, 900e18, acc + inc3);
        _reward(v, 1000e18);
        acc += inc3;
        _assertPool(v, 495e18, 198e18, 693e18, 1890e18 - 297e18 - 198e18, acc);

        // Each one's reward-3 part rounds down: 198e18 * inc3 / 1e27 = 360e18 - 1; 99e18 * inc3 / 1e27 = 180e18 - 1.
        vm.assertEq(198e18 * inc3 / ACC, 360e18 - 1);
        vm.assertEq(99e18 * inc3 / ACC, 180e18 - 1);
        // curator2 never settled: 198e18 * (2e27 + inc3) / 1e27 = 756e18 - 1.
        vm.assertEq(curation.pendingRewards(v, curator1), 360e18 - 1);
        vm.assertEq(curation.pendingRewards(v, curator2), 756e18 - 1);
        vm.assertEq(curation.pendingRewards(v, curator3), 99e18 + 180e18 - 1);
        vm.assertEq(curation.claimable(curator1), 198e18);
        vm.assertEq(curation.claimable(curator3), 297e18);

        uint256 expected1 = 99e18 + 99e18 + (360e18 - 1); // 558e18 - 1
        uint256 expected2 = 198e18 + 198e18 + (360e18 - 1); // 756e18 - 1
        uint256 expected3 = 297e18 + 99e18 + (180e18 - 1); // 576e18 - 1
        uint256 expectedPub = (1e18 + 2e18 + 3e18 + 1e18) + (66e18 + 44e18 + 100e18); // 217e18

        // Conservation before anyone is paid.
        vm.assertEq(
            token.balanceOf(address(curation)),
            693e18 + (1890e18 - 297e18 - 198e18) + curation.claimable(publisher) + 198e18 + 297e18
        );

        uint256 b1 = token.balanceOf(curator1);
        uint256 b2 = token.balanceOf(curator2);
        uint256 b3 = token.balanceOf(curator3);
        uint256 bp = token.balanceOf(publisher);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Claimed(curator1, expected1);
        vm.assertEq(_claim(curator1, v), expected1);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Claimed(curator2, expected2);
        vm.assertEq(_claim(curator2, v), expected2);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Claimed(curator3, expected3);
        vm.assertEq(_claim(curator3, v), expected3);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Claimed(publisher, expectedPub);
        vm.prank(publisher);
        vm.assertEq(curation.claim(new bytes32[](0)), expectedPub);

        vm.assertEq(token.balanceOf(curator1), b1 + 558e18 - 1);
        vm.assertEq(token.balanceOf(curator2), b2 + 756e18 - 1);
        vm.assertEq(token.balanceOf(curator3), b3 + 576e18 - 1);
        vm.assertEq(token.balanceOf(publisher), bp + 217e18);

        // Three wei of rounding dust stay in the reserve; the stake is untouched.
        _assertPool(v, 495e18, 198e18, 693e18, 3, acc);
        vm.assertEq(token.balanceOf(address(curation)), 693e18 + 3);

        // curator3's thawing 198e18 comes back in full.
        vm.warp(block.timestamp + THAW);
        vm.assertEq(_withdraw(curator3, v), 198e18);
        vm.assertEq(token.balanceOf(curator3), b3 + 576e18 - 1 + 198e18);
    }

    // ---------------------------------------------------------------- slash

    function test_RevertWhen_slash_notChallenges() public {
        _signal(curator1, v, 1000e18);
        address[4] memory callers = [publisher, gov, address(registry), curator1];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(ICuriaCuration.OnlyChallenges.selector);
            curation.slash(v, 1);
        }
        _assertPool(v, 990e18, 0, 990e18, 0, 0);
    }

    function test_RevertWhen_slash_tooLarge() public {
        _signal(curator1, v, 1000e18);
        vm.prank(address(challenges));
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.SlashTooLarge.selector, 990e18 + 1, 990e18));
        curation.slash(v, 990e18 + 1);
    }

    function test_slash_freezesPayoutRatio() public {
        _signal(curator1, v, 1000e18); // 990e18
        _signal(curator2, v, 500e18); // 495e18
        _unsignal(curator2, v, 95e18);
        uint256 before = token.balanceOf(address(challenges));
        vm.expectEmit(address(curation));
        emit ICuriaCuration.PoolSlashed(v, 485e18, 1485e18);
        vm.prank(address(challenges));
        curation.slash(v, 485e18);
        vm.assertEq(token.balanceOf(address(challenges)), before + 485e18);
        ICuriaCuration.Pool memory p = curation.getPool(v);
        vm.assertEq(uint256(p.tokens), 1000e18);
        vm.assertEq(uint256(p.slashNumerator), 1000e18);
        vm.assertEq(uint256(p.slashDenominator), 1485e18);
        vm.assertEq(uint256(p.shares), 1390e18);
        vm.assertEq(uint256(p.thawing), 95e18);
        vm.assertEq(curation.stakeOf(v), 1000e18);
        // 95e18 * 1000 / 1485 = 63.97...e18, rounded down.
        vm.warp(block.timestamp + THAW);
        vm.assertEq(_withdraw(curator2, v), uint256(95e18) * 1000e18 / 1485e18);
        vm.assertEq(uint256(95e18) * 1000e18 / 1485e18, 63_973_063_973_063_973_063);
    }

    function test_slash_zeroAmountKeepsFullPayout() public {
        _signal(curator1, v, 1000e18);
        vm.prank(address(challenges));
        curation.slash(v, 0);
        _unsignal(curator1, v, 990e18);
        vm.warp(block.timestamp + THAW);
        vm.assertEq(_withdraw(curator1, v), 990e18);
    }

    // ---------------------------------------------------------------- views

    function test_views_unknownVersionAndAccountAreZero() public view {
        bytes32 unknown = keccak256("nope");
        _assertPool(unknown, 0, 0, 0, 0, 0);
        ICuriaCuration.Pool memory p = curation.getPool(unknown);
        vm.assertEq(uint256(p.slashNumerator), 0);
        vm.assertEq(uint256(p.slashDenominator), 0);
        _assertPosition(unknown, curator1, 0, 0, 0);
        vm.assertEq(curation.getPosition(unknown, curator1).accSnapshot, 0);
        vm.assertEq(curation.pendingRewards(unknown, curator1), 0);
        vm.assertEq(curation.claimable(stranger), 0);
        vm.assertEq(curation.stakeOf(unknown), 0);
    }

    function test_views_wiring() public view {
        vm.assertEq(address(curation.registry()), address(registry));
        vm.assertEq(address(curation.config()), address(config));
        vm.assertEq(address(curation.token()), address(token));
        vm.assertEq(curation.ACC_PRECISION(), 1e27);
    }

    function test_stakeOf_countsActiveAndThawing() public {
        _signal(curator1, v, 1000e18);
        _signal(curator2, v, 2000e18);
        _unsignal(curator2, v, 1000e18);
        vm.assertEq(curation.stakeOf(v), 990e18 + 1980e18);
        vm.warp(block.timestamp + THAW);
        _withdraw(curator2, v);
        vm.assertEq(curation.stakeOf(v), 990e18 + 980e18);
    }
}
