// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestToken
/// @notice A mintable ERC-20 for local networks and tests: anyone can mint. Never deploy it to a public chain.
contract TestToken is ERC20 {
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {}

    /// @notice Mints `amount` to `to`. Unrestricted: for local use only.
    /// @param to The recipient.
    /// @param amount The amount, in wei.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
