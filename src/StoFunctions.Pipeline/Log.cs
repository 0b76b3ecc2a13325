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

    [LoggerMessage(15, LogLevel.Critical, "ALERT lane {Lane} nonce {Nonce}: consumed by {TxHash}, a transaction of ours (business-key tag) whose ledger row was lost; its key recorded at this nonce: {KeyRecorded} (false: it already held one); the row adopted as that transaction: {Adopted} (false: the row's own intent is parked, NonceConsumedExternally)")]
    public static partial void ConsumedByOwnLostTransaction(ILogger logger, string lane, ulong nonce, string txHash, bool keyRecorded, bool adopted);

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

    [LoggerMessage(100, LogLevel.Warning, "Lane {Lane}: the chain's nonce {ChainNonce} is ahead of the ledger ({LedgerNext}); reconciling nonces {From}–{To} from the chain before anything is planned or sent")]
    public static partial void ReconcileStarted(ILogger logger, string lane, ulong chainNonce, ulong ledgerNext, ulong from, ulong to);

    [LoggerMessage(101, LogLevel.Warning, "Lane {Lane}: rebuilt {Rows} ledger rows from the chain (nonces {From}–{To}): {Tagged} with a business-key tag, {Fillers} fillers, {Foreign} foreign, {Missing} not found; scanned blocks {Blocks}")]
    public static partial void Reconciled(ILogger logger, string lane, int rows, ulong from, ulong to, int tagged, int fillers, int foreign, int missing, string blocks);

    [LoggerMessage(102, LogLevel.Error, "ALERT lane {Lane} nonce {Nonce}: consumed by transaction {TxHash} without business-key tag (another wallet uses the key?); recorded as NonceConsumedExternally")]
    public static partial void ReconciledForeign(ILogger logger, string lane, ulong nonce, string txHash);

    [LoggerMessage(103, LogLevel.Error, "ALERT lane {Lane} nonce {Nonce}: consumed on chain but its transaction was not found in blocks {Blocks}; recorded as NonceConsumedExternally")]
    public static partial void ReconciledMissing(ILogger logger, string lane, ulong nonce, string blocks);

    [LoggerMessage(104, LogLevel.Warning, "Lane {Lane} nonce {Nonce}: idempotency row {KeyRow} already exists; the recovered row is kept without it")]
    public static partial void ReconciledKeyRowExists(ILogger logger, string lane, ulong nonce, string keyRow);

    [LoggerMessage(105, LogLevel.Warning, "Lane {Lane}: a new ledger on a key with history; nonces below {FirstFound} are older than the reconciliation lookback (blocks {Blocks}) and get no rows")]
    public static partial void ReconcileHistoryBeforeLookback(ILogger logger, string lane, ulong firstFound, string blocks);

    [LoggerMessage(106, LogLevel.Error, "ALERT lane {Lane}: the ledger's account row counts nonce {Nonce} but that nonce has no row (rows lost while the account row survived); rebuilding every nonce from the chain before anything is planned or sent")]
    public static partial void ReconcileRowsLost(ILogger logger, string lane, ulong nonce);

    [LoggerMessage(108, LogLevel.Error, "ALERT lane {Lane}: command {CommandId} lists {Missing} nonces from {From} without ledger rows (rows lost); rebuilding them from the chain")]
    public static partial void CommandRowsMissing(ILogger logger, string lane, string commandId, int missing, ulong from);

    [LoggerMessage(109, LogLevel.Warning, "Lane {Lane}: rebuilding the lost rows of command {CommandId} failed; its status shows the rows that exist and the next read tries again")]
    public static partial void CommandRowsRepairFailed(ILogger logger, string lane, string commandId, Exception exception);

    [LoggerMessage(107, LogLevel.Warning, "Lane {Lane} nonce {Nonce}: the node keeps no state of old blocks ({Message}); finding the transaction that took the nonce by scanning blocks back from the head")]
    public static partial void HistoricalStateRefused(ILogger logger, string lane, ulong nonce, string message);

    [LoggerMessage(200, LogLevel.Warning, "{Loop} failed ({Failure}); it retries with backoff and logs again when it recovers")]
    public static partial void OutageStarted(ILogger logger, string loop, string failure, Exception exception);

    [LoggerMessage(201, LogLevel.Debug, "{Loop} failed again (failure {Failures}: {Failure}); next attempt in {Delay}")]
    public static partial void OutageRetry(ILogger logger, string loop, int failures, string failure, TimeSpan delay);

    [LoggerMessage(202, LogLevel.Warning, "{Loop} still failing: {Failures} failures over {Duration} (last: {Failure})")]
    public static partial void OutageContinues(ILogger logger, string loop, int failures, TimeSpan duration, string failure);

    [LoggerMessage(203, LogLevel.Information, "{Loop} recovered after {Failures} failures over {Duration}")]
    public static partial void OutageEnded(ILogger logger, string loop, int failures, TimeSpan duration);

    [LoggerMessage(204, LogLevel.Warning, "{Loop}: {Resource} did not exist (deleted while the app ran); created it again")]
    public static partial void ResourceRecreated(ILogger logger, string loop, string resource);

    [LoggerMessage(205, LogLevel.Warning, "Lane {Lane}: lease renewal failing for {Elapsed} ({Failure}); the lane stops before its next write and acquires the lease again")]
    public static partial void LeaseRenewalFailing(ILogger logger, string lane, TimeSpan elapsed, string failure);

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

    [LoggerMessage(156, LogLevel.Critical, "ALERT lane {Lane} nonce {Nonce}: the chain's nonce ({ChainNonce}) passed it, but the node has no transaction of any sender at that nonce in its last {Blocks} blocks and no receipt for the row's attempts; the node's history is incomplete (e.g. anvil restored from a state dump). Nothing is sent for the nonce; the row stays open and is searched again every {RetrySeconds:F0} s. Check the chain with another node")]
    public static partial void ConsumedNonceWithoutTransaction(ILogger logger, string lane, ulong nonce, ulong chainNonce, ulong blocks, double retrySeconds);

    [LoggerMessage(157, LogLevel.Warning, "Lane {Lane} nonce {Nonce}: its transaction has waited {Seconds:F0} s in the node's pool without a block; asking the development node to mine one (evm_mine)")]
    public static partial void MiningStalledDevChain(ILogger logger, string lane, ulong nonce, double seconds);

    [LoggerMessage(158, LogLevel.Warning, "Lane {Lane}: the node refused evm_mine ({Message}); MineWhenStalledAfter is for development chains only and is off from now on")]
    public static partial void MineRefused(ILogger logger, string lane, string message);

    [LoggerMessage(159, LogLevel.Warning, "Lane {Lane} nonce {Nonce}: still unmined {Seconds:F0} s after it was sent and after a block was asked for; the node's pool holds it {Where} while the chain's nonce is {ChainNonce} (the sender's ready nonces: {Ready}; queued: {Queued}), so the node lost track of it. Removing the sender's pool entries (anvil_removePoolTransactions) and resending the same bytes in nonce order")]
    public static partial void PoolLostTrack(ILogger logger, string lane, ulong nonce, double seconds, string where, ulong chainNonce, string ready, string queued);

    [LoggerMessage(206, LogLevel.Warning, "Lane {Lane}: the lease blob does not answer ({Failure}); the lane orchestration runs the next slice after a backoff")]
    public static partial void LaneSliceLeaseUnavailable(ILogger logger, string lane, string failure);

    [LoggerMessage(160, LogLevel.Warning, "Command {CommandId}: planning after its 202 ended in an error; an allocation that failed is resumed by the pending sweep, a refusal is the command's Failed status")]
    public static partial void PlanningFailedAfterAnswer(ILogger logger, string commandId, Exception exception);
}
