// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm, VM_ADDRESS} from "../utils/Vm.sol";
import {MerkleBuilder} from "../utils/MerkleBuilder.sol";
import {FuzzTerms} from "../utils/FuzzTerms.sol";
import {CuriaChallenges} from "../../src/CuriaChallenges.sol";
import {CuriaConfig} from "../../src/CuriaConfig.sol";
import {CuriaCuration} from "../../src/CuriaCuration.sol";
import {CuriaRegistry} from "../../src/CuriaRegistry.sol";
import {ICuriaChallenges} from "../../src/interfaces/ICuriaChallenges.sol";
import {ICuriaConfig} from "../../src/interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "../../src/interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "../../src/interfaces/ICuriaRegistry.sol";
import {TestToken} from "../../src/test/TestToken.sol";

/// @title CuriaHandler
/// @notice Drives every entry point of Curia for the invariant suite, as two publishers, four curators (who also
///         challenge), a keeper, the arbitrator and governance. Inputs are bounded to valid ranges and each action
///         picks a target that fits (an Active version to signal on, a position with shares to unsignal, an open
///         dispute to rule on...), so that most calls do something.
/// @dev Calls that the pre-checks say must succeed go through try/catch: an unexpected revert, a call that should
///      have failed (an entry while paused, an invalid proof, a second settlement) or an amount that differs from
///      the independent formula is recorded as a violation, which an invariant turns into a failure (a revert in a
///      handler would only be discarded, `fail_on_revert` being off).
///
///      Ghosts: per actor the tokens sent into the protocol and received from it, what it earned (curation tax,
///      publisher reward shares, curator rewards, challenge rewards and bounties), what was credited to and claimed
///      from each contract's `claimable`; the burned total; per challenge the settlement count, final status and
///      slash amounts. Time and block number are kept in the handler and restored at every call.
contract CuriaHandler {
    Vm internal constant vm = Vm(VM_ADDRESS);

    uint256 internal constant BPS = 10_000;
    address internal constant BURN = 0x000000000000000000000000000000000000dEaD;
    /// Tokens minted to each actor at the start.
    uint256 public constant FUNDS = 1e30;
    /// At most this many versions (keeps the invariant checks cheap).
    uint256 internal constant MAX_VERSIONS = 10;
    /// Chunk size of the handler's versions (the contracts only bound the total size by the chunk count).
    uint256 internal constant CHUNK_LEN = 64;

    TestToken public immutable token;
    CuriaConfig public immutable config;
    CuriaRegistry public immutable registry;
    CuriaCuration public immutable curation;
    CuriaChallenges public immutable challenges;
    address public immutable gov;
    address public immutable arbitrator;
    address public immutable keeper;

    address[] public publishers;
    /// Curators; they also open challenges.
    address[] public curators;
    /// Everyone who sends or receives tokens: publishers, curators, keeper.
    address[] public actors;

    /// @notice A published version and what is needed to rebuild its chunks.
    struct VersionInfo {
        bytes32 id;
        uint64 numChunks;
        uint64 lastLen;
        uint256 seed;
    }

    VersionInfo[] internal _versions;
    bytes32[] public models;
    mapping(uint256 challengeId => uint32[]) internal _chunkIndices;

    // ------------------------------------------------------------------ ghosts

    mapping(address => uint256) public deposited;
    mapping(address => uint256) public received;
    mapping(address => uint256) public earned;
    mapping(address => uint256) public bondDeposited;
    mapping(address => uint256) public bondWithdrawn;
    mapping(address => uint256) public stakeSignalled; // net of tax
    mapping(address => uint256) public stakeWithdrawn;
    mapping(address => uint256) public curationCredited;
    mapping(address => uint256) public curationClaimed;
    mapping(address => uint256) public challengesCredited;
    mapping(address => uint256) public challengesClaimed;
    uint256 public totalDeposited;
    uint256 public totalReceived;
    uint256 public ghostBurned;

    /// @notice What a settlement did, from its ChallengeSettled event (and PoolSlashed for upheld ones).
    struct SettleRecord {
        uint256 count;
        ICuriaChallenges.Status finalStatus;
        uint256 slashed;
        uint256 curatorsSlashed;
        uint256 challengerReward;
        uint256 keeperBounty;
        uint256 burned;
        uint256 poolSnapshot;
        uint256 snapshotBound;
        uint256 poolTokensBefore;
        uint256 curatorSlashBps;
    }

    mapping(uint256 challengeId => SettleRecord) internal _settled;
    uint256[] public settledIds;
    mapping(bytes32 versionId => uint256) public upheldChallengeOf;

    uint256 public violations;
    string public lastViolation;
    bytes public lastError;

    mapping(bytes32 action => uint256) public successes;
    bytes32[] public actionNames;

    uint256 public currentTime;
    uint256 public currentBlock;
    uint256 internal _nonce;
    address internal _scanActor;
    uint256 internal _pausedActions;

    constructor(
        TestToken token_,
        CuriaConfig config_,
        CuriaRegistry registry_,
        CuriaCuration curation_,
        CuriaChallenges challenges_,
        address gov_,
        address arbitrator_
    ) {
        token = token_;
        config = config_;
        registry = registry_;
        curation = curation_;
        challenges = challenges_;
        gov = gov_;
        arbitrator = arbitrator_;
        keeper = _actor("inv-keeper");
        publishers.push(_actor("inv-publisher0"));
        publishers.push(_actor("inv-publisher1"));
        for (uint256 i; i < 4; ++i) {
            curators.push(_actor(string.concat("inv-curator", vm.toString(i))));
        }
        for (uint256 i; i < publishers.length; ++i) {
            actors.push(publishers[i]);
        }
        for (uint256 i; i < curators.length; ++i) {
            actors.push(curators[i]);
        }
        actors.push(keeper);

        // Short windows so that thaws and deadlines pass within a run.
        ICuriaConfig.Terms memory t = config.currentTerms();
        t.responseWindow = 2 hours;
        t.rulingWindow = 3 hours;
        t.revealWindow = 1 hours;
        t.thawPeriod = 8 hours;
        vm.prank(gov);
        config.setTerms(t);

        currentTime = block.timestamp;
        currentBlock = block.number;
        bytes32[22] memory names = [
            bytes32("createModel"),
            "transferModel",
            "publish",
            "retire",
            "withdrawBond",
            "signal",
            "unsignal",
            "withdraw",
            "withdrawLocked",
            "reward",
            "claimCuration",
            "claimChallenges",
            "openAvailability",
            "openDispute",
            "respond",
            "respondInvalid",
            "rule",
            "settle",
            "settleAgain",
            "pause",
            "unpause",
            "setTerms"
        ];
        for (uint256 i; i < names.length; ++i) {
            actionNames.push(names[i]);
        }
    }

    function _actor(string memory name) internal returns (address a) {
        a = vm.addr(uint256(keccak256(bytes(name))));
        vm.label(a, name);
        token.mint(a, FUNDS);
        vm.startPrank(a);
        token.approve(address(registry), type(uint256).max);
        token.approve(address(curation), type(uint256).max);
        token.approve(address(challenges), type(uint256).max);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ plumbing

    /// @notice Restores time, records the logs of the action and books them.
    modifier step() {
        vm.warp(currentTime);
        vm.roll(currentBlock);
        if (config.paused() && ++_pausedActions > 4) _unpause();
        vm.recordLogs();
        _;
        _book(vm.getRecordedLogs());
        currentTime = block.timestamp;
        currentBlock = block.number;
    }

    function _ok(bytes32 action) internal {
        ++successes[action];
    }

    function _violation(string memory what) internal {
        ++violations;
        lastViolation = what;
    }

    function _violation(string memory what, bytes memory err) internal {
        _violation(what);
        lastError = err;
    }

    function _in(address a, uint256 amount) internal {
        deposited[a] += amount;
        totalDeposited += amount;
    }

    function _out(address a, uint256 amount) internal {
        received[a] += amount;
        totalReceived += amount;
    }

    function _ceilBps(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return (amount * bps + BPS - 1) / BPS;
    }

    /// @notice Books the events of one action: credits, claims, settlements, slashes.
    function _book(Vm.Log[] memory logs) internal {
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory l = logs[i];
            bytes32 sig = l.topics[0];
            if (l.emitter == address(curation)) {
                if (sig == ICuriaCuration.Signalled.selector) {
                    (, uint256 tax, uint256 shares) = abi.decode(l.data, (uint256, uint256, uint256));
                    _credit(address(uint160(uint256(l.topics[3]))), tax, true);
                    stakeSignalled[address(uint160(uint256(l.topics[2])))] += shares;
                } else if (sig == ICuriaCuration.Rewarded.selector) {
                    (, uint256 publisherShare,,) = abi.decode(l.data, (uint256, uint256, uint256, uint256));
                    _credit(address(uint160(uint256(l.topics[3]))), publisherShare, true);
                } else if (sig == ICuriaCuration.RewardsSettled.selector) {
                    _credit(address(uint160(uint256(l.topics[2]))), abi.decode(l.data, (uint256)), true);
                } else if (sig == ICuriaCuration.Claimed.selector) {
                    curationClaimed[address(uint160(uint256(l.topics[1])))] += abi.decode(l.data, (uint256));
                } else if (sig == ICuriaCuration.PoolSlashed.selector) {
                    (uint256 amount, uint256 tokensBefore) = abi.decode(l.data, (uint256, uint256));
                    SettleRecord storage r = _settled[upheldChallengeOf[l.topics[1]]];
                    r.poolTokensBefore = tokensBefore;
                    if (amount != r.curatorsSlashed) _violation("PoolSlashed amount != curatorsSlashed");
                }
            } else if (l.emitter == address(challenges)) {
                if (sig == ICuriaChallenges.ChallengeSettled.selector) {
                    _bookSettlement(uint256(l.topics[1]), address(uint160(uint256(l.topics[3]))), l.data);
                } else if (sig == ICuriaChallenges.Claimed.selector) {
                    challengesClaimed[address(uint160(uint256(l.topics[1])))] += abi.decode(l.data, (uint256));
                }
            }
        }
    }

    function _credit(address a, uint256 amount, bool isCuration) internal {
        if (isCuration) curationCredited[a] += amount;
        else challengesCredited[a] += amount;
        earned[a] += amount;
    }

    function _bookSettlement(uint256 id, address by, bytes memory data) internal {
        (ICuriaChallenges.Status outcome, ICuriaChallenges.Settlement memory s) =
            abi.decode(data, (ICuriaChallenges.Status, ICuriaChallenges.Settlement));
        ICuriaChallenges.Challenge memory c = challenges.getChallenge(id);
        ICuriaConfig.Terms memory t = config.terms(c.termsId);
        SettleRecord storage r = _settled[id];
        if (r.count == 0) settledIds.push(id);
        ++r.count;
        r.finalStatus = outcome;
        r.burned = s.burned;
        r.keeperBounty = s.keeperBounty;
        ghostBurned += s.burned;

        _credit(by, s.keeperBounty, false);
        if (s.responderPayout != 0) _credit(c.responder, s.responderPayout, false);
        if (outcome == ICuriaChallenges.Status.Upheld) {
            // The challenger's own bond comes back: credited, not earned.
            challengesCredited[c.challenger] += c.bond;
            _credit(c.challenger, s.challengerPayout - c.bond, false);
            r.slashed = s.publisherSlashed + s.curatorsSlashed;
            r.curatorsSlashed = s.curatorsSlashed;
            r.challengerReward = s.challengerPayout - c.bond;
            r.poolSnapshot = c.poolSnapshot;
            r.snapshotBound = uint256(c.poolSnapshot) * t.curatorSlashBps / BPS;
            r.curatorSlashBps = t.curatorSlashBps;
            upheldChallengeOf[c.versionId] = id;
            if (s.keeperBounty + r.challengerReward + s.burned != r.slashed) _violation("upheld: slash not conserved");
        } else if (outcome == ICuriaChallenges.Status.Failed) {
            if (s.keeperBounty + s.burned + s.responderPayout + s.curatorReward != c.bond) {
                _violation("failed: bond not conserved");
            }
            if (s.challengerPayout != 0) _violation("failed: challenger paid");
        } else {
            challengesCredited[c.challenger] += s.challengerPayout;
            if (s.challengerPayout != c.bond || s.burned != 0 || s.keeperBounty != 0) {
                _violation("dismissed: not the bond back");
            }
        }
    }

    // ------------------------------------------------------------------ target selection

    function _status(uint256 i) internal view returns (ICuriaRegistry.VersionStatus) {
        return registry.getVersion(_versions[i].id).status;
    }

    function _isActive(uint256 i) internal view returns (bool) {
        return _status(i) == ICuriaRegistry.VersionStatus.Active;
    }

    function _isChallengeable(uint256 i) internal view returns (bool) {
        ICuriaRegistry.VersionStatus s = _status(i);
        return s == ICuriaRegistry.VersionStatus.Active || s == ICuriaRegistry.VersionStatus.Retired;
    }

    function _isRewardable(uint256 i) internal view returns (bool) {
        ICuriaRegistry.VersionStatus s = _status(i);
        return s != ICuriaRegistry.VersionStatus.None && s != ICuriaRegistry.VersionStatus.Slashed;
    }

    function _isBondWithdrawable(uint256 i) internal view returns (bool) {
        ICuriaRegistry.Version memory v = registry.getVersion(_versions[i].id);
        return v.status == ICuriaRegistry.VersionStatus.Retired && block.timestamp >= v.thawEnd && v.bond != 0;
    }

    function _hasShares(uint256 i) internal view returns (bool) {
        return curation.getPosition(_versions[i].id, _scanActor).shares != 0;
    }

    function _isWithdrawable(uint256 i) internal view returns (bool) {
        ICuriaCuration.Position memory p = curation.getPosition(_versions[i].id, _scanActor);
        return p.thawing != 0 && block.timestamp >= p.thawEnd;
    }

    /// @notice The first version from `seed` on (cyclically) that satisfies `pred`.
    function _findVersion(uint256 seed, function(uint256) internal view returns (bool) pred)
        internal
        view
        returns (bool found, uint256 idx)
    {
        uint256 n = _versions.length;
        for (uint256 k; k < n; ++k) {
            idx = (seed % n + k) % n;
            if (pred(idx)) return (true, idx);
        }
    }

    /// @notice The first (curator, version) pair from the seeds on whose position satisfies `pred`.
    function _findPosition(uint256 curatorSeed, uint256 vSeed, function(uint256) internal view returns (bool) pred)
        internal
        returns (bool found, address curator, uint256 idx)
    {
        uint256 m = curators.length;
        for (uint256 j; j < m; ++j) {
            curator = curators[(curatorSeed % m + j) % m];
            _scanActor = curator;
            (found, idx) = _findVersion(vSeed, pred);
            if (found) return (true, curator, idx);
        }
    }

    function _isOpenAvailability(uint256 id) internal view returns (bool) {
        ICuriaChallenges.Challenge memory c = challenges.getChallenge(id);
        return c.kind == ICuriaChallenges.Kind.Availability && c.status == ICuriaChallenges.Status.Open
            && block.timestamp <= c.deadline;
    }

    function _isOpenDispute(uint256 id) internal view returns (bool) {
        ICuriaChallenges.Challenge memory c = challenges.getChallenge(id);
        return c.kind == ICuriaChallenges.Kind.Dispute && c.status == ICuriaChallenges.Status.Open
            && block.timestamp <= c.deadline;
    }

    function _isSettleable(uint256 id) internal view returns (bool) {
        return challenges.isSettleable(id);
    }

    function _isFinal(uint256 id) internal view returns (bool) {
        return _settled[id].count != 0;
    }

    /// @notice The first challenge id from `seed` on (cyclically) that satisfies `pred`.
    function _findChallenge(uint256 seed, function(uint256) internal view returns (bool) pred)
        internal
        view
        returns (bool found, uint256 id)
    {
        uint256 n = challenges.challengeCount();
        for (uint256 k; k < n; ++k) {
            id = (seed % n + k) % n + 1;
            if (pred(id)) return (true, id);
        }
    }

    function _chunks(VersionInfo memory info) internal pure returns (bytes[] memory) {
        return MerkleBuilder.chunks(info.numChunks, CHUNK_LEN, info.lastLen, info.seed);
    }

    function _versionInfo(bytes32 id) internal view returns (VersionInfo memory info) {
        for (uint256 i; i < _versions.length; ++i) {
            if (_versions[i].id == id) return _versions[i];
        }
    }

    // ------------------------------------------------------------------ models and versions

    /// @notice Creates a model (two times in three) or transfers one to the other publisher.
    function model(uint256 seed) external step {
        if (seed % 3 == 0 && models.length != 0) _transferModel(seed >> 2);
        else _createModel(seed >> 2);
    }

    function _createModel(uint256 pubSeed) internal {
        address p = publishers[pubSeed % publishers.length];
        string memory name = string.concat("model-", vm.toString(++_nonce));
        bool paused = config.paused();
        vm.prank(p);
        try registry.createModel(name, "ipfs://card") returns (bytes32 id) {
            if (paused) _violation("createModel while paused");
            models.push(id);
            _ok("createModel");
        } catch (bytes memory err) {
            if (!paused) _violation("createModel reverted", err);
        }
    }

    /// @notice Offers a model to the other publisher, who accepts (two steps, one call).
    function _transferModel(uint256 modelSeed) internal {
        bytes32 m = models[modelSeed % models.length];
        address owner = registry.getModel(m).owner;
        address to = owner == publishers[0] ? publishers[1] : publishers[0];
        vm.prank(owner);
        registry.transferModelOwnership(m, to);
        vm.prank(to);
        try registry.acceptModelOwnership(m) {
            if (registry.getModel(m).owner != to) _violation("ownership not transferred");
            _ok("transferModel");
        } catch (bytes memory err) {
            _violation("acceptModelOwnership reverted", err);
        }
    }

    /// @notice Publishes a version of 1 to 8 small chunks under an existing model (created first if none).
    function publish(uint256 modelSeed, uint256 shapeSeed, uint256 bondSeed, uint256 parentSeed) external step {
        if (_versions.length >= MAX_VERSIONS) return;
        bool paused = config.paused();
        if (models.length == 0) {
            if (paused) return;
            vm.prank(publishers[modelSeed % 2]);
            models.push(registry.createModel("first", ""));
        }
        bytes32 m = models[modelSeed % models.length];
        address owner = registry.getModel(m).owner;
        VersionInfo memory info;
        info.numChunks = uint64(1 + shapeSeed % 8);
        info.lastLen = uint64(1 + (shapeSeed >> 8) % CHUNK_LEN);
        info.seed = ++_nonce;
        bytes[] memory cs = _chunks(info);

        ICuriaRegistry.PublishParams memory p;
        p.modelId = m;
        p.contentRoot = MerkleBuilder.root(cs);
        p.manifestDigest = keccak256(abi.encode("manifest", info.seed));
        p.numChunks = info.numChunks;
        p.totalBytes = uint64((info.numChunks - 1) * CHUNK_LEN + info.lastLen);
        p.locations = new string[](1);
        p.locations[0] = "hf://curia/inv@main";
        if (parentSeed % 3 == 0 && _versions.length != 0) p.parent = _versions[parentSeed % _versions.length].id;
        p.metadataURI = "ipfs://meta";
        uint256 minBond = config.currentTerms().minPublisherBond;
        p.bond = minBond + bondSeed % (2 * minBond + 1);

        vm.prank(owner);
        try registry.publish(p) returns (bytes32 id) {
            if (paused) _violation("publish while paused");
            info.id = id;
            _versions.push(info);
            _in(owner, p.bond);
            bondDeposited[owner] += p.bond;
            _ok("publish");
        } catch (bytes memory err) {
            if (!paused) _violation("publish reverted", err);
        }
    }

    function retire(uint256 vSeed) external step {
        (bool found, uint256 i) = _findVersion(vSeed, _isActive);
        if (!found) return;
        bytes32 v = _versions[i].id;
        vm.prank(registry.getVersion(v).publisher);
        try registry.retire(v) {
            _ok("retire");
        } catch (bytes memory err) {
            _violation("retire reverted", err);
        }
    }

    /// @notice Withdraws a thawed bond; if none has thawed, one time in two first waits (up to a day) for the
    ///         earliest.
    function withdrawBond(uint256 vSeed, bool wait) external step {
        (bool found, uint256 i) = _findVersion(vSeed, _isBondWithdrawable);
        if (!found && wait) {
            uint256 earliest = type(uint256).max;
            for (uint256 j; j < _versions.length; ++j) {
                ICuriaRegistry.Version memory ver = registry.getVersion(_versions[j].id);
                if (ver.status == ICuriaRegistry.VersionStatus.Retired && ver.bond != 0 && ver.thawEnd < earliest) {
                    earliest = ver.thawEnd;
                }
            }
            if (earliest > block.timestamp && earliest <= block.timestamp + 1 days) vm.warp(earliest);
            (found, i) = _findVersion(vSeed, _isBondWithdrawable);
        }
        if (!found) return;
        bytes32 v = _versions[i].id;
        ICuriaRegistry.Version memory v_ = registry.getVersion(v);
        vm.prank(v_.publisher);
        try registry.withdrawBond(v) returns (uint256 amount) {
            if (amount != v_.bond) _violation("withdrawBond amount");
            _out(v_.publisher, amount);
            bondWithdrawn[v_.publisher] += amount;
            _ok("withdrawBond");
        } catch (bytes memory err) {
            _violation("withdrawBond reverted", err);
        }
    }

    // ------------------------------------------------------------------ curation

    /// @notice Signals 1 wei to 10k tokens (one time in four at most 1000 wei, where the tax rounding decides);
    ///         minShares is the exact quote, zero, or (one time in eight) one above, which must revert.
    function signal(uint256 curatorSeed, uint256 vSeed, uint256 amountSeed, uint256 minMode) external step {
        (bool found, uint256 i) = _findVersion(vSeed, _isActive);
        if (!found) return;
        bytes32 v = _versions[i].id;
        address c = curators[curatorSeed % curators.length];
        uint256 amount = amountSeed % 4 == 0 ? 1 + amountSeed % 1000 : 1 + amountSeed % 1e22;
        uint256 shares = amount - _ceilBps(amount, config.currentTerms().curationTaxBps);
        uint256 mode = minMode % 8;
        uint256 minShares = mode < 4 ? shares : mode < 7 ? 0 : shares + 1;
        bool mustFail = config.paused() || shares == 0 || minShares > shares;
        vm.prank(c);
        try curation.signal(v, amount, minShares) returns (uint256 got) {
            if (mustFail) _violation("signal should have reverted");
            if (got != shares) _violation("signal: shares != amount - ceil(tax)");
            _in(c, amount);
            _ok("signal");
        } catch (bytes memory err) {
            if (!mustFail) _violation("signal reverted", err);
        }
    }

    function unsignal(uint256 curatorSeed, uint256 vSeed, uint256 sharesSeed) external step {
        (bool found, address c, uint256 i) = _findPosition(curatorSeed, vSeed, _hasShares);
        if (!found) return;
        bytes32 v = _versions[i].id;
        uint256 held = curation.getPosition(v, c).shares;
        uint256 shares = sharesSeed % 3 == 0 ? held : 1 + sharesSeed % held;
        vm.prank(c);
        try curation.unsignal(v, shares) {
            _ok("unsignal");
        } catch (bytes memory err) {
            _violation("unsignal reverted", err);
        }
    }

    /// @notice Withdraws a thawed position; if none has thawed, one time in two first waits (up to a day) for the
    ///         earliest thaw to end.
    function withdraw(uint256 curatorSeed, uint256 vSeed, bool wait) external step {
        (bool found, address c, uint256 i) = _findPosition(curatorSeed, vSeed, _isWithdrawable);
        if (!found && wait) {
            _warpToEarliestThaw();
            (found, c, i) = _findPosition(curatorSeed, vSeed, _isWithdrawable);
        }
        if (!found) return;
        bytes32 v = _versions[i].id;
        uint256 nominal = curation.getPosition(v, c).thawing;
        ICuriaCuration.Pool memory pool = curation.getPool(v);
        uint256 expected = pool.slashDenominator == 0 ? nominal : nominal * pool.slashNumerator / pool.slashDenominator;
        // Thawed stake waits while the version is challenged (it stays slashable): the withdrawal must be refused.
        bool challenged = _status(i) == ICuriaRegistry.VersionStatus.Challenged;
        vm.prank(c);
        try curation.withdraw(v) returns (uint256 amount) {
            if (challenged) _violation("withdraw from a challenged version");
            if (amount != expected) _violation("withdraw: pay-out != floor(nominal * num / den)");
            _out(c, amount);
            stakeWithdrawn[c] += amount;
            _ok("withdraw");
        } catch (bytes memory err) {
            if (!challenged) _violation("withdraw reverted", err);
            else if (bytes4(err) != ICuriaCuration.VersionChallenged.selector) _violation("withdraw: wrong error", err);
            else _ok("withdrawLocked");
        }
    }

    function _warpToEarliestThaw() internal {
        uint256 earliest = type(uint256).max;
        for (uint256 j; j < curators.length; ++j) {
            for (uint256 i; i < _versions.length; ++i) {
                ICuriaCuration.Position memory p = curation.getPosition(_versions[i].id, curators[j]);
                if (p.thawing != 0 && p.thawEnd < earliest) earliest = p.thawEnd;
            }
        }
        if (earliest > block.timestamp && earliest <= block.timestamp + 1 days) vm.warp(earliest);
    }

    function reward(uint256 actorSeed, uint256 vSeed, uint256 amountSeed) external step {
        (bool found, uint256 i) = _findVersion(vSeed, _isRewardable);
        if (!found) return;
        bytes32 v = _versions[i].id;
        address a = actors[actorSeed % actors.length];
        uint256 amount = amountSeed % 4 == 0 ? 1 + amountSeed % 1000 : 1 + amountSeed % 1e21;
        vm.prank(a);
        try curation.reward(v, amount) {
            _in(a, amount);
            _ok("reward");
        } catch (bytes memory err) {
            _violation("reward reverted", err);
        }
    }

    /// @notice Claims with a list of versions chosen by `mask` (bit 15: the first one twice).
    function claimCuration(uint256 actorSeed, uint256 mask) external step {
        address a = _actorWithCurationClaim(actorSeed);
        uint256 n = _versions.length;
        uint256 count;
        uint256 expected = curation.claimable(a);
        for (uint256 i; i < n; ++i) {
            if ((mask >> i) & 1 != 0) {
                ++count;
                expected += curation.pendingRewards(_versions[i].id, a);
            }
        }
        bool twice = count != 0 && (mask >> 15) & 1 != 0;
        bytes32[] memory list = new bytes32[](count + (twice ? 1 : 0));
        uint256 k;
        for (uint256 i; i < n; ++i) {
            if ((mask >> i) & 1 != 0) list[k++] = _versions[i].id;
        }
        if (twice) list[k] = list[0];
        vm.prank(a);
        try curation.claim(list) returns (uint256 amount) {
            if (amount != expected) _violation("curation claim != claimable + pending");
            _out(a, amount);
            _ok("claimCuration");
        } catch (bytes memory err) {
            if (expected != 0) _violation("curation claim reverted", err);
        }
    }

    /// @notice The first actor from `seed` on with something claimable (or pending) in the curation, else the
    ///         seed's actor (whose claim must then revert).
    function _actorWithCurationClaim(uint256 seed) internal view returns (address) {
        uint256 m = actors.length;
        for (uint256 j; j < m; ++j) {
            address a = actors[(seed % m + j) % m];
            if (curation.claimable(a) != 0) return a;
            for (uint256 i; i < _versions.length; ++i) {
                if (curation.pendingRewards(_versions[i].id, a) != 0) return a;
            }
        }
        return actors[seed % m];
    }

    /// @notice Claims as the first actor from `actorSeed` on with a claimable balance (or, if none has one, as the
    ///         seed's actor: the claim must revert).
    function claimChallenges(uint256 actorSeed) external step {
        uint256 m = actors.length;
        address a = actors[actorSeed % m];
        for (uint256 j; j < m; ++j) {
            if (challenges.claimable(actors[(actorSeed % m + j) % m]) != 0) {
                a = actors[(actorSeed % m + j) % m];
                break;
            }
        }
        uint256 expected = challenges.claimable(a);
        vm.prank(a);
        try challenges.claim() returns (uint256 amount) {
            if (amount != expected) _violation("challenges claim != claimable");
            _out(a, amount);
            _ok("claimChallenges");
        } catch (bytes memory err) {
            if (expected != 0) _violation("challenges claim reverted", err);
        }
    }

    // ------------------------------------------------------------------ challenges

    /// @notice Commit, one block (12 s) on, reveal: an availability challenge on chunk indices chosen by `idxSeed`.
    function openAvailability(uint256 challengerSeed, uint256 vSeed, uint256 idxSeed) external step {
        (bool found, uint256 i) = _findVersion(vSeed, _isChallengeable);
        if (!found) return;
        VersionInfo memory info = _versions[i];
        address c = curators[challengerSeed % curators.length];
        uint32[] memory idx = _pickIndices(info.numChunks, idxSeed);
        bytes32 salt = keccak256(abi.encode("salt", ++_nonce));
        bytes32 commitment = challenges.availabilityCommitment(c, info.id, idx, salt);
        if (!_commit(c, commitment)) return;
        vm.prank(c);
        try challenges.revealAvailability(info.id, idx, salt, type(uint256).max) returns (uint256 id) {
            _chunkIndices[id] = idx;
            _opened(c, id, "openAvailability");
        } catch (bytes memory err) {
            _violation("revealAvailability reverted", err);
        }
    }

    function openDispute(uint256 challengerSeed, uint256 vSeed) external step {
        (bool found, uint256 i) = _findVersion(vSeed, _isChallengeable);
        if (!found) return;
        bytes32 v = _versions[i].id;
        address c = curators[challengerSeed % curators.length];
        string memory evidence = string.concat("ipfs://evidence-", vm.toString(++_nonce));
        bytes32 salt = keccak256(abi.encode("salt", _nonce));
        bytes32 commitment = challenges.disputeCommitment(c, v, evidence, salt);
        if (!_commit(c, commitment)) return;
        vm.prank(c);
        try challenges.revealDispute(v, evidence, salt, type(uint256).max) returns (uint256 id) {
            _opened(c, id, "openDispute");
        } catch (bytes memory err) {
            _violation("revealDispute reverted", err);
        }
    }

    /// @notice Commits as `c`, then moves one block (12 s) on. False if paused (the commit must then revert).
    function _commit(address c, bytes32 commitment) internal returns (bool) {
        bool paused = config.paused();
        vm.prank(c);
        try challenges.commit(commitment) {
            if (paused) _violation("commit while paused");
        } catch (bytes memory err) {
            if (!paused) _violation("commit reverted", err);
            return false;
        }
        if (paused) return false;
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
        return true;
    }

    function _opened(address c, uint256 id, bytes32 action) internal {
        ICuriaChallenges.Challenge memory ch = challenges.getChallenge(id);
        uint256 pool = curation.stakeOf(ch.versionId);
        ICuriaConfig.Terms memory t = config.terms(ch.termsId);
        uint256 proportional = _ceilBps(registry.getVersion(ch.versionId).bond + pool, t.challengeBondBps);
        uint256 expected = proportional > t.minChallengeBond ? proportional : t.minChallengeBond;
        if (ch.bond != expected) _violation("challenge bond != max(min, ceil(bps * stake))");
        if (ch.poolSnapshot != pool) _violation("pool snapshot");
        _in(c, ch.bond);
        _ok(action);
    }

    /// @notice 1 to min(maxChallengeChunks, numChunks) strictly increasing indices below numChunks.
    function _pickIndices(uint256 numChunks, uint256 seed) internal view returns (uint32[] memory idx) {
        uint256 maxK = config.currentTerms().maxChallengeChunks;
        if (maxK > numChunks) maxK = numChunks;
        uint256 mask = (seed % (2 ** numChunks)) | (2 ** ((seed >> 16) % numChunks));
        uint32[] memory tmp = new uint32[](numChunks);
        uint256 k;
        for (uint256 j; j < numChunks && k < maxK; ++j) {
            if ((mask >> j) & 1 != 0) tmp[k++] = uint32(j);
        }
        idx = new uint32[](k);
        for (uint256 j; j < k; ++j) {
            idx[j] = tmp[j];
        }
    }

    /// @notice Answers an open availability challenge with the right chunks and valid proofs; one time in four
    ///         first tries a corrupted answer, which must be refused.
    function respond(uint256 actorSeed, uint256 chSeed, uint256 corruptSeed) external step {
        (bool found, uint256 id) = _findChallenge(chSeed, _isOpenAvailability);
        if (!found) return;
        if (corruptSeed % 4 == 0) _respondInvalid(actorSeed, id, corruptSeed >> 2);
        (uint32[] memory idx, bytes[] memory answer, bytes32[][] memory proofs) = _answer(id);
        address a = actors[actorSeed % actors.length];
        vm.prank(a);
        try challenges.respond(id, idx, answer, proofs) {
            _ok("respond");
        } catch (bytes memory err) {
            _violation("valid answer rejected", err);
        }
    }

    /// @notice A corrupted answer (a flipped byte, a wrong sibling, or a missing index) must be refused.
    function _respondInvalid(uint256 actorSeed, uint256 id, uint256 corruptSeed) internal {
        (uint32[] memory idx, bytes[] memory answer, bytes32[][] memory proofs) = _answer(id);
        uint256 j = corruptSeed % idx.length;
        uint256 mode = (corruptSeed >> 8) % 3;
        if (mode == 0) {
            answer[j][(corruptSeed >> 16) % answer[j].length] ^= 0x01;
        } else if (mode == 1 && proofs[j].length != 0) {
            proofs[j][(corruptSeed >> 16) % proofs[j].length] ^= bytes32(uint256(1));
        } else {
            // Drop the last index: the answer no longer matches the challenge.
            uint32[] memory shorter = new uint32[](idx.length - 1);
            for (uint256 k; k < shorter.length; ++k) {
                shorter[k] = idx[k];
            }
            idx = shorter;
        }
        vm.prank(actors[actorSeed % actors.length]);
        try challenges.respond(id, idx, answer, proofs) {
            _violation("invalid answer accepted");
        } catch {
            _ok("respondInvalid");
        }
    }

    function _answer(uint256 id)
        internal
        view
        returns (uint32[] memory idx, bytes[] memory answer, bytes32[][] memory proofs)
    {
        idx = _chunkIndices[id];
        bytes[] memory cs = _chunks(_versionInfo(challenges.getChallenge(id).versionId));
        answer = new bytes[](idx.length);
        proofs = new bytes32[][](idx.length);
        for (uint256 k; k < idx.length; ++k) {
            answer[k] = cs[idx[k]];
            proofs[k] = MerkleBuilder.proof(cs, idx[k]);
        }
    }

    function rule(uint256 chSeed, bool upheld) external step {
        (bool found, uint256 id) = _findChallenge(chSeed, _isOpenDispute);
        if (!found) return;
        address arb = config.terms(challenges.getChallenge(id).termsId).arbitrator;
        ICuriaChallenges.Ruling ruling = upheld ? ICuriaChallenges.Ruling.Upheld : ICuriaChallenges.Ruling.Rejected;
        vm.prank(arb);
        try challenges.rule(id, ruling) {
            _ok("rule");
        } catch (bytes memory err) {
            _violation("rule reverted", err);
        }
    }

    /// @notice Settles a settleable challenge, as the keeper three times in four, otherwise as another actor; one
    ///         time in three then settles it again (refused). If none is settleable, one time in two first waits (up
    ///         to a day) for the earliest deadline to pass; if there is still none, re-settles a settled one.
    function settle(uint256 chSeed, uint256 callerSeed) external step {
        (bool found, uint256 id) = _findChallenge(chSeed, _isSettleable);
        if (!found && callerSeed & 2 != 0) {
            uint256 earliest = type(uint256).max;
            for (uint256 j = 1; j <= challenges.challengeCount(); ++j) {
                ICuriaChallenges.Challenge memory c = challenges.getChallenge(j);
                if (c.status == ICuriaChallenges.Status.Open && c.deadline < earliest) earliest = c.deadline;
            }
            if (earliest != type(uint256).max && earliest + 1 <= block.timestamp + 1 days) {
                vm.warp(earliest + 1);
            }
            (found, id) = _findChallenge(chSeed, _isSettleable);
        }
        if (!found) {
            // Nothing to settle: try a challenge settled earlier instead (it must be refused).
            (found, id) = _findChallenge(chSeed, _isFinal);
            if (found) _settleAgain(id);
            return;
        }
        address by = callerSeed % 4 == 0 ? actors[(callerSeed >> 8) % actors.length] : keeper;
        vm.prank(by);
        try challenges.settle(id) {
            _ok("settle");
        } catch (bytes memory err) {
            _violation("settle reverted", err);
        }
        // One time in three, settle the same challenge again at once: it must be refused.
        if (callerSeed % 3 == 0) _settleAgain(id);
    }

    /// @notice A settled challenge must refuse a second settlement.
    function _settleAgain(uint256 id) internal {
        vm.prank(keeper);
        try challenges.settle(id) {
            _violation("settled twice");
        } catch {
            _ok("settleAgain");
        }
    }

    // ------------------------------------------------------------------ time and governance

    /// @notice Moves time on by 1 s to 1 day (and the block number by one per 12 s).
    function warp(uint256 secondsSeed) external step {
        uint256 dt = 1 + secondsSeed % 1 days;
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1 + dt / 12);
    }

    /// @notice Governance: unpauses when paused; otherwise pauses (one time in three) or puts new random terms in
    ///         force (one time in three: windows up to 6 h, minimum bonds up to 100 tokens). A pause is also lifted
    ///         automatically after four actions (see `step`).
    function govern(uint256 seed) external step {
        if (config.paused()) {
            _unpause();
        } else if (seed % 3 == 0) {
            vm.prank(gov);
            config.pause();
            _pausedActions = 0;
            _ok("pause");
        } else if (seed % 3 == 1) {
            ICuriaConfig.Terms memory t = FuzzTerms.random(seed, arbitrator, 6 hours, 100e18);
            vm.prank(gov);
            config.setTerms(t);
            _ok("setTerms");
        }
    }

    function _unpause() internal {
        vm.prank(gov);
        config.unpause();
        _ok("unpause");
    }

    // ------------------------------------------------------------------ views for the invariants

    function versionCount() external view returns (uint256) {
        return _versions.length;
    }

    function versionId(uint256 i) external view returns (bytes32) {
        return _versions[i].id;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function curatorCount() external view returns (uint256) {
        return curators.length;
    }

    function settledCount() external view returns (uint256) {
        return settledIds.length;
    }

    function settled(uint256 id) external view returns (SettleRecord memory) {
        return _settled[id];
    }

    function actionCount() external view returns (uint256) {
        return actionNames.length;
    }
}
