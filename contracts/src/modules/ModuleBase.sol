// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IModuleBase} from "./IModules.sol";

/// @title ModuleBase
/// @notice What seed 002 asks of every module: the parent it is written for ({getOwner}), a {name}, and the
///         hooks and permissions it needs ({getPermissions}, read by the parent once, at the first attach).
abstract contract ModuleBase is IModuleBase {
    address internal immutable _owner;
    string private _name;

    /// @notice A hook was called by someone other than the contract allowed to call it.
    error NotParent(address caller, address expected);

    constructor(address owner_, string memory name_) {
        _owner = owner_;
        _name = name_;
    }

    function getOwner() external view returns (address) {
        return _owner;
    }

    function name() external view returns (string memory) {
        return _name;
    }

    /// @dev State-changing hooks check their caller: anyone could otherwise feed the module fake transfers.
    function _onlyCaller(address expected) internal view {
        if (msg.sender != expected) revert NotParent(msg.sender, expected);
    }
}
