// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IModuleBase} from "./IModules.sol";

/// @title Modular
/// @notice The module registry of a modular parent (seed 002): modules per target (the parent itself, or a token
///         an IssuingEntity keeps the modules of), each with the hook bits and permissions it declared at its
///         first attach to that target. Re-attaching never re-reads them, so a module cannot widen its rights.
abstract contract Modular {
    uint256 public constant MAX_MODULES = 8;
    uint256 public constant MAX_HOOK_DEPTH = 8;

    struct ModuleRecord {
        bool set;
        bool active;
        uint8 hooks;
    }

    mapping(address target => address[]) internal _moduleList;
    mapping(address target => mapping(address module => ModuleRecord)) internal _moduleRecords;
    mapping(address target => mapping(address module => mapping(bytes4 selector => bool))) internal _permissions;

    event ModuleAttached(address indexed target, address indexed module, bytes4[] hooks, bytes4[] permissions);
    event ModuleDetached(address indexed target, address indexed module);

    error ModuleAlreadyActive(address target, address module);
    error ModuleNotActive(address target, address module);
    error TooManyModules(address target, uint256 max);
    error ModuleOwnerMismatch(address module, address owner, address target);
    error UnknownHook(address target, bytes4 hook);
    error UnknownPermission(address target, bytes4 permission);
    /// @notice A module called a parent method it holds no permission for (seed 002: permissions are explicit).
    error ModuleNotPermitted(address module, bytes4 permission);

    /// @dev The hook bit of `hook` on `target`, or 0 when `target` has no such hook point.
    function _hookBit(address target, bytes4 hook) internal view virtual returns (uint8);

    /// @dev Whether `target` has a method `permission` a module may be permitted to call.
    function _knownPermission(address target, bytes4 permission) internal view virtual returns (bool);

    /// @dev Called after the active modules of `target` changed (an IssuingEntity pushes the new hook bits to its
    ///      tokens).
    function _modulesChanged(address target) internal virtual;

    function _attach(address target, address module) internal {
        ModuleRecord memory record = _moduleRecords[target][module];
        if (record.active) revert ModuleAlreadyActive(target, module);
        if (_moduleList[target].length >= MAX_MODULES) revert TooManyModules(target, MAX_MODULES);
        address owner = IModuleBase(module).getOwner();
        if (owner != target) revert ModuleOwnerMismatch(module, owner, target);
        (bytes4[] memory hooks, bytes4[] memory permissions) = IModuleBase(module).getPermissions();
        if (!record.set) {
            uint8 mask = 0;
            for (uint256 i = 0; i < hooks.length; ++i) {
                uint8 bit = _hookBit(target, hooks[i]);
                if (bit == 0) revert UnknownHook(target, hooks[i]);
                mask |= bit;
            }
            for (uint256 i = 0; i < permissions.length; ++i) {
                if (!_knownPermission(target, permissions[i])) revert UnknownPermission(target, permissions[i]);
                _permissions[target][module][permissions[i]] = true;
            }
            record.set = true;
            record.hooks = mask;
        }
        record.active = true;
        _moduleRecords[target][module] = record;
        _moduleList[target].push(module);
        emit ModuleAttached(target, module, hooks, permissions);
        _modulesChanged(target);
    }

    function _detach(address target, address module) internal {
        if (!_moduleRecords[target][module].active) revert ModuleNotActive(target, module);
        _moduleRecords[target][module].active = false;
        address[] storage list = _moduleList[target];
        uint256 n = list.length;
        for (uint256 i = 0; i < n; ++i) {
            if (list[i] == module) {
                list[i] = list[n - 1];
                list.pop();
                break;
            }
        }
        emit ModuleDetached(target, module);
        _modulesChanged(target);
    }

    function _isActive(address target, address module) internal view returns (bool) {
        return _moduleRecords[target][module].active;
    }

    function _isPermitted(address target, address module, bytes4 selector) internal view returns (bool) {
        return _moduleRecords[target][module].active && _permissions[target][module][selector];
    }

    /// @dev The union of the hook bits of `target`'s active modules.
    function _hookMask(address target) internal view returns (uint8 mask) {
        address[] storage list = _moduleList[target];
        for (uint256 i = 0; i < list.length; ++i) {
            mask |= _moduleRecords[target][list[i]].hooks;
        }
    }

    /// @dev Calls `data` on every active module of `target` with hook `bit`; a revert or an answer other than
    ///      `true` reverts with {ModuleRejected}, except a {HookDepthExceeded} from deeper down, which is passed on
    ///      so that the caller sees why.
    function _callHooks(address target, uint8 bit, bytes memory data) internal {
        address[] memory list = _moduleList[target];
        for (uint256 i = 0; i < list.length; ++i) {
            if (_moduleRecords[target][list[i]].hooks & bit == 0) continue;
            (bool ok, bytes memory ret) = list[i].call(data);
            _requireTrue(list[i], bytes4(data), ok, ret);
        }
    }

    /// @dev As {_callHooks} for view hooks: the first module that refuses, or 0.
    function _checkHooks(address target, uint8 bit, bytes memory data) internal view returns (address) {
        address[] memory list = _moduleList[target];
        for (uint256 i = 0; i < list.length; ++i) {
            if (_moduleRecords[target][list[i]].hooks & bit == 0) continue;
            (bool ok, bytes memory ret) = list[i].staticcall(data);
            if (!_returnedTrue(ok, ret)) return list[i];
        }
        return address(0);
    }

    error ModuleRejected(address module, bytes4 hook);
    /// @notice Hooks re-entered the parent more than `max` levels deep (a module whose hook calls back into a
    ///         hooked method of its parent loops until this bound; seed 002 warns of exactly that).
    error HookDepthExceeded(uint256 max);

    function _requireTrue(address module, bytes4 hook, bool ok, bytes memory ret) internal pure {
        if (_returnedTrue(ok, ret)) return;
        if (!ok && ret.length >= 4 && bytes4(ret) == HookDepthExceeded.selector) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        revert ModuleRejected(module, hook);
    }

    function _returnedTrue(bool ok, bytes memory ret) internal pure returns (bool) {
        return ok && ret.length >= 32 && abi.decode(ret, (uint256)) == 1;
    }
}
