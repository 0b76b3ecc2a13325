// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IModule} from "./IModule.sol";

/// @title MaxHoldersModule
/// @notice Refuses a transfer or mint that would make the number of non-zero holders exceed `maxHolders`.
/// @dev The count is kept from the token's post-move hooks, so the module must be attached before the first
///      holder exists or be given the current count at deployment.
contract MaxHoldersModule is AccessControl, IModule {
    address public immutable token;
    uint256 public maxHolders;
    uint256 public holderCount;

    event MaxHoldersSet(uint256 maxHolders);

    error OnlyToken(address caller);

    constructor(address token_, address admin, uint256 maxHolders_, uint256 initialHolderCount) {
        token = token_;
        maxHolders = maxHolders_;
        holderCount = initialHolderCount;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function setMaxHolders(uint256 maxHolders_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        maxHolders = maxHolders_;
        emit MaxHoldersSet(maxHolders_);
    }

    function getPermissions() external pure returns (bytes4[] memory permissions, bytes4[] memory hooks) {
        permissions = new bytes4[](0);
        hooks = new bytes4[](3);
        hooks[0] = IModule.checkTransfer.selector;
        hooks[1] = IModule.transferTokens.selector;
        hooks[2] = IModule.totalSupplyChanged.selector;
    }

    /// @dev A sender that parts with its whole balance frees its slot (SFT investor-limit semantics).
    function checkTransfer(address from, address to, uint256 amount) external view returns (bool) {
        if (amount == 0 || from == to || IERC20(token).balanceOf(to) != 0) return true;
        uint256 count = holderCount + 1;
        if (from != address(0) && IERC20(token).balanceOf(from) == amount) count -= 1;
        return count <= maxHolders;
    }

    function transferTokens(address from, address to, uint256 amount) external returns (bool) {
        _recount(from, to, amount);
        return true;
    }

    function totalSupplyChanged(address from, address to, uint256 amount) external returns (bool) {
        _recount(from, to, amount);
        return true;
    }

    function _recount(address from, address to, uint256 amount) private {
        if (msg.sender != token) revert OnlyToken(msg.sender);
        if (amount == 0 || from == to) return;
        if (to != address(0) && IERC20(token).balanceOf(to) == amount) holderCount += 1;
        if (from != address(0) && IERC20(token).balanceOf(from) == 0) holderCount -= 1;
    }
}
