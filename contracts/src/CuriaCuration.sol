// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {CuriaModule} from "./base/CuriaModule.sol";
import {ICuriaConfig} from "./interfaces/ICuriaConfig.sol";
import {ICuriaCuration} from "./interfaces/ICuriaCuration.sol";
import {ICuriaRegistry} from "./interfaces/ICuriaRegistry.sol";

/// @title CuriaCuration
/// @notice Curation pools, one per version: signal, unsignal into a thaw, withdraw, rewards and pull payments.
/// @dev Holds exactly, summed over versions, `stake + rewardReserve`, plus the sum of `claimable`, where a pool's
///      stake is `shares + thawing` until it is slashed and `residual` after.
///      Rounding always favours the protocol: the tax rounds up, rewards and slashed pay-outs round down, and the
///      dust stays in the pool's reward reserve or stake.
contract CuriaCuration is ICuriaCuration, CuriaModule {
    using SafeERC20 for IERC20;

    uint256 internal constant BPS = 10_000;
    /// @notice Scale of `accRewardPerShare`.
    uint256 public constant ACC_PRECISION = 1e27;

    /// @notice The registry this curation serves.
    ICuriaRegistry public immutable registry;

    /// @notice A pool as stored. Until a slash its stake is `shares + thawing` (1:1), so it is not stored: a
    ///         signal writes one pool slot, not two.
    struct PoolState {
        uint128 shares;
        uint128 thawing;
        /// Stake left after a slash, less what was withdrawn since; unused before.
        uint128 residual;
        uint128 rewardReserve;
        uint256 accRewardPerShare;
        uint128 slashNumerator;
        uint128 slashDenominator;
    }

    mapping(bytes32 versionId => PoolState) internal _pools;
    mapping(bytes32 versionId => mapping(address curator => Position)) internal _positions;
    /// @inheritdoc ICuriaCuration
    mapping(address account => uint256) public claimable;

    /// @param token_ The bond token.
    /// @param config_ The CuriaConfig.
    /// @param registry_ The CuriaRegistry.
    constructor(IERC20 token_, ICuriaConfig config_, ICuriaRegistry registry_) CuriaModule(token_, config_) {
        if (address(registry_) == address(0)) revert InvalidModuleSetup();
        registry = registry_;
    }

    /// @inheritdoc ICuriaCuration
    function signal(bytes32 versionId, uint256 amount, uint256 minShares)
        external
        nonReentrant
        returns (uint256 shares)
    {
        ICuriaConfig.CurationTerms memory terms = config.curationTerms();
        if (terms.paused) revert ICuriaConfig.ProtocolPaused();
        if (amount == 0) revert ZeroAmount();
        if (amount > type(uint128).max) revert AmountTooLarge();
        (address publisher, ICuriaRegistry.VersionStatus status) = registry.publisherAndStatus(versionId);
        if (status != ICuriaRegistry.VersionStatus.Active) revert NotSignallable(versionId);

        uint256 tax = Math.mulDiv(amount, terms.curationTaxBps, BPS, Math.Rounding.Ceil);
        shares = amount - tax;
        if (shares == 0 || shares < minShares) revert SlippageExceeded(shares, minShares);
        uint128 shares128 = uint128(shares); // shares <= amount < 2^128

        PoolState storage pool = _pools[versionId];
        Position storage pos = _positions[versionId][msg.sender];
        _settleRewards(versionId, pool, pos, msg.sender);
        pos.shares += shares128;
        pool.shares += shares128;
        if (tax != 0) claimable[publisher] += tax;

        emit Signalled(versionId, msg.sender, publisher, amount, tax, shares);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc ICuriaCuration
    function unsignal(bytes32 versionId, uint256 shares) external nonReentrant {
        if (shares == 0) revert ZeroAmount();
        PoolState storage pool = _pools[versionId];
        Position storage pos = _positions[versionId][msg.sender];
        if (shares > pos.shares) revert InsufficientShares(pos.shares, shares);
        ICuriaConfig.CurationTerms memory terms = config.curationTerms();

        _settleRewards(versionId, pool, pos, msg.sender);
        uint128 shares128 = uint128(shares); // fits: shares <= pos.shares
        uint40 thawEnd = uint40(block.timestamp + terms.thawPeriod);
        pos.shares -= shares128;
        pos.thawing += shares128;
        pos.thawEnd = thawEnd;
        pool.shares -= shares128;
        pool.thawing += shares128;

        emit Unsignalled(versionId, msg.sender, shares, pos.thawing, thawEnd);
    }

    /// @inheritdoc ICuriaCuration
    function withdraw(bytes32 versionId) external nonReentrant returns (uint256 amount) {
        PoolState storage pool = _pools[versionId];
        Position storage pos = _positions[versionId][msg.sender];
        uint256 nominal = pos.thawing;
        if (nominal == 0) revert NothingThawing();
        if (block.timestamp < pos.thawEnd) revert StillThawing(pos.thawEnd);
        if (registry.statusOf(versionId) == ICuriaRegistry.VersionStatus.Challenged) {
            revert VersionChallenged(versionId);
        }

        amount = _payoutOf(pool, nominal);
        pos.thawing = 0;
        pos.thawEnd = 0;
        pool.thawing -= uint128(nominal);
        // After a slash every pay-out rounds down, so their sum never exceeds the residual.
        if (pool.slashDenominator != 0) pool.residual -= uint128(amount);

        emit Withdrawn(versionId, msg.sender, nominal, amount);
        if (amount != 0) token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ICuriaCuration
    function reward(bytes32 versionId, uint256 amount) external nonReentrant {
        _reward(versionId, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc ICuriaCuration
    function creditReward(bytes32 versionId, uint256 amount) external nonReentrant {
        if (!_isChallenges(msg.sender)) revert OnlyChallenges();
        _reward(versionId, amount);
    }

    /// @inheritdoc ICuriaCuration
    function claim(bytes32[] calldata versionIds) external nonReentrant returns (uint256 amount) {
        for (uint256 i; i < versionIds.length; ++i) {
            bytes32 versionId = versionIds[i];
            _settleRewards(versionId, _pools[versionId], _positions[versionId][msg.sender], msg.sender);
        }
        amount = claimable[msg.sender];
        if (amount == 0) revert NothingToClaim();
        claimable[msg.sender] = 0;
        emit Claimed(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ICuriaCuration
    function slash(bytes32 versionId, uint256 amount) external nonReentrant {
        if (!_isChallenges(msg.sender)) revert OnlyChallenges();
        PoolState storage pool = _pools[versionId];
        // A version is slashed at most once (Slashed is final), so the stake is still 1:1 here.
        uint256 tokensBefore = uint256(pool.shares) + pool.thawing;
        if (amount > tokensBefore) revert SlashTooLarge(amount, tokensBefore);
        // Freeze the pay-out ratio: every nominal unit of stake, active or thawing, is now worth
        // (tokensBefore - amount) / tokensBefore.
        pool.slashNumerator = uint128(tokensBefore - amount);
        pool.slashDenominator = uint128(tokensBefore);
        pool.residual = uint128(tokensBefore - amount);
        emit PoolSlashed(versionId, amount, tokensBefore);
        if (amount != 0) token.safeTransfer(msg.sender, amount);
    }

    // ----------------------------------------------------------------- views

    /// @inheritdoc ICuriaCuration
    function getPool(bytes32 versionId) external view returns (Pool memory) {
        PoolState storage p = _pools[versionId];
        return Pool({
            shares: p.shares,
            thawing: p.thawing,
            tokens: uint128(_stake(p)),
            rewardReserve: p.rewardReserve,
            accRewardPerShare: p.accRewardPerShare,
            slashNumerator: p.slashNumerator,
            slashDenominator: p.slashDenominator
        });
    }

    /// @inheritdoc ICuriaCuration
    function getPosition(bytes32 versionId, address curator) external view returns (Position memory) {
        return _positions[versionId][curator];
    }

    /// @inheritdoc ICuriaCuration
    function pendingRewards(bytes32 versionId, address curator) external view returns (uint256) {
        Position storage pos = _positions[versionId][curator];
        return _accrued(_pools[versionId], pos);
    }

    /// @inheritdoc ICuriaCuration
    function stakeOf(bytes32 versionId) external view returns (uint256) {
        return _stake(_pools[versionId]);
    }

    // -------------------------------------------------------------- internal

    /// @notice Splits `amount` between the publisher (its share, or all of it when the pool has no shares) and the
    ///         active curators, through the accumulator.
    function _reward(bytes32 versionId, uint256 amount) internal {
        if (amount == 0) revert ZeroAmount();
        if (amount > type(uint128).max) revert AmountTooLarge();
        (address publisher, ICuriaRegistry.VersionStatus status) = registry.publisherAndStatus(versionId);
        if (status == ICuriaRegistry.VersionStatus.None || status == ICuriaRegistry.VersionStatus.Slashed) {
            revert NotRewardable(versionId);
        }
        ICuriaConfig.CurationTerms memory terms = config.curationTerms();

        PoolState storage pool = _pools[versionId];
        uint256 publisherShare = Math.mulDiv(amount, terms.rewardPublisherBps, BPS);
        uint256 curatorShare = amount - publisherShare;
        if (pool.shares == 0) {
            publisherShare = amount;
            curatorShare = 0;
        } else {
            // The full curator share goes to the reserve; per-share accrual rounds down, so the sum of what
            // curators can settle never exceeds the reserve.
            pool.accRewardPerShare += Math.mulDiv(curatorShare, ACC_PRECISION, pool.shares);
            pool.rewardReserve += uint128(curatorShare); // curatorShare <= amount < 2^128
        }
        claimable[publisher] += publisherShare;

        emit Rewarded(versionId, msg.sender, publisher, amount, publisherShare, curatorShare, pool.accRewardPerShare);
    }

    /// @notice Moves a position's accrued rewards from the pool's reserve to the curator's claimable balance and
    ///         brings its snapshot up to date. Must run before the position's shares change.
    function _settleRewards(bytes32 versionId, PoolState storage pool, Position storage pos, address curator) internal {
        uint256 acc = pool.accRewardPerShare;
        if (pos.accSnapshot == acc) return;
        uint256 accrued = _accrued(pool, pos);
        pos.accSnapshot = acc;
        if (accrued == 0) return;
        pool.rewardReserve -= uint128(accrued);
        claimable[curator] += accrued;
        emit RewardsSettled(versionId, curator, accrued);
    }

    /// @notice Rewards accrued by `pos` since its snapshot, rounded down.
    function _accrued(PoolState storage pool, Position storage pos) internal view returns (uint256) {
        return Math.mulDiv(pos.shares, pool.accRewardPerShare - pos.accSnapshot, ACC_PRECISION);
    }

    /// @notice Tokens a pool holds as stake.
    function _stake(PoolState storage pool) internal view returns (uint256) {
        return pool.slashDenominator == 0 ? uint256(pool.shares) + pool.thawing : pool.residual;
    }

    /// @notice Tokens paid for `nominal` stake: all of it unless the pool was slashed, then pro rata, rounded down.
    function _payoutOf(PoolState storage pool, uint256 nominal) internal view returns (uint256) {
        uint256 den = pool.slashDenominator;
        if (den == 0) return nominal;
        return Math.mulDiv(nominal, pool.slashNumerator, den);
    }
}
