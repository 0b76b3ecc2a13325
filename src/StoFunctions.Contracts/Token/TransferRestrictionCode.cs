namespace StoFunctions.Contracts;

/// <summary>
/// The ERC-1404 codes of <c>SecurityToken.detectTransferRestriction</c>. Each non-zero code names the one custom error
/// the transfer (or mint, with <c>from</c> = 0) would revert with, so the pipeline can refuse a command before it
/// signs anything. Listed in the order the token checks them.
/// </summary>
public enum TransferRestrictionCode : byte
{
    /// <summary>The transfer would succeed.</summary>
    Ok = 0,

    /// <summary><c>ERC20InvalidReceiver(to)</c>: the receiver is the zero address.</summary>
    ZeroAddress = 9,

    /// <summary><c>EnforcedPause()</c>: the token is paused (holder transfers and mint).</summary>
    Paused = 1,

    /// <summary><c>SenderFrozen(from)</c>.</summary>
    SenderFrozen = 2,

    /// <summary><c>ReceiverFrozen(to)</c>.</summary>
    ReceiverFrozen = 3,

    /// <summary><c>ERC20InsufficientBalance(from, balance, amount)</c>.</summary>
    InsufficientBalance = 8,

    /// <summary><c>InsufficientUnfrozenBalance(from, amount, unfrozen)</c>: part of the balance is frozen.</summary>
    InsufficientUnfrozenBalance = 4,

    /// <summary><c>InvalidGlobalRestriction(key)</c>: a rule's reference token or registry does not answer.</summary>
    InvalidGlobalRestriction = 7,

    /// <summary><c>SenderRestricted(from, key)</c>: the sender fails a key/value rule.</summary>
    SenderRestricted = 5,

    /// <summary><c>ReceiverRestricted(to, key)</c>: the receiver fails a key/value rule (e.g. not KYC'd).</summary>
    ReceiverRestricted = 6,

    /// <summary><c>ModuleRejected(module, hook)</c>: an attached module's <c>checkTransfer</c> said no.</summary>
    ModuleRejected = 10,
}
