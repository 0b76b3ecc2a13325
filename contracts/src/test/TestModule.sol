// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title TestModule
/// @notice Test-only module for any parent: declares whatever hooks and permissions it is told to, answers every
///         hook selector (through its fallback) with a chosen behaviour, records each hook's calls and last call
///         data, calls its parent (permissions) and can re-enter a target from a hook (loop tests).
contract TestModule {
    enum Behaviour {
        Pass,
        ReturnFalse,
        Revert,
        Reenter
    }

    address public immutable parent;
    bytes4[] private _permissions;
    bytes4[] private _hooks;
    Behaviour public behaviour;
    mapping(bytes4 hook => uint256) public calls;
    mapping(bytes4 hook => bytes) public lastCall;
    address private _reentryTarget;
    bytes private _reentryData;

    error TestModuleRejects();

    constructor(address parent_, bytes4[] memory permissions, bytes4[] memory hooks) {
        parent = parent_;
        _permissions = permissions;
        _hooks = hooks;
    }

    function getOwner() external view returns (address) {
        return parent;
    }

    function name() external pure returns (string memory) {
        return "Test";
    }

    function getPermissions() external view returns (bytes4[] memory, bytes4[] memory) {
        return (_hooks, _permissions);
    }

    function declare(bytes4[] calldata permissions, bytes4[] calldata hooks) external {
        _permissions = permissions;
        _hooks = hooks;
    }

    function setBehaviour(Behaviour b) external {
        behaviour = b;
    }

    function setReentry(address target, bytes calldata data) external {
        _reentryTarget = target;
        _reentryData = data;
    }

    /// @notice Calls `target` as this module (a permissioned call into the parent); a revert is passed on.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) _bubble(ret);
        return ret;
    }

    /// @dev Every hook lands here. The two checkTransfer hooks come by STATICCALL, so they record nothing.
    fallback(bytes calldata input) external returns (bytes memory) {
        bytes4 hook = bytes4(input[:4]);
        bool isCheck = hook == 0x70aaf928 || hook == 0x47fca5df;
        if (!isCheck) {
            calls[hook] += 1;
            lastCall[hook] = input;
        }
        Behaviour b = behaviour;
        if (b == Behaviour.Revert) revert TestModuleRejects();
        if (b == Behaviour.Reenter && !isCheck) {
            (bool ok, bytes memory ret) = _reentryTarget.call(_reentryData);
            if (!ok) _bubble(ret);
        }
        return abi.encode(b != Behaviour.ReturnFalse);
    }

    function _bubble(bytes memory ret) private pure {
        assembly ("memory-safe") {
            revert(add(ret, 32), mload(ret))
        }
    }
}
