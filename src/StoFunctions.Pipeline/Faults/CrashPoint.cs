namespace StoFunctions.Pipeline.Faults;

/// <summary>
/// The named moments at which a test may crash the pipeline (research/txpipeline.md §8.1). Each sits between
/// two durable steps, where a crash is most likely to break an invariant if the write-ahead order is wrong.
/// </summary>
public static class CrashPoint
{
    /// <summary>Nonces and transaction rows are persisted, nothing is signed yet.</summary>
    public const string AfterNonceAllocation = "after_nonce_alloc";

    /// <summary>A transaction is signed but the signed bytes are not persisted (they are lost with the crash).</summary>
    public const string AfterSignBeforePersist = "after_sign_before_persist";

    /// <summary>The signed bytes are persisted, nothing was sent.</summary>
    public const string AfterPersistBeforeBroadcast = "after_persist_before_broadcast";

    /// <summary>The node accepted the transaction but the ledger still says Signed.</summary>
    public const string AfterBroadcastBeforeStatus = "after_broadcast_before_status";

    /// <summary>A receipt was read but the Mined/Confirmed state is not persisted.</summary>
    public const string DuringConfirm = "during_confirm";

    /// <summary>A fee-bump replacement is signed but not persisted nor sent.</summary>
    public const string DuringBumpAfterSign = "during_bump_after_sign";

    /// <summary>Every named point, for validation of <c>FAULT_CRASH_AT</c>.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AfterNonceAllocation, AfterSignBeforePersist, AfterPersistBeforeBroadcast,
        AfterBroadcastBeforeStatus, DuringConfirm, DuringBumpAfterSign,
    ];
}
