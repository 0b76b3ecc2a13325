// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ISnapshotToken
/// @notice What corporate actions read from a SecurityToken: balances at a snapshot and the KYC check.
interface ISnapshotToken {
    function balanceOfAt(address account, uint256 id) external view returns (uint256);

    function totalSupplyAt(uint256 id) external view returns (uint256);

    function isVerified(address account) external view returns (bool);
}
