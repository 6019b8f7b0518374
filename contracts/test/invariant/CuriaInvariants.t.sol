// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CuriaFixture} from "../utils/CuriaFixture.sol";
import {CuriaHandler} from "./CuriaHandler.sol";
import {ICuriaChallenges} from "../../src/interfaces/ICuriaChallenges.sol";
import {ICuriaCuration} from "../../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../../src/interfaces/ICuriaRegistry.sol";

/// @title CuriaInvariants
/// @notice The invariant suite: conservation of tokens in each contract and overall, nobody paid more than it put
///         in and earned, slashes within their snapshot, challenges settled once, pool and position accounting,
///         version status consistent with challenges. The fuzzer calls only the handler (CuriaHandler).
contract CuriaInvariants is CuriaFixture {
    uint256 internal constant BPS = 10_000;

    CuriaHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new CuriaHandler(token, config, registry, curation, challenges, gov, arbitrator);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](17);
        selectors[0] = CuriaHandler.model.selector;
        selectors[1] = CuriaHandler.publish.selector;
        selectors[2] = CuriaHandler.retire.selector;
        selectors[3] = CuriaHandler.withdrawBond.selector;
        selectors[4] = CuriaHandler.signal.selector;
        selectors[5] = CuriaHandler.unsignal.selector;
        selectors[6] = CuriaHandler.withdraw.selector;
        selectors[7] = CuriaHandler.reward.selector;
        selectors[8] = CuriaHandler.claimCuration.selector;
        selectors[9] = CuriaHandler.claimChallenges.selector;
        selectors[10] = CuriaHandler.openAvailability.selector;
        selectors[11] = CuriaHandler.openDispute.selector;
        selectors[12] = CuriaHandler.respond.selector;
        selectors[13] = CuriaHandler.rule.selector;
        selectors[14] = CuriaHandler.settle.selector;
        selectors[15] = CuriaHandler.warp.selector;
        selectors[16] = CuriaHandler.govern.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ------------------------------------------------------------------ helpers

    function _actor(uint256 i) internal view returns (address) {
        return handler.actors(i);
    }

    function _isUnsettled(ICuriaChallenges.Status s) internal pure returns (bool) {
        return s == ICuriaChallenges.Status.Open || s == ICuriaChallenges.Status.Answered
            || s == ICuriaChallenges.Status.RuledUpheld || s == ICuriaChallenges.Status.RuledRejected;
    }

    function _payout(ICuriaCuration.Pool memory pool, uint256 nominal) internal pure returns (uint256) {
        return pool.slashDenominator == 0 ? nominal : nominal * pool.slashNumerator / pool.slashDenominator;
    }

    // ------------------------------------------------------------------ (a) conservation

    /// @notice The registry holds exactly the sum of the version bonds.
    function invariant_registryHoldsSumOfBonds() public view {
        uint256 sum;
        for (uint256 i; i < handler.versionCount(); ++i) {
            sum += registry.getVersion(handler.versionId(i)).bond;
        }
        vm.assertEq(token.balanceOf(address(registry)), sum, "registry balance != sum of bonds");
    }

    /// @notice The curation holds exactly, over pools, tokens + rewardReserve, plus every claimable.
    function invariant_curationHoldsPoolsAndClaimables() public view {
        uint256 sum;
        for (uint256 i; i < handler.versionCount(); ++i) {
            ICuriaCuration.Pool memory pool = curation.getPool(handler.versionId(i));
            sum += uint256(pool.tokens) + pool.rewardReserve;
        }
        for (uint256 i; i < handler.actorCount(); ++i) {
            sum += curation.claimable(_actor(i));
        }
        vm.assertEq(token.balanceOf(address(curation)), sum, "curation balance != pools + claimables");
    }

    /// @notice The challenges contract holds exactly the bonds of unsettled challenges plus every claimable.
    function invariant_challengesHoldsOpenBondsAndClaimables() public view {
        uint256 sum;
        for (uint256 id = 1; id <= challenges.challengeCount(); ++id) {
            ICuriaChallenges.Challenge memory c = challenges.getChallenge(id);
            if (_isUnsettled(c.status)) sum += c.bond;
        }
        for (uint256 i; i < handler.actorCount(); ++i) {
            sum += challenges.claimable(_actor(i));
        }
        vm.assertEq(token.balanceOf(address(challenges)), sum, "challenges balance != open bonds + claimables");
    }

    /// @notice Everything sent in is held, paid out or burned; the actors' balances agree with the ghosts.
    function invariant_totalConservation() public view {
        uint256 held = token.balanceOf(address(registry)) + token.balanceOf(address(curation))
            + token.balanceOf(address(challenges));
        uint256 burned = token.balanceOf(BURN);
        vm.assertEq(handler.totalDeposited(), held + handler.totalReceived() + burned, "deposited != held+paid+burned");
        vm.assertEq(handler.ghostBurned(), burned, "burned per events != burn balance");
        uint256 funds = handler.FUNDS();
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = _actor(i);
            vm.assertEq(token.balanceOf(a) + handler.deposited(a), funds + handler.received(a), "actor balance");
        }
    }

    // ------------------------------------------------------------------ (b) no unearned pay-outs

    /// @notice Nobody receives more than it deposited plus what it earned; claims match credits exactly.
    function invariant_nobodyPaidMoreThanDepositedPlusEarned() public view {
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = _actor(i);
            vm.assertLe(handler.received(a), handler.deposited(a) + handler.earned(a), "received > deposited+earned");
            vm.assertLe(handler.bondWithdrawn(a), handler.bondDeposited(a), "bond withdrawn > deposited");
            vm.assertLe(handler.stakeWithdrawn(a), handler.stakeSignalled(a), "stake withdrawn > signalled");
            vm.assertEq(
                handler.curationClaimed(a) + curation.claimable(a), handler.curationCredited(a), "curation credits"
            );
            vm.assertEq(
                handler.challengesClaimed(a) + challenges.claimable(a),
                handler.challengesCredited(a),
                "challenge credits"
            );
        }
        vm.assertLe(
            handler.totalReceived() + token.balanceOf(BURN), handler.totalDeposited(), "received > deposited-burned"
        );
    }

    // ------------------------------------------------------------------ (c) slashes

    /// @notice Every upheld challenge: curators slashed <= curatorSlashBps of the snapshot and <= the pool's tokens,
    ///         the pool's stake at the slash equal to the snapshot; keeper + challenger reward + burned == slash; the
    ///         challenger reward at most half the slash.
    function invariant_slashWithinSnapshot() public view {
        for (uint256 k; k < handler.settledCount(); ++k) {
            CuriaHandler.SettleRecord memory r = handler.settled(handler.settledIds(k));
            if (r.finalStatus != ICuriaChallenges.Status.Upheld) continue;
            vm.assertLe(r.curatorsSlashed, r.snapshotBound, "curators slashed > bps of snapshot");
            vm.assertLe(r.curatorsSlashed, r.poolTokensBefore, "curators slashed > pool tokens");
            // Nothing enters (signal needs Active) or leaves (withdraw waits) a challenged pool.
            vm.assertEq(r.poolTokensBefore, r.poolSnapshot, "pool stake changed while challenged");
            vm.assertLe(2 * r.challengerReward, r.slashed, "challenger reward > 50%");
            vm.assertEq(r.keeperBounty + r.challengerReward + r.burned, r.slashed, "slash not conserved");
        }
    }

    /// @notice No curator of a slashed pool loses more than curatorSlashBps of its stake: the frozen pay-out ratio
    ///         num / den is at least 1 - curatorSlashBps / 1e4 (the bps of the terms of the upheld challenge).
    function invariant_curatorLossWithinSlashBps() public view {
        for (uint256 k; k < handler.settledCount(); ++k) {
            uint256 id = handler.settledIds(k);
            CuriaHandler.SettleRecord memory r = handler.settled(id);
            if (r.finalStatus != ICuriaChallenges.Status.Upheld) continue;
            ICuriaCuration.Pool memory pool = curation.getPool(challenges.getChallenge(id).versionId);
            vm.assertGe(
                uint256(pool.slashNumerator) * BPS,
                uint256(pool.slashDenominator) * (BPS - r.curatorSlashBps),
                "curators lost more than curatorSlashBps of their stake"
            );
        }
    }

    // ------------------------------------------------------------------ (d) settle once

    /// @notice A challenge settles once and its final status never changes.
    function invariant_challengeSettlesOnce() public view {
        for (uint256 k; k < handler.settledCount(); ++k) {
            uint256 id = handler.settledIds(k);
            CuriaHandler.SettleRecord memory r = handler.settled(id);
            vm.assertEq(r.count, 1, "settled more than once");
            vm.assertEq(uint256(challenges.getChallenge(id).status), uint256(r.finalStatus), "final status changed");
        }
    }

    // ------------------------------------------------------------------ (e) pools and positions

    /// @notice Pool shares and thawing are the sums over positions; an unslashed pool's tokens are shares + thawing;
    ///         the reward reserve covers every pending reward; a slashed pool can pay every position.
    function invariant_poolAccounting() public view {
        uint256 nCurators = handler.curatorCount();
        for (uint256 i; i < handler.versionCount(); ++i) {
            bytes32 v = handler.versionId(i);
            ICuriaCuration.Pool memory pool = curation.getPool(v);
            uint256 shares;
            uint256 thawing;
            uint256 pending;
            uint256 payouts;
            for (uint256 j; j < nCurators; ++j) {
                address c = handler.curators(j);
                ICuriaCuration.Position memory p = curation.getPosition(v, c);
                shares += p.shares;
                thawing += p.thawing;
                pending += curation.pendingRewards(v, c);
                payouts += _payout(pool, uint256(p.shares) + p.thawing);
            }
            vm.assertEq(pool.shares, shares, "pool.shares != sum of positions");
            vm.assertEq(pool.thawing, thawing, "pool.thawing != sum of positions");
            vm.assertGe(pool.rewardReserve, pending, "reward reserve < pending rewards");
            vm.assertLe(payouts, pool.tokens, "pool cannot pay its positions");
            if (registry.getVersion(v).status != ICuriaRegistry.VersionStatus.Slashed) {
                vm.assertEq(pool.tokens, uint256(pool.shares) + pool.thawing, "unslashed: tokens != shares+thawing");
                vm.assertEq(pool.slashDenominator, 0, "unslashed pool has a slash ratio");
            }
        }
    }

    /// @notice A version is Challenged iff exactly one unsettled challenge is on it, Slashed iff a challenge on it
    ///         was upheld (its bond then zero); at most one unsettled challenge per version.
    function invariant_versionStatusMatchesChallenges() public view {
        uint256 n = handler.versionCount();
        uint256 count = challenges.challengeCount();
        for (uint256 i; i < n; ++i) {
            bytes32 v = handler.versionId(i);
            uint256 open;
            for (uint256 id = 1; id <= count; ++id) {
                ICuriaChallenges.Challenge memory c = challenges.getChallenge(id);
                if (c.versionId == v && _isUnsettled(c.status)) ++open;
            }
            ICuriaRegistry.Version memory ver = registry.getVersion(v);
            vm.assertLe(open, 1, "two unsettled challenges on a version");
            vm.assertEq(ver.status == ICuriaRegistry.VersionStatus.Challenged, open == 1, "Challenged <=> open");
            bool upheld = handler.upheldChallengeOf(v) != 0;
            vm.assertEq(ver.status == ICuriaRegistry.VersionStatus.Slashed, upheld, "Slashed <=> upheld");
            if (upheld) vm.assertEq(ver.bond, 0, "slashed version keeps a bond");
        }
    }

    // ------------------------------------------------------------------ handler checks

    /// @notice No action went against expectations (an unexpected revert, an amount off the formula, an entry while
    ///         paused, an invalid answer accepted, a second settlement).
    function invariant_noHandlerViolation() public view {
        vm.assertEq(handler.violations(), 0, handler.lastViolation());
    }
}
