using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace StoFunctions.Azure.Storage.Authentication;

/// <summary>
/// Signs Blob and Queue requests with the full Shared Key scheme ("Shared Key format for 2009-09-19 and
/// later"). Azurite rejects SharedKeyLite for these services, so only the full form is implemented.
/// </summary>
/// <remarks>Per-retry: every attempt gets a fresh <c>x-ms-date</c> and signature.</remarks>
internal sealed class StorageSharedKeyPolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        Request request = message.Request;
        request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        string signature = credential.Sign(BuildStringToSign(request, credential.AccountName));
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{signature}");
    }

    internal static string BuildStringToSign(Request request, string accountName)
    {
        var text = new StringBuilder(256);
        text.Append(request.Method.Method.ToUpperInvariant()).Append('\n');
        text.Append(Header(request, "Content-Encoding")).Append('\n');
        text.Append(Header(request, "Content-Language")).Append('\n');
        // Since 2015-02-21 a zero length signs as the empty string.
        long length = 0;
        bool known = request.Content is not null && request.Content.TryComputeLength(out length);
        text.Append(known && length > 0 ? length.ToString(CultureInfo.InvariantCulture) : string.Empty).Append('\n');
        text.Append(Header(request, "Content-MD5")).Append('\n');
        text.Append(Header(request, "Content-Type")).Append('\n');
        text.Append('\n'); // Date: empty because x-ms-date is always sent.
        text.Append(Header(request, "If-Modified-Since")).Append('\n');
        text.Append(Header(request, "If-Match")).Append('\n');
        text.Append(Header(request, "If-None-Match")).Append('\n');
        text.Append(Header(request, "If-Unmodified-Since")).Append('\n');
        text.Append(Header(request, "Range")).Append('\n');

        foreach (HttpHeader header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .OrderBy(h => h.Name.ToLowerInvariant(), StringComparer.Ordinal))
        {
            text.Append(header.Name.ToLowerInvariant()).Append(':').Append(header.Value.Trim()).Append('\n');
        }

        Uri uri = request.Uri.ToUri();
        // With Azurite's path-style URLs the path already starts with the account, so it appears twice.
        text.Append('/').Append(accountName).Append(uri.AbsolutePath);
        foreach (IGrouping<string, KeyValuePair<string, string>> group in QueryParameters(uri.Query)
                     .GroupBy(p => p.Key)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(group.Key).Append(':')
                .Append(string.Join(',', group.Select(p => p.Value).Order(StringComparer.Ordinal)));
        }

        return text.ToString();
    }

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out string? value) ? value : string.Empty;

    private static IEnumerable<KeyValuePair<string, string>> QueryParameters(string query)
    {
        foreach (string pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? pair : pair[..eq];
            string value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            yield return new(Uri.UnescapeDataString(name).ToLowerInvariant(), Uri.UnescapeDataString(value.Replace('+', ' ')));
        }
    }
}
