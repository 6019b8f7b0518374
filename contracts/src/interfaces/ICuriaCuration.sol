// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICuriaCuration
/// @notice Curators stake ("signal") on the versions they vouch for. Each version has a pool with flat 1:1 shares:
///         one token signalled, after the curation tax, is one share. Rewards are split between the publisher and
///         the curators pro rata through a reward-per-share accumulator. Unsignalled stake thaws before it can be
///         withdrawn and stays slashable while it thaws.
interface ICuriaCuration {
    /// @notice A version's curation pool.
    struct Pool {
        /// Active shares (they earn rewards).
        uint128 shares;
        /// Nominal stake thawing (unsignalled, not yet withdrawn).
        uint128 thawing;
        /// Tokens held for the pool's stake (active and thawing); equals shares + thawing until a slash.
        uint128 tokens;
        /// Tokens held for curators' rewards not yet settled into `claimable`.
        uint128 rewardReserve;
        /// Cumulative reward per share, scaled by 1e27.
        uint256 accRewardPerShare;
        /// After a slash: tokens left in the pool (numerator of the pay-out ratio); zero if never slashed.
        uint128 slashNumerator;
        /// After a slash: nominal stake (shares + thawing) at the slash (denominator); zero if never slashed.
        uint128 slashDenominator;
    }

    /// @notice A curator's position in one version's pool.
    struct Position {
        /// Active shares.
        uint128 shares;
        /// Nominal stake thawing.
        uint128 thawing;
        /// The pool's accRewardPerShare when this position's rewards were last settled.
        uint256 accSnapshot;
        /// When the thawing stake can be withdrawn.
        uint40 thawEnd;
    }

    /// @notice A curator signalled: `tokens` in, `tax` to the publisher, `shares` minted.
    event Signalled(
        bytes32 indexed versionId,
        address indexed curator,
        address indexed publisher,
        uint256 tokens,
        uint256 tax,
        uint256 shares
    );
    /// @notice A curator unsignalled `shares`; its thawing stake is now `thawing`, withdrawable at `thawEnd`.
    event Unsignalled(
        bytes32 indexed versionId, address indexed curator, uint256 shares, uint256 thawing, uint40 thawEnd
    );
    /// @notice A curator withdrew its thawed stake: `nominal` stake paid as `amount` tokens (less after a slash).
    event Withdrawn(bytes32 indexed versionId, address indexed curator, uint256 nominal, uint256 amount);
    /// @notice A reward was paid into a version: `publisherShare` credited to the publisher, `curatorShare` to curators.
    event Rewarded(
        bytes32 indexed versionId,
        address indexed from,
        address indexed publisher,
        uint256 amount,
        uint256 publisherShare,
        uint256 curatorShare,
        uint256 accRewardPerShare
    );
    /// @notice A curator's accrued rewards in a version were moved to its claimable balance.
    event RewardsSettled(bytes32 indexed versionId, address indexed curator, uint256 amount);
    /// @notice An account claimed its claimable balance.
    event Claimed(address indexed account, uint256 amount);
    /// @notice An upheld challenge slashed `amount` of the pool, which held `tokensBefore`.
    event PoolSlashed(bytes32 indexed versionId, uint256 amount, uint256 tokensBefore);

    /// @notice Zero amount.
    error ZeroAmount();
    /// @notice The version does not accept signals (not Active).
    error NotSignallable(bytes32 versionId);
    /// @notice The version does not accept rewards (unknown or slashed).
    error NotRewardable(bytes32 versionId);
    /// @notice Fewer shares than `minShares` would be minted (the tax changed).
    error SlippageExceeded(uint256 shares, uint256 minShares);
    /// @notice The curator has fewer shares than asked.
    error InsufficientShares(uint256 available, uint256 requested);
    /// @notice The version has an open challenge: thawed stake waits for its settlement, so that it stays slashable.
    error VersionChallenged(bytes32 versionId);
    /// @notice Nothing is thawing.
    error NothingThawing();
    /// @notice The stake is still thawing.
    error StillThawing(uint40 thawEnd);
    /// @notice Nothing to claim.
    error NothingToClaim();
    /// @notice Only CuriaChallenges may call this.
    error OnlyChallenges();
    /// @notice A slash larger than the pool holds.
    error SlashTooLarge(uint256 amount, uint256 tokens);
    /// @notice The amount does not fit the pool's 128-bit accounting.
    error AmountTooLarge();

    /// @notice Stakes `amount` tokens on an Active version (approve the exact amount first). The curation tax goes to
    ///         the publisher; the rest mints shares 1:1. Refused while paused.
    /// @param versionId The version.
    /// @param amount Tokens to stake, tax included.
    /// @param minShares Reverts if fewer shares would be minted.
    /// @return shares Shares minted.
    function signal(bytes32 versionId, uint256 amount, uint256 minShares) external returns (uint256 shares);

    /// @notice Moves `shares` into thawing. The stake stops earning rewards, stays slashable, and can be withdrawn
    ///         after the thaw period. A second unsignal adds to the thawing stake and restarts the thaw.
    /// @param versionId The version.
    /// @param shares Shares to unsignal.
    function unsignal(bytes32 versionId, uint256 shares) external;

    /// @notice Pays the caller's thawed stake in a version (reduced pro rata if the pool was slashed). Waits while
    ///         the version is Challenged: stake at risk when a challenge opened stays until it settles.
    /// @param versionId The version.
    /// @return amount Tokens paid.
    function withdraw(bytes32 versionId) external returns (uint256 amount);

    /// @notice Pays `amount` tokens into a version's rewards (approve first): the publisher's share, the rest to the
    ///         active curators pro rata (all to the publisher if there are none).
    /// @param versionId A registered, unslashed version.
    /// @param amount Tokens to pay.
    function reward(bytes32 versionId, uint256 amount) external;

    /// @notice Books `amount` tokens, already transferred to this contract by CuriaChallenges, as a reward to a
    ///         version (same split as `reward`). CuriaChallenges only: the curators' share of a failed challenge.
    /// @param versionId A registered, unslashed version.
    /// @param amount Tokens transferred in.
    function creditReward(bytes32 versionId, uint256 amount) external;

    /// @notice Settles the caller's rewards in the given versions, then pays its whole claimable balance
    ///         (rewards, curation tax, publisher reward shares).
    /// @param versionIds Versions whose accrued rewards to settle first (may be empty).
    /// @return amount Tokens paid.
    function claim(bytes32[] calldata versionIds) external returns (uint256 amount);

    /// @notice Takes `amount` from a pool's stake (active and thawing alike) and sends it to CuriaChallenges.
    ///         CuriaChallenges only, when a challenge is upheld.
    /// @param versionId The slashed version.
    /// @param amount Tokens to take; at most the pool's tokens.
    function slash(bytes32 versionId, uint256 amount) external;

    /// @notice A version's pool.
    /// @param versionId The version.
    function getPool(bytes32 versionId) external view returns (Pool memory);

    /// @notice A curator's position in a version's pool.
    /// @param versionId The version.
    /// @param curator The curator.
    function getPosition(bytes32 versionId, address curator) external view returns (Position memory);

    /// @notice Rewards a curator has accrued in a version and not yet settled.
    /// @param versionId The version.
    /// @param curator The curator.
    function pendingRewards(bytes32 versionId, address curator) external view returns (uint256);

    /// @notice Tokens an account can claim now (not counting unsettled rewards).
    /// @param account The account.
    function claimable(address account) external view returns (uint256);

    /// @notice Tokens a version's pool holds as stake (the curator part of the stake at risk).
    /// @param versionId The version.
    function stakeOf(bytes32 versionId) external view returns (uint256);
}
