// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Modular} from "../modules/Modular.sol";
import {ICustodianModule} from "../modules/IModules.sol";

interface ICustodiedToken {
    function issuingEntity() external view returns (address);
    function transferCustodian(bytes32[2] calldata ids, uint256 value) external returns (bool);
}

interface IEntityOfToken {
    function isToken(address token) external view returns (bool);
    function isCustodian(address custodian) external view returns (bool);
    function getInvestor(address account) external view returns (bytes32 id, uint8 rating, uint16 country);
}

/// @title Custodian
/// @notice Holds security tokens for beneficial owners (seed 002's Custodian, SFT's OwnedCustodian): the token's
///         balance is the custodian's, the custodian's books say whose it is, by investor ID. Tokens sent to it by
///         a token of an issuer that registered it are credited to the sender's ID; {transfer} sends them out to
///         their owner; {transferInternal} moves ownership inside, checked and hooked by the token.
/// @dev The cap table reads the events: {ReceivedTokens}, {SentTokens}, {TransferOwnership} give each beneficial
///      owner's balance per token; their sum is the custodian's token balance, which is never counted again.
contract Custodian is AccessControl, Modular {
    uint8 public constant HOOK_SENT = 1;
    uint8 public constant HOOK_RECEIVED = 2;
    uint8 public constant HOOK_INTERNAL = 4;
    uint8 public constant HOOK_RELEASED = 8;

    mapping(address token => mapping(bytes32 id => uint256)) private _balances;
    mapping(address issuer => mapping(bytes32 id => uint256)) private _issuerBalances;
    mapping(address issuer => mapping(bytes32 id => bool)) private _owners;

    event ReceivedTokens(address indexed token, address indexed from, bytes32 indexed id, uint256 value);
    event SentTokens(address indexed token, address indexed to, bytes32 indexed id, uint256 value);
    event TransferOwnership(address indexed token, bytes32 indexed fromID, bytes32 indexed toID, uint256 value);
    event OwnershipReleased(address indexed issuer, bytes32 indexed id);

    error NotTheTokensIssuer(address caller, address token);
    error InsufficientBeneficialBalance(address token, bytes32 id, uint256 balance, uint256 value);
    error StillHoldsTokens(address issuer, bytes32 id, uint256 balance);
    error NotAnOwner(address issuer, bytes32 id);

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Called by the IssuingEntity of `token` after `value` tokens from `from` (investor `id`) arrived.
    function receiveTransfer(address token, address from, bytes32 id, uint256 value) external {
        address issuer = msg.sender;
        if (ICustodiedToken(token).issuingEntity() != issuer || !IEntityOfToken(issuer).isToken(token)) {
            revert NotTheTokensIssuer(issuer, token);
        }
        _credit(token, issuer, id, value);
        emit ReceivedTokens(token, from, id, value);
        _runHooks(HOOK_RECEIVED, abi.encodeCall(ICustodianModule.receivedTokens, (token, id, value)));
    }

    /// @notice Permission 0x75219e4e. Sends `value` of `token` to `to`, out of the holding of `to`'s investor ID.
    function transfer(address token, address to, uint256 value, bool stillOwner) external {
        _authorize(this.transfer.selector);
        address issuer = ICustodiedToken(token).issuingEntity();
        (bytes32 id,,) = IEntityOfToken(issuer).getInvestor(to);
        _debit(token, issuer, id, value);
        if (!stillOwner && _issuerBalances[issuer][id] == 0) _release(issuer, id);
        if (!IERC20(token).transfer(to, value)) revert InsufficientBeneficialBalance(token, id, 0, value);
        emit SentTokens(token, to, id, value);
        _runHooks(HOOK_SENT, abi.encodeCall(ICustodianModule.sentTokens, (token, id, value, stillOwner)));
    }

    /// @notice Permission 0x2965c868. Moves ownership of `value` of `token` from `fromID` to `toID`; the token
    ///         checks it like a transfer (`SecurityToken.transferCustodian`) and runs its custodian hooks.
    function transferInternal(address token, bytes32 fromID, bytes32 toID, uint256 value, bool stillOwner) external {
        _authorize(this.transferInternal.selector);
        address issuer = ICustodiedToken(token).issuingEntity();
        _debit(token, issuer, fromID, value);
        _credit(token, issuer, toID, value);
        if (!stillOwner && _issuerBalances[issuer][fromID] == 0) _release(issuer, fromID);
        ICustodiedToken(token).transferCustodian([fromID, toID], value);
        emit TransferOwnership(token, fromID, toID, value);
        _runHooks(
            HOOK_INTERNAL, abi.encodeCall(ICustodianModule.internalTransfer, (token, fromID, toID, value, stillOwner))
        );
    }

    /// @notice Permission 0xc07f6f8e. Removes `id` from the beneficial owners of `issuer`'s tokens; it must hold
    ///         none of them here.
    function releaseOwnership(address issuer, bytes32 id) external {
        _authorize(this.releaseOwnership.selector);
        if (!_owners[issuer][id]) revert NotAnOwner(issuer, id);
        uint256 held = _issuerBalances[issuer][id];
        if (held != 0) revert StillHoldsTokens(issuer, id, held);
        _release(issuer, id);
    }

    function balanceOf(address token, bytes32 id) external view returns (uint256) {
        return _balances[token][id];
    }

    function isBeneficialOwner(address issuer, bytes32 id) external view returns (bool) {
        return _owners[issuer][id];
    }

    // ---------------------------------------------------------------- modules

    function attachModule(address module) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _attach(address(this), module);
    }

    /// @notice Permission 0xbb2a8522: the admin, or a module holding it.
    function detachModule(address module) external {
        _authorize(this.detachModule.selector);
        _detach(address(this), module);
    }

    function isActiveModule(address module) external view returns (bool) {
        return _isActive(address(this), module);
    }

    function isPermittedModule(address module, bytes4 permission) external view returns (bool) {
        return _isPermitted(address(this), module, permission);
    }

    function getModules() external view returns (address[] memory) {
        return _moduleList[address(this)];
    }

    // ---------------------------------------------------------------- internals

    function _authorize(bytes4 permission) private view {
        address caller = _msgSender();
        if (hasRole(DEFAULT_ADMIN_ROLE, caller) || _isPermitted(address(this), caller, permission)) return;
        if (_isActive(address(this), caller)) revert ModuleNotPermitted(caller, permission);
        revert AccessControlUnauthorizedAccount(caller, DEFAULT_ADMIN_ROLE);
    }

    function _credit(address token, address issuer, bytes32 id, uint256 value) private {
        _balances[token][id] += value;
        _issuerBalances[issuer][id] += value;
        _owners[issuer][id] = true;
    }

    function _debit(address token, address issuer, bytes32 id, uint256 value) private {
        uint256 balance = _balances[token][id];
        if (balance < value) revert InsufficientBeneficialBalance(token, id, balance, value);
        _balances[token][id] = balance - value;
        _issuerBalances[issuer][id] -= value;
    }

    function _release(address issuer, bytes32 id) private {
        _owners[issuer][id] = false;
        emit OwnershipReleased(issuer, id);
        _runHooks(HOOK_RELEASED, abi.encodeCall(ICustodianModule.ownershipReleased, (issuer, id)));
    }

    function _runHooks(uint8 bit, bytes memory data) private {
        uint256 depth;
        assembly ("memory-safe") {
            depth := add(tload(0x5354f1), 1)
            tstore(0x5354f1, depth)
        }
        if (depth > MAX_HOOK_DEPTH) revert HookDepthExceeded(MAX_HOOK_DEPTH);
        _callHooks(address(this), bit, data);
        assembly ("memory-safe") {
            tstore(0x5354f1, sub(depth, 1))
        }
    }

    function _hookBit(address, bytes4 hook) internal pure override returns (uint8) {
        if (hook == ICustodianModule.sentTokens.selector) return HOOK_SENT;
        if (hook == ICustodianModule.receivedTokens.selector) return HOOK_RECEIVED;
        if (hook == ICustodianModule.internalTransfer.selector) return HOOK_INTERNAL;
        if (hook == ICustodianModule.ownershipReleased.selector) return HOOK_RELEASED;
        return 0;
    }

    /// @dev transfer 0x75219e4e, transferInternal 0x2965c868, releaseOwnership 0xc07f6f8e, detachModule 0xbb2a8522.
    function _knownPermission(address, bytes4 permission) internal pure override returns (bool) {
        return permission == this.transfer.selector || permission == this.transferInternal.selector
            || permission == this.releaseOwnership.selector || permission == this.detachModule.selector;
    }

    function _modulesChanged(address) internal override {}
}
