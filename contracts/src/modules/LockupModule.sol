// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ModuleBase} from "./ModuleBase.sol";

/// @title LockupModule
/// @notice Token module: blocks transfers out of a holder's wallet until that holder's lock-up time has passed.
///         Hook: STModule.checkTransfer (0x70aaf928); no permissions.
contract LockupModule is AccessControl, ModuleBase {
    mapping(address holder => uint64 until) private _lockedUntil;

    event LockupSet(address indexed holder, uint64 until);

    constructor(address token_, address admin) ModuleBase(token_, "Lockup") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function setLockup(address holder, uint64 until) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _lockedUntil[holder] = until;
        emit LockupSet(holder, until);
    }

    function lockedUntil(address holder) external view returns (uint64) {
        return _lockedUntil[holder];
    }

    function getPermissions() external pure returns (bytes4[] memory hooks, bytes4[] memory permissions) {
        hooks = new bytes4[](1);
        hooks[0] = 0x70aaf928;
        permissions = new bytes4[](0);
    }

    /// @dev Mints (`addr[0]` = 0) are never locked; the lock-up applies to the holder as sender.
    function checkTransfer(address[2] calldata addr, bytes32, bytes32[2] calldata, uint8[2] calldata, uint16[2] calldata, uint256)
        external
        view
        returns (bool)
    {
        return addr[0] == address(0) || block.timestamp >= _lockedUntil[addr[0]];
    }
}
