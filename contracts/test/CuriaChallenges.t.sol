// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CuriaFixture} from "./utils/CuriaFixture.sol";
import {MerkleBuilder} from "./utils/MerkleBuilder.sol";
import {CuriaChallenges} from "../src/CuriaChallenges.sol";
import {CuriaModule} from "../src/base/CuriaModule.sol";
import {ICuriaChallenges} from "../src/interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "../src/interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../src/interfaces/ICuriaRegistry.sol";

/// @title ChallengesBase
/// @notice Helpers shared by the challenge unit tests and the end-to-end scenarios: versions tracked with their
///         chunks (for answers), commit and reveal with explicit salts, the expected settlement of every outcome
///         computed from the payout rules, and a check of every contract's books plus global conservation.
abstract contract ChallengesBase is CuriaFixture {
    uint256 internal constant BPS = 10_000;
    bytes32 internal constant SALT = keccak256("curia.test.salt");
    string internal constant EVIDENCE = "ipfs://evidence";

    /// Every version published through `_pub` / `_pubSmall` (for the books).
    bytes32[] internal versions;
    /// Every funded account (for the books and conservation).
    address[] internal actors;
    /// The chunks of every tracked version (for answers).
    mapping(bytes32 versionId => bytes[]) internal chunksOf;

    function setUp() public virtual override {
        super.setUp();
        actors.push(gov);
        actors.push(arbitrator);
        actors.push(publisher);
        actors.push(publisher2);
        actors.push(curator1);
        actors.push(curator2);
        actors.push(curator3);
        actors.push(challenger);
        actors.push(responder);
        actors.push(keeper);
        actors.push(rewarder);
    }

    // ------------------------------------------------------------ actors

    /// @notice A new funded account, with approvals, tracked for the books.
    function _newActor(string memory name) internal returns (address a) {
        a = makeAddr(name);
        _fund(a);
        actors.push(a);
    }

    // ---------------------------------------------------------- versions

    /// @notice Publishes a 5-chunk version (fixture layout, minimum bond) and tracks it.
    function _pub(address owner, uint256 seed) internal returns (bytes32 v) {
        v = _publish(owner, seed);
        bytes[] storage dst = chunksOf[v];
        for (uint256 i; i < lastChunks.length; ++i) {
            dst.push(lastChunks[i]);
        }
        versions.push(v);
    }

    /// @notice Publishes an `n`-chunk version of 64-byte chunks (cheap to build for large `n`) and tracks it.
    function _pubSmall(address owner, uint256 n, uint256 seed) internal returns (bytes32 v) {
        bytes32 modelId = registry.modelIdOf(owner, "model");
        if (registry.getModel(modelId).owner == address(0)) _createModel(owner, "model");
        bytes[] memory cs = MerkleBuilder.chunks(n, 64, 64, seed);
        ICuriaRegistry.PublishParams memory p;
        p.modelId = modelId;
        p.contentRoot = MerkleBuilder.root(cs);
        p.manifestDigest = keccak256(abi.encode("small", seed));
        p.numChunks = uint64(n);
        p.totalBytes = uint64(n * 64);
        p.locations = new string[](1);
        p.locations[0] = "ipfs://small";
        p.metadataURI = "ipfs://meta";
        p.bond = _terms().minPublisherBond;
        vm.prank(owner);
        v = registry.publish(p);
        bytes[] storage dst = chunksOf[v];
        for (uint256 i; i < n; ++i) {
            dst.push(cs[i]);
        }
        versions.push(v);
    }

    /// @notice curator1, curator2 and curator3 signal 1000, 2000 and 3000 tokens (990, 1980, 2970 shares after
    ///         the 1% tax): a pool of 5940 tokens.
    function _fillPool(bytes32 v) internal {
        _signal(curator1, v, 1000e18);
        _signal(curator2, v, 2000e18);
        _signal(curator3, v, 3000e18);
    }

    // --------------------------------------------------------- challenges

    /// @notice Moves one block (12 s) on.
    function _next() internal {
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
    }

    function _commitA(address who, bytes32 v, uint32[] memory idx, bytes32 salt) internal returns (bytes32 c) {
        c = challenges.availabilityCommitment(who, v, idx, salt);
        vm.prank(who);
        challenges.commit(c);
    }

    function _commitD(address who, bytes32 v, string memory evidence, bytes32 salt) internal returns (bytes32 c) {
        c = challenges.disputeCommitment(who, v, evidence, salt);
        vm.prank(who);
        challenges.commit(c);
    }

    function _revealA(address who, bytes32 v, uint32[] memory idx, bytes32 salt) internal returns (uint256 id) {
        vm.prank(who);
        id = challenges.revealAvailability(v, idx, salt, type(uint256).max);
    }

    function _revealD(address who, bytes32 v, string memory evidence, bytes32 salt) internal returns (uint256 id) {
        vm.prank(who);
        id = challenges.revealDispute(v, evidence, salt, type(uint256).max);
    }

    /// @notice Commit, one block on, reveal an availability challenge.
    function _openA(address who, bytes32 v, uint32[] memory idx) internal returns (uint256 id) {
        _commitA(who, v, idx, SALT);
        _next();
        id = _revealA(who, v, idx, SALT);
    }

    /// @notice Commit, one block on, reveal a dispute with EVIDENCE.
    function _openD(address who, bytes32 v) internal returns (uint256 id) {
        _commitD(who, v, EVIDENCE, SALT);
        _next();
        id = _revealD(who, v, EVIDENCE, SALT);
    }

    /// @notice The chunks of `v` at `idx` and their proofs.
    function _answer(bytes32 v, uint32[] memory idx)
        internal
        view
        returns (bytes[] memory cs, bytes32[][] memory proofs)
    {
        bytes[] memory all = chunksOf[v];
        cs = new bytes[](idx.length);
        proofs = new bytes32[][](idx.length);
        for (uint256 i; i < idx.length; ++i) {
            cs[i] = all[idx[i]];
            proofs[i] = MerkleBuilder.proof(all, idx[i]);
        }
    }

    /// @notice Answers challenge `id` correctly.
    function _respondTo(address who, uint256 id, uint32[] memory idx) internal {
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(challenges.getChallenge(id).versionId, idx);
        vm.prank(who);
        challenges.respond(id, idx, cs, proofs);
    }

    function _rule(uint256 id, ICuriaChallenges.Ruling ruling) internal {
        vm.prank(arbitrator);
        challenges.rule(id, ruling);
    }

    /// @notice Moves past the challenge's deadline.
    function _pastDeadline(uint256 id) internal {
        vm.warp(uint256(challenges.getChallenge(id).deadline) + 1);
        vm.roll(block.number + 1);
    }

    function _settle(address by, uint256 id) internal returns (ICuriaChallenges.Status) {
        vm.prank(by);
        return challenges.settle(id);
    }

    /// @notice Slashes `v`: an unanswered availability challenge by `who`, settled by keeper.
    function _slashVersion(address who, bytes32 v) internal returns (uint256 id) {
        id = _openA(who, v, _indices(0));
        _pastDeadline(id);
        _settle(keeper, id);
    }

    // ------------------------------------------------- expected amounts

    function _bps(uint256 x, uint256 bps) internal pure returns (uint256) {
        return x * bps / BPS;
    }

    /// @notice max(minChallengeBond, ceil((publisherBond + pool) * challengeBondBps / 10000)) under `termsId`.
    function _expectedBond(uint32 termsId, uint256 publisherBond, uint256 pool) internal view returns (uint256) {
        ICuriaConfig.Terms memory t = config.terms(termsId);
        uint256 proportional = ((publisherBond + pool) * t.challengeBondBps + BPS - 1) / BPS;
        return proportional > t.minChallengeBond ? proportional : t.minChallengeBond;
    }

    /// @notice The settlement of an upheld challenge, from the payout rules.
    function _expectUpheld(uint32 termsId, uint256 bond, uint256 publisherBond, uint256 snapshot, uint256 poolNow)
        internal
        view
        returns (ICuriaChallenges.Settlement memory s)
    {
        ICuriaConfig.Terms memory t = config.terms(termsId);
        s.publisherSlashed = publisherBond;
        uint256 curatorPart = _bps(snapshot, t.curatorSlashBps);
        s.curatorsSlashed = curatorPart < poolNow ? curatorPart : poolNow;
        uint256 total = s.publisherSlashed + s.curatorsSlashed;
        s.keeperBounty = _bps(total, t.keeperBountyBps);
        uint256 reward = _bps(total, t.challengerRewardBps);
        s.challengerPayout = bond + reward;
        s.burned = total - s.keeperBounty - reward;
    }

    /// @notice The settlement of a failed challenge, from the payout rules.
    function _expectFailed(uint32 termsId, uint256 bond, bool availability)
        internal
        view
        returns (ICuriaChallenges.Settlement memory s)
    {
        ICuriaConfig.Terms memory t = config.terms(termsId);
        s.keeperBounty = _bps(bond, t.keeperBountyBps);
        uint256 rest = bond - s.keeperBounty;
        s.burned = _bps(rest, t.loserBurnBps);
        if (availability) s.responderPayout = _bps(rest, t.responderRewardBps);
        s.curatorReward = rest - s.burned - s.responderPayout;
    }

    /// @notice The settlement of a dismissed dispute.
    function _expectDismissed(uint256 bond) internal pure returns (ICuriaChallenges.Settlement memory s) {
        s.challengerPayout = bond;
    }

    function _settlement(
        uint256 keeperBounty,
        uint256 challengerPayout,
        uint256 responderPayout,
        uint256 curatorReward,
        uint256 publisherSlashed,
        uint256 curatorsSlashed,
        uint256 burned
    ) internal pure returns (ICuriaChallenges.Settlement memory) {
        return ICuriaChallenges.Settlement(
            keeperBounty, challengerPayout, responderPayout, curatorReward, publisherSlashed, curatorsSlashed, burned
        );
    }

    function _assertSettlementEq(ICuriaChallenges.Settlement memory a, ICuriaChallenges.Settlement memory b)
        internal
        pure
    {
        vm.assertEq(a.keeperBounty, b.keeperBounty, "keeperBounty");
        vm.assertEq(a.challengerPayout, b.challengerPayout, "challengerPayout");
        vm.assertEq(a.responderPayout, b.responderPayout, "responderPayout");
        vm.assertEq(a.curatorReward, b.curatorReward, "curatorReward");
        vm.assertEq(a.publisherSlashed, b.publisherSlashed, "publisherSlashed");
        vm.assertEq(a.curatorsSlashed, b.curatorsSlashed, "curatorsSlashed");
        vm.assertEq(a.burned, b.burned, "burned");
    }

    /// @notice What `_settleChecked` compares against: the challenge and the balances before settle.
    struct Snap {
        address by;
        uint256 id;
        bytes32 versionId;
        address challenger;
        address responder;
        uint256 protocol;
        uint256 burn;
        uint256 byClaimable;
        uint256 challengerClaimable;
        uint256 responderClaimable;
    }

    /// @notice The state before `by` (not the challenger nor the responder) settles `id`.
    function _snap(address by, uint256 id) internal view returns (Snap memory sn) {
        ICuriaChallenges.Challenge memory c = challenges.getChallenge(id);
        vm.assertTrue(by != c.challenger && by != c.responder, "settler must be a third party");
        sn.by = by;
        sn.id = id;
        sn.versionId = c.versionId;
        sn.challenger = c.challenger;
        sn.responder = c.responder;
        sn.protocol = _protocolBalance();
        sn.burn = token.balanceOf(BURN);
        sn.byClaimable = challenges.claimable(by);
        sn.challengerClaimable = challenges.claimable(c.challenger);
        sn.responderClaimable = c.responder == address(0) ? 0 : challenges.claimable(c.responder);
    }

    /// @notice Expects ChallengeSettled with exactly `s` (declare it before any later event of the same call).
    function _expectSettledEvent(Snap memory sn, ICuriaChallenges.Status outcome, ICuriaChallenges.Settlement memory s)
        internal
    {
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeSettled(sn.id, sn.versionId, sn.by, outcome, s);
    }

    /// @notice Settles and checks the outcome, the claimables, the burn, that only the burn left the protocol,
    ///         and the books.
    function _settleChecked(Snap memory sn, ICuriaChallenges.Status outcome, ICuriaChallenges.Settlement memory s)
        internal
    {
        vm.prank(sn.by);
        ICuriaChallenges.Status got = challenges.settle(sn.id);

        vm.assertEq(uint256(got), uint256(outcome), "outcome");
        vm.assertEq(uint256(challenges.getChallenge(sn.id).status), uint256(outcome), "stored status");
        vm.assertEq(challenges.claimable(sn.by), sn.byClaimable + s.keeperBounty, "keeper claimable");
        vm.assertEq(
            challenges.claimable(sn.challenger), sn.challengerClaimable + s.challengerPayout, "challenger claimable"
        );
        if (sn.responder != address(0)) {
            vm.assertEq(
                challenges.claimable(sn.responder), sn.responderClaimable + s.responderPayout, "responder claimable"
            );
        } else {
            vm.assertEq(s.responderPayout, 0, "no responder, no payout");
        }
        vm.assertEq(token.balanceOf(BURN), sn.burn + s.burned, "burned");
        vm.assertEq(_protocolBalance(), sn.protocol - s.burned, "only the burn leaves the protocol");
        vm.assertFalse(challenges.isSettleable(sn.id), "settleable after settle");
        _assertBooks();
    }

    /// @notice `_snap`, `_expectSettledEvent`, `_settleChecked`.
    function _settleExpect(
        address by,
        uint256 id,
        ICuriaChallenges.Status outcome,
        ICuriaChallenges.Settlement memory s
    ) internal {
        Snap memory sn = _snap(by, id);
        _expectSettledEvent(sn, outcome, s);
        _settleChecked(sn, outcome, s);
    }

    // ---------------------------------------------------------------- books

    /// @notice Each contract holds exactly what its accounting says, and every token minted is either in the
    ///         protocol, burned, or in an actor's wallet (what went in = what is held + burned + paid out).
    function _assertBooks() internal view {
        uint256 bonds;
        uint256 curationOwed;
        for (uint256 i; i < versions.length; ++i) {
            bonds += registry.getVersion(versions[i]).bond;
            ICuriaCuration.Pool memory p = curation.getPool(versions[i]);
            curationOwed += uint256(p.tokens) + p.rewardReserve;
        }
        uint256 challengesOwed;
        uint256 wallets;
        for (uint256 i; i < actors.length; ++i) {
            curationOwed += curation.claimable(actors[i]);
            challengesOwed += challenges.claimable(actors[i]);
            wallets += token.balanceOf(actors[i]);
        }
        uint256 n = challenges.challengeCount();
        for (uint256 id = 1; id <= n; ++id) {
            ICuriaChallenges.Challenge memory c = challenges.getChallenge(id);
            if (
                c.status == ICuriaChallenges.Status.Open || c.status == ICuriaChallenges.Status.Answered
                    || c.status == ICuriaChallenges.Status.RuledUpheld
                    || c.status == ICuriaChallenges.Status.RuledRejected
            ) challengesOwed += c.bond;
        }
        vm.assertEq(token.balanceOf(address(registry)), bonds, "registry books");
        vm.assertEq(token.balanceOf(address(curation)), curationOwed, "curation books");
        vm.assertEq(token.balanceOf(address(challenges)), challengesOwed, "challenges books");
        vm.assertEq(_protocolBalance() + token.balanceOf(BURN) + wallets, token.totalSupply(), "conservation of tokens");
    }

    // --------------------------------------------------------------- misc

    function _three(uint32 a, uint32 b, uint32 c) internal pure returns (uint32[] memory out) {
        out = new uint32[](3);
        out[0] = a;
        out[1] = b;
        out[2] = c;
    }

    function _range(uint32 n) internal pure returns (uint32[] memory out) {
        out = new uint32[](n);
        for (uint32 i; i < n; ++i) {
            out[i] = i;
        }
    }

    /// @notice The current terms with the given changes applied by governance; returns the new terms id.
    function _setTerms(ICuriaConfig.Terms memory t) internal returns (uint32 id) {
        vm.prank(gov);
        id = config.setTerms(t);
    }

    function _pause() internal {
        vm.prank(gov);
        config.pause();
    }

    function _err(bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }
}

/// @title CuriaChallengesTest
/// @notice Unit tests of CuriaChallenges: every external function, revert path, event and payout.
contract CuriaChallengesTest is ChallengesBase {
    bytes32 internal v;

    function setUp() public override {
        super.setUp();
        v = _pub(publisher, 1);
    }

    // ============================================================= constructor

    function test_RevertWhen_ConstructedWithAZeroAddress() public {
        bytes memory err = abi.encodeWithSelector(CuriaModule.InvalidModuleSetup.selector);
        vm.expectRevert(err);
        new CuriaChallenges(IERC20(address(0)), config, registry, curation);
        vm.expectRevert(err);
        new CuriaChallenges(token, ICuriaConfig(address(0)), registry, curation);
        vm.expectRevert(err);
        new CuriaChallenges(token, config, ICuriaRegistry(address(0)), curation);
        vm.expectRevert(err);
        new CuriaChallenges(token, config, registry, ICuriaCuration(address(0)));
    }

    function test_constructor_SetsModules() public view {
        vm.assertEq(address(challenges.token()), address(token));
        vm.assertEq(address(challenges.config()), address(config));
        vm.assertEq(address(challenges.registry()), address(registry));
        vm.assertEq(address(challenges.curation()), address(curation));
        vm.assertEq(challenges.BURN_ADDRESS(), BURN);
    }

    // =================================================================== commit

    function test_commit_RecordsBlockAndTimestamp() public {
        bytes32 c = _commitA(challenger, v, _indices(1), SALT);
        (uint64 blockNumber, uint40 timestamp, uint40 revealDeadline) = challenges.commitmentOf(c);
        vm.assertEq(uint256(blockNumber), block.number);
        vm.assertEq(uint256(timestamp), block.timestamp);
        vm.assertEq(uint256(revealDeadline), block.timestamp + _terms().revealWindow);
    }

    function test_commit_EmitsChallengeCommitted() public {
        bytes32 c = challenges.availabilityCommitment(challenger, v, _indices(1), SALT);
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeCommitted(c, challenger, uint40(block.timestamp + 1 days));
        vm.prank(challenger);
        challenges.commit(c);
    }

    function test_commit_EmitsTheCommitterAsChallenger() public {
        // The event names the sender of commit; only the reveal binds the address hashed into the commitment.
        bytes32 c = challenges.disputeCommitment(challenger, v, EVIDENCE, SALT);
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeCommitted(c, keeper, uint40(block.timestamp + 1 days));
        vm.prank(keeper);
        challenges.commit(c);
    }

    function test_RevertWhen_CommitmentExists() public {
        bytes32 c = _commitA(challenger, v, _indices(1), SALT);
        _next();
        vm.prank(keeper);
        vm.expectRevert(_err(ICuriaChallenges.CommitmentExists.selector));
        challenges.commit(c);
    }

    function test_RevertWhen_CommitmentExistsAfterExpiry() public {
        bytes32 c = _commitA(challenger, v, _indices(1), SALT);
        vm.warp(block.timestamp + 1 days + 1);
        vm.roll(block.number + 1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.CommitmentExists.selector));
        challenges.commit(c);
    }

    function test_RevertWhen_CommitWhilePaused() public {
        bytes32 c = challenges.availabilityCommitment(challenger, v, _indices(1), SALT);
        _pause();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaConfig.ProtocolPaused.selector));
        challenges.commit(c);
    }

    function test_commit_AgainAfterReveal() public {
        bytes32 c = _commitA(challenger, v, _indices(1), SALT);
        _next();
        _revealA(challenger, v, _indices(1), SALT);
        (uint64 b, uint40 t,) = challenges.commitmentOf(c);
        vm.assertEq(uint256(b), 0);
        vm.assertEq(uint256(t), 0);
        _next();
        vm.prank(challenger);
        challenges.commit(c);
        (b, t,) = challenges.commitmentOf(c);
        vm.assertEq(uint256(b), block.number);
        vm.assertEq(uint256(t), block.timestamp);
    }

    // ====================================================== revealAvailability

    function test_revealAvailability_OpensChallenge() public {
        uint32[] memory idx = _indices(1, 3);
        bytes32 c = _commitA(challenger, v, idx, SALT);
        _next();
        uint256 bond = 10e18; // min bond: 5% of the 100-token publisher bond is 5
        uint40 deadline = uint40(block.timestamp + 1 days);
        uint256 walletBefore = token.balanceOf(challenger);

        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeOpened(
            1, v, challenger, ICuriaChallenges.Kind.Availability, bond, 100e18, 0, deadline, 1, idx, ""
        );
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Challenged);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(challenger, address(challenges), bond);
        uint256 id = _revealA(challenger, v, idx, SALT);

        vm.assertEq(id, 1);
        vm.assertEq(challenges.challengeCount(), 1);
        ICuriaChallenges.Challenge memory ch = challenges.getChallenge(id);
        vm.assertEq(ch.versionId, v);
        vm.assertEq(ch.challenger, challenger);
        vm.assertEq(uint256(ch.kind), uint256(ICuriaChallenges.Kind.Availability));
        vm.assertEq(uint256(ch.status), uint256(ICuriaChallenges.Status.Open));
        vm.assertEq(uint256(ch.termsId), 1);
        vm.assertEq(uint256(ch.deadline), uint256(deadline));
        vm.assertEq(uint256(ch.bond), bond);
        vm.assertEq(uint256(ch.poolSnapshot), 0);
        vm.assertEq(ch.dataHash, keccak256(abi.encodePacked(idx)));
        vm.assertEq(ch.responder, address(0));

        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Challenged));
        vm.assertEq(token.balanceOf(challenger), walletBefore - bond);
        vm.assertEq(token.balanceOf(address(challenges)), bond);
        (uint64 b, uint40 t,) = challenges.commitmentOf(c);
        vm.assertEq(uint256(b), 0, "commitment deleted");
        vm.assertEq(uint256(t), 0, "commitment deleted");
        vm.assertFalse(challenges.isSettleable(id));
        _assertBooks();
    }

    function test_revealAvailability_BondFromStakeAtRisk() public {
        // 1000e18 + 7 signalled: tax ceil(10e18 + 0.07) = 10e18 + 1, pool 990e18 + 6.
        _signal(curator1, v, 1000e18 + 7);
        vm.assertEq(curation.stakeOf(v), 990e18 + 6);
        // ceil((100e18 + 990e18 + 6) * 500 / 10000) = ceil(54.5e18 + 0.3) = 54.5e18 + 1.
        uint256 bond = 54.5e18 + 1;
        vm.assertEq(challenges.requiredBond(v), bond);
        vm.assertEq(_expectedBond(1, 100e18, 990e18 + 6), bond);
        uint256 id = _openA(challenger, v, _indices(0));
        ICuriaChallenges.Challenge memory ch = challenges.getChallenge(id);
        vm.assertEq(uint256(ch.bond), bond);
        vm.assertEq(uint256(ch.poolSnapshot), 990e18 + 6);
        vm.assertEq(token.balanceOf(address(challenges)), bond);
    }

    function test_revealAvailability_BondCountsThawingStake() public {
        _signal(curator1, v, 1000e18);
        vm.prank(curator1);
        curation.unsignal(v, 990e18);
        vm.assertEq(challenges.requiredBond(v), 54.5e18);
        uint256 id = _openA(challenger, v, _indices(0));
        vm.assertEq(uint256(challenges.getChallenge(id).bond), 54.5e18);
        vm.assertEq(uint256(challenges.getChallenge(id).poolSnapshot), 990e18);
    }

    function test_revealAvailability_AcceptsMaxBondEqualToRequired() public {
        _signal(curator1, v, 1000e18 + 7);
        _commitA(challenger, v, _indices(0), SALT);
        _next();
        vm.prank(challenger);
        uint256 id = challenges.revealAvailability(v, _indices(0), SALT, 54.5e18 + 1);
        vm.assertEq(uint256(challenges.getChallenge(id).bond), 54.5e18 + 1);
    }

    function test_RevertWhen_RevealAvailabilityBondAboveMax() public {
        _signal(curator1, v, 1000e18 + 7);
        _commitA(challenger, v, _indices(0), SALT);
        _next();
        uint32[] memory idx = _indices(0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.BondAboveMax.selector, 54.5e18 + 1, 54.5e18));
        challenges.revealAvailability(v, idx, SALT, 54.5e18);
    }

    function test_RevertWhen_RevealAvailabilityWrongSalt() public {
        _commitA(challenger, v, _indices(1), SALT);
        _next();
        uint32[] memory idx = _indices(1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealAvailability(v, idx, keccak256("other salt"), type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityWrongSender() public {
        _commitA(challenger, v, _indices(1), SALT);
        _next();
        uint32[] memory idx = _indices(1);
        vm.prank(keeper);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityWrongIndices() public {
        _commitA(challenger, v, _indices(1), SALT);
        _next();
        uint32[] memory idx = _indices(2);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityWrongVersion() public {
        bytes32 v2 = _pub(publisher, 2);
        _commitA(challenger, v, _indices(1), SALT);
        _next();
        uint32[] memory idx = _indices(1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealAvailability(v2, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityOfADisputeCommitment() public {
        // Same data hash, other kind: the kind is part of the commitment.
        uint32[] memory idx = _indices(1);
        string memory sameHash = string(abi.encodePacked(idx));
        vm.assertEq(keccak256(bytes(sameHash)), keccak256(abi.encodePacked(idx)));
        _commitD(challenger, v, sameHash, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityNotCommitted() public {
        uint32[] memory idx = _indices(1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityTwice() public {
        uint256 id = _openA(challenger, v, _indices(1));
        _respondTo(responder, id, _indices(1));
        _settle(keeper, id); // version Active again: only the deleted commitment stops the second reveal
        _next();
        uint32[] memory idx = _indices(1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityInSameBlock() public {
        _commitA(challenger, v, _indices(1), SALT);
        vm.warp(block.timestamp + 12); // same block number, later time: still too early
        uint32[] memory idx = _indices(1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.RevealTooEarly.selector));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_revealAvailability_AtRevealDeadline() public {
        _commitA(challenger, v, _indices(1), SALT);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 1 days);
        uint256 id = _revealA(challenger, v, _indices(1), SALT);
        vm.assertEq(id, 1);
    }

    function test_RevertWhen_RevealAvailabilityAfterRevealWindow() public {
        _commitA(challenger, v, _indices(1), SALT);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 1 days + 1);
        uint32[] memory idx = _indices(1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.CommitmentExpired.selector));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityUnknownVersion() public {
        bytes32 unknown = keccak256("no such version");
        _commitA(challenger, unknown, _indices(1), SALT);
        _next();
        uint32[] memory idx = _indices(1);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotChallengeable.selector, unknown));
        challenges.revealAvailability(unknown, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityChallengedVersion() public {
        _commitA(keeper, v, _indices(2), SALT);
        _openA(challenger, v, _indices(1));
        uint32[] memory idx = _indices(2);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotChallengeable.selector, v));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilitySlashedVersion() public {
        _slashVersion(challenger, v);
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Slashed));
        _commitA(keeper, v, _indices(2), SALT);
        _next();
        uint32[] memory idx = _indices(2);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotChallengeable.selector, v));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    function test_revealAvailability_RetiredVersion() public {
        vm.prank(publisher);
        registry.retire(v);
        uint256 id = _openA(challenger, v, _indices(1));
        vm.assertEq(uint256(challenges.getChallenge(id).status), uint256(ICuriaChallenges.Status.Open));
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Challenged));
    }

    function _expectInvalidIndices(bytes32 version, uint32[] memory idx) internal {
        _commitA(challenger, version, idx, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.InvalidChunkIndices.selector));
        challenges.revealAvailability(version, idx, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealAvailabilityNoIndices() public {
        _expectInvalidIndices(v, new uint32[](0));
    }

    function test_RevertWhen_RevealAvailabilityMoreThanMaxChunks() public {
        bytes32 big = _pubSmall(publisher, 17, 7);
        _expectInvalidIndices(big, _range(17));
    }

    function test_revealAvailability_MaxChunks() public {
        bytes32 big = _pubSmall(publisher, 17, 7);
        uint32[] memory idx = _range(16);
        idx[15] = 16; // 0..14, 16: the last chunk too
        uint256 id = _openA(challenger, big, idx);
        vm.assertEq(challenges.getChallenge(id).dataHash, keccak256(abi.encodePacked(idx)));
        _respondTo(responder, id, idx);
        vm.assertEq(uint256(challenges.getChallenge(id).status), uint256(ICuriaChallenges.Status.Answered));
    }

    function test_RevertWhen_RevealAvailabilityAboveLoweredMaxChunks() public {
        ICuriaConfig.Terms memory t = _terms();
        t.maxChallengeChunks = 2;
        _setTerms(t);
        _expectInvalidIndices(v, _three(0, 1, 2));
    }

    function test_RevertWhen_RevealAvailabilityUnsortedIndices() public {
        _expectInvalidIndices(v, _indices(3, 1));
    }

    function test_RevertWhen_RevealAvailabilityDuplicateIndices() public {
        _expectInvalidIndices(v, _three(0, 2, 2));
    }

    function test_RevertWhen_RevealAvailabilityIndexOutOfRange() public {
        _expectInvalidIndices(v, _indices(1, uint32(NUM_CHUNKS)));
    }

    function test_revealAvailability_LastIndex() public {
        uint256 id = _openA(challenger, v, _indices(uint32(NUM_CHUNKS - 1)));
        vm.assertEq(id, 1);
    }

    function test_RevertWhen_RevealAvailabilityWhilePaused() public {
        _commitA(challenger, v, _indices(1), SALT);
        _next();
        _pause();
        uint32[] memory idx = _indices(1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaConfig.ProtocolPaused.selector));
        challenges.revealAvailability(v, idx, SALT, type(uint256).max);
    }

    // =========================================================== revealDispute

    function test_revealDispute_OpensChallenge() public {
        _fillPool(v);
        bytes32 c = _commitD(challenger, v, EVIDENCE, SALT);
        _next();
        uint256 bond = 302e18; // 5% of 100 + 5940
        uint40 deadline = uint40(block.timestamp + 3 days);

        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeOpened(
            1,
            v,
            challenger,
            ICuriaChallenges.Kind.Dispute,
            bond,
            100e18,
            5940e18,
            deadline,
            1,
            new uint32[](0),
            EVIDENCE
        );
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Challenged);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(challenger, address(challenges), bond);
        uint256 id = _revealD(challenger, v, EVIDENCE, SALT);

        vm.assertEq(id, 1);
        vm.assertEq(challenges.challengeCount(), 1);
        ICuriaChallenges.Challenge memory ch = challenges.getChallenge(id);
        vm.assertEq(ch.versionId, v);
        vm.assertEq(ch.challenger, challenger);
        vm.assertEq(uint256(ch.kind), uint256(ICuriaChallenges.Kind.Dispute));
        vm.assertEq(uint256(ch.status), uint256(ICuriaChallenges.Status.Open));
        vm.assertEq(uint256(ch.termsId), 1);
        vm.assertEq(uint256(ch.deadline), uint256(deadline));
        vm.assertEq(uint256(ch.bond), bond);
        vm.assertEq(uint256(ch.poolSnapshot), 5940e18);
        vm.assertEq(ch.dataHash, keccak256(bytes(EVIDENCE)));
        vm.assertEq(ch.responder, address(0));
        (uint64 b,,) = challenges.commitmentOf(c);
        vm.assertEq(uint256(b), 0, "commitment deleted");
        _assertBooks();
    }

    function test_revealDispute_EvidenceOf2048Bytes() public {
        string memory evidence = string(_filled(2048));
        _commitD(challenger, v, evidence, SALT);
        _next();
        uint256 id = _revealD(challenger, v, evidence, SALT);
        vm.assertEq(challenges.getChallenge(id).dataHash, keccak256(bytes(evidence)));
    }

    function test_RevertWhen_RevealDisputeEmptyEvidence() public {
        _commitD(challenger, v, "", SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.InvalidEvidence.selector));
        challenges.revealDispute(v, "", SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeEvidenceOf2049Bytes() public {
        string memory evidence = string(_filled(2049));
        _commitD(challenger, v, evidence, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.InvalidEvidence.selector));
        challenges.revealDispute(v, evidence, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeWrongSalt() public {
        _commitD(challenger, v, EVIDENCE, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealDispute(v, EVIDENCE, bytes32(0), type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeWrongSender() public {
        _commitD(challenger, v, EVIDENCE, SALT);
        _next();
        vm.prank(keeper);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealDispute(v, EVIDENCE, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeWrongEvidence() public {
        _commitD(challenger, v, EVIDENCE, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealDispute(v, "ipfs://other-evidence", SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeWrongVersion() public {
        bytes32 v2 = _pub(publisher, 2);
        _commitD(challenger, v, EVIDENCE, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealDispute(v2, EVIDENCE, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeOfAnAvailabilityCommitment() public {
        uint32[] memory idx = _indices(1);
        string memory sameHash = string(abi.encodePacked(idx));
        _commitA(challenger, v, idx, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.UnknownCommitment.selector));
        challenges.revealDispute(v, sameHash, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeInSameBlock() public {
        _commitD(challenger, v, EVIDENCE, SALT);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.RevealTooEarly.selector));
        challenges.revealDispute(v, EVIDENCE, SALT, type(uint256).max);
    }

    function test_revealDispute_AtRevealDeadline() public {
        _commitD(challenger, v, EVIDENCE, SALT);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 1 days);
        vm.assertEq(_revealD(challenger, v, EVIDENCE, SALT), 1);
    }

    function test_RevertWhen_RevealDisputeAfterRevealWindow() public {
        _commitD(challenger, v, EVIDENCE, SALT);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 1 days + 1);
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.CommitmentExpired.selector));
        challenges.revealDispute(v, EVIDENCE, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeUnknownVersion() public {
        bytes32 unknown = keccak256("no such version");
        _commitD(challenger, unknown, EVIDENCE, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotChallengeable.selector, unknown));
        challenges.revealDispute(unknown, EVIDENCE, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeChallengedVersion() public {
        _commitD(keeper, v, EVIDENCE, SALT);
        _openD(challenger, v);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotChallengeable.selector, v));
        challenges.revealDispute(v, EVIDENCE, SALT, type(uint256).max);
    }

    function test_RevertWhen_RevealDisputeSlashedVersion() public {
        _slashVersion(challenger, v);
        _commitD(keeper, v, EVIDENCE, SALT);
        _next();
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotChallengeable.selector, v));
        challenges.revealDispute(v, EVIDENCE, SALT, type(uint256).max);
    }

    function test_revealDispute_RetiredVersion() public {
        vm.prank(publisher);
        registry.retire(v);
        uint256 id = _openD(challenger, v);
        vm.assertEq(uint256(challenges.getChallenge(id).status), uint256(ICuriaChallenges.Status.Open));
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Challenged));
    }

    function test_revealDispute_BondFromStakeAtRisk() public {
        _signal(curator1, v, 1000e18 + 7);
        uint256 id = _openD(challenger, v);
        vm.assertEq(uint256(challenges.getChallenge(id).bond), 54.5e18 + 1);
        vm.assertEq(uint256(challenges.getChallenge(id).poolSnapshot), 990e18 + 6);
    }

    function test_RevertWhen_RevealDisputeBondAboveMax() public {
        _commitD(challenger, v, EVIDENCE, SALT);
        _next();
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.BondAboveMax.selector, 10e18, 10e18 - 1));
        challenges.revealDispute(v, EVIDENCE, SALT, 10e18 - 1);
    }

    function test_RevertWhen_RevealDisputeWhilePaused() public {
        _commitD(challenger, v, EVIDENCE, SALT);
        _next();
        _pause();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaConfig.ProtocolPaused.selector));
        challenges.revealDispute(v, EVIDENCE, SALT, type(uint256).max);
    }

    function _filled(uint256 n) internal pure returns (bytes memory b) {
        b = new bytes(n);
        for (uint256 i; i < n; ++i) {
            b[i] = "e";
        }
    }

    // ================================================================= respond

    function test_respond_AnswersChallenge() public {
        uint32[] memory idx = _indices(0, 4);
        uint256 id = _openA(challenger, v, idx);
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, idx);
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeAnswered(id, v, responder);
        vm.prank(responder);
        challenges.respond(id, idx, cs, proofs);
        ICuriaChallenges.Challenge memory ch = challenges.getChallenge(id);
        vm.assertEq(uint256(ch.status), uint256(ICuriaChallenges.Status.Answered));
        vm.assertEq(ch.responder, responder);
        vm.assertTrue(challenges.isSettleable(id), "answered challenges settle at once");
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Challenged));
    }

    function test_respond_AtDeadline() public {
        uint256 id = _openA(challenger, v, _indices(2));
        vm.warp(challenges.getChallenge(id).deadline);
        _respondTo(responder, id, _indices(2));
        vm.assertEq(uint256(challenges.getChallenge(id).status), uint256(ICuriaChallenges.Status.Answered));
    }

    function test_RevertWhen_RespondUnknownChallenge() public {
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(0));
        uint32[] memory idx = _indices(0);
        vm.prank(responder);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.UnknownChallenge.selector, 1));
        challenges.respond(1, idx, cs, proofs);
    }

    function test_RevertWhen_RespondToADispute() public {
        uint256 id = _openD(challenger, v);
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(0));
        uint32[] memory idx = _indices(0);
        vm.prank(responder);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.WrongKind.selector, id));
        challenges.respond(id, idx, cs, proofs);
    }

    function test_RevertWhen_RespondTwice() public {
        uint256 id = _openA(challenger, v, _indices(0));
        _respondTo(responder, id, _indices(0));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(0));
        uint32[] memory idx = _indices(0);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaChallenges.WrongChallengeStatus.selector, id, ICuriaChallenges.Status.Answered)
        );
        challenges.respond(id, idx, cs, proofs);
    }

    function test_RevertWhen_RespondAfterSettle() public {
        uint256 id = _openA(challenger, v, _indices(0));
        _pastDeadline(id);
        _settle(keeper, id);
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(0));
        uint32[] memory idx = _indices(0);
        vm.prank(responder);
        vm.expectRevert(
            abi.encodeWithSelector(ICuriaChallenges.WrongChallengeStatus.selector, id, ICuriaChallenges.Status.Upheld)
        );
        challenges.respond(id, idx, cs, proofs);
    }

    function test_RevertWhen_RespondAfterDeadline() public {
        uint256 id = _openA(challenger, v, _indices(0));
        uint40 deadline = challenges.getChallenge(id).deadline;
        vm.warp(uint256(deadline) + 1);
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(0));
        uint32[] memory idx = _indices(0);
        vm.prank(responder);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.DeadlinePassed.selector, deadline));
        challenges.respond(id, idx, cs, proofs);
    }

    function _expectRespondRevert(
        uint256 id,
        uint32[] memory idx,
        bytes[] memory cs,
        bytes32[][] memory proofs,
        bytes memory err
    ) internal {
        vm.prank(responder);
        vm.expectRevert(err);
        challenges.respond(id, idx, cs, proofs);
    }

    function test_RevertWhen_RespondWithOtherIndices() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1, 2));
        _expectRespondRevert(id, _indices(1, 2), cs, proofs, _err(ICuriaChallenges.AnswerMismatch.selector));
    }

    function test_RevertWhen_RespondWithASubsetOfIndices() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1));
        _expectRespondRevert(id, _indices(1), cs, proofs, _err(ICuriaChallenges.AnswerMismatch.selector));
    }

    function test_RevertWhen_RespondWithFewerChunks() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1, 3));
        bytes[] memory one = new bytes[](1);
        one[0] = cs[0];
        _expectRespondRevert(id, _indices(1, 3), one, proofs, _err(ICuriaChallenges.AnswerMismatch.selector));
    }

    function test_RevertWhen_RespondWithMoreChunks() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1, 3));
        bytes[] memory three = new bytes[](3);
        (three[0], three[1], three[2]) = (cs[0], cs[1], cs[1]);
        _expectRespondRevert(id, _indices(1, 3), three, proofs, _err(ICuriaChallenges.AnswerMismatch.selector));
    }

    function test_RevertWhen_RespondWithFewerProofs() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1, 3));
        bytes32[][] memory one = new bytes32[][](1);
        one[0] = proofs[0];
        _expectRespondRevert(id, _indices(1, 3), cs, one, _err(ICuriaChallenges.AnswerMismatch.selector));
    }

    function test_RevertWhen_RespondWithAFlippedChunkBit() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1, 3));
        bytes memory flipped = bytes.concat(cs[1]);
        flipped[100] = flipped[100] ^ bytes1(0x01);
        cs[1] = flipped;
        _expectRespondRevert(
            id, _indices(1, 3), cs, proofs, abi.encodeWithSelector(ICuriaChallenges.InvalidProof.selector, 3)
        );
    }

    function test_RevertWhen_RespondWithAWrongProof() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1, 3));
        proofs[0][1] = proofs[0][1] ^ bytes32(uint256(1));
        _expectRespondRevert(
            id, _indices(1, 3), cs, proofs, abi.encodeWithSelector(ICuriaChallenges.InvalidProof.selector, 1)
        );
    }

    function test_RevertWhen_RespondWithTheProofOfAnotherChunk() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1, 3));
        (bytes[] memory other, bytes32[][] memory otherProofs) = _answer(v, _indices(0, 2));
        cs[1] = other[1]; // chunk 2 with its own proof, answered as chunk 3
        proofs[1] = otherProofs[1];
        _expectRespondRevert(
            id, _indices(1, 3), cs, proofs, abi.encodeWithSelector(ICuriaChallenges.InvalidProof.selector, 3)
        );
    }

    function test_RevertWhen_RespondWithAWrongChunk() public {
        uint256 id = _openA(challenger, v, _indices(1, 3));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(1, 3));
        (bytes[] memory other,) = _answer(v, _indices(2));
        cs[0] = other[0]; // chunk 2's bytes with chunk 1's proof
        _expectRespondRevert(
            id, _indices(1, 3), cs, proofs, abi.encodeWithSelector(ICuriaChallenges.InvalidProof.selector, 1)
        );
    }

    function test_RevertWhen_RespondWithAnEmptyChunk() public {
        uint256 id = _openA(challenger, v, _indices(4));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(4));
        cs[0] = "";
        _expectRespondRevert(
            id, _indices(4), cs, proofs, abi.encodeWithSelector(ICuriaChallenges.InvalidProof.selector, 4)
        );
    }

    function test_RevertWhen_RespondWithAShortProof() public {
        uint256 id = _openA(challenger, v, _indices(4));
        (bytes[] memory cs, bytes32[][] memory proofs) = _answer(v, _indices(4));
        bytes32[] memory short = new bytes32[](2);
        (short[0], short[1]) = (proofs[0][0], proofs[0][1]);
        proofs[0] = short;
        _expectRespondRevert(
            id, _indices(4), cs, proofs, abi.encodeWithSelector(ICuriaChallenges.InvalidProof.selector, 4)
        );
    }

    // ==================================================================== rule

    function test_rule_Upheld() public {
        uint256 id = _openD(challenger, v);
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeRuled(id, v, arbitrator, ICuriaChallenges.Ruling.Upheld);
        _rule(id, ICuriaChallenges.Ruling.Upheld);
        vm.assertEq(uint256(challenges.getChallenge(id).status), uint256(ICuriaChallenges.Status.RuledUpheld));
        vm.assertTrue(challenges.isSettleable(id));
    }

    function test_rule_Rejected() public {
        uint256 id = _openD(challenger, v);
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeRuled(id, v, arbitrator, ICuriaChallenges.Ruling.Rejected);
        _rule(id, ICuriaChallenges.Ruling.Rejected);
        vm.assertEq(uint256(challenges.getChallenge(id).status), uint256(ICuriaChallenges.Status.RuledRejected));
        vm.assertTrue(challenges.isSettleable(id));
    }

    function test_rule_AtDeadline() public {
        uint256 id = _openD(challenger, v);
        vm.warp(challenges.getChallenge(id).deadline);
        _rule(id, ICuriaChallenges.Ruling.Rejected);
        vm.assertEq(uint256(challenges.getChallenge(id).status), uint256(ICuriaChallenges.Status.RuledRejected));
    }

    function test_RevertWhen_RuleUnknownChallenge() public {
        vm.prank(arbitrator);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.UnknownChallenge.selector, 7));
        challenges.rule(7, ICuriaChallenges.Ruling.Upheld);
    }

    function test_RevertWhen_RuleNotArbitrator() public {
        uint256 id = _openD(challenger, v);
        vm.prank(gov);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotArbitrator.selector, gov));
        challenges.rule(id, ICuriaChallenges.Ruling.Upheld);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotArbitrator.selector, challenger));
        challenges.rule(id, ICuriaChallenges.Ruling.Upheld);
    }

    function test_RevertWhen_RuleAvailabilityChallenge() public {
        uint256 id = _openA(challenger, v, _indices(0));
        vm.prank(arbitrator);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.WrongKind.selector, id));
        challenges.rule(id, ICuriaChallenges.Ruling.Upheld);
    }

    function test_RevertWhen_RuleNone() public {
        uint256 id = _openD(challenger, v);
        vm.prank(arbitrator);
        vm.expectRevert(_err(ICuriaChallenges.InvalidRuling.selector));
        challenges.rule(id, ICuriaChallenges.Ruling.None);
    }

    function test_RevertWhen_RuleAfterDeadline() public {
        uint256 id = _openD(challenger, v);
        uint40 deadline = challenges.getChallenge(id).deadline;
        vm.warp(uint256(deadline) + 1);
        vm.prank(arbitrator);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.DeadlinePassed.selector, deadline));
        challenges.rule(id, ICuriaChallenges.Ruling.Upheld);
    }

    function test_RevertWhen_RuleTwice() public {
        uint256 id = _openD(challenger, v);
        _rule(id, ICuriaChallenges.Ruling.Upheld);
        vm.prank(arbitrator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICuriaChallenges.WrongChallengeStatus.selector, id, ICuriaChallenges.Status.RuledUpheld
            )
        );
        challenges.rule(id, ICuriaChallenges.Ruling.Rejected);
    }

    function test_RevertWhen_RuleAfterDismissal() public {
        uint256 id = _openD(challenger, v);
        _pastDeadline(id);
        _settle(keeper, id);
        vm.prank(arbitrator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICuriaChallenges.WrongChallengeStatus.selector, id, ICuriaChallenges.Status.Dismissed
            )
        );
        challenges.rule(id, ICuriaChallenges.Ruling.Upheld);
    }

    function test_rule_UsesTheArbitratorOfTheChallengeTerms() public {
        bytes32 v2 = _pub(publisher, 2);
        uint256 before = _openD(challenger, v);
        address newArbitrator = makeAddr("newArbitrator");
        ICuriaConfig.Terms memory t = _terms();
        t.arbitrator = newArbitrator;
        vm.assertEq(uint256(_setTerms(t)), 2);
        uint256 afterChange = _openD(challenger, v2);
        vm.assertEq(uint256(challenges.getChallenge(afterChange).termsId), 2);

        vm.prank(newArbitrator);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotArbitrator.selector, newArbitrator));
        challenges.rule(before, ICuriaChallenges.Ruling.Upheld);
        vm.prank(arbitrator);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotArbitrator.selector, arbitrator));
        challenges.rule(afterChange, ICuriaChallenges.Ruling.Upheld);

        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeRuled(before, v, arbitrator, ICuriaChallenges.Ruling.Upheld);
        _rule(before, ICuriaChallenges.Ruling.Upheld);
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.ChallengeRuled(afterChange, v2, newArbitrator, ICuriaChallenges.Ruling.Rejected);
        vm.prank(newArbitrator);
        challenges.rule(afterChange, ICuriaChallenges.Ruling.Rejected);
    }

    // ================================================================== settle

    function test_settle_FailedAvailabilityPaysOut() public {
        _fillPool(v);
        uint256 id = _openA(challenger, v, _indices(0, 4));
        vm.assertEq(uint256(challenges.getChallenge(id).bond), 302e18);
        _respondTo(responder, id, _indices(0, 4));

        // keeper 1% of 302 = 3.02; rest 298.98: burn 10% = 29.898, responder 50% = 149.49, curators the rest.
        ICuriaChallenges.Settlement memory s = _settlement(3.02e18, 0, 149.49e18, 119.592e18, 0, 0, 29.898e18);
        _assertSettlementEq(_expectFailed(1, 302e18, true), s);
        uint256 publisherClaimable = curation.claimable(publisher); // the curation tax: 60

        // The curator reward: 10% to the publisher, 107.6328 over 5940 shares.
        Snap memory sn = _snap(keeper, id);
        _expectSettledEvent(sn, ICuriaChallenges.Status.Failed, s);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Active);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, address(challenges), publisher, 119.592e18, 11.9592e18, 107.6328e18, 1.812e25);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(address(challenges), BURN, 29.898e18);
        _settleChecked(sn, ICuriaChallenges.Status.Failed, s);

        vm.assertEq(publisherClaimable, 60e18);
        vm.assertEq(curation.claimable(publisher), 60e18 + 11.9592e18);
        vm.assertEq(curation.pendingRewards(v, curator1), 17.9388e18);
        vm.assertEq(curation.pendingRewards(v, curator2), 35.8776e18);
        vm.assertEq(curation.pendingRewards(v, curator3), 53.8164e18);
        vm.assertEq(challenges.claimable(challenger), 0);
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Active));
        vm.assertEq(uint256(registry.getVersion(v).bond), 100e18);
        vm.assertEq(curation.stakeOf(v), 5940e18);
        vm.assertEq(token.balanceOf(address(challenges)), 3.02e18 + 149.49e18);
    }

    function test_settle_FailedAvailabilityRoundsDown() public {
        _signal(curator1, v, 1000e18 + 7);
        uint256 bond = 54.5e18 + 1;
        uint256 id = _openA(challenger, v, _indices(3));
        _respondTo(responder, id, _indices(3));
        // keeper floor(0.545e18 + 0.01); rest 53.955e18 + 1; burn floor(5.3955e18 + 0.1);
        // responder floor(26.9775e18 + 0.5); the remainder (with the dust) to the curators.
        ICuriaChallenges.Settlement memory s = _settlement(0.545e18, 0, 26.9775e18, 21.582e18 + 1, 0, 0, 5.3955e18);
        _assertSettlementEq(_expectFailed(1, bond, true), s);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Failed, s);
    }

    function test_settle_FailedAvailabilityWithoutCurators() public {
        uint256 id = _openA(challenger, v, _indices(2));
        _respondTo(responder, id, _indices(2));
        ICuriaChallenges.Settlement memory s = _settlement(0.1e18, 0, 4.95e18, 3.96e18, 0, 0, 0.99e18);
        _assertSettlementEq(_expectFailed(1, 10e18, true), s);
        // No curators: the whole curator reward goes to the publisher.
        Snap memory sn = _snap(keeper, id);
        _expectSettledEvent(sn, ICuriaChallenges.Status.Failed, s);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, address(challenges), publisher, 3.96e18, 3.96e18, 0, 0);
        _settleChecked(sn, ICuriaChallenges.Status.Failed, s);
        vm.assertEq(curation.claimable(publisher), 3.96e18);
    }

    function test_settle_FailedRestoresRetired() public {
        vm.prank(publisher);
        registry.retire(v);
        uint40 thawEnd = registry.getVersion(v).thawEnd;
        uint256 id = _openA(challenger, v, _indices(2));
        _respondTo(responder, id, _indices(2));
        ICuriaChallenges.Settlement memory s = _expectFailed(1, 10e18, true);
        Snap memory sn = _snap(keeper, id);
        _expectSettledEvent(sn, ICuriaChallenges.Status.Failed, s);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Retired);
        _settleChecked(sn, ICuriaChallenges.Status.Failed, s);
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Retired));
        vm.assertEq(uint256(registry.getVersion(v).thawEnd), uint256(thawEnd));
    }

    function test_settle_FailedDisputePaysOut() public {
        _fillPool(v);
        uint256 id = _openD(challenger, v);
        _rule(id, ICuriaChallenges.Ruling.Rejected);
        // No responder: the curators get rest - burn = 298.98 - 29.898.
        ICuriaChallenges.Settlement memory s = _settlement(3.02e18, 0, 0, 269.082e18, 0, 0, 29.898e18);
        _assertSettlementEq(_expectFailed(1, 302e18, false), s);
        Snap memory sn = _snap(keeper, id);
        _expectSettledEvent(sn, ICuriaChallenges.Status.Failed, s);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.Rewarded(v, address(challenges), publisher, 269.082e18, 26.9082e18, 242.1738e18, 4.077e25);
        _settleChecked(sn, ICuriaChallenges.Status.Failed, s);
        vm.assertEq(curation.pendingRewards(v, curator1), 40.3623e18);
        vm.assertEq(curation.pendingRewards(v, curator2), 80.7246e18);
        vm.assertEq(curation.pendingRewards(v, curator3), 121.0869e18);
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Active));
    }

    function test_settle_UpheldAvailabilitySlashes() public {
        _fillPool(v);
        uint256 id = _openA(challenger, v, _indices(1));
        _pastDeadline(id);
        // Slash 100 + 50% of 5940 = 3070: keeper 1% = 30.7, challenger 50% = 1535, burn the rest.
        ICuriaChallenges.Settlement memory s = _settlement(30.7e18, 302e18 + 1535e18, 0, 0, 100e18, 2970e18, 1504.3e18);
        _assertSettlementEq(_expectUpheld(1, 302e18, 100e18, 5940e18, 5940e18), s);

        Snap memory sn = _snap(keeper, id);
        _expectSettledEvent(sn, ICuriaChallenges.Status.Upheld, s);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.BondSlashed(v, 100e18);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Slashed);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.PoolSlashed(v, 2970e18, 5940e18);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(address(challenges), BURN, 1504.3e18);
        _settleChecked(sn, ICuriaChallenges.Status.Upheld, s);

        ICuriaRegistry.Version memory ver = registry.getVersion(v);
        vm.assertEq(uint256(ver.status), uint256(ICuriaRegistry.VersionStatus.Slashed));
        vm.assertEq(uint256(ver.bond), 0);
        ICuriaCuration.Pool memory p = curation.getPool(v);
        vm.assertEq(uint256(p.tokens), 2970e18);
        vm.assertEq(uint256(p.slashNumerator), 2970e18);
        vm.assertEq(uint256(p.slashDenominator), 5940e18);
        vm.assertEq(challenges.claimable(challenger), 1837e18);
        vm.assertEq(challenges.claimable(keeper), 30.7e18);
    }

    function test_settle_UpheldRoundsDown() public {
        _signal(curator1, v, 1000e18 + 7);
        uint256 id = _openA(challenger, v, _indices(1));
        _pastDeadline(id);
        // Slash 100e18 + floor((990e18 + 6) / 2) = 595e18 + 3.
        ICuriaChallenges.Settlement memory s =
            _settlement(5.95e18, 54.5e18 + 1 + 297.5e18 + 1, 0, 0, 100e18, 495e18 + 3, 291.55e18 + 2);
        _assertSettlementEq(_expectUpheld(1, 54.5e18 + 1, 100e18, 990e18 + 6, 990e18 + 6), s);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, s);
        ICuriaCuration.Pool memory p = curation.getPool(v);
        vm.assertEq(uint256(p.slashNumerator), 495e18 + 3);
        vm.assertEq(uint256(p.slashDenominator), 990e18 + 6);
    }

    function test_settle_UpheldDisputeSlashes() public {
        _fillPool(v);
        uint256 id = _openD(challenger, v);
        _rule(id, ICuriaChallenges.Ruling.Upheld);
        ICuriaChallenges.Settlement memory s = _settlement(30.7e18, 1837e18, 0, 0, 100e18, 2970e18, 1504.3e18);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, s);
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Slashed));
    }

    function test_settle_UpheldSlashesThawedStakeThatHadToWait() public {
        // curator2's stake thaws from before the challenge; its thaw ends while the challenge is open, so its
        // withdrawal waits and the slash, 50% of the snapshot (2970), falls on both curators alike.
        _signal(curator1, v, 1000e18);
        _signal(curator2, v, 2000e18);
        vm.prank(curator2);
        curation.unsignal(v, 1980e18);
        uint40 thawEnd = curation.getPosition(v, curator2).thawEnd;
        vm.warp(block.timestamp + 6 days + 12 hours);
        uint256 id = _openA(challenger, v, _indices(1));
        vm.assertEq(uint256(challenges.getChallenge(id).poolSnapshot), 2970e18);
        vm.assertEq(uint256(challenges.getChallenge(id).bond), 153.5e18);
        vm.warp(thawEnd);
        vm.prank(curator2);
        vm.expectRevert(abi.encodeWithSelector(ICuriaCuration.VersionChallenged.selector, v));
        curation.withdraw(v);
        _pastDeadline(id);

        ICuriaChallenges.Settlement memory s =
            _settlement(15.85e18, 153.5e18 + 792.5e18, 0, 0, 100e18, 1485e18, 776.65e18);
        _assertSettlementEq(_expectUpheld(1, 153.5e18, 100e18, 2970e18, 2970e18), s);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, s);
        vm.assertEq(curation.stakeOf(v), 1485e18);
        vm.prank(curator2);
        vm.assertEq(curation.withdraw(v), 990e18);
    }

    function test_settle_UpheldWithoutCurators() public {
        uint256 id = _openA(challenger, v, _indices(1));
        _pastDeadline(id);
        ICuriaChallenges.Settlement memory s = _settlement(1e18, 10e18 + 50e18, 0, 0, 100e18, 0, 49e18);
        _assertSettlementEq(_expectUpheld(1, 10e18, 100e18, 0, 0), s);
        Snap memory sn = _snap(keeper, id);
        _expectSettledEvent(sn, ICuriaChallenges.Status.Upheld, s);
        vm.expectEmit(address(curation));
        emit ICuriaCuration.PoolSlashed(v, 0, 0);
        _settleChecked(sn, ICuriaChallenges.Status.Upheld, s);
    }

    function test_settle_UpheldAfterBondWithdrawn() public {
        // A retired version whose bond was paid back is still challengeable; nothing of the publisher's is left.
        vm.prank(publisher);
        registry.retire(v);
        vm.warp(registry.getVersion(v).thawEnd);
        vm.prank(publisher);
        registry.withdrawBond(v);
        uint256 id = _openA(challenger, v, _indices(1));
        _pastDeadline(id);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, _settlement(0, 10e18, 0, 0, 0, 0, 0));
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Slashed));
    }

    function test_settle_DismissedReturnsBond() public {
        _fillPool(v);
        uint256 id = _openD(challenger, v);
        _pastDeadline(id);
        ICuriaChallenges.Settlement memory s = _settlement(0, 302e18, 0, 0, 0, 0, 0);
        _assertSettlementEq(_expectDismissed(302e18), s);
        Snap memory sn = _snap(keeper, id);
        _expectSettledEvent(sn, ICuriaChallenges.Status.Dismissed, s);
        vm.expectEmit(address(registry));
        emit ICuriaRegistry.VersionStatusChanged(v, ICuriaRegistry.VersionStatus.Active);
        _settleChecked(sn, ICuriaChallenges.Status.Dismissed, s);
        vm.assertEq(challenges.claimable(keeper), 0);
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Active));
        vm.assertEq(curation.stakeOf(v), 5940e18);
    }

    function test_settle_DismissedRestoresRetired() public {
        vm.prank(publisher);
        registry.retire(v);
        uint256 id = _openD(challenger, v);
        _pastDeadline(id);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Dismissed, _expectDismissed(10e18));
        vm.assertEq(uint256(registry.getVersion(v).status), uint256(ICuriaRegistry.VersionStatus.Retired));
    }

    function test_settle_BountyGoesToTheCaller() public {
        uint256 id = _openA(challenger, v, _indices(1));
        _respondTo(responder, id, _indices(1));
        _settleExpect(rewarder, id, ICuriaChallenges.Status.Failed, _expectFailed(1, 10e18, true));
        vm.assertEq(challenges.claimable(rewarder), 0.1e18);
        vm.assertEq(challenges.claimable(keeper), 0);
    }

    function test_settle_WorksWhilePaused() public {
        uint256 id = _openA(challenger, v, _indices(1));
        _pastDeadline(id);
        _pause();
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, _settlement(1e18, 60e18, 0, 0, 100e18, 0, 49e18));
    }

    function test_RevertWhen_SettleOpenAvailabilityBeforeDeadline() public {
        uint256 id = _openA(challenger, v, _indices(1));
        uint40 deadline = challenges.getChallenge(id).deadline;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotYetSettleable.selector, deadline));
        challenges.settle(id);
        vm.warp(deadline);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotYetSettleable.selector, deadline));
        challenges.settle(id);
    }

    function test_RevertWhen_SettleOpenDisputeBeforeDeadline() public {
        uint256 id = _openD(challenger, v);
        uint40 deadline = challenges.getChallenge(id).deadline;
        vm.warp(deadline);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.NotYetSettleable.selector, deadline));
        challenges.settle(id);
    }

    function test_RevertWhen_SettleUnknownChallenge() public {
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.UnknownChallenge.selector, 0));
        challenges.settle(0);
        _openA(challenger, v, _indices(1));
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.UnknownChallenge.selector, 2));
        challenges.settle(2);
    }

    function _expectSettledTwice(uint256 id, ICuriaChallenges.Status status) internal {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ICuriaChallenges.WrongChallengeStatus.selector, id, status));
        challenges.settle(id);
    }

    function test_RevertWhen_SettleFailedTwice() public {
        uint256 id = _openA(challenger, v, _indices(1));
        _respondTo(responder, id, _indices(1));
        _settle(keeper, id);
        _expectSettledTwice(id, ICuriaChallenges.Status.Failed);
    }

    function test_RevertWhen_SettleUpheldTwice() public {
        uint256 id = _openA(challenger, v, _indices(1));
        _pastDeadline(id);
        _settle(keeper, id);
        _expectSettledTwice(id, ICuriaChallenges.Status.Upheld);
    }

    function test_RevertWhen_SettleDismissedTwice() public {
        uint256 id = _openD(challenger, v);
        _pastDeadline(id);
        _settle(keeper, id);
        _expectSettledTwice(id, ICuriaChallenges.Status.Dismissed);
    }

    // ------------------------------------------------------ settle: any terms

    /// @notice Terms with fuzzed payout shares (within their bounds), put in force; returns their id.
    function _fuzzTerms(uint256 seed) internal returns (uint32) {
        ICuriaConfig.Terms memory t = _terms();
        t.challengeBondBps = uint16(bound(uint256(keccak256(abi.encode(seed, 1))), 0, BPS));
        t.curatorSlashBps = uint16(bound(uint256(keccak256(abi.encode(seed, 2))), 0, BPS));
        t.challengerRewardBps = uint16(bound(uint256(keccak256(abi.encode(seed, 3))), 0, 5_000));
        t.keeperBountyBps = uint16(bound(uint256(keccak256(abi.encode(seed, 4))), 0, 1_000));
        t.responderRewardBps = uint16(bound(uint256(keccak256(abi.encode(seed, 5))), 0, BPS));
        t.loserBurnBps = uint16(bound(uint256(keccak256(abi.encode(seed, 6))), 0, BPS - t.responderRewardBps));
        t.curationTaxBps = uint16(bound(uint256(keccak256(abi.encode(seed, 7))), 0, 1_000));
        return _setTerms(t);
    }

    function test_settle_UpheldFollowsTheRulesForAnyTerms(uint256 seed, uint256 signalled, bool dispute) public {
        uint32 termsId = _fuzzTerms(seed);
        signalled = bound(signalled, 0, FUNDS / 4); // 1 wei would mint no share after the tax
        if (signalled > 1) _signal(curator1, v, signalled);
        uint256 pool = curation.stakeOf(v);
        uint256 bond = _expectedBond(termsId, 100e18, pool);
        vm.assertEq(challenges.requiredBond(v), bond);
        uint256 id = dispute ? _openD(challenger, v) : _openA(challenger, v, _indices(1));
        vm.assertEq(uint256(challenges.getChallenge(id).bond), bond);
        if (dispute) _rule(id, ICuriaChallenges.Ruling.Upheld);
        else _pastDeadline(id);
        _settleExpect(keeper, id, ICuriaChallenges.Status.Upheld, _expectUpheld(termsId, bond, 100e18, pool, pool));
    }

    function test_settle_FailedFollowsTheRulesForAnyTerms(uint256 seed, uint256 signalled, bool dispute) public {
        uint32 termsId = _fuzzTerms(seed);
        signalled = bound(signalled, 0, FUNDS / 4); // 1 wei would mint no share after the tax
        if (signalled > 1) _signal(curator1, v, signalled);
        uint256 bond = _expectedBond(termsId, 100e18, curation.stakeOf(v));
        uint256 id = dispute ? _openD(challenger, v) : _openA(challenger, v, _indices(1));
        if (dispute) _rule(id, ICuriaChallenges.Ruling.Rejected);
        else _respondTo(responder, id, _indices(1));
        _settleExpect(keeper, id, ICuriaChallenges.Status.Failed, _expectFailed(termsId, bond, !dispute));
    }

    // =================================================================== claim

    function test_claim_PaysClaimable() public {
        uint256 id = _openA(challenger, v, _indices(1));
        _pastDeadline(id);
        _settle(keeper, id);
        uint256 walletBefore = token.balanceOf(challenger);
        uint256 protocolBefore = _protocolBalance();
        vm.expectEmit(address(challenges));
        emit ICuriaChallenges.Claimed(challenger, 60e18);
        vm.expectEmit(address(token));
        emit IERC20.Transfer(address(challenges), challenger, 60e18);
        vm.prank(challenger);
        vm.assertEq(challenges.claim(), 60e18);
        vm.assertEq(token.balanceOf(challenger), walletBefore + 60e18);
        vm.assertEq(challenges.claimable(challenger), 0);
        vm.assertEq(_protocolBalance(), protocolBefore - 60e18);

        vm.prank(keeper);
        vm.assertEq(challenges.claim(), 1e18);
        vm.assertEq(token.balanceOf(address(challenges)), 0);
        _assertBooks();
    }

    function test_RevertWhen_ClaimNothing() public {
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.NothingToClaim.selector));
        challenges.claim();
    }

    function test_RevertWhen_ClaimTwice() public {
        uint256 id = _openD(challenger, v);
        _pastDeadline(id);
        _settle(keeper, id);
        vm.prank(challenger);
        challenges.claim();
        vm.prank(challenger);
        vm.expectRevert(_err(ICuriaChallenges.NothingToClaim.selector));
        challenges.claim();
    }

    // =================================================================== views

    function test_isSettleable_FollowsTheChallenge() public {
        vm.assertFalse(challenges.isSettleable(1), "unknown");
        uint256 a = _openA(challenger, v, _indices(1));
        vm.assertFalse(challenges.isSettleable(a), "open");
        vm.warp(challenges.getChallenge(a).deadline);
        vm.assertFalse(challenges.isSettleable(a), "at the deadline");
        vm.warp(block.timestamp + 1);
        vm.assertTrue(challenges.isSettleable(a), "after the deadline");
        _settle(keeper, a);
        vm.assertFalse(challenges.isSettleable(a), "settled");

        bytes32 v2 = _pub(publisher, 2);
        uint256 d = _openD(challenger, v2);
        vm.assertFalse(challenges.isSettleable(d), "open dispute");
        _rule(d, ICuriaChallenges.Ruling.Rejected);
        vm.assertTrue(challenges.isSettleable(d), "ruled");
    }

    function test_requiredBond_IsTheMinimumForSmallStakes() public view {
        vm.assertEq(challenges.requiredBond(v), 10e18);
    }

    function test_requiredBond_IsTheMinimumForUnknownVersions() public view {
        vm.assertEq(challenges.requiredBond(keccak256("unknown")), 10e18);
    }

    function test_requiredBond_RoundsUp() public {
        _signal(curator1, v, 1000e18 + 7);
        vm.assertEq(challenges.requiredBond(v), 54.5e18 + 1);
    }

    function test_requiredBond_FollowsCurrentTerms() public {
        _fillPool(v);
        vm.assertEq(challenges.requiredBond(v), 302e18);
        ICuriaConfig.Terms memory t = _terms();
        t.challengeBondBps = 1_000;
        _setTerms(t);
        vm.assertEq(challenges.requiredBond(v), 604e18);
        t.minChallengeBond = 1_000e18;
        _setTerms(t);
        vm.assertEq(challenges.requiredBond(v), 1_000e18);
    }

    function test_commitmentOf_ZeroWhenUnknown() public view {
        (uint64 b, uint40 t,) = challenges.commitmentOf(keccak256("nothing"));
        vm.assertEq(uint256(b), 0);
        vm.assertEq(uint256(t), 0);
    }

    function test_availabilityCommitment_Encoding() public view {
        uint32[] memory idx = _indices(1, 4);
        bytes32 expected = keccak256(
            abi.encode(challenger, v, ICuriaChallenges.Kind.Availability, keccak256(abi.encodePacked(idx)), SALT)
        );
        vm.assertEq(challenges.availabilityCommitment(challenger, v, idx, SALT), expected);
        vm.assertNotEq(challenges.availabilityCommitment(keeper, v, idx, SALT), expected);
    }

    function test_disputeCommitment_Encoding() public view {
        bytes32 expected =
            keccak256(abi.encode(challenger, v, ICuriaChallenges.Kind.Dispute, keccak256(bytes(EVIDENCE)), SALT));
        vm.assertEq(challenges.disputeCommitment(challenger, v, EVIDENCE, SALT), expected);
        vm.assertNotEq(challenges.disputeCommitment(keeper, v, EVIDENCE, SALT), expected);
    }

    function test_challengeCount_CountsOpenedChallenges() public {
        vm.assertEq(challenges.challengeCount(), 0);
        bytes32 v2 = _pub(publisher, 2);
        vm.assertEq(_openA(challenger, v, _indices(1)), 1);
        vm.assertEq(_openD(challenger, v2), 2);
        vm.assertEq(challenges.challengeCount(), 2);
    }

    function test_getChallenge_ZeroForUnknown() public view {
        ICuriaChallenges.Challenge memory c = challenges.getChallenge(42);
        vm.assertEq(c.versionId, bytes32(0));
        vm.assertEq(c.challenger, address(0));
        vm.assertEq(uint256(c.status), uint256(ICuriaChallenges.Status.None));
        vm.assertEq(uint256(c.bond), 0);
    }
}
