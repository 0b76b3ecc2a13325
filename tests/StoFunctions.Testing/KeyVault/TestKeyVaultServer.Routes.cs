using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace StoFunctions.Testing.KeyVault;

// The REST surface follows azure-rest-api-specs keyvault data-plane keys.json (7.4/7.5): KeyBundle,
// KeySignParameters {alg, value}, KeyOperationResult {kid, value}, KeyVaultError {error:{code, message}}.
public sealed partial class TestKeyVaultServer
{
    private static readonly HashSet<string> s_apiVersions = ["7.4", "7.5", "7.6", "2025-06-01", "2025-07-01"];

    private void MapRoutes()
    {
        // Latency is the vault's whole response time, as an HSM round trip is: the answer is buffered and held
        // until Latency has passed since the request arrived, so this server's own work (TLS aside) is inside it.
        _app.Use(async (context, next) =>
        {
            TimeSpan latency = Knobs.Latency;
            if (latency <= TimeSpan.Zero)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            long arrived = Stopwatch.GetTimestamp();
            Stream body = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context).ConfigureAwait(false);
                TimeSpan remaining = latency - Stopwatch.GetElapsedTime(arrived);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, context.RequestAborted).ConfigureAwait(false);
                }
            }
            finally
            {
                context.Response.Body = body;
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        });

        _app.Use(async (context, next) =>
        {
            TestKeyVaultKnobs knobs = Knobs;

            string? token = BearerToken(context.Request);
            if (token is null || (knobs.RequiredBearerToken is { } required && token != required))
            {
                Interlocked.Increment(ref _unauthenticated);
                if (context.Request.ContentLength > 0)
                {
                    Interlocked.Increment(ref _unauthenticatedWithBody);
                }

                string challengeParameter = knobs.ChallengeUsesScope
                    ? $"scope=\"{knobs.ChallengeResource}/.default\""
                    : $"resource=\"{knobs.ChallengeResource}\"";
                context.Response.Headers.WWWAuthenticate =
                    $"Bearer authorization=\"https://login.microsoftonline.com/{knobs.ChallengeTenant}\", {challengeParameter}";
                await WriteErrorAsync(context, 401, "Unauthorized", token is null
                    ? "AKV10000: Request is missing a Bearer or PoP token."
                    : "AKV10022: Invalid audience.").ConfigureAwait(false);
                return;
            }

            _bearerTokens.AddOrUpdate(token, 1, (_, count) => count + 1);
            int authenticated = Interlocked.Increment(ref _authenticated);
            if (knobs.ThrottleEvery > 0 && authenticated % knobs.ThrottleEvery == 0)
            {
                Interlocked.Increment(ref _throttled);
                context.Response.Headers.RetryAfter = knobs.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await WriteErrorAsync(context, 429, "Throttled", "Request was not processed because too many requests were received. Reason: A generic operation limit has been reached.").ConfigureAwait(false);
                return;
            }

            string? apiVersion = context.Request.Query["api-version"];
            if (apiVersion is null || !s_apiVersions.Contains(apiVersion))
            {
                await WriteErrorAsync(context, 400, "BadParameter", $"The specified version ({apiVersion ?? "none"}) is not recognized. Consider using the latest supported version (7.5).").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        _app.MapPost("/keys/{name}/create", CreateKeyAsync);
        _app.MapGet("/keys/{name}/{version?}", GetKeyAsync);
        _app.MapPost("/keys/{name}/{version}/sign", SignAsync);
        _app.MapFallback(context => WriteErrorAsync(context, 400, "BadParameter", $"The test Key Vault does not implement {context.Request.Method} {context.Request.Path}."));
    }

    private async Task CreateKeyAsync(HttpContext context, string name)
    {
        JsonObject? body = await ReadBodyAsync(context).ConfigureAwait(false);
        string? kty = StringProperty(body, "kty");
        string? crv = StringProperty(body, "crv");
        if (!Regex.IsMatch(name, "^[0-9a-zA-Z-]{1,127}$"))
        {
            await WriteErrorAsync(context, 400, "BadParameter", $"The key name '{name}' is invalid: use 1-127 characters 0-9, a-z, A-Z and '-'.").ConfigureAwait(false);
        }
        else if (kty is not ("EC" or "EC-HSM") || crv is not ("P-256K" or "P-256"))
        {
            await WriteErrorAsync(context, 400, "BadParameter", $"The test Key Vault creates only kty EC/EC-HSM with crv P-256K or P-256, not kty '{kty}' crv '{crv}'.").ConfigureAwait(false);
        }
        else
        {
            string version = CreateKey(name, kty, crv);
            await WriteJsonAsync(context, 200, KeyBundle(FindKey(name, version)!)).ConfigureAwait(false);
        }
    }

    private async Task GetKeyAsync(HttpContext context, string name, string? version)
    {
        KeyVersion? key = FindKey(name, version);
        if (key is null)
        {
            await WriteErrorAsync(context, 404, "KeyNotFound", $"A key with (name/id) {name}{(version is null ? "" : "/" + version)} was not found in this key vault.").ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, 200, KeyBundle(key)).ConfigureAwait(false);
    }

    private async Task SignAsync(HttpContext context, string name, string version)
    {
        JsonObject? body = await ReadBodyAsync(context).ConfigureAwait(false);
        string? alg = StringProperty(body, "alg");
        string? value = StringProperty(body, "value");
        KeyVersion? key = FindKey(name, version);
        if (key is null)
        {
            await WriteErrorAsync(context, 404, "KeyNotFound", $"A key with (name/id) {name}/{version} was not found in this key vault.").ConfigureAwait(false);
            return;
        }

        if (alg != (key.Curve == "P-256K" ? "ES256K" : "ES256"))
        {
            await WriteErrorAsync(context, 400, "BadParameter", $"Key and signing algorithm are incompatible. Key {key.Name} has curve {key.Curve}; algorithm '{alg}' cannot be used with it.").ConfigureAwait(false);
            return;
        }

        byte[]? digest = TryDecodeBase64Url(value);
        if (digest is not { Length: 32 })
        {
            await WriteErrorAsync(context, 400, "BadParameter", "Invalid digest: ES256K signs a 32-byte digest sent base64url-encoded in 'value'.").ConfigureAwait(false);
            return;
        }

        int signature = Interlocked.Increment(ref _signs);
        TestKeyVaultKnobs knobs = Knobs;
        // The fault knobs are about secp256k1 and Ethereum; a P-256 key signs plainly.
        byte[] rs = key.Curve == "P-256K" ? Sign(key, digest, signature, knobs) : key.Ecdsa.SignHash(digest);
        if (knobs.DropSignResponseEvery > 0 && signature % knobs.DropSignResponseEvery == 0)
        {
            Interlocked.Increment(ref _dropped);
            context.Abort();
            return;
        }

        await WriteJsonAsync(context, 200, new JsonObject { ["kid"] = KeyId(key), ["value"] = Base64Url.EncodeToString(rs) }).ConfigureAwait(false);
    }

    private static byte[] Sign(KeyVersion key, byte[] digest, int signature, TestKeyVaultKnobs knobs)
    {
        BigInteger r, s;
        if (knobs.ShortRsEvery > 0 && signature % knobs.ShortRsEvery == 0)
        {
            bool shortR = signature / knobs.ShortRsEvery % 2 == 1;
            (r, s) = Secp256k1SignatureCrafter.Sign(key.Ecdsa, key.D, digest, shortR);
        }
        else
        {
            byte[] p1363 = key.Ecdsa.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            r = new BigInteger(p1363.AsSpan(0, 32), isUnsigned: true, isBigEndian: true);
            s = new BigInteger(p1363.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        }

        BigInteger n = Secp256k1SignatureCrafter.Order;
        if (knobs.HighS && s <= n / 2)
        {
            s = n - s;
        }

        byte[] rs = Secp256k1SignatureCrafter.ToFixed64(r, s);
        if (knobs.CorruptSignatureEvery > 0 && signature % knobs.CorruptSignatureEvery == 0)
        {
            rs[63] ^= 0x01;
        }

        return rs;
    }

    private JsonObject KeyBundle(KeyVersion key)
    {
        long created = key.Created.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["key"] = new JsonObject
            {
                ["kid"] = KeyId(key),
                ["kty"] = key.KeyType,
                ["key_ops"] = new JsonArray("sign", "verify"),
                ["crv"] = key.Curve,
                ["x"] = Base64Url.EncodeToString(key.X),
                ["y"] = Base64Url.EncodeToString(key.Y),
            },
            ["attributes"] = new JsonObject
            {
                ["enabled"] = true,
                ["created"] = created,
                ["updated"] = created,
                ["recoveryLevel"] = "Recoverable+Purgeable",
                ["recoverableDays"] = 90,
            },
        };
    }

    private string KeyId(KeyVersion key) => $"https://{VaultHost}/keys/{key.Name}/{key.Version}";

    private static string? BearerToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > 7 ? header[7..] : null;
    }

    private static string? StringProperty(JsonObject? body, string name) =>
        body?[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static byte[]? TryDecodeBase64Url(string? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
