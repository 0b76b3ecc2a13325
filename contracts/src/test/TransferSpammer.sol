// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title TransferSpammer
/// @notice Test-only: one call emits many ERC-20 `Transfer` events (mints of 1 unit to distinct derived holders),
///         so scanner benchmarks and dense-range tests get 100,000 events from a few hundred transactions.
///         Balances are not stored (that would cost 22k gas per holder); the events alone are the subject.
contract TransferSpammer {
    event Transfer(address indexed from, address indexed to, uint256 value);

    /// @notice Emits `count` Transfer(0, holder_i, 1) with holder_i = address(keccak256(seed, i)).
    function spam(uint256 seed, uint256 count) external {
        for (uint256 i = 0; i < count; i++) {
            emit Transfer(address(0), address(uint160(uint256(keccak256(abi.encode(seed, i))))), 1);
        }
    }
}
