// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title EffectOracle
/// @notice Test oracle for exactly-once effects (research/txpipeline.md §8.1): each id executes at most once.
///         A duplicate delivery reverts with a reason, so a double effect shows up as a second Executed event
///         (if the guard were missing) or as a status-0 receipt from our sender.
contract EffectOracle {
    event Executed(bytes32 indexed id);

    mapping(bytes32 => bool) public done;

    function exec(bytes32 id) external {
        require(!done[id], "already executed");
        done[id] = true;
        emit Executed(id);
    }
}
