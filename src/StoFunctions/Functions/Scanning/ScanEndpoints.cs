using StoFunctions.Ethereum;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Scanning;

/// <summary><c>POST /api/tokens/{token}/scans</c> and <c>PUT /api/tokens/{token}/watch</c>.</summary>
public static class ScanEndpoints
{
    /// <summary>Scans now (synchronously; the scan is resumable, so a dropped request loses nothing) and returns what was done.</summary>
    public static async Task<IResult> ScanAsync(string token, HttpRequest request, TokenScanner scanner, CancellationToken cancellationToken)
    {
        if (ScanInput.TryToken(token, out Address address) is { } bad)
        {
            return bad;
        }

        (ScanRequest? body, IResult? problem) = await ScanInput.ReadOptionalJsonAsync<ScanRequest>(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.FromBlock is { } from && body.ToBlock is { } to && from > to)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, $"fromBlock {from} is after toBlock {to}.",
                new Dictionary<string, string[]> { ["fromBlock"] = ["Must be at most toBlock."] });
        }

        try
        {
            ScanResult result = await scanner.ScanAsync(address, body.FromBlock, body.ToBlock, cancellationToken).ConfigureAwait(false);
            return Results.Ok(new
            {
                token = address.ToString(),
                result.FromBlock,
                result.LastBlock,
                result.Events,
                result.Ranges,
                result.RolledBackTo,
            });
        }
        catch (ScanException ex)
        {
            return ScanInput.FromScanException(ex);
        }
    }

    /// <summary>Puts any ERC-20 on the timer's watch list.</summary>
    public static async Task<IResult> WatchAsync(string token, HttpRequest request, ScanStore store, CancellationToken cancellationToken)
    {
        if (ScanInput.TryToken(token, out Address address) is { } bad)
        {
            return bad;
        }

        (ScanRequest? body, IResult? problem) = await ScanInput.ReadOptionalJsonAsync<ScanRequest>(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        await store.EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        await store.WatchAsync(address, body!.FromBlock, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new { token = address.ToString(), fromBlock = body.FromBlock });
    }
}
