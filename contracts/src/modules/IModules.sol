// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Seed 002 module interfaces (SFT Protocol "IModules")
/// @notice The hook points of the three modular parents, with the seed's exact signatures, so that the selectors
///         are the seed's (checked by a test against the documented values). A hook blocks the operation by
///         reverting or by not returning `true` (SFT ignored the returned bool, which let a buggy module fail
///         open). IDs, ratings and countries come from the issuer's {IssuingEntity}.

/// @notice What every module exposes; `getPermissions` is read once, at the module's first attach to a parent.
interface IModuleBase {
    /// @notice The parent contract the module is written for (a token, an IssuingEntity or a Custodian).
    function getOwner() external view returns (address);

    function name() external view returns (string memory);

    /// @notice `hooks`: selectors of this file's hooks the parent must call; `permissions`: selectors of parent
    ///         methods the module may call.
    function getPermissions() external view returns (bytes4[] memory hooks, bytes4[] memory permissions);
}

/// @notice Hooks of a SecurityToken; called by the token (`checkTransfer` with STATICCALL by its IssuingEntity).
interface ISTModule {
    /// @notice 0x70aaf928. Before a holder transfer or mint (`addr[0]` = 0), also from `detectTransferRestriction`.
    function checkTransfer(
        address[2] calldata addr,
        bytes32 authID,
        bytes32[2] calldata id,
        uint8[2] calldata rating,
        uint16[2] calldata country,
        uint256 value
    ) external view returns (bool);

    /// @notice 0x35a341da. After tokens moved (holder, module, forced and recovery transfers).
    function transferTokens(
        address[2] calldata addr,
        bytes32[2] calldata id,
        uint8[2] calldata rating,
        uint16[2] calldata country,
        uint256 value
    ) external returns (bool);

    /// @notice 0x6eaf832c. After a custodian moved beneficial ownership internally (`Custodian.transferInternal`).
    function transferTokensCustodian(
        address custodian,
        bytes32[2] calldata id,
        uint8[2] calldata rating,
        uint16[2] calldata country,
        uint256 value
    ) external returns (bool);

    /// @notice 0x741b5078. After a balance changed the total supply (mint, burn, `modifyBalance`).
    function totalSupplyChanged(address addr, bytes32 id, uint8 rating, uint16 country, uint256 oldBalance, uint256 newBalance)
        external
        returns (bool);

    /// @notice 0xb1a1a455. Before the token's authorized supply changes.
    function modifyAuthorizedSupply(address token, uint256 oldSupply, uint256 newSupply) external returns (bool);
}

/// @notice Hooks of an IssuingEntity, called by the entity for every token of the issuer.
interface IIssuerModule {
    /// @notice 0x47fca5df.
    function checkTransfer(
        address token,
        bytes32 authID,
        bytes32[2] calldata id,
        uint8[2] calldata rating,
        uint16[2] calldata country,
        uint256 value
    ) external view returns (bool);

    /// @notice 0x0cfb54c9.
    function transferTokens(
        address token,
        bytes32[2] calldata id,
        uint8[2] calldata rating,
        uint16[2] calldata country,
        uint256 value
    ) external returns (bool);

    /// @notice 0x3b59c439.
    function transferTokensCustodian(
        address token,
        address custodian,
        bytes32[2] calldata id,
        uint8[2] calldata rating,
        uint16[2] calldata country,
        uint256 value
    ) external returns (bool);

    /// @notice 0xb446f3ca. `oldBalance`/`newBalance` are the holder's balance of `token` before and after.
    function tokenTotalSupplyChanged(address token, bytes32 id, uint8 rating, uint16 country, uint256 oldBalance, uint256 newBalance)
        external
        returns (bool);
}

/// @notice Hooks of a Custodian, called by the custodian.
interface ICustodianModule {
    /// @notice 0x31b45d35. After `Custodian.transfer` sent tokens out to their beneficial owner `id`.
    function sentTokens(address token, bytes32 id, uint256 value, bool stillOwner) external returns (bool);

    /// @notice 0xa0e7f751. After tokens arrived, credited to the sender's `id`. (The seed's text lists a fourth
    ///         `bool _newOwner` argument, but its selector 0xa0e7f751 is of these three; the selector wins.)
    function receivedTokens(address token, bytes32 id, uint256 value) external returns (bool);

    /// @notice 0x7054b724. After `Custodian.transferInternal` moved beneficial ownership.
    function internalTransfer(address token, bytes32 fromID, bytes32 toID, uint256 value, bool stillOwner)
        external
        returns (bool);

    /// @notice 0x054d1c76. After `Custodian.releaseOwnership`.
    function ownershipReleased(address issuer, bytes32 id) external returns (bool);
}
