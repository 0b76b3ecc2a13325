// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ISnapshotToken} from "./ISnapshotToken.sol";

/// @title Ballot
/// @notice Shareholder votes weighted by a security token's balances at a snapshot (value at creation, so tokens
///         moved after the snapshot cannot vote twice). One vote per holder per ballot, within [start, end).
contract Ballot is AccessControl {
    bytes32 public constant BALLOT_ADMIN_ROLE = keccak256("BALLOT_ADMIN_ROLE");

    struct BallotData {
        bytes32 metadataHash;
        uint256 snapshotId;
        uint64 start;
        uint64 end;
        uint8 options;
        string uri;
    }

    ISnapshotToken public immutable token;
    uint256 public ballotCount;
    mapping(uint256 ballotId => BallotData) private _ballots;
    mapping(uint256 ballotId => uint256[]) private _tallies;
    mapping(uint256 ballotId => mapping(address voter => bool)) private _voted;

    event BallotCreated(
        uint256 indexed ballotId,
        uint256 snapshotId,
        uint8 options,
        uint64 start,
        uint64 end,
        bytes32 metadataHash,
        string uri
    );
    event VoteCast(uint256 indexed ballotId, address indexed voter, uint8 option, uint256 weight);

    error InvalidOptions(uint8 options);
    error InvalidWindow(uint64 start, uint64 end);
    error UnknownBallot(uint256 ballotId);
    error VotingNotOpen(uint256 ballotId, uint64 start, uint64 end, uint256 now_);
    error InvalidOption(uint256 ballotId, uint8 option);
    error AlreadyVoted(uint256 ballotId, address voter);
    error NoVotingWeight(uint256 ballotId, address voter);

    constructor(ISnapshotToken token_, address admin) {
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(BALLOT_ADMIN_ROLE, admin);
    }

    /// @notice Opens ballot `id` on `snapshotId` (which must exist: the token reverts otherwise).
    function createBallot(
        bytes32 metadataHash,
        string calldata uri,
        uint8 options,
        uint64 start,
        uint64 end,
        uint256 snapshotId
    ) external onlyRole(BALLOT_ADMIN_ROLE) returns (uint256 id) {
        if (options < 2) revert InvalidOptions(options);
        if (start >= end || end <= block.timestamp) revert InvalidWindow(start, end);
        token.totalSupplyAt(snapshotId);
        id = ++ballotCount;
        _ballots[id] = BallotData(metadataHash, snapshotId, start, end, options, uri);
        _tallies[id] = new uint256[](options);
        emit BallotCreated(id, snapshotId, options, start, end, metadataHash, uri);
    }

    /// @notice Casts the caller's whole snapshot balance for `option`.
    function vote(uint256 id, uint8 option) external {
        BallotData storage ballot = _ballots[id];
        if (ballot.options == 0) revert UnknownBallot(id);
        if (block.timestamp < ballot.start || block.timestamp >= ballot.end) {
            revert VotingNotOpen(id, ballot.start, ballot.end, block.timestamp);
        }
        if (option >= ballot.options) revert InvalidOption(id, option);
        address voter = _msgSender();
        if (_voted[id][voter]) revert AlreadyVoted(id, voter);
        uint256 weight = token.balanceOfAt(voter, ballot.snapshotId);
        if (weight == 0) revert NoVotingWeight(id, voter);
        _voted[id][voter] = true;
        _tallies[id][option] += weight;
        emit VoteCast(id, voter, option, weight);
    }

    function results(uint256 id) external view returns (uint256[] memory) {
        if (_ballots[id].options == 0) revert UnknownBallot(id);
        return _tallies[id];
    }

    function getBallot(uint256 id)
        external
        view
        returns (bytes32 metadataHash, string memory uri, uint8 options, uint64 start, uint64 end, uint256 snapshotId)
    {
        BallotData storage b = _ballots[id];
        return (b.metadataHash, b.uri, b.options, b.start, b.end, b.snapshotId);
    }

    function hasVoted(uint256 id, address voter) external view returns (bool) {
        return _voted[id][voter];
    }
}
