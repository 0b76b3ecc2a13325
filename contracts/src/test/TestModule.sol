// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IModule} from "../modules/IModule.sol";
import {SecurityToken} from "../token/SecurityToken.sol";

/// @title TestModule
/// @notice Test-only module: declares whatever permissions and hooks it is told to, answers its hooks with a
///         chosen behaviour (pass, return false, revert) and calls back into the token.
contract TestModule is IModule {
    enum Behaviour {
        Pass,
        ReturnFalse,
        Revert
    }

    SecurityToken public immutable token;
    bytes4[] private _permissions;
    bytes4[] private _hooks;
    Behaviour public behaviour;
    uint256 public transferHookCalls;
    uint256 public supplyHookCalls;

    error TestModuleRejects();

    constructor(SecurityToken token_, bytes4[] memory permissions, bytes4[] memory hooks) {
        token = token_;
        _permissions = permissions;
        _hooks = hooks;
    }

    function declare(bytes4[] calldata permissions, bytes4[] calldata hooks) external {
        _permissions = permissions;
        _hooks = hooks;
    }

    function setBehaviour(Behaviour b) external {
        behaviour = b;
    }

    function getPermissions() external view returns (bytes4[] memory, bytes4[] memory) {
        return (_permissions, _hooks);
    }

    function checkTransfer(address, address, uint256) external view returns (bool) {
        return _answer();
    }

    function transferTokens(address, address, uint256) external returns (bool) {
        transferHookCalls += 1;
        return _answer();
    }

    function totalSupplyChanged(address, address, uint256) external returns (bool) {
        supplyHookCalls += 1;
        return _answer();
    }

    function moveTokens(address from, address to, uint256 amount) external {
        token.transferFrom(from, to, amount);
    }

    function mintTokens(address to, uint256 amount) external {
        token.mint(to, amount);
    }

    function burnTokens(address from, uint256 amount) external {
        token.burn(from, amount);
    }

    function detachSelf() external {
        token.detachModule(address(this));
    }

    function _answer() private view returns (bool) {
        if (behaviour == Behaviour.Revert) revert TestModuleRejects();
        return behaviour == Behaviour.Pass;
    }
}
