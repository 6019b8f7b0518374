// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm, VM_ADDRESS} from "./Vm.sol";

/// @title Script
/// @notice A minimal base for forge scripts: the cheatcodes as `vm`.
abstract contract Script {
    /// @notice Foundry's cheatcodes.
    Vm internal constant vm = Vm(VM_ADDRESS);

    /// @notice Marks this contract as a script (read by forge).
    bool public IS_SCRIPT = true;
}
