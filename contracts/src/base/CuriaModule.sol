// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ICuriaConfig} from "../interfaces/ICuriaConfig.sol";

/// @title CuriaModule
/// @notice What the three protocol contracts share: the bond token, the configuration, the pause check and the
///         reentrancy guard (in transient storage, EIP-1153: a few hundred gas instead of a storage write).
abstract contract CuriaModule is ReentrancyGuardTransient {
    /// @notice The one ERC-20 every bond, stake, reward and payout is in. Fee-on-transfer and rebasing tokens are
    ///         not supported.
    IERC20 public immutable token;
    /// @notice Governance: terms, pause switch, protocol addresses.
    ICuriaConfig public immutable config;

    /// @notice A zero address was given for the token or the configuration.
    error InvalidModuleSetup();

    /// @param token_ The bond token.
    /// @param config_ The CuriaConfig.
    constructor(IERC20 token_, ICuriaConfig config_) {
        if (address(token_) == address(0) || address(config_) == address(0)) revert InvalidModuleSetup();
        token = token_;
        config = config_;
    }

    /// @notice Reverts while the protocol is paused: for new entries only, never exits or settlement.
    modifier whenNotPaused() {
        if (config.paused()) revert ICuriaConfig.ProtocolPaused();
        _;
    }

    /// @notice Whether `account` is the wired CuriaChallenges contract.
    function _isChallenges(address account) internal view returns (bool) {
        return account == config.challenges();
    }
}
