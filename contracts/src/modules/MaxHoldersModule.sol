// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ModuleBase} from "./ModuleBase.sol";

/// @title MaxHoldersModule
/// @notice Token module: refuses a transfer or mint that would make the number of non-zero holders exceed
///         `maxHolders`. Hooks: STModule checkTransfer, transferTokens, totalSupplyChanged; no permissions.
/// @dev The count is kept from the token's hooks, so the module must be attached before the first holder exists
///      or be given the current count at deployment.
contract MaxHoldersModule is AccessControl, ModuleBase {
    uint256 public maxHolders;
    uint256 public holderCount;

    event MaxHoldersSet(uint256 maxHolders);

    constructor(address token_, address admin, uint256 maxHolders_, uint256 initialHolderCount)
        ModuleBase(token_, "MaxHolders")
    {
        maxHolders = maxHolders_;
        holderCount = initialHolderCount;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function setMaxHolders(uint256 maxHolders_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        maxHolders = maxHolders_;
        emit MaxHoldersSet(maxHolders_);
    }

    function getPermissions() external pure returns (bytes4[] memory hooks, bytes4[] memory permissions) {
        hooks = new bytes4[](3);
        hooks[0] = 0x70aaf928; // checkTransfer
        hooks[1] = 0x35a341da; // transferTokens
        hooks[2] = 0x741b5078; // totalSupplyChanged
        permissions = new bytes4[](0);
    }

    /// @dev A sender that parts with its whole balance frees its slot (SFT investor-limit semantics).
    function checkTransfer(address[2] calldata addr, bytes32, bytes32[2] calldata, uint8[2] calldata, uint16[2] calldata, uint256 value)
        external
        view
        returns (bool)
    {
        (address from, address to) = (addr[0], addr[1]);
        if (value == 0 || from == to || IERC20(_owner).balanceOf(to) != 0) return true;
        uint256 count = holderCount + 1;
        if (from != address(0) && IERC20(_owner).balanceOf(from) == value) count -= 1;
        return count <= maxHolders;
    }

    function transferTokens(address[2] calldata addr, bytes32[2] calldata, uint8[2] calldata, uint16[2] calldata, uint256 value)
        external
        returns (bool)
    {
        _onlyCaller(_owner);
        (address from, address to) = (addr[0], addr[1]);
        if (value == 0 || from == to) return true;
        if (IERC20(_owner).balanceOf(to) == value) holderCount += 1;
        if (IERC20(_owner).balanceOf(from) == 0) holderCount -= 1;
        return true;
    }

    function totalSupplyChanged(address, bytes32, uint8, uint16, uint256 oldBalance, uint256 newBalance) external returns (bool) {
        _onlyCaller(_owner);
        if (oldBalance == 0 && newBalance != 0) holderCount += 1;
        if (oldBalance != 0 && newBalance == 0) holderCount -= 1;
        return true;
    }
}
