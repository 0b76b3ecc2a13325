using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Outages;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Scanning;

/// <summary>
/// The <c>Scan</c> timer: scans every token we issued and every watched ERC-20, one after another. A scanner table
/// deleted while the app runs is created again and the token scanned again from its deployment block. When storage
/// or the node does not answer, the run stops at once (every token would fail alike) and the timer logs the outage
/// once; the next occurrence retries from the cursors. The schedule is the app setting <c>ScanSchedule</c> (a 6-field
/// NCrontab expression, UTC).
/// </summary>
public sealed class ScanTimerFunction(TokenScanner scanner, ILogger<ScanTimerFunction> logger)
{
    /// <summary>Scans every issued and watched token once.</summary>
    [Function(ScannerFunctions.TimerName)]
    public async Task RunAsync([TimerTrigger("%ScanSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<Address, ulong?> tokens;
        try
        {
            await scanner.Store.EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
            tokens = await scanner.Store.ListWatchedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (DependencyFailure.IsMissingResource(ex))
        {
            await RecreateTablesAsync(cancellationToken).ConfigureAwait(false);
            tokens = await scanner.Store.ListWatchedAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach ((Address token, ulong? fromBlock) in tokens)
        {
            try
            {
                await ScanAsync(token, fromBlock, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (DependencyFailure.IsMissingResource(ex))
            {
                await RecreateTablesAsync(cancellationToken).ConfigureAwait(false);
                await ScanAsync(token, fromBlock, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !DependencyFailure.IsUnreachable(ex, cancellationToken))
            {
                // One broken token (self-destructed, node error) must not stop the others.
                logger.TokenScanFailed(ex, token.ToString());
            }
        }
    }

    private async Task ScanAsync(Address token, ulong? fromBlock, CancellationToken cancellationToken)
    {
        // The watch list's fromBlock only applies to the first scan; later it would mean "rescan from there".
        bool first = await scanner.Store.GetCursorAsync(token, cancellationToken).ConfigureAwait(false) is null;
        ScanResult result = await scanner.ScanAsync(token, first ? fromBlock : null, cancellationToken: cancellationToken).ConfigureAwait(false);
        logger.TokenScanned(token.ToString(), result.LastBlock, result.Events);
    }

    private async Task RecreateTablesAsync(CancellationToken cancellationToken)
    {
        await scanner.Store.RecreateTablesAsync(cancellationToken).ConfigureAwait(false);
        logger.ScannerTablesRecreated();
    }
}
