using System.Buffers.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace StoFunctions.Azure.KeyVault;

/// <summary>
/// The Key Vault keys REST operations this project uses, one request builder per operation
/// (azure-rest-api-specs keyvault data-plane keys.json). Shared by <see cref="KeyClient"/> and
/// <see cref="CryptographyClient"/>, so a vault's challenge and token are obtained once.
/// </summary>
internal sealed class KeyVaultRestClient
{
    private readonly HttpPipeline _pipeline;
    private readonly string _apiVersion;

    public KeyVaultRestClient(Uri vaultUri, TokenCredential credential, KeyVaultClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        if (!vaultUri.IsAbsoluteUri || vaultUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"Vault URI '{vaultUri}' must be an absolute https URL such as https://myvault.vault.azure.net/: bearer tokens never travel in clear text.", nameof(vaultUri));
        }

        options ??= new KeyVaultClientOptions();
        VaultUri = new Uri(vaultUri.GetLeftPart(UriPartial.Authority) + "/");
        _apiVersion = options.ApiVersion;
        _pipeline = HttpPipelineBuilder.Build(
            options,
            perCallPolicies: [],
            perRetryPolicies: [new KeyVaultChallengeAuthenticationPolicy(credential, !options.DisableChallengeResourceVerification)],
            new ResponseClassifier());
    }

    public Uri VaultUri { get; }

    public async Task<Response<KeyVaultKey>> GetKeyAsync(string name, string? version, CancellationToken cancellationToken)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Get, version is null ? ["keys", name] : ["keys", name, version]);
        Response response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ParseKeyBundle(response), response);
    }

    public async Task<Response<KeyVaultKey>> CreateEcKeyAsync(string name, string keyType, string curve, CancellationToken cancellationToken)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Post, ["keys", name, "create"]);
        message.Request.Content = JsonContent(writer =>
        {
            writer.WriteString("kty", keyType);
            writer.WriteString("crv", curve);
            writer.WriteStartArray("key_ops");
            writer.WriteStringValue("sign");
            writer.WriteStringValue("verify");
            writer.WriteEndArray();
        });
        Response response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ParseKeyBundle(response), response);
    }

    public async Task<Response<SignResult>> SignAsync(string name, string version, SignatureAlgorithm algorithm, byte[] digest, CancellationToken cancellationToken)
    {
        using HttpMessage message = CreateMessage(RequestMethod.Post, ["keys", name, version, "sign"]);
        message.Request.Content = JsonContent(writer =>
        {
            writer.WriteString("alg", algorithm.ToString());
            writer.WriteString("value", Base64Url.EncodeToString(digest));
        });
        Response response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        using JsonDocument document = ParseJson(response);
        string kid = RequiredString(response, document.RootElement, "kid");
        byte[] signature = DecodeBase64Url(response, RequiredString(response, document.RootElement, "value"), "value");
        return Response.FromValue(new SignResult(kid, signature, algorithm), response);
    }

    private HttpMessage CreateMessage(RequestMethod method, string[] pathSegments)
    {
        HttpMessage message = _pipeline.CreateMessage();
        Request request = message.Request;
        request.Method = method;
        request.Uri.Reset(VaultUri);
        foreach (string segment in pathSegments)
        {
            request.Uri.AppendPath(request.Uri.Path.EndsWith('/') ? segment : "/" + segment, escape: false);
        }

        request.Uri.AppendQuery("api-version", _apiVersion);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        Response response = message.Response;
        if (response.IsError)
        {
            // Azure.Core reads Key Vault's {"error":{"code","message"}} into ErrorCode and the message.
            throw new RequestFailedException(response);
        }

        return response;
    }

    private static RequestContent JsonContent(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return RequestContent.Create(buffer.ToArray());
    }

    private static KeyVaultKey ParseKeyBundle(Response response)
    {
        using JsonDocument document = ParseJson(response);
        if (!document.RootElement.TryGetProperty("key", out JsonElement key) || key.ValueKind != JsonValueKind.Object)
        {
            throw InvalidResponse(response, "the key bundle has no 'key' object");
        }

        string kid = RequiredString(response, key, "kid");
        string kty = RequiredString(response, key, "kty");
        string? crv = key.TryGetProperty("crv", out JsonElement c) ? c.GetString() : null;
        byte[]? x = key.TryGetProperty("x", out JsonElement xe) ? DecodeBase64Url(response, xe.GetString(), "key.x") : null;
        byte[]? y = key.TryGetProperty("y", out JsonElement ye) ? DecodeBase64Url(response, ye.GetString(), "key.y") : null;
        string[] ops = key.TryGetProperty("key_ops", out JsonElement o) && o.ValueKind == JsonValueKind.Array
            ? [.. o.EnumerateArray().Select(e => e.GetString() ?? string.Empty)]
            : [];
        bool enabled = !document.RootElement.TryGetProperty("attributes", out JsonElement attributes)
            || !attributes.TryGetProperty("enabled", out JsonElement en) || en.ValueKind != JsonValueKind.False;

        KeyVaultKeyIdentifier id;
        try
        {
            id = KeyVaultKeyIdentifier.Parse(new Uri(kid));
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            throw InvalidResponse(response, $"key.kid '{kid}' is not a key id ({e.Message})");
        }

        if (id.Version is null)
        {
            throw InvalidResponse(response, $"key.kid '{kid}' carries no version");
        }

        return new KeyVaultKey(id, new JsonWebKey(kid, kty, crv, x, y, ops), enabled);
    }

    private static JsonDocument ParseJson(Response response)
    {
        try
        {
            return JsonDocument.Parse(response.Content);
        }
        catch (JsonException e)
        {
            throw InvalidResponse(response, $"the body is not JSON ({e.Message})");
        }
    }

    private static string RequiredString(Response response, JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw InvalidResponse(response, $"property '{name}' is missing or not a string");

    private static byte[] DecodeBase64Url(Response response, string? value, string name)
    {
        try
        {
            // Key Vault sends base64url without padding (azure-sdk-for-js#16487); tolerate padding anyway.
            return Base64Url.DecodeFromChars((value ?? string.Empty).TrimEnd('='));
        }
        catch (FormatException)
        {
            throw InvalidResponse(response, $"property '{name}' is not base64url");
        }
    }

    private static RequestFailedException InvalidResponse(Response response, string what) =>
        new(response.Status, $"Key Vault answered {response.Status} but {what}; the vault URL may point at something that is not Key Vault.", "InvalidResponse", null);
}
