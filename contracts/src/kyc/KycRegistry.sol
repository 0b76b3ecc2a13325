// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAddressRestrictions} from "./IAddressRestrictions.sol";

/// @title KycRegistry
/// @notice A stand-alone store of address values `(key, account) → uint64` that any number of security tokens
///         reference from their global rules (the KYC provider of Symbol's delegation example).
/// @dev Values are stored bit-inverted so that an untouched slot reads as the "unset" sentinel
///      `type(uint64).max` without an extra flag.
contract KycRegistry is AccessControl, IAddressRestrictions {
    bytes32 public constant KYC_AGENT_ROLE = keccak256("KYC_AGENT_ROLE");
    uint64 public constant UNSET = type(uint64).max;

    mapping(address account => mapping(uint64 key => uint64 inverted)) private _values;

    event AddressRestrictionUpdated(address indexed account, uint64 indexed key, uint64 previousValue, uint64 newValue);

    error ArrayLengthMismatch(uint256 first, uint256 second);
    error CannotDeleteNonexistentRestriction(uint64 key, address account);
    error PreviousValueMismatch(uint64 key, uint64 given, uint64 actual);

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(KYC_AGENT_ROLE, admin);
    }

    /// @inheritdoc IAddressRestrictions
    function getAddressRestriction(uint64 key, address account) external view returns (uint64) {
        return ~_values[account][key];
    }

    /// @inheritdoc IAddressRestrictions
    function getAddressRestrictions(uint64 key, address first, address second) external view returns (uint64, uint64) {
        return (~_values[first][key], ~_values[second][key]);
    }

    /// @notice Sets `account`'s value for `key`; `type(uint64).max` deletes it.
    function setAddressRestriction(address account, uint64 key, uint64 newValue) external onlyRole(KYC_AGENT_ROLE) {
        _set(account, key, newValue);
    }

    /// @notice As {setAddressRestriction}, but only if the current value equals `previousValue` (idempotent retries).
    function setAddressRestriction(address account, uint64 key, uint64 previousValue, uint64 newValue)
        external
        onlyRole(KYC_AGENT_ROLE)
    {
        uint64 actual = ~_values[account][key];
        if (actual != previousValue) revert PreviousValueMismatch(key, previousValue, actual);
        _set(account, key, newValue);
    }

    /// @notice Sets one key for many accounts; all or nothing.
    function batchSetAddressRestriction(address[] calldata accounts, uint64 key, uint64[] calldata values)
        external
        onlyRole(KYC_AGENT_ROLE)
    {
        if (accounts.length != values.length) revert ArrayLengthMismatch(accounts.length, values.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            _set(accounts[i], key, values[i]);
        }
    }

    function _set(address account, uint64 key, uint64 newValue) private {
        uint64 previous = ~_values[account][key];
        if (newValue == UNSET && previous == UNSET) revert CannotDeleteNonexistentRestriction(key, account);
        _values[account][key] = ~newValue;
        emit AddressRestrictionUpdated(account, key, previous, newValue);
    }
}
