using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace StoFunctions.Azure.Storage.Authentication;

/// <summary>
/// Signs Table requests with SharedKeyLite: <c>x-ms-date + "\n" + CanonicalizedResource</c>. The Azure SDK
/// uses this scheme for Tables because it does not sign Content-Type, which transports may rewrite.
/// </summary>
internal sealed class TableSharedKeyLitePolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        Request request = message.Request;
        string date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        string signature = credential.Sign(BuildStringToSign(request.Uri.ToUri(), date, credential.AccountName));
        request.Headers.SetValue("Authorization", $"SharedKeyLite {credential.AccountName}:{signature}");
    }

    internal static string BuildStringToSign(Uri uri, string date, string accountName)
    {
        // Only comp= of the query is part of the Table canonical resource; $filter etc. are not signed.
        string resource = "/" + accountName + uri.AbsolutePath;
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                resource += "?comp=" + Uri.UnescapeDataString(pair[5..]);
            }
        }

        return date + "\n" + resource;
    }
}
