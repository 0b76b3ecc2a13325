// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ModuleBase} from "./ModuleBase.sol";

/// @title CustodianLockModule
/// @notice Custodian module: holdings of a token stay in the custodian until a time — neither sent out to their
///         owners nor moved between owners before it; deposits are always accepted and counted.
///         Hooks: CustodianModule sentTokens (0x31b45d35), receivedTokens (0xa0e7f751), internalTransfer
///         (0x7054b724); no permissions.
contract CustodianLockModule is AccessControl, ModuleBase {
    mapping(address token => uint64 until) private _lockedUntil;
    mapping(address token => uint256) public deposits;

    event CustodyLockSet(address indexed token, uint64 until);

    error CustodyLocked(address token, uint64 until);

    constructor(address custodian, address admin) ModuleBase(custodian, "CustodianLock") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function setLock(address token, uint64 until) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _lockedUntil[token] = until;
        emit CustodyLockSet(token, until);
    }

    function getPermissions() external pure returns (bytes4[] memory hooks, bytes4[] memory permissions) {
        hooks = new bytes4[](3);
        hooks[0] = 0x31b45d35;
        hooks[1] = 0xa0e7f751;
        hooks[2] = 0x7054b724;
        permissions = new bytes4[](0);
    }

    function sentTokens(address token, bytes32, uint256, bool) external view returns (bool) {
        _onlyCaller(_owner);
        _requireUnlocked(token);
        return true;
    }

    function receivedTokens(address token, bytes32, uint256 value) external returns (bool) {
        _onlyCaller(_owner);
        deposits[token] += value;
        return true;
    }

    function internalTransfer(address token, bytes32, bytes32, uint256, bool) external view returns (bool) {
        _onlyCaller(_owner);
        _requireUnlocked(token);
        return true;
    }

    function _requireUnlocked(address token) private view {
        uint64 until = _lockedUntil[token];
        if (block.timestamp < until) revert CustodyLocked(token, until);
    }
}
