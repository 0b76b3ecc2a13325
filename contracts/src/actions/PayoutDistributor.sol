// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ISnapshotToken} from "./ISnapshotToken.sol";

/// @title PayoutDistributor
/// @notice Dividends in any ERC-20, pro-rata to a security token's balances at a snapshot. Any number of payouts
///         per token (sto allowed one per database), each claimable once per holder, pushable in batches, and
///         reclaimable by the issuer after its deadline. Rounding dust stays in the payout and is reclaimed with the
///         unclaimed rest, so `amount = Σ claimed + reclaimed` always holds.
contract PayoutDistributor is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant PAYOUT_ADMIN_ROLE = keccak256("PAYOUT_ADMIN_ROLE");

    struct Payout {
        IERC20 asset;
        uint64 claimDeadline;
        bool reclaimed;
        uint256 amount;
        uint256 snapshotId;
        uint256 base;
        uint256 claimed;
    }

    ISnapshotToken public immutable token;
    uint256 public payoutCount;
    mapping(uint256 payoutId => Payout) private _payouts;
    mapping(uint256 payoutId => mapping(address holder => bool)) private _claimed;
    mapping(uint256 payoutId => mapping(address holder => bool)) private _excluded;

    event PayoutCreated(
        uint256 indexed payoutId,
        address indexed asset,
        uint256 amount,
        uint256 snapshotId,
        uint64 claimDeadline,
        uint256 base
    );
    event PayoutClaimed(uint256 indexed payoutId, address indexed holder, uint256 amount);
    event PayoutWithheld(uint256 indexed payoutId, address indexed holder);
    event PayoutReclaimed(uint256 indexed payoutId, address indexed to, uint256 amount);

    error DeadlineInPast(uint64 claimDeadline);
    error DuplicateExclusion(address holder);
    error EmptyBase(uint256 snapshotId);
    error UnknownPayout(uint256 payoutId);
    error ClaimPeriodOver(uint256 payoutId, uint64 claimDeadline);
    error ClaimPeriodNotOver(uint256 payoutId, uint64 claimDeadline);
    error AlreadyClaimed(uint256 payoutId, address holder);
    error HolderExcluded(uint256 payoutId, address holder);
    error NothingToClaim(uint256 payoutId, address holder);
    error HolderNotVerified(uint256 payoutId, address holder);
    error AlreadyReclaimed(uint256 payoutId);

    constructor(ISnapshotToken token_, address admin) {
        token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAYOUT_ADMIN_ROLE, admin);
    }

    /// @notice Pulls `amount` of `asset` from the caller (approve first) and opens payout `id` on `snapshotId`.
    ///         The base is the supply at the snapshot minus the excluded addresses' balances (e.g. the treasury).
    function createPayout(
        IERC20 asset,
        uint256 amount,
        uint256 snapshotId,
        uint64 claimDeadline,
        address[] calldata excluded
    ) external onlyRole(PAYOUT_ADMIN_ROLE) nonReentrant returns (uint256 id) {
        if (claimDeadline <= block.timestamp) revert DeadlineInPast(claimDeadline);
        id = ++payoutCount;
        uint256 base = token.totalSupplyAt(snapshotId);
        for (uint256 i = 0; i < excluded.length; ++i) {
            address holder = excluded[i];
            if (_excluded[id][holder]) revert DuplicateExclusion(holder);
            _excluded[id][holder] = true;
            base -= token.balanceOfAt(holder, snapshotId);
        }
        if (base == 0) revert EmptyBase(snapshotId);

        // Count what arrived, not what was asked for, so a fee-on-transfer asset cannot make the payout insolvent.
        uint256 before = asset.balanceOf(address(this));
        asset.safeTransferFrom(_msgSender(), address(this), amount);
        uint256 received = asset.balanceOf(address(this)) - before;

        _payouts[id] = Payout(asset, claimDeadline, false, received, snapshotId, base, 0);
        emit PayoutCreated(id, address(asset), received, snapshotId, claimDeadline, base);
    }

    /// @notice Pays the caller's share of payout `id`.
    function claim(uint256 id) external nonReentrant returns (uint256) {
        return _claim(id, _msgSender());
    }

    /// @notice Pays `holder`'s share to `holder` (anyone may trigger it, e.g. a relayer paying the gas).
    function claimFor(uint256 id, address holder) external nonReentrant returns (uint256) {
        return _claim(id, holder);
    }

    /// @notice Pays many holders; those already paid, excluded or without a share are skipped, those failing KYC
    ///         are skipped with `PayoutWithheld`, so re-running a batch pays nobody twice.
    function batchPush(uint256 id, address[] calldata holders) external onlyRole(PAYOUT_ADMIN_ROLE) nonReentrant {
        Payout storage payout = _open(id);
        for (uint256 i = 0; i < holders.length; ++i) {
            address holder = holders[i];
            if (_claimed[id][holder] || _excluded[id][holder] || entitlement(id, holder) == 0) continue;
            if (!token.isVerified(holder)) {
                emit PayoutWithheld(id, holder);
                continue;
            }
            _pay(id, payout, holder);
        }
    }

    /// @notice After the deadline, returns the unclaimed rest (including rounding dust) to `to`.
    function reclaim(uint256 id, address to) external onlyRole(PAYOUT_ADMIN_ROLE) nonReentrant returns (uint256 amount) {
        Payout storage payout = _payouts[id];
        if (address(payout.asset) == address(0)) revert UnknownPayout(id);
        if (block.timestamp <= payout.claimDeadline) revert ClaimPeriodNotOver(id, payout.claimDeadline);
        if (payout.reclaimed) revert AlreadyReclaimed(id);
        payout.reclaimed = true;
        amount = payout.amount - payout.claimed;
        payout.asset.safeTransfer(to, amount);
        emit PayoutReclaimed(id, to, amount);
    }

    /// @notice `balanceOfAt(holder, snapshot) × amount / base`, rounded down; 0 for excluded holders.
    function entitlement(uint256 id, address holder) public view returns (uint256) {
        Payout storage payout = _payouts[id];
        if (payout.base == 0 || _excluded[id][holder]) return 0;
        return token.balanceOfAt(holder, payout.snapshotId) * payout.amount / payout.base;
    }

    function getPayout(uint256 id)
        external
        view
        returns (
            address asset,
            uint256 amount,
            uint256 snapshotId,
            uint64 claimDeadline,
            uint256 base,
            uint256 claimed,
            bool reclaimed
        )
    {
        Payout storage p = _payouts[id];
        return (address(p.asset), p.amount, p.snapshotId, p.claimDeadline, p.base, p.claimed, p.reclaimed);
    }

    function hasClaimed(uint256 id, address holder) external view returns (bool) {
        return _claimed[id][holder];
    }

    function isExcluded(uint256 id, address holder) external view returns (bool) {
        return _excluded[id][holder];
    }

    function _claim(uint256 id, address holder) private returns (uint256) {
        Payout storage payout = _open(id);
        if (_excluded[id][holder]) revert HolderExcluded(id, holder);
        if (_claimed[id][holder]) revert AlreadyClaimed(id, holder);
        if (!token.isVerified(holder)) revert HolderNotVerified(id, holder);
        return _pay(id, payout, holder);
    }

    function _pay(uint256 id, Payout storage payout, address holder) private returns (uint256 amount) {
        amount = entitlement(id, holder);
        if (amount == 0) revert NothingToClaim(id, holder);
        _claimed[id][holder] = true;
        payout.claimed += amount;
        payout.asset.safeTransfer(holder, amount);
        emit PayoutClaimed(id, holder, amount);
    }

    function _open(uint256 id) private view returns (Payout storage payout) {
        payout = _payouts[id];
        if (address(payout.asset) == address(0)) revert UnknownPayout(id);
        if (block.timestamp > payout.claimDeadline || payout.reclaimed) revert ClaimPeriodOver(id, payout.claimDeadline);
    }
}
