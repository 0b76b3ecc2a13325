using Azure.Core;
using Azure.Core.Pipeline;

namespace StoFunctions.Azure.KeyVault;

/// <summary>
/// Key Vault's challenge-based bearer authentication, as Azure.Security.KeyVault's
/// <c>ChallengeBasedAuthenticationPolicy</c> does it (research/azure.md §1.6): the first request goes out
/// without a body and without a token; the 401's <c>WWW-Authenticate</c> names the token resource and tenant;
/// the policy checks that resource belongs to the vault's domain, gets a token for it from the
/// <see cref="TokenCredential"/>, restores the body and resends. Later requests reuse the challenge (and the
/// base class's token cache) and skip the probe.
/// </summary>
internal sealed class KeyVaultChallengeAuthenticationPolicy : BearerTokenAuthenticationPolicy
{
    private const string StashedContentProperty = "StoFunctions.KeyVault.StashedContent";
    private readonly bool _verifyChallengeResource;
    private volatile CachedChallenge? _challenge;

    public KeyVaultChallengeAuthenticationPolicy(TokenCredential credential, bool verifyChallengeResource)
        : base(credential, Array.Empty<string>())
    {
        _verifyChallengeResource = verifyChallengeResource;
    }

    protected override ValueTask AuthorizeRequestAsync(HttpMessage message) =>
        CachedContextFor(message) is { } context ? AuthenticateAndAuthorizeRequestAsync(message, context) : default;

    protected override void AuthorizeRequest(HttpMessage message)
    {
        if (CachedContextFor(message) is { } context)
        {
            AuthenticateAndAuthorizeRequest(message, context);
        }
    }

    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (ContextFromChallenge(message) is not { } context)
        {
            return false;
        }

        await AuthenticateAndAuthorizeRequestAsync(message, context).ConfigureAwait(false);
        return true;
    }

    protected override bool AuthorizeRequestOnChallenge(HttpMessage message)
    {
        if (ContextFromChallenge(message) is not { } context)
        {
            return false;
        }

        AuthenticateAndAuthorizeRequest(message, context);
        return true;
    }

    private TokenRequestContext? CachedContextFor(HttpMessage message)
    {
        if (_challenge is { } cached && cached.Authority == message.Request.Uri.ToUri().Authority)
        {
            return cached.Context;
        }

        // Some vaults protect the body with the auth scheme, so the probe carries none (as the official SDK).
        if (message.Request.Content is { } content)
        {
            message.SetProperty(StashedContentProperty, content);
            message.Request.Content = null;
        }

        return null;
    }

    private TokenRequestContext? ContextFromChallenge(HttpMessage message)
    {
        if (message.TryGetProperty(StashedContentProperty, out object? stashed) && stashed is RequestContent content)
        {
            message.Request.Content = content;
            message.SetProperty(StashedContentProperty, null!);
        }

        if (!message.Response.Headers.TryGetValue("WWW-Authenticate", out string? header) || KeyVaultChallenge.Parse(header) is not { } challenge)
        {
            // Not a challenge we understand: the 401 goes back to the caller as a RequestFailedException.
            return null;
        }

        Uri requestUri = message.Request.Uri.ToUri();
        if (_verifyChallengeResource)
        {
            if (!Uri.TryCreate(challenge.Scope, UriKind.Absolute, out Uri? scopeUri))
            {
                throw new InvalidOperationException($"The Key Vault challenge scope '{challenge.Scope}' is not an absolute URI, so it cannot be checked against vault host '{requestUri.Host}'. No token was requested.");
            }

            if (!requestUri.Host.EndsWith("." + scopeUri.Host, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The Key Vault challenge asks for a token for '{scopeUri.Host}', which is not a parent domain of the vault host '{requestUri.Host}'; " +
                    "no token was requested. Check the vault URL (a look-alike host must not obtain a token). " +
                    $"Only for a vault you trust that lives outside its resource's domain, set {nameof(KeyVaultClientOptions)}.{nameof(KeyVaultClientOptions.DisableChallengeResourceVerification)}.");
            }
        }

        var context = new TokenRequestContext([challenge.Scope], message.Request.ClientRequestId, tenantId: challenge.TenantId);
        _challenge = new CachedChallenge(requestUri.Authority, context);
        return context;
    }

    private sealed record CachedChallenge(string Authority, TokenRequestContext Context);
}
