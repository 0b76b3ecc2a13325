// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Probe
/// @notice The smallest contract that exercises the whole compile → embed → deploy → decode path:
///         a constructor argument, a state change, an indexed and a non-indexed event argument,
///         a custom error and a string revert.
contract Probe {
    event Poked(address indexed by, uint256 value, string note);

    error TooLarge(uint256 value, uint256 limit);

    uint256 public immutable limit;
    uint256 public total;

    constructor(uint256 limit_) {
        limit = limit_;
    }

    function poke(uint256 value, string calldata note) external returns (uint256) {
        if (value > limit) revert TooLarge(value, limit);
        total += value;
        emit Poked(msg.sender, value, note);
        return total;
    }

    function fail(string calldata reason) external pure {
        revert(reason);
    }
}
