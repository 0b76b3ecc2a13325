// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IModule} from "./IModule.sol";

/// @title LockupModule
/// @notice Blocks transfers out of a holder's wallet until that holder's lock-up time has passed.
contract LockupModule is AccessControl, IModule {
    address public immutable token;
    mapping(address holder => uint64 until) private _lockedUntil;

    event LockupSet(address indexed holder, uint64 until);

    error OnlyToken(address caller);

    constructor(address token_, address admin) {
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function setLockup(address holder, uint64 until) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _lockedUntil[holder] = until;
        emit LockupSet(holder, until);
    }

    function lockedUntil(address holder) external view returns (uint64) {
        return _lockedUntil[holder];
    }

    function getPermissions() external pure returns (bytes4[] memory permissions, bytes4[] memory hooks) {
        permissions = new bytes4[](0);
        hooks = new bytes4[](1);
        hooks[0] = IModule.checkTransfer.selector;
    }

    /// @dev Mints (`from` = 0) are never locked; the lock-up applies to the holder as sender.
    function checkTransfer(address from, address, uint256) external view returns (bool) {
        return from == address(0) || block.timestamp >= _lockedUntil[from];
    }

    function transferTokens(address, address, uint256) external view returns (bool) {
        if (msg.sender != token) revert OnlyToken(msg.sender);
        return true;
    }

    function totalSupplyChanged(address, address, uint256) external view returns (bool) {
        if (msg.sender != token) revert OnlyToken(msg.sender);
        return true;
    }
}
