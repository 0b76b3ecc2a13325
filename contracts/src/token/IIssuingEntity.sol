// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IIssuingEntity
/// @notice What a SecurityToken asks of its IssuingEntity: the modules of the token and of the issuer live in the
///         entity (the token's code stays under the EIP-170 size limit), the token calls its own modules' hooks.
interface IIssuingEntity {
    /// @notice The first token or issuer module whose `checkTransfer` hook refuses, or 0. Caller: the token.
    function checkTransfer(address from, address to, address auth, uint256 value) external view returns (address);

    /// @notice As {checkTransfer} for a custodian's internal transfer between beneficial owners `ids`.
    function checkTransferCustodian(address custodian, bytes32[2] calldata ids, uint256 value)
        external
        view
        returns (address);

    /// @notice Runs the issuer modules' hook `kind` (a hook bit) for the calling token and returns the token
    ///         modules with that hook and the seed-encoded call the token must make to each.
    function tokenHook(uint8 kind, address a, address b, uint256 v1, uint256 v2)
        external
        returns (address[] memory modules, bytes memory data);

    /// @notice As {tokenHook} for a custodian's internal transfer.
    function tokenCustodianHook(address custodian, bytes32[2] calldata ids, uint256 value)
        external
        returns (address[] memory modules, bytes memory data);

    /// @notice Whether `module` is active on `token` (attached to it or to the issuer) and holds `permission`.
    function modulePermission(address token, address module, bytes4 permission)
        external
        view
        returns (bool active, bool permitted);

    function detachModule(address target, address module) external;
}
