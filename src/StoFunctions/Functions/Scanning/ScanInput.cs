using System.Text.Json;
using StoFunctions.Ethereum;
using StoFunctions.Hosting;
using StoFunctions.Pipeline.Scanning;

namespace StoFunctions.Functions.Scanning;

/// <summary>Input parsing shared by the scanner routes; every failure becomes a 4xx problem naming the field.</summary>
internal static class ScanInput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IResult? TryToken(string text, out Address token)
    {
        if (Address.TryParse(text, out token))
        {
            return null;
        }

        return Problems.Result(StatusCodes.Status400BadRequest, $"'{EchoText.Bounded(text)}' is not a token address.",
            new Dictionary<string, string[]> { ["token"] = ["Expected 0x and 40 hex digits, all lower case or with a valid EIP-55 checksum."] });
    }

    /// <summary>Reads an optional JSON body; an empty body gives a default instance.</summary>
    public static async Task<(T? Body, IResult? Problem)> ReadOptionalJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : new()
    {
        using var reader = new StreamReader(request.Body);
        string text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (new T(), null);
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(text, Json) ?? new T(), null);
        }
        catch (JsonException ex)
        {
            string field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (default, Problems.Result(StatusCodes.Status400BadRequest, $"The JSON body is invalid at {ex.Path ?? "$"}: expected a non-negative block number or a well-formed object.",
                new Dictionary<string, string[]> { [field] = [ex.Message] }));
        }
    }

    public static IResult FromScanException(ScanException ex) => Problems.Result(
        ex.Kind switch
        {
            ScanErrorKind.Invalid => StatusCodes.Status400BadRequest,
            ScanErrorKind.NotScanned or ScanErrorKind.Concurrent => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status502BadGateway,
        },
        ex.Message);
}
