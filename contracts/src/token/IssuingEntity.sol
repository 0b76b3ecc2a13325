// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAddressRestrictions} from "../kyc/IAddressRestrictions.sol";
import {Modular} from "../modules/Modular.sol";
import {ISTModule, IIssuerModule} from "../modules/IModules.sol";
import {IIssuingEntity} from "./IIssuingEntity.sol";

interface ILinkedToken {
    function issuingEntity() external view returns (address);
    function setModuleFlags(uint8 flags) external;
}

interface ICustodianDeposit {
    function receiveTransfer(address token, address from, bytes32 id, uint256 value) external;
}

/// @title IssuingEntity
/// @notice The issuer of seed 002: its tokens belong to it, it knows each investor's ID, rating and country, and
///         it is the modular parent of the issuer level (modules active on every token of the issuer) and the
///         place where token modules are attached and detached.
/// @dev Where investor data comes from, first match wins:
///      1. the entity's own records ({setInvestor}: ID, rating, country, set by the admin);
///      2. a registered Custodian: ID = its address, rating 0, country 0 (SFT: custodians have rating 0);
///      3. the KYC registry named with {setRegistry}: ID = the address, rating and country are the registry's
///         values under the two keys (unset or out of range reads 0);
///      4. otherwise ID = the address, rating 0, country 0.
///      The issuer's own ID (the authority of a module acting with issuer authority) is this contract's address.
contract IssuingEntity is AccessControl, Modular, IIssuingEntity {
    uint8 public constant HOOK_CHECK = 1;
    uint8 public constant HOOK_TRANSFER = 2;
    uint8 public constant HOOK_CUSTODIAN = 4;
    uint8 public constant HOOK_SUPPLY = 8;
    uint8 public constant HOOK_AUTHORIZED_SUPPLY = 16;
    uint8 public constant FLAG_CUSTODY = 64;
    uint8 public constant FLAG_ANY_MODULE = 128;

    struct Investor {
        uint8 rating;
        uint16 country;
    }

    struct Parties {
        bytes32[2] id;
        uint8[2] rating;
        uint16[2] country;
    }

    mapping(address account => bytes32 id) private _ids;
    mapping(bytes32 id => Investor) private _investors;
    mapping(address token => bool) public isToken;
    mapping(address custodian => bool) public isCustodian;
    address[] private _tokens;
    address[] private _custodians;
    IAddressRestrictions private _registry;
    uint64 private _ratingKey;
    uint64 private _countryKey;

    event TokenAdded(address indexed token);
    event CustodianAdded(address indexed custodian);
    event InvestorSet(address indexed account, bytes32 indexed id, uint8 rating, uint16 country);
    event RegistrySet(address indexed registry, uint64 ratingKey, uint64 countryKey);

    error TokenNotLinked(address token, address linkedTo);
    error NotAToken(address caller);
    error NotACustodian(address account);
    error UnknownTarget(address target);
    error AlreadyAdded(address account);
    error CustodianToCustodian(address from, address to);
    error ZeroInvestorId(address account);

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- tokens, custodians, investors

    /// @notice Makes `token` one of the issuer's tokens; the token must name this entity first
    ///         (`SecurityToken.setIssuingEntity`), so that both sides agree.
    function addToken(address token) external onlyRole(DEFAULT_ADMIN_ROLE) {
        address linked = ILinkedToken(token).issuingEntity();
        if (linked != address(this)) revert TokenNotLinked(token, linked);
        if (isToken[token]) revert AlreadyAdded(token);
        isToken[token] = true;
        _tokens.push(token);
        emit TokenAdded(token);
        _pushFlags(token);
    }

    function addCustodian(address custodian) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (isCustodian[custodian]) revert AlreadyAdded(custodian);
        isCustodian[custodian] = true;
        _custodians.push(custodian);
        emit CustodianAdded(custodian);
        for (uint256 i = 0; i < _tokens.length; ++i) {
            _pushFlags(_tokens[i]);
        }
    }

    function setInvestor(address account, bytes32 id, uint8 rating, uint16 country)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (id == bytes32(0)) revert ZeroInvestorId(account);
        _ids[account] = id;
        _investors[id] = Investor(rating, country);
        emit InvestorSet(account, id, rating, country);
    }

    function setRegistry(address registry, uint64 ratingKey, uint64 countryKey) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _registry = IAddressRestrictions(registry);
        _ratingKey = ratingKey;
        _countryKey = countryKey;
        emit RegistrySet(registry, ratingKey, countryKey);
    }

    /// @notice `account`'s ID, rating and country as the hooks receive them (see the contract's notes).
    function getInvestor(address account) public view returns (bytes32 id, uint8 rating, uint16 country) {
        if (account == address(0)) return (bytes32(0), 0, 0);
        id = _ids[account];
        if (id != bytes32(0)) {
            Investor memory investor = _investors[id];
            return (id, investor.rating, investor.country);
        }
        id = bytes32(uint256(uint160(account)));
        if (isCustodian[account] || address(_registry) == address(0)) return (id, 0, 0);
        rating = uint8(_registryValue(_ratingKey, account, type(uint8).max));
        country = uint16(_registryValue(_countryKey, account, type(uint16).max));
    }

    function getTokens() external view returns (address[] memory) {
        return _tokens;
    }

    function getCustodians() external view returns (address[] memory) {
        return _custodians;
    }

    // ---------------------------------------------------------------- modules

    /// @notice Attaches `module` to this entity (`target` = this: active on every token of the issuer) or to one
    ///         of its tokens. The module's `getOwner()` must be `target`.
    function attachModule(address target, address module) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _requireTarget(target);
        _attach(target, module);
    }

    /// @notice The admin; a module holding this entity's `detachModule(address,address)` permission; or a token
    ///         of the issuer detaching one of its own modules (`SecurityToken.detachModule`, which checked the
    ///         module's permission there).
    function detachModule(address target, address module) external {
        address caller = _msgSender();
        bool allowed = hasRole(DEFAULT_ADMIN_ROLE, caller)
            || (caller == target && isToken[caller])
            || _isPermitted(address(this), caller, this.detachModule.selector);
        if (!allowed) {
            if (_isActive(address(this), caller)) revert ModuleNotPermitted(caller, this.detachModule.selector);
            revert AccessControlUnauthorizedAccount(caller, DEFAULT_ADMIN_ROLE);
        }
        _requireTarget(target);
        _detach(target, module);
    }

    /// @notice Active on this entity (seed 002 `Modular.isActiveModule`).
    function isActiveModule(address module) external view returns (bool) {
        return _isActive(address(this), module);
    }

    /// @notice Active on `target` itself, or, for a token, also on the issuer.
    function isActiveModuleOf(address target, address module) public view returns (bool) {
        return _isActive(target, module) || (target != address(this) && isToken[target] && _isActive(address(this), module));
    }

    function isPermittedModule(address target, address module, bytes4 permission) external view returns (bool) {
        (, bool permitted) = _permission(target, module, permission);
        return permitted;
    }

    /// @inheritdoc IIssuingEntity
    function modulePermission(address token, address module, bytes4 permission)
        external
        view
        returns (bool active, bool permitted)
    {
        return _permission(token, module, permission);
    }

    function getModules(address target) external view returns (address[] memory) {
        return _moduleList[target];
    }

    // ---------------------------------------------------------------- hooks (called by the issuer's tokens)

    /// @inheritdoc IIssuingEntity
    function checkTransfer(address from, address to, address auth, uint256 value) external view returns (address) {
        address token = msg.sender;
        Parties memory p = _parties(from, to);
        bytes32 authID = _authority(token, from, auth, p.id[0]);
        address rejecting = _checkHooks(
            address(this),
            HOOK_CHECK,
            abi.encodeCall(IIssuerModule.checkTransfer, (token, authID, p.id, p.rating, p.country, value))
        );
        if (rejecting != address(0)) return rejecting;
        return _checkHooks(
            token, HOOK_CHECK, abi.encodeCall(ISTModule.checkTransfer, ([from, to], authID, p.id, p.rating, p.country, value))
        );
    }

    /// @inheritdoc IIssuingEntity
    function checkTransferCustodian(address custodian, bytes32[2] calldata ids, uint256 value)
        external
        view
        returns (address)
    {
        if (!isCustodian[custodian]) revert NotACustodian(custodian);
        address token = msg.sender;
        Parties memory p = _partiesById(ids);
        bytes32 authID = bytes32(uint256(uint160(custodian)));
        address rejecting = _checkHooks(
            address(this),
            HOOK_CHECK,
            abi.encodeCall(IIssuerModule.checkTransfer, (token, authID, p.id, p.rating, p.country, value))
        );
        if (rejecting != address(0)) return rejecting;
        return _checkHooks(
            token,
            HOOK_CHECK,
            abi.encodeCall(ISTModule.checkTransfer, ([custodian, custodian], authID, p.id, p.rating, p.country, value))
        );
    }

    /// @inheritdoc IIssuingEntity
    /// @dev Kinds: HOOK_TRANSFER (a = from, b = to, v1 = value; also credits a custodian receiver),
    ///      HOOK_SUPPLY (a = holder, v1 = old balance, v2 = new balance), HOOK_AUTHORIZED_SUPPLY (v1 = old,
    ///      v2 = new authorized supply; token modules only, the seed has no issuer hook for it).
    function tokenHook(uint8 kind, address a, address b, uint256 v1, uint256 v2)
        external
        returns (address[] memory modules, bytes memory data)
    {
        address token = msg.sender;
        if (!isToken[token]) revert NotAToken(token);
        if (kind == HOOK_TRANSFER) {
            Parties memory p = _parties(a, b);
            if (isCustodian[a] && isCustodian[b]) revert CustodianToCustodian(a, b);
            _callHooks(
                address(this),
                HOOK_TRANSFER,
                abi.encodeCall(IIssuerModule.transferTokens, (token, p.id, p.rating, p.country, v1))
            );
            if (isCustodian[b]) ICustodianDeposit(b).receiveTransfer(token, a, p.id[0], v1);
            data = abi.encodeCall(ISTModule.transferTokens, ([a, b], p.id, p.rating, p.country, v1));
        } else if (kind == HOOK_SUPPLY) {
            (bytes32 id, uint8 rating, uint16 country) = getInvestor(a);
            _callHooks(
                address(this),
                HOOK_SUPPLY,
                abi.encodeCall(IIssuerModule.tokenTotalSupplyChanged, (token, id, rating, country, v1, v2))
            );
            data = abi.encodeCall(ISTModule.totalSupplyChanged, (a, id, rating, country, v1, v2));
        } else {
            data = abi.encodeCall(ISTModule.modifyAuthorizedSupply, (token, v1, v2));
        }
        modules = _withHook(token, kind);
    }

    /// @inheritdoc IIssuingEntity
    function tokenCustodianHook(address custodian, bytes32[2] calldata ids, uint256 value)
        external
        returns (address[] memory modules, bytes memory data)
    {
        address token = msg.sender;
        if (!isToken[token]) revert NotAToken(token);
        if (!isCustodian[custodian]) revert NotACustodian(custodian);
        Parties memory p = _partiesById(ids);
        _callHooks(
            address(this),
            HOOK_CUSTODIAN,
            abi.encodeCall(IIssuerModule.transferTokensCustodian, (token, custodian, p.id, p.rating, p.country, value))
        );
        data = abi.encodeCall(ISTModule.transferTokensCustodian, (custodian, p.id, p.rating, p.country, value));
        modules = _withHook(token, HOOK_CUSTODIAN);
    }

    // ---------------------------------------------------------------- internals

    function _hookBit(address target, bytes4 hook) internal view override returns (uint8) {
        if (target == address(this)) {
            if (hook == IIssuerModule.checkTransfer.selector) return HOOK_CHECK;
            if (hook == IIssuerModule.transferTokens.selector) return HOOK_TRANSFER;
            if (hook == IIssuerModule.transferTokensCustodian.selector) return HOOK_CUSTODIAN;
            if (hook == IIssuerModule.tokenTotalSupplyChanged.selector) return HOOK_SUPPLY;
            return 0;
        }
        if (hook == ISTModule.checkTransfer.selector) return HOOK_CHECK;
        if (hook == ISTModule.transferTokens.selector) return HOOK_TRANSFER;
        if (hook == ISTModule.transferTokensCustodian.selector) return HOOK_CUSTODIAN;
        if (hook == ISTModule.totalSupplyChanged.selector) return HOOK_SUPPLY;
        if (hook == ISTModule.modifyAuthorizedSupply.selector) return HOOK_AUTHORIZED_SUPPLY;
        return 0;
    }

    /// @dev Token methods a module may be permitted to call (transferFrom 0x23b872dd, modifyBalance 0x250dea06,
    ///      detachModule 0xbb2a8522, mint, burn, modifyAuthorizedSupply); an issuer module may hold them for every
    ///      token of the issuer, and this entity's detachModule(address,address) 0x3556099d.
    function _knownPermission(address target, bytes4 permission) internal view override returns (bool) {
        if (target == address(this) && permission == this.detachModule.selector) return true;
        return permission == 0x23b872dd || permission == 0x250dea06 || permission == 0xbb2a8522
            || permission == 0x40c10f19 || permission == 0x9dc29fac || permission == 0xc39f42ed;
    }

    function _modulesChanged(address target) internal override {
        if (target != address(this)) {
            _pushFlags(target);
            return;
        }
        for (uint256 i = 0; i < _tokens.length; ++i) {
            _pushFlags(_tokens[i]);
        }
    }

    /// @dev The token's one-byte view of its modules: hook bits of its and the issuer's modules, whether any
    ///      module is active (permissions), and whether the issuer has custodians (deposits need the hook).
    function _pushFlags(address token) private {
        uint8 flags = _hookMask(token) | _hookMask(address(this));
        if (_moduleList[token].length != 0 || _moduleList[address(this)].length != 0) flags |= FLAG_ANY_MODULE;
        if (_custodians.length != 0) flags |= FLAG_CUSTODY;
        ILinkedToken(token).setModuleFlags(flags);
    }

    function _requireTarget(address target) private view {
        if (target != address(this) && !isToken[target]) revert UnknownTarget(target);
    }

    function _permission(address target, address module, bytes4 permission)
        private
        view
        returns (bool active, bool permitted)
    {
        bool viaIssuer = target != address(this) && isToken[target];
        active = _isActive(target, module) || (viaIssuer && _isActive(address(this), module));
        permitted = _isPermitted(target, module, permission)
            || (viaIssuer && _isPermitted(address(this), module, permission));
    }

    function _withHook(address token, uint8 bit) private view returns (address[] memory modules) {
        address[] storage list = _moduleList[token];
        modules = new address[](list.length);
        uint256 n = 0;
        for (uint256 i = 0; i < list.length; ++i) {
            if (_moduleRecords[token][list[i]].hooks & bit != 0) modules[n++] = list[i];
        }
        assembly ("memory-safe") {
            mstore(modules, n)
        }
    }

    function _parties(address from, address to) private view returns (Parties memory p) {
        (p.id[0], p.rating[0], p.country[0]) = getInvestor(from);
        (p.id[1], p.rating[1], p.country[1]) = getInvestor(to);
    }

    function _partiesById(bytes32[2] calldata ids) private view returns (Parties memory p) {
        for (uint256 i = 0; i < 2; ++i) {
            Investor memory investor = _investors[ids[i]];
            p.id[i] = ids[i];
            p.rating[i] = investor.rating;
            p.country[i] = investor.country;
        }
    }

    /// @dev The ID of whoever moves the tokens: the sender itself, the issuer for a module acting with issuer
    ///      authority, otherwise the spender's own ID.
    function _authority(address token, address from, address auth, bytes32 fromId) private view returns (bytes32) {
        if (auth == address(0) || auth == from) return fromId;
        if (isActiveModuleOf(token, auth)) return bytes32(uint256(uint160(address(this))));
        (bytes32 id,,) = getInvestor(auth);
        return id;
    }

    function _registryValue(uint64 key, address account, uint256 max) private view returns (uint256) {
        try _registry.getAddressRestriction(key, account) returns (uint64 value) {
            return value > max ? 0 : value;
        } catch {
            return 0;
        }
    }
}
