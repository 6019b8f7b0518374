// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm, VM_ADDRESS} from "./Vm.sol";

/// @title Test
/// @notice A minimal base for forge tests: the cheatcodes as `vm`, `bound`, `makeAddr`, and the invariant-target
///         hooks forge reads (`targetContracts`, `targetSelectors`, `targetSenders`). Assertions are the
///         cheatcodes' own (`vm.assertEq`...), which revert with a readable message.
abstract contract Test {
    /// @notice Foundry's cheatcodes.
    Vm internal constant vm = Vm(VM_ADDRESS);

    /// @notice forge's selector filter for invariant runs.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    address[] private _targetedSenders;
    FuzzSelector[] private _targetedSelectors;

    /// @notice Marks this contract as a test contract (read by older runners).
    bool public IS_TEST = true;

    /// @notice `x` mapped into [min, max] (inclusive), uniformly enough for fuzzing.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }

    /// @notice A labelled address derived from `name`.
    function makeAddr(string memory name) internal returns (address a) {
        a = vm.addr(uint256(keccak256(bytes(name))));
        vm.label(a, name);
    }

    /// @notice Adds a contract the invariant fuzzer calls.
    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    /// @notice Restricts the invariant fuzzer to these selectors of `target`.
    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    /// @notice Adds a sender the invariant fuzzer uses.
    function targetSender(address sender) internal {
        _targetedSenders.push(sender);
    }

    /// @notice Read by forge: the contracts the invariant fuzzer calls.
    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    /// @notice Read by forge: the selectors the invariant fuzzer calls.
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    /// @notice Read by forge: the senders the invariant fuzzer uses.
    function targetSenders() public view returns (address[] memory) {
        return _targetedSenders;
    }
}
