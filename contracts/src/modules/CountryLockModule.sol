// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ModuleBase} from "./ModuleBase.sol";

/// @title CountryLockModule
/// @notice Issuer module (seed 002's "country/time based token lock"): investors of a locked country can neither
///         send nor receive any of the issuer's tokens until the lock's time. Countries are the IssuingEntity's
///         country codes (its records or its KYC registry). Hook: IssuerModule.checkTransfer (0x47fca5df).
contract CountryLockModule is AccessControl, ModuleBase {
    mapping(uint16 country => uint64 until) private _lockedUntil;

    event CountryLockSet(uint16 indexed country, uint64 until);

    constructor(address issuingEntity, address admin) ModuleBase(issuingEntity, "CountryLock") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Locks `country` until `until` (Unix seconds; `type(uint64).max` = until lifted, 0 lifts).
    function setCountryLock(uint16 country, uint64 until) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _lockedUntil[country] = until;
        emit CountryLockSet(country, until);
    }

    function lockedUntil(uint16 country) external view returns (uint64) {
        return _lockedUntil[country];
    }

    function getPermissions() external pure returns (bytes4[] memory hooks, bytes4[] memory permissions) {
        hooks = new bytes4[](1);
        hooks[0] = 0x47fca5df;
        permissions = new bytes4[](0);
    }

    /// @dev A party without an ID is the mint's zero sender and is never locked.
    function checkTransfer(address, bytes32, bytes32[2] calldata id, uint8[2] calldata, uint16[2] calldata country, uint256)
        external
        view
        returns (bool)
    {
        for (uint256 i = 0; i < 2; ++i) {
            if (id[i] != bytes32(0) && block.timestamp < _lockedUntil[country[i]]) return false;
        }
        return true;
    }
}
