using StoFunctions.Ethereum;
using StoFunctions.Pipeline.Scanning;
using StoFunctions.Runtime;

namespace StoFunctions.Functions.Scanning;

/// <summary>The <c>Scan</c> timer: scans every token we issued and every watched ERC-20, one after another.</summary>
public sealed class ScanTimerFunction(TokenScanner scanner, ILogger<ScanTimerFunction> logger) : ITimerFunction
{
    /// <inheritdoc />
    public async Task RunAsync(TimerInfo timer, CancellationToken cancellationToken)
    {
        await scanner.Store.EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<Address, ulong?> tokens = await scanner.Store.ListWatchedAsync(cancellationToken).ConfigureAwait(false);
        foreach ((Address token, ulong? fromBlock) in tokens)
        {
            try
            {
                // The watch list's fromBlock only applies to the first scan; later it would mean "rescan from there".
                bool first = await scanner.Store.GetCursorAsync(token, cancellationToken).ConfigureAwait(false) is null;
                ScanResult result = await scanner.ScanAsync(token, first ? fromBlock : null, cancellationToken: cancellationToken).ConfigureAwait(false);
                logger.TokenScanned(token.ToString(), result.LastBlock, result.Events);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One broken token (self-destructed, node error) must not stop the others.
                logger.TokenScanFailed(ex, token.ToString());
            }
        }
    }
}
