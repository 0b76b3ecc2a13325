using System.Collections.Concurrent;
using Azure.Core;

namespace StoFunctions.Testing.KeyVault;

/// <summary>
/// A TokenCredential that issues <c>"{scope}@{tenant}"</c> as the token, so the test Key Vault (via
/// <c>RequiredBearerToken</c>) and the assertions can tell which resource and tenant a token was asked for.
/// The stand-in for DefaultAzureCredential wherever a client talks to <see cref="TestKeyVaultServer"/>.
/// <paramref name="issue"/> replaces that text for a server that reads the token's claims (Azurite's
/// <c>--oauth basic</c> wants a JWT with the resource's audience).
/// </summary>
public sealed class RecordingTokenCredential(TimeSpan? lifetime = null, Func<TokenRequestContext, string>? issue = null) : TokenCredential
{
    private readonly ConcurrentQueue<TokenRequestContext> _requests = new();
    private int _issued;

    /// <summary>Every token request, in order.</summary>
    public IReadOnlyList<TokenRequestContext> Requests => [.. _requests];

    /// <summary>The token issued for <paramref name="scope"/> and <paramref name="tenant"/> (before any <c>#n</c> suffix).</summary>
    public static string TokenFor(string scope, string? tenant) => $"{scope}@{tenant}";

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requests.Enqueue(requestContext);
        string token = issue?.Invoke(requestContext) ?? TokenFor(string.Join(' ', requestContext.Scopes), requestContext.TenantId);

        // Short-lived tokens are numbered so a test can see that a new one was fetched.
        return lifetime is { } shortLifetime
            ? new AccessToken($"{token}#{Interlocked.Increment(ref _issued)}", DateTimeOffset.UtcNow.Add(shortLifetime))
            : new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
