// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAddressRestrictions
/// @notice What a reference token or registry exposes so that other tokens can delegate a key/value rule to
///         it (Symbol mosaic-restriction delegation: the rule lives on the restricted token, the account value
///         is read from the reference).
interface IAddressRestrictions {
    /// @notice The value of `key` for `account`, or `type(uint64).max` when unset.
    function getAddressRestriction(uint64 key, address account) external view returns (uint64);

    /// @notice Both parties' values in one call: a transfer checks sender and receiver, and one STATICCALL instead
    ///         of two saves about 900 gas per delegated rule.
    function getAddressRestrictions(uint64 key, address first, address second) external view returns (uint64, uint64);
}
