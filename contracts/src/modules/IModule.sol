// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IModule
/// @notice A module attached to a SecurityToken (SFT Protocol model). The token reads {getPermissions} once, at
///         the first attach, and then calls only the declared hooks. A hook blocks the operation by reverting
///         or by returning false (SFT ignored the returned bool, which let a buggy module fail open).
interface IModule {
    /// @notice `permissions`: token selectors the module may call back (transferFrom, mint, burn, detachModule);
    ///         `hooks`: hook selectors of this interface the token must call.
    function getPermissions() external view returns (bytes4[] memory permissions, bytes4[] memory hooks);

    /// @notice Pre-check of a holder transfer (`from` = 0 for a mint); called with STATICCALL, also by
    ///         `detectTransferRestriction`.
    function checkTransfer(address from, address to, uint256 amount) external view returns (bool);

    /// @notice After tokens moved between two holders (holder, forced, recovery and module transfers).
    function transferTokens(address from, address to, uint256 amount) external returns (bool);

    /// @notice After a mint (`from` = 0) or a burn (`to` = 0).
    function totalSupplyChanged(address from, address to, uint256 amount) external returns (bool);
}
