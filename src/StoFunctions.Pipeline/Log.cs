using Microsoft.Extensions.Logging;

namespace StoFunctions.Pipeline;

/// <summary>The pipeline's log messages (source-generated). Never secrets or investor PII.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Lane {Lane} loaded {Open} open transactions from nonce {OpenFrom}")]
    public static partial void LaneLoaded(ILogger logger, string lane, int open, ulong openFrom);

    [LoggerMessage(2, LogLevel.Warning, "Lane {Lane} step failed; state is reloaded from the ledger")]
    public static partial void StepFailed(ILogger logger, string lane, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Lane {Lane} nonce {Nonce}: node refused {TxHash}: {Kind} ({Message})")]
    public static partial void SendRefused(ILogger logger, string lane, ulong nonce, string txHash, string kind, string message);

    [LoggerMessage(4, LogLevel.Warning, "Lane {Lane} nonce {Nonce}: unrecognised node answer treated as maybe-sent: {Message}")]
    public static partial void UnknownSendError(ILogger logger, string lane, ulong nonce, string message);

    [LoggerMessage(5, LogLevel.Critical, "ALERT lane {Lane} nonce {Nonce}: consumed by foreign transaction {TxHash}; the intent is parked (NonceConsumedExternally)")]
    public static partial void NonceConsumedExternally(ILogger logger, string lane, ulong nonce, string txHash);

    [LoggerMessage(6, LogLevel.Error, "ALERT lane {Lane} nonce {Nonce}: insufficient funds; holding the nonce and retrying the same bytes")]
    public static partial void InsufficientFunds(ILogger logger, string lane, ulong nonce);

    [LoggerMessage(7, LogLevel.Error, "ALERT lane {Lane} nonce {Nonce}: fee cap {Cap} reached; rebroadcasting the highest attempt")]
    public static partial void FeeCapReached(ILogger logger, string lane, ulong nonce, string cap);

    [LoggerMessage(8, LogLevel.Warning, "Lane {Lane} nonce {Nonce}: receipt of {TxHash} left the canonical chain (reorg); back to Broadcast")]
    public static partial void Reorged(ILogger logger, string lane, ulong nonce, string txHash);

    [LoggerMessage(9, LogLevel.Warning, "Lane {Lane} nonce {Nonce}: intent rejected by the node ({Message}); the nonce is reused by a no-op filler")]
    public static partial void Rejected(ILogger logger, string lane, ulong nonce, string message);

    [LoggerMessage(10, LogLevel.Information, "Lane {Lane} nonce {Nonce}: fee bump to attempt {Attempt} ({Fees})")]
    public static partial void Bumped(ILogger logger, string lane, ulong nonce, int attempt, string fees);

    [LoggerMessage(11, LogLevel.Warning, "Lane {Lane}: nonce {Nonce} has no ledger row; filling the gap with a no-op")]
    public static partial void GapFilled(ILogger logger, string lane, ulong nonce);

    [LoggerMessage(12, LogLevel.Warning, "Lane {Lane}: signing nonce {Nonce} failed; it stays Planned and is retried")]
    public static partial void SignFailed(ILogger logger, string lane, ulong nonce, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "Lane {Lane}: lease lost; the lane stops before its next write")]
    public static partial void LeaseLost(ILogger logger, string lane);

    [LoggerMessage(14, LogLevel.Information, "Lane {Lane} nonce {Nonce}: adopted mined transaction {TxHash} that carries our intent but was not recorded")]
    public static partial void Adopted(ILogger logger, string lane, ulong nonce, string txHash);

    [LoggerMessage(150, LogLevel.Information, "Lane {Lane} nonce {Nonce}: the node accepted the attempt at the fee cap after {Waits} refusals (the base fee fell); sending resumes")]
    public static partial void FeeCapCleared(ILogger logger, string lane, ulong nonce, int waits);

    [LoggerMessage(151, LogLevel.Error, "ALERT lane {Lane}: {Count} nonces (lowest {Lowest}) are waiting at the fee cap {Cap}; the base fee is {BaseFee}; {Refusals} underpriced refusals since the last summary. Raise stoFunctions.feeCapGwei or wait for the base fee to fall")]
    public static partial void FeeCapSummary(ILogger logger, string lane, int count, ulong lowest, string cap, string baseFee, int refusals);

    [LoggerMessage(152, LogLevel.Critical, "ALERT lane {Lane}: the chain's nonce {ChainNonce} fell below the ledger's {Frontier}: {Count} rows recorded as final (nonces {From}–{To}) are no longer on the chain, a reorg deeper than {Confirmations} confirmations. They return to Broadcast and their stored bytes (same hashes) are rebroadcast in nonce order")]
    public static partial void DeepReorg(ILogger logger, string lane, ulong chainNonce, ulong frontier, int count, ulong from, ulong to, int confirmations);

    [LoggerMessage(153, LogLevel.Warning, "Lane {Lane}: the node reports nonce {ChainNonce}, below the ledger's {Frontier}, but every receipt of those rows is still on the chain; the node is probably behind its peers. Nothing changed")]
    public static partial void ChainBehindButReceiptsPresent(ILogger logger, string lane, ulong chainNonce, ulong frontier);

    [LoggerMessage(154, LogLevel.Warning, "The node at {Endpoint} has not answered {Method} for {Seconds:F0} s; callers wait (reads are retried after the RPC timeout). Check the node or its network")]
    public static partial void RpcStalled(ILogger logger, string endpoint, string method, double seconds);

    [LoggerMessage(155, LogLevel.Information, "The node at {Endpoint} answers again after a stall of {Seconds:F0} s")]
    public static partial void RpcRecovered(ILogger logger, string endpoint, double seconds);
}
