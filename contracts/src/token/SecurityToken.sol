// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAddressRestrictions} from "../kyc/IAddressRestrictions.sol";
import {IIssuingEntity} from "./IIssuingEntity.sol";

/// @title SecurityToken
/// @notice ERC-20 security token: roles, mint/burn, forced transfer, recovery, address and partial freeze, pause,
///         Symbol-style key/value restrictions (optionally delegated to a reference token or KycRegistry),
///         seed-002 modules (kept by its IssuingEntity), ERC-1404 restriction codes, ERC-1643 documents, announcements and snapshots.
/// @dev Gas layout. A holder transfer reads: one config slot (OZ `_paused` + rule blob pointer + counts +
///      snapshot id share it), one rule blob (SSTORE2-style contract code, one EXTCODECOPY for all rules), one
///      packed word per party (freeze flags and the first three local address values), one balance word per
///      party (balance, last snapshot id recorded and checkpoint count, so that after a snapshot an account's first
///      change adds one fresh checkpoint slot and later ones nothing) and the reference registry for delegated
///      rules. Restriction checks run in the entry points, not in `_update`, because
///      forced transfer, burn and recovery must skip some of them; every balance change still goes through
///      `_update` and so emits `Transfer`.
contract SecurityToken is ERC20, AccessControl, Pausable, IAddressRestrictions {
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    bytes32 public constant ENFORCER_ROLE = keccak256("ENFORCER_ROLE");
    bytes32 public constant RECOVERY_ROLE = keccak256("RECOVERY_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant RULE_ADMIN_ROLE = keccak256("RULE_ADMIN_ROLE");
    bytes32 public constant KYC_AGENT_ROLE = keccak256("KYC_AGENT_ROLE");
    bytes32 public constant SNAPSHOT_ROLE = keccak256("SNAPSHOT_ROLE");
    bytes32 public constant ANNOUNCER_ROLE = keccak256("ANNOUNCER_ROLE");

    uint64 public constant UNSET = type(uint64).max;
    uint256 public constant MAX_RULES = 20;
    /// @notice How deep hooks may re-enter this token (a module whose hook calls a hooked method of the token
    ///         runs its hooks again; seed 002 warns that this can loop).
    uint256 public constant MAX_HOOK_DEPTH = 8;

    // ERC-1404 codes; each maps one-to-one onto the custom error a holder transfer or mint reverts with.
    uint8 public constant CODE_OK = 0;
    uint8 public constant CODE_PAUSED = 1;
    uint8 public constant CODE_SENDER_FROZEN = 2;
    uint8 public constant CODE_RECEIVER_FROZEN = 3;
    uint8 public constant CODE_INSUFFICIENT_UNFROZEN_BALANCE = 4;
    uint8 public constant CODE_SENDER_RESTRICTED = 5;
    uint8 public constant CODE_RECEIVER_RESTRICTED = 6;
    uint8 public constant CODE_INVALID_GLOBAL_RESTRICTION = 7;
    uint8 public constant CODE_INSUFFICIENT_BALANCE = 8;
    uint8 public constant CODE_ZERO_ADDRESS = 9;
    uint8 public constant CODE_MODULE_REJECTED = 10;

    // Restriction types (Symbol MosaicRestrictionType).
    uint8 internal constant NONE = 0;
    uint8 internal constant EQ = 1;
    uint8 internal constant NE = 2;
    uint8 internal constant LT = 3;
    uint8 internal constant LE = 4;
    uint8 internal constant GT = 5;
    uint8 internal constant GE = 6;

    uint256 private constant FROZEN_BIT = 1;
    uint256 private constant PARTIAL_BIT = 2;
    // The key of the total supply in `_words` and `_checkpoints`: above every address.
    uint256 private constant SUPPLY_KEY = 1 << 160;
    // Bits 3 × type + outcome (0 below, 1 equal, 2 above the rule value) that pass: EQ 4; NE 6, 8; LT 9; LE 12, 13;
    // GT 17; GE 19, 20.
    uint256 private constant PASS_TABLE = 0x1a3350;
    // The module flags byte the IssuingEntity writes (its HOOK_* and FLAG_* constants).
    uint8 private constant HOOK_CHECK = 1;
    uint8 private constant HOOK_TRANSFER = 2;
    uint8 private constant HOOK_SUPPLY = 8;
    uint8 private constant HOOK_AUTHORIZED_SUPPLY = 16;
    uint8 private constant FLAG_CUSTODY = 64;
    uint8 private constant FLAG_ANY_MODULE = 128;
    bytes4 private constant PERMISSION_MODIFY_BALANCE = 0x250dea06;
    bytes4 private constant CHECK_TRANSFER_HOOK = 0x70aaf928;

    struct Rule {
        uint64 value;
        uint8 restrictionType;
        address referenceToken;
    }

    struct Document {
        string uri;
        bytes32 documentHash;
        uint256 lastModified;
    }

    // Packed with OpenZeppelin's `Pausable._paused` (the last base) into the config slot read by every transfer.
    address private _ruleBlob;
    uint8 private _ruleCount;
    uint8 private _moduleFlags;
    uint48 private _currentSnapshotId;

    uint8 private immutable _decimals;

    mapping(uint64 key => Rule) private _rules;
    uint64[] private _ruleKeys;
    mapping(uint64 key => uint16 lanePlusOne) private _keyLanes;
    uint16 private _laneCount;
    bool private _hasKycKey;
    uint64 private _kycKey;

    // Word 0: bit 0 frozen, bit 1 partial freeze, lanes 0..2 in bits 64..255; word k ≥ 1: lanes 4k-1..4k+2.
    // Lane values are stored bit-inverted so that zero storage reads as UNSET.
    mapping(address account => mapping(uint256 word => uint256)) private _accountWords;
    mapping(address account => uint256) private _frozenTokens;

    address private _issuingEntity;
    /// @dev 0 = no cap (the token's behaviour before authorized supply existed).
    uint256 private _authorizedSupply;

    // Balances live here instead of OpenZeppelin's `_balances` so that the snapshot bookkeeping shares the word a
    // transfer writes anyway: bits 0-159 balance, 160-207 the last snapshot id recorded, 208-255 checkpoint count.
    // Key = the account's address; SUPPLY_KEY (not an address) holds the total supply the same way.
    mapping(uint256 key => uint256 word) private _words;
    // Checkpoint i of a key, at (key << 48 | i): bits 0-159 the value when snapshot `id` was taken, 160-207 `id`,
    // and on checkpoint 0 only, bits 208-255: the value was 0 at every snapshot up to that id (see {_move}).
    mapping(uint256 keyAndIndex => uint256 checkpoint) private _checkpoints;

    mapping(bytes32 name => Document) private _documents;
    bytes32[] private _documentNames;
    string private _isin;
    string private _url;
    uint256 private _announcementCount;

    event Minted(address indexed to, uint256 amount);
    event Burned(address indexed from, uint256 amount);
    event ForcedTransfer(address indexed from, address indexed to, uint256 amount);
    event AddressRecovered(address indexed lostWallet, address indexed newWallet);
    event AddressFrozen(address indexed account, bool indexed isFrozen, address indexed agent);
    event TokensFrozen(address indexed account, uint256 amount);
    event TokensUnfrozen(address indexed account, uint256 amount);
    event GlobalRestrictionUpdated(
        uint64 indexed key,
        address referenceToken,
        uint64 previousValue,
        uint8 previousType,
        uint64 newValue,
        uint8 newType
    );
    event AddressRestrictionUpdated(address indexed account, uint64 indexed key, uint64 previousValue, uint64 newValue);
    event KycRestrictionKeySet(uint64 indexed key);
    event IssuingEntitySet(address indexed issuingEntity);
    event AuthorizedSupplyChanged(uint256 oldSupply, uint256 newSupply);
    event Snapshot(uint256 id);
    event DocumentUpdated(bytes32 indexed name, string uri, bytes32 documentHash);
    event DocumentRemoved(bytes32 indexed name, string uri, bytes32 documentHash);
    event UpdatedTokenInformation(string url, string isin);
    event Announced(uint256 indexed id, uint256 indexed kind, bytes32 indexed name, string uri, bytes32 contentHash);

    error SenderFrozen(address account);
    error ReceiverFrozen(address account);
    error InsufficientUnfrozenBalance(address account, uint256 amount, uint256 unfrozen);
    error SenderRestricted(address account, uint64 key);
    error ReceiverRestricted(address account, uint64 key);
    error InvalidGlobalRestriction(uint64 key);
    error ModuleRejected(address module, bytes4 hook);
    error ArrayLengthMismatch(uint256 first, uint256 second);
    error MaxRestrictionsExceeded(uint64 key);
    error InvalidRestrictionType(uint8 restrictionType);
    error CannotDeleteNonexistentRestriction(uint64 key);
    error UnknownGlobalRestriction(uint64 key);
    error PreviousValueMismatch(uint64 key, uint64 given, uint64 actual);
    error PreviousTypeMismatch(uint64 key, uint8 given, uint8 actual);
    error PreviousValueMustBeZero(uint64 key);
    error SelfReference(uint64 key);
    error InvalidReferenceToken(uint64 key, address referenceToken);
    error NoTokensToRecover(address lostWallet);
    error RecoveryWalletNotEmpty(address newWallet);
    error FreezeExceedsBalance(address account, uint256 balance, uint256 frozenAfter);
    error UnfreezeExceedsFrozen(address account, uint256 frozen, uint256 amount);
    error ModuleNotPermitted(address module, bytes4 permission);
    error HookDepthExceeded(uint256 max);
    error NotIssuingEntity(address caller);
    error IssuingEntityAlreadySet(address issuingEntity);
    error AuthorizedSupplyExceeded(uint256 authorizedSupply, uint256 newTotalSupply);
    error AuthorizedSupplyBelowTotalSupply(uint256 newSupply, uint256 totalSupply);
    error NonexistentSnapshot(uint256 id);
    /// @notice Minting `amount` on top of `totalSupply` would exceed `max`, the widest total supply (and so balance)
    ///         the packed balance storage holds (2^160 - 1): mint less.
    error TotalSupplyWidthExceeded(uint256 totalSupply, uint256 amount, uint256 max);
    error DocumentNotFound(bytes32 name);

    constructor(string memory name_, string memory symbol_, uint8 decimals_, string memory isin_, address admin)
        ERC20(name_, symbol_)
    {
        _decimals = decimals_;
        _isin = isin_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ISSUER_ROLE, admin);
        _grantRole(ENFORCER_ROLE, admin);
        _grantRole(RECOVERY_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(RULE_ADMIN_ROLE, admin);
        _grantRole(KYC_AGENT_ROLE, admin);
        _grantRole(SNAPSHOT_ROLE, admin);
        _grantRole(ANNOUNCER_ROLE, admin);
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    // ---------------------------------------------------------------- transfers

    function transfer(address to, uint256 amount) public override returns (bool) {
        address from = _msgSender();
        // The config slot is read once and passed on. Not `_transfer`: the sender is msg.sender and `_enforce`
        // refused the zero receiver.
        uint256 config = _enforce(from, to, amount, from);
        _updateWith(config, from, to, amount);
        _afterTransfer(config, from, to, amount);
        return true;
    }

    /// @dev A module holding the `transferFrom` permission (0x23b872dd) moves tokens with issuer authority: no
    ///      allowance is needed, every other holder-transfer check and hook still applies (SFT "issuer authority"
    ///      keeps the checks). An active module without the permission is refused by name.
    function transferFrom(address from, address to, uint256 amount) public override returns (bool) {
        address spender = _msgSender();
        (bool active, bool permitted) = _modulePermission(spender, this.transferFrom.selector);
        if (!permitted) {
            if (active) revert ModuleNotPermitted(spender, this.transferFrom.selector);
            _spendAllowance(from, spender, amount);
        }
        uint256 config = _enforce(from, to, amount, spender);
        _transfer(from, to, amount);
        _afterTransfer(config, from, to, amount);
        return true;
    }

    /// @notice ERC-1404: 0 when `from` may send `amount` to `to` now (`from` = 0 checks a mint), otherwise the
    ///         code of the error the transfer would revert with. Never reverts.
    function detectTransferRestriction(address from, address to, uint256 amount) external view returns (uint8 code) {
        (code,) = _detect(_configWord(), from, to, amount, from);
    }

    function messageForTransferRestriction(uint8 code) external pure returns (string memory) {
        if (code == CODE_OK) return "No restriction";
        if (code == CODE_PAUSED) return "Transfers are paused";
        if (code == CODE_SENDER_FROZEN) return "Sender address is frozen";
        if (code == CODE_RECEIVER_FROZEN) return "Receiver address is frozen";
        if (code == CODE_INSUFFICIENT_UNFROZEN_BALANCE) return "Amount exceeds the sender's unfrozen balance";
        if (code == CODE_SENDER_RESTRICTED) return "Sender fails a transfer restriction rule";
        if (code == CODE_RECEIVER_RESTRICTED) return "Receiver fails a transfer restriction rule";
        if (code == CODE_INVALID_GLOBAL_RESTRICTION) return "A restriction rule's reference token does not answer";
        if (code == CODE_INSUFFICIENT_BALANCE) return "Amount exceeds the sender's balance";
        if (code == CODE_ZERO_ADDRESS) return "Receiver is the zero address";
        if (code == CODE_MODULE_REJECTED) return "A token module rejected the transfer";
        return "Unknown restriction code";
    }

    // ---------------------------------------------------------------- issuer, enforcer, recovery

    function mint(address to, uint256 amount) external {
        _checkRoleOrPermission(ISSUER_ROLE, this.mint.selector);
        _mintChecked(to, amount);
    }

    function batchMint(address[] calldata to, uint256[] calldata amounts) external {
        _checkRoleOrPermission(ISSUER_ROLE, this.mint.selector);
        _checkLengths(to.length, amounts.length);
        for (uint256 i = 0; i < to.length; ++i) {
            _mintChecked(to[i], amounts[i]);
        }
    }

    /// @notice Burns from any holder without restriction checks; frozen tokens are unfrozen first if needed.
    function burn(address from, uint256 amount) external {
        _checkRoleOrPermission(ISSUER_ROLE, this.burn.selector);
        _burnFrom(from, amount);
    }

    function batchBurn(address[] calldata from, uint256[] calldata amounts) external {
        _checkRoleOrPermission(ISSUER_ROLE, this.burn.selector);
        _checkLengths(from.length, amounts.length);
        for (uint256 i = 0; i < from.length; ++i) {
            _burnFrom(from[i], amounts[i]);
        }
    }

    /// @notice T-REX forced transfer: skips pause, freeze and key/value rules; the receiver must still pass the
    ///         KYC rule (see {setKycRestrictionKey}); a frozen shortfall is unfrozen.
    function forcedTransfer(address from, address to, uint256 amount) external onlyRole(ENFORCER_ROLE) returns (bool) {
        _forcedTransfer(from, to, amount);
        return true;
    }

    function batchForcedTransfer(address[] calldata from, address[] calldata to, uint256[] calldata amounts)
        external
        onlyRole(ENFORCER_ROLE)
    {
        _checkLengths(from.length, to.length);
        _checkLengths(from.length, amounts.length);
        for (uint256 i = 0; i < from.length; ++i) {
            _forcedTransfer(from[i], to[i], amounts[i]);
        }
    }

    /// @notice Moves a lost wallet's whole balance, freeze state and this token's address values to a new,
    ///         empty wallet. Values held by a reference registry are the KYC provider's job.
    function recoveryAddress(address lostWallet, address newWallet) external onlyRole(RECOVERY_ROLE) returns (bool) {
        uint256 balance = balanceOf(lostWallet);
        if (balance == 0) revert NoTokensToRecover(lostWallet);
        if (newWallet == address(0)) revert ERC20InvalidReceiver(newWallet);
        if (balanceOf(newWallet) != 0) revert RecoveryWalletNotEmpty(newWallet);

        uint256 words = _wordCount();
        for (uint256 w = 0; w < words; ++w) {
            _accountWords[newWallet][w] = _accountWords[lostWallet][w];
            delete _accountWords[lostWallet][w];
        }
        uint256 frozen = _frozenTokens[lostWallet];
        _frozenTokens[newWallet] = frozen;
        delete _frozenTokens[lostWallet];

        _transfer(lostWallet, newWallet, balance);
        emit AddressRecovered(lostWallet, newWallet);
        if (_accountWords[newWallet][0] & FROZEN_BIT != 0) emit AddressFrozen(newWallet, true, _msgSender());
        if (frozen != 0) emit TokensFrozen(newWallet, frozen);
        _afterTransfer(_configWord(), lostWallet, newWallet, balance);
        return true;
    }

    // ---------------------------------------------------------------- freeze and pause

    function setAddressFrozen(address account, bool frozen) external onlyRole(ENFORCER_ROLE) {
        _setFrozen(account, frozen);
    }

    function batchSetAddressFrozen(address[] calldata accounts, bool[] calldata frozen) external onlyRole(ENFORCER_ROLE) {
        _checkLengths(accounts.length, frozen.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            _setFrozen(accounts[i], frozen[i]);
        }
    }

    function freezePartialTokens(address account, uint256 amount) external onlyRole(ENFORCER_ROLE) {
        _freezePartial(account, amount);
    }

    function batchFreezePartialTokens(address[] calldata accounts, uint256[] calldata amounts)
        external
        onlyRole(ENFORCER_ROLE)
    {
        _checkLengths(accounts.length, amounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            _freezePartial(accounts[i], amounts[i]);
        }
    }

    function unfreezePartialTokens(address account, uint256 amount) external onlyRole(ENFORCER_ROLE) {
        _unfreezePartial(account, amount);
    }

    function batchUnfreezePartialTokens(address[] calldata accounts, uint256[] calldata amounts)
        external
        onlyRole(ENFORCER_ROLE)
    {
        _checkLengths(accounts.length, amounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            _unfreezePartial(accounts[i], amounts[i]);
        }
    }

    function isFrozen(address account) external view returns (bool) {
        return _accountWords[account][0] & FROZEN_BIT != 0;
    }

    function getFrozenTokens(address account) external view returns (uint256) {
        return _frozenTokens[account];
    }

    /// @notice Blocks holder transfers and mint (stricter than T-REX); forced transfer, burn and recovery stay open.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- key/value restrictions

    /// @notice Sets, replaces (or with type NONE deletes) the global rule for `key` without a previous-value check.
    function setGlobalRestriction(uint64 key, address referenceToken, uint64 newValue, uint8 newType)
        external
        onlyRole(RULE_ADMIN_ROLE)
    {
        Rule memory current = _rules[key];
        _setRule(key, referenceToken, current.value, current.restrictionType, newValue, newType);
    }

    /// @notice Symbol's optimistic-concurrency form: the previous value and type must match the stored rule, and
    ///         be (0, NONE) for a new key, so that a retried command cannot apply twice.
    function setGlobalRestriction(
        uint64 key,
        address referenceToken,
        uint64 previousValue,
        uint8 previousType,
        uint64 newValue,
        uint8 newType
    ) external onlyRole(RULE_ADMIN_ROLE) {
        Rule memory current = _rules[key];
        if (current.restrictionType == NONE) {
            if (previousValue != 0 || previousType != NONE) revert PreviousValueMustBeZero(key);
        } else {
            if (previousValue != current.value) revert PreviousValueMismatch(key, previousValue, current.value);
            if (previousType != current.restrictionType) {
                revert PreviousTypeMismatch(key, previousType, current.restrictionType);
            }
        }
        _setRule(key, referenceToken, current.value, current.restrictionType, newValue, newType);
    }

    function getGlobalRestriction(uint64 key)
        external
        view
        returns (address referenceToken, uint64 value, uint8 restrictionType)
    {
        Rule memory rule = _rules[key];
        return (rule.referenceToken, rule.value, rule.restrictionType);
    }

    function getGlobalRestrictionKeys() external view returns (uint64[] memory) {
        return _ruleKeys;
    }

    /// @notice Sets `account`'s value for `key` (a global rule with `key` must exist); `type(uint64).max` deletes.
    function setAddressRestriction(address account, uint64 key, uint64 newValue) external onlyRole(KYC_AGENT_ROLE) {
        _setAddressValue(account, key, newValue);
    }

    /// @notice As above, but only if the current value equals `previousValue` (UNSET for a new entry).
    function setAddressRestriction(address account, uint64 key, uint64 previousValue, uint64 newValue)
        external
        onlyRole(KYC_AGENT_ROLE)
    {
        uint64 actual = getAddressRestriction(key, account);
        if (actual != previousValue) revert PreviousValueMismatch(key, previousValue, actual);
        _setAddressValue(account, key, newValue);
    }

    function batchSetAddressRestriction(address[] calldata accounts, uint64 key, uint64[] calldata values)
        external
        onlyRole(KYC_AGENT_ROLE)
    {
        _checkLengths(accounts.length, values.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            _setAddressValue(accounts[i], key, values[i]);
        }
    }

    /// @inheritdoc IAddressRestrictions
    function getAddressRestriction(uint64 key, address account) public view returns (uint64) {
        uint256 lanePlusOne = _keyLanes[key];
        if (lanePlusOne == 0) return UNSET;
        return _laneValue(account, 0, lanePlusOne - 1);
    }

    /// @inheritdoc IAddressRestrictions
    function getAddressRestrictions(uint64 key, address first, address second) external view returns (uint64, uint64) {
        return (getAddressRestriction(key, first), getAddressRestriction(key, second));
    }

    /// @notice Names the rule that forced transfer checks on the receiver ("receiver must be KYC'd").
    function setKycRestrictionKey(uint64 key) external onlyRole(RULE_ADMIN_ROLE) {
        if (_rules[key].restrictionType == NONE) revert UnknownGlobalRestriction(key);
        _hasKycKey = true;
        _kycKey = key;
        emit KycRestrictionKeySet(key);
    }

    /// @notice Whether `account` passes the KYC rule (true when no KYC rule is named); never reverts.
    function isVerified(address account) external view returns (bool) {
        return _kycStatus(account) == CODE_OK;
    }

    function getKycRestrictionKey() external view returns (bool isSet, uint64 key) {
        return (_hasKycKey, _kycKey);
    }

    // ---------------------------------------------------------------- modules (seed 002)

    /// @notice Names the issuer's IssuingEntity, once. Modules of this token and of the issuer are attached and
    ///         detached there (seed 002); the entity then calls {setModuleFlags}.
    function setIssuingEntity(address entity) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (_issuingEntity != address(0)) revert IssuingEntityAlreadySet(_issuingEntity);
        _issuingEntity = entity;
        emit IssuingEntitySet(entity);
    }

    function issuingEntity() external view returns (address) {
        return _issuingEntity;
    }

    /// @notice The entity's summary of the modules active on this token: which hooks to run, whether any module
    ///         is active (permissions) and whether the issuer has custodians.
    function setModuleFlags(uint8 flags) external {
        if (msg.sender != _issuingEntity) revert NotIssuingEntity(msg.sender);
        _moduleFlags = flags;
    }

    /// @notice Attached to this token or to its issuer (seed 002 `Modular.isActiveModule`).
    function isActiveModule(address module) external view returns (bool active) {
        (active,) = _modulePermission(module, bytes4(0));
    }

    function isPermittedModule(address module, bytes4 permission) external view returns (bool permitted) {
        (, permitted) = _modulePermission(module, permission);
    }

    /// @notice Permission 0xbb2a8522: a module holding it detaches itself; the issuer detaches token modules
    ///         through the IssuingEntity.
    function detachModule(address module) external {
        address caller = _msgSender();
        (, bool permitted) = _modulePermission(caller, this.detachModule.selector);
        if (caller != module || !permitted) revert ModuleNotPermitted(caller, this.detachModule.selector);
        IIssuingEntity(_issuingEntity).detachModule(address(this), module);
    }

    /// @notice Permission 0x250dea06, modules only: sets `owner`'s balance to `value` (minting or burning the
    ///         difference, no transfer checks, within the authorized supply) and runs the totalSupplyChanged hooks.
    function modifyBalance(address owner, uint256 value) external returns (bool) {
        address caller = _msgSender();
        (, bool permitted) = _modulePermission(caller, PERMISSION_MODIFY_BALANCE);
        if (!permitted) revert ModuleNotPermitted(caller, PERMISSION_MODIFY_BALANCE);
        uint256 old = balanceOf(owner);
        if (value > old) {
            _checkAuthorized(value - old);
            _mint(owner, value - old);
        } else if (value < old) {
            _unfreezeShortfall(owner, old - value);
            _burn(owner, old - value);
        }
        _runHooks(HOOK_SUPPLY, HOOK_SUPPLY, owner, address(0), old, value);
        return true;
    }

    /// @notice Caps the total supply (0 = no cap); runs the modifyAuthorizedSupply hooks first. The issuer, or a
    ///         module holding `modifyAuthorizedSupply(uint256)`.
    function modifyAuthorizedSupply(uint256 newSupply) external {
        _checkRoleOrPermission(ISSUER_ROLE, this.modifyAuthorizedSupply.selector);
        if (newSupply != 0 && newSupply < totalSupply()) revert AuthorizedSupplyBelowTotalSupply(newSupply, totalSupply());
        uint256 old = _authorizedSupply;
        _runHooks(HOOK_AUTHORIZED_SUPPLY, HOOK_AUTHORIZED_SUPPLY, address(0), address(0), old, newSupply);
        _authorizedSupply = newSupply;
        emit AuthorizedSupplyChanged(old, newSupply);
    }

    function authorizedSupply() external view returns (uint256) {
        return _authorizedSupply;
    }

    /// @notice Called by a Custodian of the issuer when beneficial ownership of `value` tokens moves between the
    ///         investors `ids` inside it (no tokens move): the checkTransfer hooks must pass, then the
    ///         transferTokensCustodian hooks run.
    function transferCustodian(bytes32[2] calldata ids, uint256 value) external whenNotPaused returns (bool) {
        address entity = _issuingEntity;
        if (entity == address(0)) revert NotIssuingEntity(address(0));
        address rejecting = IIssuingEntity(entity).checkTransferCustodian(msg.sender, ids, value);
        if (rejecting != address(0)) revert ModuleRejected(rejecting, CHECK_TRANSFER_HOOK);
        uint256 depth = _enterHooks();
        (address[] memory modules, bytes memory data) = IIssuingEntity(entity).tokenCustodianHook(msg.sender, ids, value);
        _callModules(modules, data);
        _exitHooks(depth);
        return true;
    }

    // ---------------------------------------------------------------- snapshots

    /// @notice Starts snapshot `id`: {balanceOfAt} and {totalSupplyAt} return the values at this moment.
    function snapshot() external onlyRole(SNAPSHOT_ROLE) returns (uint256 id) {
        id = uint256(_currentSnapshotId) + 1;
        _currentSnapshotId = SafeCast.toUint48(id);
        emit Snapshot(id);
    }

    function currentSnapshotId() external view returns (uint256) {
        return _currentSnapshotId;
    }

    function balanceOfAt(address account, uint256 id) external view returns (uint256) {
        return _valueAt(uint160(account), id);
    }

    function totalSupplyAt(uint256 id) external view returns (uint256) {
        return _valueAt(SUPPLY_KEY, id);
    }

    function balanceOf(address account) public view override returns (uint256) {
        return uint160(_words[uint160(account)]);
    }

    function totalSupply() public view override returns (uint256) {
        return uint160(_words[SUPPLY_KEY]);
    }

    // ---------------------------------------------------------------- documents, information, announcements

    function setDocument(bytes32 name, string calldata uri, bytes32 documentHash) external onlyRole(ANNOUNCER_ROLE) {
        Document storage doc = _documents[name];
        if (doc.lastModified == 0) _documentNames.push(name);
        doc.uri = uri;
        doc.documentHash = documentHash;
        doc.lastModified = block.timestamp;
        emit DocumentUpdated(name, uri, documentHash);
    }

    function getDocument(bytes32 name) external view returns (string memory uri, bytes32 documentHash, uint256 lastModified) {
        Document storage doc = _documents[name];
        return (doc.uri, doc.documentHash, doc.lastModified);
    }

    function removeDocument(bytes32 name) external onlyRole(ANNOUNCER_ROLE) {
        Document memory doc = _documents[name];
        if (doc.lastModified == 0) revert DocumentNotFound(name);
        delete _documents[name];
        uint256 n = _documentNames.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_documentNames[i] == name) {
                _documentNames[i] = _documentNames[n - 1];
                _documentNames.pop();
                break;
            }
        }
        emit DocumentRemoved(name, doc.uri, doc.documentHash);
    }

    function getAllDocuments() external view returns (bytes32[] memory) {
        return _documentNames;
    }

    function isin() external view returns (string memory) {
        return _isin;
    }

    function url() external view returns (string memory) {
        return _url;
    }

    function setTokenInformation(string calldata url_, string calldata isin_) external onlyRole(ANNOUNCER_ROLE) {
        _url = url_;
        _isin = isin_;
        emit UpdatedTokenInformation(url_, isin_);
    }

    /// @notice Publishes an announcement as an event only, so that the pipeline needs no per-announcement contract.
    function announce(uint256 kind, bytes32 name, string calldata uri, bytes32 contentHash)
        external
        onlyRole(ANNOUNCER_ROLE)
        returns (uint256 id)
    {
        id = ++_announcementCount;
        emit Announced(id, kind, name, uri, contentHash);
    }

    function announcementCount() external view returns (uint256) {
        return _announcementCount;
    }

    // ---------------------------------------------------------------- internals: checks

    /// @dev Returns the config slot it read, for the caller's later steps.
    function _enforce(address from, address to, uint256 amount, address auth) private view returns (uint256 config) {
        config = _configWord();
        (uint8 code, uint256 detail) = _detect(config, from, to, amount, auth);
        if (code != CODE_OK) _revertFor(code, from, to, amount, detail);
    }

    function _revertFor(uint8 code, address from, address to, uint256 amount, uint256 detail) private pure {
        if (code == CODE_PAUSED) revert EnforcedPause();
        if (code == CODE_SENDER_FROZEN) revert SenderFrozen(from);
        if (code == CODE_RECEIVER_FROZEN) revert ReceiverFrozen(to);
        if (code == CODE_INSUFFICIENT_UNFROZEN_BALANCE) revert InsufficientUnfrozenBalance(from, amount, detail);
        if (code == CODE_SENDER_RESTRICTED) revert SenderRestricted(from, uint64(detail));
        if (code == CODE_RECEIVER_RESTRICTED) revert ReceiverRestricted(to, uint64(detail));
        if (code == CODE_INVALID_GLOBAL_RESTRICTION) revert InvalidGlobalRestriction(uint64(detail));
        if (code == CODE_INSUFFICIENT_BALANCE) revert ERC20InsufficientBalance(from, detail, amount);
        if (code == CODE_ZERO_ADDRESS) revert ERC20InvalidReceiver(to);
        revert ModuleRejected(address(uint160(detail)), CHECK_TRANSFER_HOOK);
    }

    /// @dev The single source of truth for holder transfers and mints (`from` = 0: receiver checks only). The
    ///      order of the checks is the order of the codes a caller sees.
    function _detect(uint256 config, address from, address to, uint256 amount, address auth)
        private
        view
        returns (uint8, uint256)
    {
        if (to == address(0)) return (CODE_ZERO_ADDRESS, 0);
        if (uint8(config) != 0) return (CODE_PAUSED, 0);
        bool isMint = from == address(0);
        uint256 fromWord = isMint ? 0 : _word0(from);
        uint256 toWord = _word0(to);
        if (fromWord & FROZEN_BIT != 0) return (CODE_SENDER_FROZEN, 0);
        if (toWord & FROZEN_BIT != 0) return (CODE_RECEIVER_FROZEN, 0);
        if (!isMint) {
            uint256 balance = balanceOf(from);
            if (balance < amount) return (CODE_INSUFFICIENT_BALANCE, balance);
            if (fromWord & PARTIAL_BIT != 0) {
                uint256 frozen = _frozenTokens[from];
                uint256 unfrozen = balance > frozen ? balance - frozen : 0;
                if (unfrozen < amount) return (CODE_INSUFFICIENT_UNFROZEN_BALANCE, unfrozen);
            }
        }
        if (uint8(config >> 168) != 0) {
            (uint8 code, uint256 key) = _checkRules(config, from, to, fromWord, toWord);
            if (code != CODE_OK) return (code, key);
        }
        if (uint8(config >> 176) & HOOK_CHECK != 0) {
            address rejecting = _checkModules(from, to, auth, amount);
            if (rejecting != address(0)) return (CODE_MODULE_REJECTED, uint160(rejecting));
        }
        return (CODE_OK, 0);
    }

    /// @dev `_accountWords[account][0]` with one hashing of the account (read twice per transfer).
    function _word0(address account) private view returns (uint256 word) {
        assembly ("memory-safe") {
            mstore(0, and(account, 0xffffffffffffffffffffffffffffffffffffffff))
            mstore(32, _accountWords.slot)
            mstore(32, keccak256(0, 64))
            mstore(0, 0)
            word := sload(keccak256(0, 64))
        }
    }

    /// @dev The whole config slot in one SLOAD: OZ `_paused` (byte 0), `_ruleBlob` (bytes 1-20), `_ruleCount`
    ///      (byte 21), `_moduleFlags` (byte 22); Solidity would otherwise load the slot once per field.
    function _configWord() private view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(_ruleBlob.slot)
        }
    }

    /// @dev Rules are read from the compiled blob: 64 bytes per rule, word A = type << 176 | lane << 160 | ref,
    ///      word B = key << 64 | value. Both parties pass every rule (Symbol: sender and recipient of a transfer).
    function _checkRules(uint256 config, address from, address to, uint256 fromWord, uint256 toWord)
        private
        view
        returns (uint8, uint256)
    {
        uint256 ptr;
        uint256 end;
        assembly ("memory-safe") {
            // config: `_ruleBlob` in bytes 1-20, `_ruleCount` in byte 21 (see {_configWord}).
            let size := mul(and(shr(168, config), 0xff), 64)
            ptr := mload(0x40)
            end := add(ptr, size)
            mstore(0x40, end)
            extcodecopy(and(shr(8, config), 0xffffffffffffffffffffffffffffffffffffffff), ptr, 1, size)
        }
        while (ptr < end) {
            uint256 a;
            uint256 fromValue;
            uint256 toValue;
            assembly ("memory-safe") {
                a := mload(ptr)
            }
            if (uint160(a) == 0 && uint16(a >> 160) < 3) {
                // A local rule in lanes 0-2: both parties' word 0 is already loaded (0 for a mint's sender, whose
                // value is not used), so this is the common path and stays in assembly.
                assembly ("memory-safe") {
                    let shift := shl(6, add(and(shr(160, a), 0xffff), 1))
                    fromValue := and(not(shr(shift, fromWord)), 0xffffffffffffffff)
                    toValue := and(not(shr(shift, toWord)), 0xffffffffffffffff)
                }
            } else {
                bool ok;
                (ok, fromValue, toValue) = _ruleValues(ptr, from, to, fromWord, toWord);
                if (!ok) return (CODE_INVALID_GLOBAL_RESTRICTION, _ruleKey(ptr));
            }
            uint8 code;
            assembly ("memory-safe") {
                // {_passes} inlined for both parties: sender first (not on a mint), then receiver.
                function passes(t, v, r) -> ok {
                    ok := and(and(shr(add(mul(t, 3), add(gt(v, r), iszero(lt(v, r)))), PASS_TABLE), 1),
                        or(iszero(eq(v, 0xffffffffffffffff)), eq(t, NE)))
                }
                let t := and(shr(176, a), 0xff)
                let r := and(mload(add(ptr, 32)), 0xffffffffffffffff)
                switch and(iszero(iszero(and(from, 0xffffffffffffffffffffffffffffffffffffffff))), iszero(passes(t, fromValue, r)))
                case 1 { code := CODE_SENDER_RESTRICTED }
                default { if iszero(passes(t, toValue, r)) { code := CODE_RECEIVER_RESTRICTED } }
            }
            if (code != CODE_OK) return (code, _ruleKey(ptr));
            unchecked {
                ptr += 64;
            }
        }
        return (CODE_OK, 0);
    }

    /// @dev Word B of the rule at `ptr`: key << 64 | value.
    function _ruleKey(uint256 ptr) private pure returns (uint64 key) {
        assembly ("memory-safe") {
            key := shr(64, mload(add(ptr, 32)))
        }
    }

    /// @dev The values of a delegated rule (one call to the reference) or of a local rule beyond lane 2.
    function _ruleValues(uint256 ptr, address from, address to, uint256 fromWord, uint256 toWord)
        private
        view
        returns (bool ok, uint256 fromValue, uint256 toValue)
    {
        uint256 a;
        assembly ("memory-safe") {
            a := mload(ptr)
        }
        address ref = address(uint160(a));
        if (ref != address(0)) return _referenceValues(ref, _ruleKey(ptr), from, to);
        uint256 lane = uint16(a >> 160);
        if (from != address(0)) fromValue = _laneValue(from, fromWord, lane);
        return (true, fromValue, _laneValue(to, toWord, lane));
    }

    /// @dev One STATICCALL for both parties (`getAddressRestrictions`); a reference that reverts, has no code or
    ///      answers out of range makes the rule invalid (code 7) instead of reverting the view.
    function _referenceValues(address ref, uint64 key, address first, address second)
        private
        view
        returns (bool ok, uint64 firstValue, uint64 secondValue)
    {
        bytes4 selector = IAddressRestrictions.getAddressRestrictions.selector;
        uint256 r1;
        uint256 r2;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, selector)
            mstore(add(p, 4), key)
            mstore(add(p, 36), first)
            mstore(add(p, 68), second)
            ok := staticcall(gas(), ref, p, 100, p, 64)
            if lt(returndatasize(), 64) { ok := 0 }
            r1 := mload(p)
            r2 := mload(add(p, 32))
        }
        if (!ok || r1 > type(uint64).max || r2 > type(uint64).max) return (false, 0, 0);
        return (true, uint64(r1), uint64(r2));
    }

    function _accountValue(address ref, uint64 key, uint256 lane, address account) private view returns (bool, uint64) {
        if (ref == address(0)) return (true, _laneValue(account, 0, lane));
        (bool ok,, uint64 value) = _referenceValues(ref, key, address(0), account);
        return (ok, value);
    }

    /// @dev Symbol's evaluator: `accountValue OP ruleValue`; an unset value passes only NE.
    ///      Branch-free: bit (3 × type + outcome) of PASS_TABLE says whether the outcome (0 below, 1 equal, 2 above
    ///      the rule value) passes; the chain of comparisons it replaces cost ~130 gas per party and rule.
    function _passes(uint8 rtype, uint64 accountValue, uint64 ruleValue) private pure returns (bool ok) {
        assembly ("memory-safe") {
            // Solidity leaves the bits above a short type undefined on the stack: mask before comparing.
            let m := 0xffffffffffffffff
            let v := and(accountValue, m)
            let r := and(ruleValue, m)
            let t := and(rtype, 0xff)
            ok := and(shr(add(mul(t, 3), add(gt(v, r), iszero(lt(v, r)))), PASS_TABLE), 1)
            if and(eq(v, m), iszero(eq(t, NE))) { ok := 0 }
        }
    }

    /// @dev The issuer's and this token's checkTransfer hooks, asked through the entity; an entity that fails to
    ///      answer counts as a rejection, so that the view still never reverts.
    function _checkModules(address from, address to, address auth, uint256 amount) private view returns (address) {
        address entity = _issuingEntity;
        try IIssuingEntity(entity).checkTransfer(from, to, auth, amount) returns (address rejecting) {
            return rejecting;
        } catch {
            return entity;
        }
    }

    /// @dev `config`: the config slot as read before the balance change (it does not change the slot).
    function _afterTransfer(uint256 config, address from, address to, uint256 amount) private {
        if (uint8(config >> 176) & (HOOK_TRANSFER | FLAG_CUSTODY) == 0) return;
        _runHooks(HOOK_TRANSFER, HOOK_TRANSFER | FLAG_CUSTODY, from, to, amount, 0);
    }

    /// @dev Costs one read of the (warm) config slot while no module is attached. The entity runs the issuer's
    ///      hooks and returns this token's modules with the call to make; the token makes it, so that token modules
    ///      see the token as their caller.
    function _runHooks(uint8 kind, uint8 bits, address a, address b, uint256 v1, uint256 v2) private {
        if (uint8(_configWord() >> 176) & bits == 0) return;
        uint256 depth = _enterHooks();
        (address[] memory modules, bytes memory data) = IIssuingEntity(_issuingEntity).tokenHook(kind, a, b, v1, v2);
        _callModules(modules, data);
        _exitHooks(depth);
    }

    function _callModules(address[] memory modules, bytes memory data) private {
        for (uint256 i = 0; i < modules.length; ++i) {
            (bool ok, bytes memory ret) = modules[i].call(data);
            if (_returnedTrue(ok, ret)) continue;
            if (!ok && ret.length >= 4 && bytes4(ret) == HookDepthExceeded.selector) {
                assembly ("memory-safe") {
                    revert(add(ret, 32), mload(ret))
                }
            }
            revert ModuleRejected(modules[i], bytes4(data));
        }
    }

    /// @dev Transient (EIP-1153) depth counter: hooks that call back into the token nest; past MAX_HOOK_DEPTH the
    ///      innermost call reverts and the error is passed up unchanged.
    function _enterHooks() private returns (uint256 depth) {
        assembly ("memory-safe") {
            depth := add(tload(0x5354f0), 1)
            tstore(0x5354f0, depth)
        }
        if (depth > MAX_HOOK_DEPTH) revert HookDepthExceeded(MAX_HOOK_DEPTH);
    }

    function _exitHooks(uint256 depth) private {
        assembly ("memory-safe") {
            tstore(0x5354f0, sub(depth, 1))
        }
    }

    function _returnedTrue(bool ok, bytes memory ret) private pure returns (bool) {
        return ok && ret.length >= 32 && abi.decode(ret, (uint256)) == 1;
    }

    /// @dev (active on this token or its issuer, holds `permission`); one read of the config slot while no module
    ///      is active.
    function _modulePermission(address module, bytes4 permission) private view returns (bool, bool) {
        if (uint8(_configWord() >> 176) & FLAG_ANY_MODULE == 0) return (false, false);
        return IIssuingEntity(_issuingEntity).modulePermission(address(this), module, permission);
    }

    function _checkRoleOrPermission(bytes32 role, bytes4 selector) private view {
        address caller = _msgSender();
        if (hasRole(role, caller)) return;
        (bool active, bool permitted) = _modulePermission(caller, selector);
        if (permitted) return;
        if (active) revert ModuleNotPermitted(caller, selector);
        revert AccessControlUnauthorizedAccount(caller, role);
    }

    function _checkAuthorized(uint256 amount) private view {
        uint256 cap = _authorizedSupply;
        if (cap != 0 && totalSupply() + amount > cap) revert AuthorizedSupplyExceeded(cap, totalSupply() + amount);
    }

    function _checkLengths(uint256 first, uint256 second) private pure {
        if (first != second) revert ArrayLengthMismatch(first, second);
    }

    // ---------------------------------------------------------------- internals: balance changes

    function _mintChecked(address to, uint256 amount) private {
        _enforce(address(0), to, amount, _msgSender());
        _checkAuthorized(amount);
        uint256 old = balanceOf(to);
        _mint(to, amount);
        emit Minted(to, amount);
        _runHooks(HOOK_SUPPLY, HOOK_SUPPLY, to, address(0), old, old + amount);
    }

    function _burnFrom(address from, uint256 amount) private {
        _unfreezeShortfall(from, amount);
        uint256 old = balanceOf(from);
        _burn(from, amount);
        emit Burned(from, amount);
        _runHooks(HOOK_SUPPLY, HOOK_SUPPLY, from, address(0), old, old - amount);
    }

    function _forcedTransfer(address from, address to, uint256 amount) private {
        if (to == address(0)) revert ERC20InvalidReceiver(to);
        uint8 kyc = _kycStatus(to);
        if (kyc == CODE_INVALID_GLOBAL_RESTRICTION) revert InvalidGlobalRestriction(_kycKey);
        if (kyc != CODE_OK) revert ReceiverRestricted(to, _kycKey);
        _unfreezeShortfall(from, amount);
        _transfer(from, to, amount);
        emit ForcedTransfer(from, to, amount);
        _afterTransfer(_configWord(), from, to, amount);
    }

    /// @dev The KYC rule alone (see {setKycRestrictionKey}): what forced transfer and payouts require.
    function _kycStatus(address account) private view returns (uint8) {
        if (!_hasKycKey) return CODE_OK;
        uint64 key = _kycKey;
        Rule memory rule = _rules[key];
        if (rule.restrictionType == NONE) return CODE_OK;
        uint256 lanePlusOne = _keyLanes[key];
        (bool ok, uint64 v) = _accountValue(rule.referenceToken, key, lanePlusOne == 0 ? 0 : lanePlusOne - 1, account);
        if (!ok) return CODE_INVALID_GLOBAL_RESTRICTION;
        return _passes(rule.restrictionType, v, rule.value) ? CODE_OK : CODE_RECEIVER_RESTRICTED;
    }

    /// @dev T-REX: burning or forcing more than the unfrozen balance unfreezes the shortfall first.
    function _unfreezeShortfall(address from, uint256 amount) private {
        uint256 balance = balanceOf(from);
        if (amount > balance) revert ERC20InsufficientBalance(from, balance, amount);
        uint256 frozen = _frozenTokens[from];
        if (frozen == 0 || amount <= balance - frozen) return;
        uint256 shortfall = amount - (balance - frozen);
        _writeFrozen(from, frozen - shortfall);
        emit TokensUnfrozen(from, shortfall);
    }

    function _setFrozen(address account, bool frozen) private {
        uint256 word = _accountWords[account][0];
        _accountWords[account][0] = frozen ? word | FROZEN_BIT : word & ~FROZEN_BIT;
        emit AddressFrozen(account, frozen, _msgSender());
    }

    function _freezePartial(address account, uint256 amount) private {
        uint256 balance = balanceOf(account);
        uint256 after_ = _frozenTokens[account] + amount;
        if (after_ > balance) revert FreezeExceedsBalance(account, balance, after_);
        _writeFrozen(account, after_);
        emit TokensFrozen(account, amount);
    }

    function _unfreezePartial(address account, uint256 amount) private {
        uint256 frozen = _frozenTokens[account];
        if (amount > frozen) revert UnfreezeExceedsFrozen(account, frozen, amount);
        _writeFrozen(account, frozen - amount);
        emit TokensUnfrozen(account, amount);
    }

    function _writeFrozen(address account, uint256 amount) private {
        _frozenTokens[account] = amount;
        uint256 word = _accountWords[account][0];
        _accountWords[account][0] = amount != 0 ? word | PARTIAL_BIT : word & ~PARTIAL_BIT;
    }

    /// @dev Every balance change passes here (OpenZeppelin's `_update` is replaced, not extended: balances live in
    ///      `_words`). The first change of an account, or of the supply, in a snapshot period records its value
    ///      at the snapshot (value at creation, as OZ 4's ERC20Snapshot and Polymath, not TokenMarket's
    ///      end-of-period ids). Mint and burn move the supply like a receiver and a sender.
    function _update(address from, address to, uint256 value) internal override {
        _updateWith(_configWord(), from, to, value);
    }

    /// @dev {_update} with the config slot already read (`_currentSnapshotId` is in bits 184-231).
    function _updateWith(uint256 config, address from, address to, uint256 value) private {
        uint256 id = uint48(config >> 184);
        if (from == address(0)) {
            uint256 supply = totalSupply();
            if (value > type(uint160).max - supply) revert TotalSupplyWidthExceeded(supply, value, type(uint160).max);
            _move(SUPPLY_KEY, value, id, true);
        } else {
            _move(uint160(from), value, id, false);
        }
        _move(to == address(0) ? SUPPLY_KEY : uint160(to), value, id, to != address(0));
        emit Transfer(from, to, value);
    }

    /// @dev Adds `value` to (`credit`) or takes it from a key's balance, recording first. A credit cannot carry into
    ///      the id bits: no balance exceeds the supply, whose width mint enforces.
    function _move(uint256 key, uint256 value, uint256 id, bool credit) private {
        uint256 slot;
        uint256 word;
        assembly ("memory-safe") {
            mstore(0, key)
            mstore(32, _words.slot)
            slot := keccak256(0, 64)
            word := sload(slot)
            let last := and(shr(160, word), 0xffffffffffff)
            // The key's first change since snapshot `id` was taken: record its value at the snapshot. A key that
            // never had a checkpoint and holds 0 needs none: its id bits then mean "0 at every snapshot up to
            // here", carried into checkpoint 0 later, so a new holder pays no checkpoint slot.
            if iszero(eq(last, id)) {
                let count := shr(208, word)
                let held := and(word, 0xffffffffffffffffffffffffffffffffffffffff)
                switch or(count, held)
                case 0 { word := shl(160, id) }
                default {
                    mstore(0, or(shl(48, key), count))
                    mstore(32, _checkpoints.slot)
                    sstore(keccak256(0, 64), or(or(held, shl(160, id)), shl(208, mul(iszero(count), last))))
                    word := or(or(held, shl(160, id)), shl(208, add(count, 1)))
                }
            }
        }
        if (!credit && uint160(word) < value) {
            revert ERC20InsufficientBalance(address(uint160(key)), uint160(word), value);
        }
        unchecked {
            word = credit ? word + value : word - value;
        }
        assembly ("memory-safe") {
            sstore(slot, word)
        }
    }

    /// @dev The value at snapshot `id`: the first checkpoint taken at or after `id` (binary search), else the current
    ///      value when nothing changed since.
    function _valueAt(uint256 key, uint256 id) private view returns (uint256) {
        if (id == 0 || id > _currentSnapshotId) revert NonexistentSnapshot(id);
        uint256 word = _words[key];
        if (id > uint48(word >> 160)) return uint160(word);
        uint256 high = word >> 208;
        if (high == 0) return 0;
        uint256 low = key << 48;
        high += low - 1;
        while (low < high) {
            uint256 mid = (low + high) >> 1;
            if (uint48(_checkpoints[mid] >> 160) < id) low = mid + 1;
            else high = mid;
        }
        uint256 checkpoint = _checkpoints[low];
        return id <= checkpoint >> 208 ? 0 : uint160(checkpoint);
    }

    // ---------------------------------------------------------------- internals: rule storage

    function _setRule(
        uint64 key,
        address referenceToken,
        uint64 previousValue,
        uint8 previousType,
        uint64 newValue,
        uint8 newType
    ) private {
        if (newType > GE) revert InvalidRestrictionType(newType);
        if (newType == NONE) {
            if (previousType == NONE) revert CannotDeleteNonexistentRestriction(key);
            delete _rules[key];
            uint256 n = _ruleKeys.length;
            for (uint256 i = 0; i < n; ++i) {
                if (_ruleKeys[i] == key) {
                    _ruleKeys[i] = _ruleKeys[n - 1];
                    _ruleKeys.pop();
                    break;
                }
            }
        } else {
            if (referenceToken == address(this)) revert SelfReference(key);
            if (referenceToken != address(0)) _probeReference(key, referenceToken);
            if (previousType == NONE) {
                if (_ruleKeys.length >= MAX_RULES) revert MaxRestrictionsExceeded(key);
                _ruleKeys.push(key);
            }
            if (referenceToken == address(0)) _laneOf(key);
            _rules[key] = Rule(newValue, newType, referenceToken);
        }
        _compileRules();
        emit GlobalRestrictionUpdated(key, referenceToken, previousValue, previousType, newValue, newType);
    }

    /// @dev Symbol requires the reference to know the key; a registry has no rules, so we require that it answers
    ///      `getAddressRestriction` with a 32-byte word instead.
    function _probeReference(uint64 key, address referenceToken) private view {
        (bool ok,) = _accountValue(referenceToken, key, 0, address(0));
        if (!ok || referenceToken.code.length == 0) revert InvalidReferenceToken(key, referenceToken);
    }

    /// @dev Writes the active rules as contract code (SSTORE2): one cold EXTCODECOPY per transfer instead of
    ///      two cold SLOADs per rule. Rule changes are rare admin operations, so their extra cost is acceptable.
    function _compileRules() private {
        uint256 n = _ruleKeys.length;
        _ruleCount = uint8(n);
        if (n == 0) {
            _ruleBlob = address(0);
            return;
        }
        bytes memory blob = new bytes(n * 64);
        for (uint256 i = 0; i < n; ++i) {
            uint64 key = _ruleKeys[i];
            Rule memory rule = _rules[key];
            uint256 lanePlusOne = _keyLanes[key];
            uint256 lane = lanePlusOne == 0 ? 0 : lanePlusOne - 1;
            uint256 a = (uint256(rule.restrictionType) << 176) | (lane << 160) | uint160(rule.referenceToken);
            uint256 b = (uint256(key) << 64) | rule.value;
            assembly ("memory-safe") {
                mstore(add(add(blob, 32), mul(i, 64)), a)
                mstore(add(add(blob, 64), mul(i, 64)), b)
            }
        }
        // Init code: PUSH2 len, DUP1, PUSH1 10, RETURNDATASIZE, CODECOPY, RETURNDATASIZE, RETURN; the runtime code
        // starts with STOP (0x00) so that the data contract cannot be called.
        bytes memory init = abi.encodePacked(hex"61", uint16(blob.length + 1), hex"80600a3d393df300", blob);
        address pointer;
        assembly ("memory-safe") {
            pointer := create(0, add(init, 32), mload(init))
        }
        if (pointer == address(0)) revert InvalidGlobalRestriction(0);
        _ruleBlob = pointer;
    }

    function _setAddressValue(address account, uint64 key, uint64 newValue) private {
        if (_rules[key].restrictionType == NONE) revert UnknownGlobalRestriction(key);
        uint256 lane = _laneOf(key);
        (uint256 word, uint256 shift) = _lanePosition(lane);
        uint256 stored = _accountWords[account][word];
        uint64 previous = ~uint64(stored >> shift);
        if (newValue == UNSET && previous == UNSET) revert CannotDeleteNonexistentRestriction(key);
        uint256 mask = uint256(type(uint64).max) << shift;
        _accountWords[account][word] = (stored & ~mask) | (uint256(~newValue) << shift);
        emit AddressRestrictionUpdated(account, key, previous, newValue);
    }

    function _laneValue(address account, uint256 word0, uint256 lane) private view returns (uint64) {
        (uint256 word, uint256 shift) = _lanePosition(lane);
        uint256 stored = word == 0 && word0 != 0 ? word0 : _accountWords[account][word];
        return ~uint64(stored >> shift);
    }

    function _lanePosition(uint256 lane) private pure returns (uint256 word, uint256 shift) {
        unchecked {
            if (lane < 3) return (0, 64 * (lane + 1));
            return (1 + (lane - 3) / 4, 64 * ((lane - 3) % 4));
        }
    }

    /// @dev Lanes are assigned once per key and never reused, so a deleted rule's address values stay with their
    ///      key (as in Symbol, where address values outlive the global rule).
    function _laneOf(uint64 key) private returns (uint256) {
        uint256 lanePlusOne = _keyLanes[key];
        if (lanePlusOne != 0) return lanePlusOne - 1;
        uint16 lane = _laneCount;
        _laneCount = lane + 1;
        _keyLanes[key] = lane + 1;
        return lane;
    }

    function _wordCount() private view returns (uint256) {
        uint256 lanes = _laneCount;
        return lanes <= 3 ? 1 : 2 + (lanes - 4) / 4;
    }
}
