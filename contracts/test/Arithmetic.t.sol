// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {FuzzTerms} from "./utils/FuzzTerms.sol";
import {MerkleBuilder} from "./utils/MerkleBuilder.sol";
import {Vm} from "./utils/Vm.sol";
import {ICuriaChallenges} from "../src/interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @title ArithmeticTest
/// @notice Fuzz tests of Curia's arithmetic against formulas written here independently of the contracts: the
///         curation tax, the reward split and its accumulator, pay-outs after a slash, the challenge bond and the
///         three settlements. The terms are fuzzed as well (every field within the CuriaConfig bounds).
contract ArithmeticTest is CuriaFixture {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant ACC = 1e27;

    // ------------------------------------------------------------------ helpers

    /// @notice Puts random valid terms in force (windows up to 30 days, minimum bonds up to 1000 tokens).
    function _fuzzTerms(uint256 seed) internal returns (ICuriaConfig.Terms memory t) {
        t = FuzzTerms.random(seed, arbitrator, 30 days, 1000e18);
        vm.prank(gov);
        config.setTerms(t);
    }

    /// @notice `n` fresh, funded curators.
    function _curators(uint256 n) internal returns (address[] memory cs) {
        cs = new address[](n);
        for (uint256 i; i < n; ++i) {
            cs[i] = makeAddr(string.concat("fuzzCurator", vm.toString(i)));
            _fund(cs[i]);
        }
    }

    /// @notice Publishes a version of `publisher`'s model with bond `bond` (minted first): 5 small chunks (64 bytes,
    ///         the last 10), kept in `lastChunks` for `_respond`. Small chunks keep each fuzz run cheap; the contracts
    ///         only bound the total size by the chunk count.
    function _publishWithBond(uint256 bond) internal returns (bytes32 v) {
        token.mint(publisher, bond);
        bytes32 modelId = _createModel(publisher, "fuzzed");
        bytes[] memory cs = MerkleBuilder.chunks(NUM_CHUNKS, 64, 10, 7);
        delete lastChunks;
        for (uint256 i; i < cs.length; ++i) {
            lastChunks.push(cs[i]);
        }
        ICuriaRegistry.PublishParams memory p;
        p.modelId = modelId;
        p.contentRoot = MerkleBuilder.root(cs);
        p.manifestDigest = keccak256("manifest");
        p.numChunks = uint64(NUM_CHUNKS);
        p.totalBytes = uint64((NUM_CHUNKS - 1) * 64 + 10);
        p.locations = new string[](1);
        p.locations[0] = "hf://curia/fuzz@main";
        p.metadataURI = "ipfs://meta";
        p.bond = bond;
        vm.prank(publisher);
        v = registry.publish(p);
    }

    /// @notice `_publishWithBond` with the minimum bond of the terms in force.
    function _publishMin() internal returns (bytes32) {
        return _publishWithBond(config.currentTerms().minPublisherBond);
    }

    /// @notice Mints `amount` to `who` and signals it; returns the shares.
    function _mintAndSignal(address who, bytes32 v, uint256 amount) internal returns (uint256) {
        token.mint(who, amount);
        return _signal(who, v, amount);
    }

    /// @notice Mints the challenger enough for the bond a challenge on `v` requires now.
    function _fundChallenger(bytes32 v) internal {
        token.mint(challenger, challenges.requiredBond(v));
    }

    /// @notice Opens an availability challenge (on chunk 0) or a dispute on `v`.
    function _open(bytes32 v, bool dispute) internal returns (uint256 id) {
        _fundChallenger(v);
        id = dispute ? _openDispute(challenger, v) : _openAvailability(challenger, v, _indices(0));
    }

    /// @notice Settles `id` as `by` and returns the outcome and the amounts of its ChallengeSettled event.
    function _settle(uint256 id, address by)
        internal
        returns (ICuriaChallenges.Status outcome, ICuriaChallenges.Settlement memory s)
    {
        vm.recordLogs();
        vm.prank(by);
        outcome = challenges.settle(id);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool found;
        for (uint256 i; i < logs.length; ++i) {
            if (
                logs[i].emitter == address(challenges)
                    && logs[i].topics[0] == ICuriaChallenges.ChallengeSettled.selector
            ) {
                ICuriaChallenges.Status o;
                (o, s) = abi.decode(logs[i].data, (ICuriaChallenges.Status, ICuriaChallenges.Settlement));
                vm.assertEq(uint256(o), uint256(outcome), "event outcome");
                vm.assertEq(uint256(logs[i].topics[1]), id, "event challenge id");
                found = true;
            }
        }
        vm.assertTrue(found, "ChallengeSettled emitted");
    }

    /// @notice Sum of the curation claimables of the publisher and `cs`.
    function _curationClaimables(address[] memory cs) internal view returns (uint256 sum) {
        sum = curation.claimable(publisher);
        for (uint256 i; i < cs.length; ++i) {
            sum += curation.claimable(cs[i]);
        }
    }

    // ------------------------------------------------------------------ curation tax

    /// @notice tax = ceil(amount * bps / 1e4) (never less than the exact tax, by less than one wei more);
    ///         shares = amount - tax; the tax is credited to the publisher; the minShares guard is exact.
    function testFuzz_signalTax(uint256 termsSeed, uint256 amount, uint256 minSharesSeed) public {
        ICuriaConfig.Terms memory t = _fuzzTerms(termsSeed);
        bytes32 v = _publishMin();
        // One run in three on small amounts, where the rounding decides.
        amount = amount % 3 == 0 ? bound(amount, 1, 100_000) : bound(amount, 1, 1e30);
        token.mint(curator1, amount);

        uint256 exact = amount * t.curationTaxBps; // the tax times 1e4
        uint256 tax = exact / BPS + (exact % BPS == 0 ? 0 : 1);
        vm.assertGe(tax * BPS, exact, "tax rounds up");
        if (tax != 0) vm.assertLt((tax - 1) * BPS, exact);
        uint256 shares = amount - tax;

        uint256 mode = minSharesSeed % 4;
        uint256 minShares =
            mode == 0 ? 0 : mode == 1 ? shares : mode == 2 ? shares + 1 : bound(minSharesSeed >> 2, 0, shares + 1);

        if (shares == 0 || shares < minShares) {
            vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.SlippageExceeded.selector, shares, minShares));
            vm.prank(curator1);
            curation.signal(v, amount, minShares);
            return;
        }

        uint256 claimableBefore = curation.claimable(publisher);
        uint256 balanceBefore = token.balanceOf(address(curation));
        vm.prank(curator1);
        uint256 minted = curation.signal(v, amount, minShares);

        vm.assertEq(minted, shares, "shares = amount - tax");
        vm.assertEq(curation.claimable(publisher) - claimableBefore, tax, "tax to the publisher");
        vm.assertEq(token.balanceOf(address(curation)) - balanceBefore, amount, "whole amount pulled");
        vm.assertEq(token.balanceOf(curator1), FUNDS, "curator paid exactly amount");
        ICuriaCuration.Pool memory pool = curation.getPool(v);
        vm.assertEq(pool.shares, shares);
        vm.assertEq(pool.tokens, shares);
        vm.assertEq(curation.getPosition(v, curator1).shares, shares);
    }

    /// @notice A tax raised between the quote and the signal trips the guard exactly when fewer shares would come.
    function testFuzz_minSharesGuardOnTaxChange(uint256 termsSeed, uint256 amount, uint16 newTaxBps) public {
        ICuriaConfig.Terms memory t = _fuzzTerms(termsSeed);
        bytes32 v = _publishMin();
        amount = bound(amount, 1, 1e27);
        uint256 quoted = amount - (amount * t.curationTaxBps + BPS - 1) / BPS;
        vm.assume(quoted != 0);

        t.curationTaxBps = uint16(bound(newTaxBps, 0, 1_000));
        vm.prank(gov);
        config.setTerms(t);
        uint256 actual = amount - (amount * t.curationTaxBps + BPS - 1) / BPS;

        token.mint(curator1, amount);
        if (actual < quoted || actual == 0) {
            vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.SlippageExceeded.selector, actual, quoted));
        }
        vm.prank(curator1);
        curation.signal(v, amount, quoted);
    }

    // ------------------------------------------------------------------ rewards

    /// @dev The accumulator model of `testFuzz_rewardSplit`.
    struct RewardModel {
        uint256 acc;
        uint256 totalShares;
        uint256 curatorTotal;
        uint256 settles;
        uint256[] shares;
        uint256[] snapshot;
        uint256[] settled;
    }

    function _modelSettle(RewardModel memory m, uint256 i) internal pure {
        uint256 delta = m.acc - m.snapshot[i];
        if (delta != 0 && m.shares[i] != 0) {
            m.settled[i] += m.shares[i] * delta / ACC;
            ++m.settles;
        }
        m.snapshot[i] = m.acc;
    }

    /// @notice publisherShare = floor(amount * bps / 1e4) (all of it when nobody curates), the rest accrues per share
    ///         with 1e27 precision; what all curators settle never exceeds the curators' share paid in, and the
    ///         shortfall is below one wei per settlement plus one wei per reward (n + k without re-settlements).
    function testFuzz_rewardSplit(
        uint256 termsSeed,
        uint256 nSeed,
        uint256[6] memory stakes,
        uint256[3] memory rewards,
        uint8 unsignalMask
    ) public {
        ICuriaConfig.Terms memory t = _fuzzTerms(termsSeed);
        bytes32 v = _publishMin();
        uint256 n = bound(nSeed, 1, 6);
        uint256 k = bound(nSeed >> 8, 1, 3);
        address[] memory cs = _curators(n);

        RewardModel memory m;
        m.shares = new uint256[](n);
        m.snapshot = new uint256[](n);
        m.settled = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            // Amounts from 2 wei (one share at the highest tax) to a million tokens.
            uint256 amount = stakes[i] % 4 == 0 ? bound(stakes[i], 2, 1000) : bound(stakes[i], 2, 1e24);
            m.shares[i] = _mintAndSignal(cs[i], v, amount);
            m.totalShares += m.shares[i];
        }

        for (uint256 j; j < k; ++j) {
            uint256 amount = rewards[j] % 4 == 0 ? bound(rewards[j], 1, 1000) : bound(rewards[j], 1, 1e24);
            token.mint(rewarder, amount);
            uint256 before = curation.claimable(publisher);
            vm.prank(rewarder);
            curation.reward(v, amount);

            uint256 publisherShare = m.totalShares == 0 ? amount : amount * t.rewardPublisherBps / BPS;
            uint256 curatorShare = amount - publisherShare;
            m.acc += curatorShare * ACC / m.totalShares;
            m.curatorTotal += curatorShare;
            vm.assertEq(curation.claimable(publisher) - before, publisherShare, "publisher share rounds down");
            vm.assertEq(curation.getPool(v).accRewardPerShare, m.acc, "accRewardPerShare");

            // Optionally one curator unsignals half its shares: its rewards settle first.
            uint256 i = j % n;
            uint256 half = m.shares[i] / 2;
            if ((unsignalMask >> j) & 1 != 0 && half != 0) {
                _modelSettle(m, i);
                m.shares[i] -= half;
                m.totalShares -= half;
                vm.prank(cs[i]);
                curation.unsignal(v, half);
                vm.assertEq(curation.claimable(cs[i]), m.settled[i], "settled on unsignal");
            }
        }

        uint256 paid;
        for (uint256 i; i < n; ++i) {
            uint256 pending = m.shares[i] * (m.acc - m.snapshot[i]) / ACC;
            vm.assertEq(curation.pendingRewards(v, cs[i]), pending, "pendingRewards");
            _modelSettle(m, i);
            bytes32[] memory list = new bytes32[](1);
            list[0] = v;
            if (m.settled[i] == 0) {
                vm.expectRevert(ICuriaCuration.NothingToClaim.selector);
                vm.prank(cs[i]);
                curation.claim(list);
                continue;
            }
            vm.prank(cs[i]);
            uint256 got = curation.claim(list);
            vm.assertEq(got, m.settled[i], "curator claim");
            paid += got;
        }
        vm.assertLe(paid, m.curatorTotal, "curators never get more than their share");
        uint256 dust = m.curatorTotal - paid;
        vm.assertLt(dust, m.settles + k, "dust < one wei per settlement + one per reward");
        if (unsignalMask & 7 == 0) vm.assertLt(dust, n + k, "dust < curators + rewards");
        vm.assertEq(curation.getPool(v).rewardReserve, dust, "dust stays in the reserve");
    }

    // ------------------------------------------------------------------ pay-outs after a slash

    /// @notice After a slash, withdraw pays floor(nominal * num / den), never more than the nominal stake, and the
    ///         sum of every curator's pay-out is at most what the pool kept (short by less than one wei each).
    function testFuzz_withdrawAfterSlash(uint256 termsSeed, uint256[5] memory stakes, uint8 preUnsignal, bool dispute)
        public
    {
        ICuriaConfig.Terms memory t = _fuzzTerms(termsSeed);
        bytes32 v = _publishMin();
        address[] memory cs = _curators(5);
        for (uint256 i; i < 5; ++i) {
            uint256 amount = stakes[i] % 4 == 0 ? bound(stakes[i], 2, 1000) : bound(stakes[i], 2, 1e24);
            uint256 shares = _mintAndSignal(cs[i], v, amount);
            // Thawing stake is slashable too.
            if ((preUnsignal >> i) & 1 != 0 && shares / 2 != 0) {
                vm.prank(cs[i]);
                curation.unsignal(v, shares / 2);
            }
        }
        (uint256 num, uint256 den) = _slashPool(v, dispute, t.curatorSlashBps);

        for (uint256 i; i < 5; ++i) {
            uint256 active = curation.getPosition(v, cs[i]).shares;
            if (active != 0) {
                vm.prank(cs[i]);
                curation.unsignal(v, active);
            }
        }
        vm.warp(block.timestamp + t.thawPeriod);
        uint256 sum = _withdrawAll(v, cs, num, den);
        vm.assertLe(sum, num, "sum of pay-outs <= pool tokens after the slash");
        vm.assertLt(num - sum, 5, "dust below one wei per curator");
        ICuriaCuration.Pool memory pool = curation.getPool(v);
        vm.assertEq(pool.tokens, num - sum, "dust stays in the pool");
        vm.assertEq(
            token.balanceOf(address(curation)),
            pool.tokens + pool.rewardReserve + _curationClaimables(cs),
            "curation conservation"
        );
    }

    /// @notice Opens a challenge on `v`, has it upheld and settled; checks the pool's slash and returns the frozen
    ///         pay-out ratio num / den.
    function _slashPool(bytes32 v, bool dispute, uint256 curatorSlashBps) internal returns (uint256 num, uint256 den) {
        uint256 id = _open(v, dispute);
        if (dispute) {
            vm.prank(arbitrator);
            challenges.rule(id, ICuriaChallenges.Ruling.Upheld);
        } else {
            vm.warp(challenges.getChallenge(id).deadline + 1);
        }
        ICuriaCuration.Pool memory before = curation.getPool(v);
        uint256 snapshotBound = uint256(challenges.getChallenge(id).poolSnapshot) * curatorSlashBps / BPS;
        uint256 curatorsSlashed = snapshotBound < before.tokens ? snapshotBound : before.tokens;
        (ICuriaChallenges.Status outcome, ICuriaChallenges.Settlement memory s) = _settle(id, keeper);
        vm.assertEq(uint256(outcome), uint256(ICuriaChallenges.Status.Upheld));
        vm.assertEq(s.curatorsSlashed, curatorsSlashed, "curators slashed");

        num = before.tokens - curatorsSlashed;
        den = uint256(before.shares) + before.thawing;
        ICuriaCuration.Pool memory after_ = curation.getPool(v);
        vm.assertEq(after_.tokens, num, "pool tokens after slash");
        vm.assertEq(after_.slashNumerator, num);
        vm.assertEq(after_.slashDenominator, den);
    }

    /// @notice Every curator of `cs` withdraws its thawed stake; each gets floor(nominal * num / den).
    function _withdrawAll(bytes32 v, address[] memory cs, uint256 num, uint256 den) internal returns (uint256 sum) {
        for (uint256 i; i < cs.length; ++i) {
            uint256 nominal = curation.getPosition(v, cs[i]).thawing;
            uint256 expected = nominal * num / den;
            vm.prank(cs[i]);
            uint256 got = curation.withdraw(v);
            vm.assertEq(got, expected, "floor(nominal * num / den)");
            vm.assertLe(got, nominal);
            vm.assertEq(token.balanceOf(cs[i]), FUNDS + got, "paid to the curator");
            sum += got;
        }
    }

    // ------------------------------------------------------------------ challenge bond

    /// @notice bond = max(minChallengeBond, ceil(challengeBondBps * (publisher bond + pool) / 1e4)); the reveal locks
    ///         exactly that, snapshots the pool, and maxBond one wei short is refused.
    function testFuzz_challengeBond(uint256 termsSeed, uint256 pubBond, uint256 stake, bool dispute) public {
        ICuriaConfig.Terms memory t = _fuzzTerms(termsSeed);
        pubBond = bound(pubBond, t.minPublisherBond, 1e26);
        bytes32 v = _publishWithBond(pubBond);
        stake = bound(stake, 0, 1e26);
        if (stake >= 2) _mintAndSignal(curator1, v, stake);
        uint256 pool = curation.stakeOf(v);

        uint256 exact = (pubBond + pool) * t.challengeBondBps;
        uint256 proportional = exact / BPS + (exact % BPS == 0 ? 0 : 1);
        uint256 expected = proportional > t.minChallengeBond ? proportional : t.minChallengeBond;
        vm.assertEq(challenges.requiredBond(v), expected, "requiredBond");
        token.mint(challenger, expected);

        bytes32 salt = keccak256("salt");
        uint32[] memory idx = _indices(3);
        string memory evidence = "ipfs://evidence";
        bytes32 c = dispute
            ? challenges.disputeCommitment(challenger, v, evidence, salt)
            : challenges.availabilityCommitment(challenger, v, idx, salt);
        vm.prank(challenger);
        challenges.commit(c);
        vm.roll(block.number + 1);

        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.BondAboveMax.selector, expected, expected - 1));
        vm.prank(challenger);
        if (dispute) challenges.revealDispute(v, evidence, salt, expected - 1);
        else challenges.revealAvailability(v, idx, salt, expected - 1);

        uint256 balanceBefore = token.balanceOf(challenger);
        vm.prank(challenger);
        uint256 id = dispute
            ? challenges.revealDispute(v, evidence, salt, expected)
            : challenges.revealAvailability(v, idx, salt, expected);
        ICuriaChallenges.Challenge memory ch = challenges.getChallenge(id);
        vm.assertEq(ch.bond, expected, "bond locked");
        vm.assertEq(ch.poolSnapshot, pool, "pool snapshot");
        vm.assertEq(balanceBefore - token.balanceOf(challenger), expected, "bond pulled");
        vm.assertEq(token.balanceOf(address(challenges)), expected);
    }

    // ------------------------------------------------------------------ settlements

    /// @dev Inputs of the upheld-settlement test, packed to keep the stack shallow.
    struct Upheld {
        bytes32 v;
        uint256 id;
        uint256 publisherBond;
        uint256 pool;
        uint256 snapshotBound;
        uint256 curatorsSlashed;
        uint256 slashed;
        uint256 keeper;
        uint256 challengerReward;
        uint256 burned;
        uint256 challengerClaimable;
        uint256 keeperClaimable;
        uint256 burnBalance;
        uint256 registryBalance;
        uint256 curationBalance;
        uint256 challengesBalance;
    }

    /// @notice Upheld: keeper + challenger reward + burned == slash exactly; the challenger reward is at most half
    ///         the slash; curators lose at most curatorSlashBps of the snapshot and at most what the pool holds. The
    ///         terms of the challenge apply even if new terms came into force after it opened. Bit 0 of `flags`:
    ///         dispute; bit 1: new terms after opening; bits 2-4: curators that unsignal all before the challenge;
    ///         bit 5: their thaw ends before it opens and they try to withdraw before the settlement (refused).
    function testFuzz_upheldSettlement(
        uint256 termsSeed,
        uint256 termsSeed2,
        uint256 pubBond,
        uint256[3] memory stakes,
        uint8 flags
    ) public {
        Upheld memory u;
        ICuriaConfig.Terms memory t = _fuzzTerms(termsSeed);
        u.v = _publishWithBond(bound(pubBond, t.minPublisherBond, 1e25));
        address[3] memory cs = [curator1, curator2, curator3];
        for (uint256 i; i < 3; ++i) {
            uint256 amount = bound(stakes[i], 0, 1e24);
            if (amount < 2) continue;
            uint256 shares = _mintAndSignal(cs[i], u.v, amount);
            if ((flags >> (i + 2)) & 1 != 0) {
                vm.prank(cs[i]);
                curation.unsignal(u.v, shares);
            }
        }
        if (flags & 32 != 0) vm.warp(block.timestamp + t.thawPeriod);

        bool dispute = flags & 1 != 0;
        u.id = _open(u.v, dispute);
        if (flags & 2 != 0) _fuzzTerms(termsSeed2);
        if (flags & 32 != 0) {
            for (uint256 i; i < 3; ++i) {
                // Thawed stake waits while the version is challenged: it stays slashable.
                if (curation.getPosition(u.v, cs[i]).thawing != 0) {
                    vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.VersionChallenged.selector, u.v));
                    vm.prank(cs[i]);
                    curation.withdraw(u.v);
                }
            }
        }
        ICuriaChallenges.Challenge memory c = challenges.getChallenge(u.id);
        if (dispute) {
            vm.prank(arbitrator);
            challenges.rule(u.id, ICuriaChallenges.Ruling.Upheld);
        } else {
            vm.warp(c.deadline + 1);
        }

        // Expected amounts, from the challenge's terms.
        u.publisherBond = registry.getVersion(u.v).bond;
        u.pool = curation.stakeOf(u.v);
        u.snapshotBound = uint256(c.poolSnapshot) * t.curatorSlashBps / BPS;
        u.curatorsSlashed = u.snapshotBound < u.pool ? u.snapshotBound : u.pool;
        u.slashed = u.publisherBond + u.curatorsSlashed;
        u.keeper = u.slashed * t.keeperBountyBps / BPS;
        u.challengerReward = u.slashed * t.challengerRewardBps / BPS;
        u.burned = u.slashed - u.keeper - u.challengerReward;

        u.challengerClaimable = challenges.claimable(challenger);
        u.keeperClaimable = challenges.claimable(keeper);
        u.burnBalance = token.balanceOf(BURN);
        u.registryBalance = token.balanceOf(address(registry));
        u.curationBalance = token.balanceOf(address(curation));
        u.challengesBalance = token.balanceOf(address(challenges));

        (ICuriaChallenges.Status outcome, ICuriaChallenges.Settlement memory s) = _settle(u.id, keeper);
        vm.assertEq(uint256(outcome), uint256(ICuriaChallenges.Status.Upheld));
        vm.assertEq(s.publisherSlashed, u.publisherBond, "publisher bond slashed in full");
        vm.assertEq(s.curatorsSlashed, u.curatorsSlashed, "curators slashed");
        vm.assertEq(s.keeperBounty, u.keeper, "keeper bounty");
        vm.assertEq(s.challengerPayout, c.bond + u.challengerReward, "challenger payout");
        vm.assertEq(s.burned, u.burned, "burned");
        vm.assertEq(s.responderPayout + s.curatorReward, 0);

        uint256 reward = s.challengerPayout - c.bond;
        vm.assertEq(s.keeperBounty + reward + s.burned, s.publisherSlashed + s.curatorsSlashed, "slash conserved");
        vm.assertLe(2 * reward, s.publisherSlashed + s.curatorsSlashed, "challenger reward <= 50%");
        vm.assertLe(s.curatorsSlashed, u.snapshotBound, "<= curatorSlashBps of the snapshot");
        vm.assertLe(s.curatorsSlashed, u.pool, "<= pool tokens");
        // Nothing enters (signal needs Active) or leaves (withdraw waits) a challenged pool: the slash is exactly
        // curatorSlashBps of the stake, so no curator loses more than that share.
        vm.assertEq(u.pool, c.poolSnapshot, "pool at settlement == snapshot");
        vm.assertEq(s.curatorsSlashed, u.snapshotBound, "slash == bps of the snapshot");

        vm.assertEq(challenges.claimable(challenger) - u.challengerClaimable, s.challengerPayout);
        vm.assertEq(challenges.claimable(keeper) - u.keeperClaimable, s.keeperBounty);
        vm.assertEq(token.balanceOf(BURN) - u.burnBalance, s.burned, "burn balance");
        vm.assertEq(u.registryBalance - token.balanceOf(address(registry)), s.publisherSlashed);
        vm.assertEq(u.curationBalance - token.balanceOf(address(curation)), s.curatorsSlashed);
        vm.assertEq(token.balanceOf(address(challenges)), u.challengesBalance + s.keeperBounty + reward);
        vm.assertEq(uint256(registry.getVersion(u.v).status), uint256(ICuriaRegistry.VersionStatus.Slashed));
        vm.assertEq(registry.getVersion(u.v).bond, 0);
    }

    /// @dev State captured around a failed settlement.
    struct Failed {
        bytes32 v;
        uint256 id;
        uint256 keeper;
        uint256 burned;
        uint256 responder;
        uint256 curatorReward;
        uint256 publisherShare;
        uint256 keeperClaimable;
        uint256 responderClaimable;
        uint256 publisherClaimable;
        uint256 reserve;
        uint256 burnBalance;
        uint256 curationBalance;
        uint256 challengesBalance;
    }

    /// @notice Failed (answered availability challenge, or dispute ruled rejected): keeper + burned + responder +
    ///         curator reward == bond exactly, each from the challenge's terms; the curator reward is split like any
    ///         reward. Bit 0 of `flags`: dispute; bit 1: new terms after opening; bit 2: settle long after the
    ///         deadline; bit 3: the version was retired before the challenge (it goes back to Retired).
    function testFuzz_failedSettlement(uint256 termsSeed, uint256 termsSeed2, uint256 stake, uint8 flags) public {
        Failed memory f;
        ICuriaConfig.Terms memory t = _fuzzTerms(termsSeed);
        f.v = _publishMin();
        stake = bound(stake, 0, 1e24);
        if (stake >= 2) _mintAndSignal(curator1, f.v, stake);
        if (flags & 8 != 0) {
            vm.prank(publisher);
            registry.retire(f.v);
        }
        bool dispute = flags & 1 != 0;
        uint32[] memory idx = t.maxChallengeChunks >= 2 ? _indices(0, 4) : _indices(4);
        _fundChallenger(f.v);
        f.id = dispute ? _openDispute(challenger, f.v) : _openAvailability(challenger, f.v, idx);
        if (flags & 2 != 0) _fuzzTerms(termsSeed2);
        if (dispute) {
            vm.prank(arbitrator);
            challenges.rule(f.id, ICuriaChallenges.Ruling.Rejected);
        } else {
            _respond(responder, f.id, idx);
        }
        ICuriaChallenges.Challenge memory c = challenges.getChallenge(f.id);
        if (flags & 4 != 0) vm.warp(uint256(c.deadline) + 30 days);

        f.keeper = uint256(c.bond) * t.keeperBountyBps / BPS;
        uint256 rest = c.bond - f.keeper;
        f.burned = rest * t.loserBurnBps / BPS;
        f.responder = dispute ? 0 : rest * t.responderRewardBps / BPS;
        f.curatorReward = rest - f.burned - f.responder;
        // The curators' reward is split like any reward paid now (the terms in force now).
        ICuriaCuration.Pool memory pool = curation.getPool(f.v);
        f.publisherShare =
            pool.shares == 0 ? f.curatorReward : f.curatorReward * config.currentTerms().rewardPublisherBps / BPS;

        f.keeperClaimable = challenges.claimable(keeper);
        f.responderClaimable = challenges.claimable(responder);
        f.publisherClaimable = curation.claimable(publisher);
        f.reserve = pool.rewardReserve;
        f.burnBalance = token.balanceOf(BURN);
        f.curationBalance = token.balanceOf(address(curation));
        f.challengesBalance = token.balanceOf(address(challenges));

        (ICuriaChallenges.Status outcome, ICuriaChallenges.Settlement memory s) = _settle(f.id, keeper);
        vm.assertEq(uint256(outcome), uint256(ICuriaChallenges.Status.Failed));
        vm.assertEq(s.keeperBounty, f.keeper, "keeper bounty");
        vm.assertEq(s.burned, f.burned, "burned");
        vm.assertEq(s.responderPayout, f.responder, "responder");
        vm.assertEq(s.curatorReward, f.curatorReward, "curator reward");
        vm.assertEq(s.challengerPayout + s.publisherSlashed + s.curatorsSlashed, 0);
        vm.assertEq(s.keeperBounty + s.burned + s.responderPayout + s.curatorReward, c.bond, "bond conserved");

        vm.assertEq(challenges.claimable(keeper) - f.keeperClaimable, s.keeperBounty);
        vm.assertEq(challenges.claimable(responder) - f.responderClaimable, s.responderPayout);
        vm.assertEq(token.balanceOf(BURN) - f.burnBalance, s.burned, "burn balance");
        vm.assertEq(token.balanceOf(address(curation)) - f.curationBalance, s.curatorReward, "reward paid in");
        vm.assertEq(curation.claimable(publisher) - f.publisherClaimable, f.publisherShare, "publisher share");
        vm.assertEq(curation.getPool(f.v).rewardReserve - f.reserve, s.curatorReward - f.publisherShare);
        vm.assertEq(
            token.balanceOf(address(challenges)), f.challengesBalance - c.bond + s.keeperBounty + s.responderPayout
        );
        ICuriaRegistry.VersionStatus expected =
            flags & 8 != 0 ? ICuriaRegistry.VersionStatus.Retired : ICuriaRegistry.VersionStatus.Active;
        vm.assertEq(uint256(registry.getVersion(f.v).status), uint256(expected), "status restored");
    }

    /// @notice Dismissed (a dispute nobody ruled on): the challenger's whole bond back, nothing else moves.
    function testFuzz_dismissedSettlement(uint256 termsSeed, uint256 stake, uint256 late) public {
        _fuzzTerms(termsSeed);
        bytes32 v = _publishMin();
        stake = bound(stake, 0, 1e24);
        if (stake >= 2) _mintAndSignal(curator1, v, stake);
        uint256 id = _open(v, true);
        ICuriaChallenges.Challenge memory c = challenges.getChallenge(id);
        vm.warp(uint256(c.deadline) + bound(late, 1, 365 days));
        uint256 before = challenges.claimable(challenger);
        uint256 pool = curation.stakeOf(v);
        (ICuriaChallenges.Status outcome, ICuriaChallenges.Settlement memory s) = _settle(id, keeper);
        vm.assertEq(uint256(outcome), uint256(ICuriaChallenges.Status.Dismissed));
        vm.assertEq(s.challengerPayout, c.bond);
        vm.assertEq(challenges.claimable(challenger) - before, c.bond);
        vm.assertEq(s.keeperBounty + s.burned + s.responderPayout + s.curatorReward, 0);
        vm.assertEq(s.publisherSlashed + s.curatorsSlashed, 0);
        vm.assertEq(curation.stakeOf(v), pool);
        vm.assertEq(token.balanceOf(address(challenges)), c.bond);
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Active));
    }
}
