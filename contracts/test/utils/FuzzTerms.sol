// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICuriaConfig} from "../../src/interfaces/ICuriaConfig.sol";

/// @title FuzzTerms
/// @notice Valid random terms for fuzz and invariant tests: every field within the CuriaConfig bounds, with a bias
///         towards the ends of each range (a value of 0 or the maximum comes up about one time in four).
library FuzzTerms {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MIN_WINDOW = 1 minutes;
    uint256 internal constant MAX_WINDOW = 60 days;
    uint256 internal constant MAX_REVEAL_WINDOW = 7 days;
    uint256 internal constant MAX_THAW = 365 days;

    /// @notice `lo..hi` from `seed` and `salt`: `lo` or `hi` one time in eight each, uniform otherwise.
    function pick(uint256 seed, uint256 salt, uint256 lo, uint256 hi) internal pure returns (uint256) {
        uint256 x = uint256(keccak256(abi.encode(seed, salt)));
        uint256 mode = x % 8;
        if (mode == 0) return lo;
        if (mode == 1) return hi;
        return lo + (x >> 3) % (hi - lo + 1);
    }

    /// @notice Random valid terms. Windows are at most `maxWindow` (clamped to the config bounds), minimum bonds at
    ///         most `maxMinBond`, the thaw period at most `maxWindow` above its lower bound.
    function random(uint256 seed, address arbitrator, uint256 maxWindow, uint256 maxMinBond)
        internal
        pure
        returns (ICuriaConfig.Terms memory t)
    {
        uint256 w = maxWindow > MAX_WINDOW ? MAX_WINDOW : maxWindow;
        uint256 rw = maxWindow > MAX_REVEAL_WINDOW ? MAX_REVEAL_WINDOW : maxWindow;
        t.minPublisherBond = uint96(pick(seed, 0, 1, maxMinBond));
        t.minChallengeBond = uint96(pick(seed, 1, 1, maxMinBond));
        t.responseWindow = uint32(pick(seed, 2, MIN_WINDOW, w));
        t.rulingWindow = uint32(pick(seed, 3, MIN_WINDOW, w));
        t.revealWindow = uint32(pick(seed, 4, MIN_WINDOW, rw));
        uint256 minThaw = uint256(t.revealWindow) + t.responseWindow + t.rulingWindow;
        uint256 maxThaw = minThaw + maxWindow > MAX_THAW ? MAX_THAW : minThaw + maxWindow;
        t.thawPeriod = uint32(pick(seed, 5, minThaw, maxThaw));
        t.curationTaxBps = uint16(pick(seed, 6, 0, 1_000));
        t.rewardPublisherBps = uint16(pick(seed, 7, 0, 5_000));
        t.challengeBondBps = uint16(pick(seed, 8, 0, BPS));
        t.curatorSlashBps = uint16(pick(seed, 9, 0, BPS));
        t.challengerRewardBps = uint16(pick(seed, 10, 0, 5_000));
        t.keeperBountyBps = uint16(pick(seed, 11, 0, 1_000));
        t.responderRewardBps = uint16(pick(seed, 12, 0, BPS));
        t.loserBurnBps = uint16(pick(seed, 13, 0, BPS - t.responderRewardBps));
        t.maxChallengeChunks = uint8(pick(seed, 14, 1, 16));
        t.arbitrator = arbitrator;
    }
}
