// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAddressRestrictions} from "../kyc/IAddressRestrictions.sol";

/// @title TestReference
/// @notice Test-only reference registry that can be switched to revert, to reach the "invalid global
///         restriction" path (code 7) of a token that delegates a rule to it.
contract TestReference is IAddressRestrictions {
    bool public broken;
    uint64 public answer;

    function setBroken(bool broken_) external {
        broken = broken_;
    }

    function setAnswer(uint64 answer_) external {
        answer = answer_;
    }

    function getAddressRestriction(uint64, address) external view returns (uint64) {
        require(!broken, "TestReference: broken");
        return answer;
    }

    function getAddressRestrictions(uint64, address, address) external view returns (uint64, uint64) {
        require(!broken, "TestReference: broken");
        return (answer, answer);
    }
}
