using StoFunctions.Pipeline.Fees;

namespace StoFunctions.Pipeline.Lanes;

/// <summary>Timings and limits of a lane (host.json <c>stoFunctions</c> keys override them); defaults from design/pipeline.md.</summary>
public sealed record LaneOptions
{
    /// <summary>Confirmations K: a receipt at depth ≥ K (block hash re-checked) is Confirmed. 12 by default, 1 on dev chains.</summary>
    public int Confirmations { get; init; } = 12;

    /// <summary>Resend the same bytes after this long without a receipt. 30 s by default, 5 s on dev chains.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bump the fees of an attempt that is underpriced for the current base fee after this long.</summary>
    public TimeSpan BumpAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>At most this many sent, unmined transactions per sender (geth's per-account pending slots).</summary>
    public int InFlightWindow { get; init; } = 16;

    /// <summary>
    /// How many signatures may be requested at once (Key Vault round trips overlap). A step signs its whole batch of
    /// planned rows before their receipts are tracked, so the batch's signing time (rows / parallelism × Key Vault
    /// latency) is paid once per step: 32 keeps a 256-row step near 200 ms at 25 ms per signature (about 200 tx/s
    /// end to end on anvil, against about 120 with 16). Key Vault's own throttle answers 429 with Retry-After,
    /// which the client honours.
    /// </summary>
    public int SigningParallelism { get; init; } = 32;

    /// <summary>
    /// How long the lane sleeps between sweeps when nothing wakes it and the last sweep moved nothing (every open row
    /// waiting for a receipt or for confirmations): how often a waiting row's receipt and the head are read.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the lane waits before resending bytes the node refused for lack of funds.</summary>
    public TimeSpan InsufficientFundsBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far back reconciliation (invariant 0) scans for a sender's unknown transactions when the ledger knows no
    /// earlier transaction to start from (an empty or new ledger): 200,000 blocks, about four weeks at 12 s.
    /// Nonces older than that on a new ledger are taken as history that predates it.
    /// </summary>
    public ulong ReconcileLookbackBlocks { get; init; } = 200_000;

    /// <summary>How long reconciliation waits for unknown transactions of the sender that are pending but not mined before refusing (retryable).</summary>
    public TimeSpan ReconcilePendingWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a lane with nonces waiting at the fee cap logs one summary of them (instead of a line per refusal).</summary>
    public TimeSpan FeeCapSummaryInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often an idle lane reads its sender's chain nonce to notice rows the chain no longer has (a reorg deeper
    /// than <see cref="Confirmations"/>). A lane with open rows compares at every step. 10 s by default, 1 s on dev chains.
    /// </summary>
    public TimeSpan ChainCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Development chains only (anvil): when the transaction of the sender's next nonce has waited this long in the
    /// node's pool without being mined, the lane asks the node for a block (<c>evm_mine</c>), at most once per this
    /// interval. anvil's automine can leave ready transactions unmined until another transaction arrives; a lane whose
    /// window is full sends none, so it waited forever (seen: nonces 87–342 in the pool, none mined for minutes).
    /// Null (the default): never; a real chain mines on its own.
    /// </summary>
    public TimeSpan? MineWhenStalledAfter { get; init; }

    /// <summary>Fee settings.</summary>
    public FeePolicy Fees { get; init; } = new();

    /// <summary>
    /// Settings for local development chains: K = 1, resend after 5 s, bump after 10 s, fast polling, and a window
    /// of 256 (a dev node mines every transaction at once, so the window bounds how many rows one step signs and
    /// sends; larger pools of one sender made anvil lose entries under load).
    /// </summary>
    public static LaneOptions DevChain { get; } = new()
    {
        Confirmations = 1,
        InFlightWindow = 256,
        ResendAfter = TimeSpan.FromSeconds(5),
        BumpAfter = TimeSpan.FromSeconds(10),
        PollInterval = TimeSpan.FromMilliseconds(100),
        InsufficientFundsBackoff = TimeSpan.FromSeconds(1),
        ChainCheckInterval = TimeSpan.FromSeconds(1),
        // anvil mines a transaction as it arrives, so one unmined for 1 s is stalled (a false alarm costs one block).
        // Under load anvil leaves the tail of a full window unmined (a 20,000-row distribution: after nonce 16,867
        // every 256th nonce waited, and with 10 s a stall the block did not clear took 20 s).
        MineWhenStalledAfter = TimeSpan.FromSeconds(1),
    };
}
