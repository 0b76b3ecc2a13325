using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using StoFunctions.Azure.Storage.Authentication;

namespace StoFunctions.Azure.Storage;

/// <summary>
/// The shared plumbing of the Storage clients: one <see cref="HttpPipeline"/> (retries, logging and transport
/// from <see cref="ClientOptions"/>, then version stamping and authentication), the service endpoint, and
/// status checks that turn unexpected responses into <see cref="RequestFailedException"/>.
/// </summary>
internal sealed class StoragePipeline
{
    /// <summary>Scope for Entra ID tokens for any Storage service.</summary>
    public const string TokenScope = "https://storage.azure.com/.default";

    private readonly HttpPipeline _pipeline;

    private StoragePipeline(HttpPipeline pipeline, Uri endpoint)
    {
        _pipeline = pipeline;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static StoragePipeline Create(Uri endpoint, ClientOptions options, string version, HttpPipelinePolicy authentication)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var pipelineOptions = new HttpPipelineOptions(options)
        {
            RequestFailedDetailsParser = StorageRequestFailedDetailsParser.Instance,
        };
        pipelineOptions.PerCallPolicies.Add(new StorageVersionPolicy(version));
        pipelineOptions.PerRetryPolicies.Add(authentication);
        return new StoragePipeline(HttpPipelineBuilder.Build(pipelineOptions), new Uri(endpoint.AbsoluteUri.TrimEnd('/')));
    }

    public static HttpPipelinePolicy Bearer(TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new BearerTokenAuthenticationPolicy(credential, TokenScope);
    }

    /// <summary>A request on the endpoint; <paramref name="rawPath"/> must already be escaped.</summary>
    public HttpMessage CreateMessage(RequestMethod method, string rawPath)
    {
        HttpMessage message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(Endpoint);
        if (rawPath.Length > 0)
        {
            message.Request.Uri.AppendPath("/" + rawPath, escape: false);
        }

        return message;
    }

    /// <summary>Sends and returns the response when its status is one of <paramref name="expected"/>.</summary>
    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken, params int[] expected)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        Response response = message.Response;
        if (Array.IndexOf(expected, response.Status) < 0)
        {
            throw Failure(response);
        }

        return response;
    }

    public static RequestFailedException Failure(Response response) =>
        new(response, null, StorageRequestFailedDetailsParser.Instance);

    /// <summary>The service error code of a failed response (header first, then body).</summary>
    public static string? ErrorCode(Response response) =>
        StorageRequestFailedDetailsParser.Instance.TryParse(response, out ResponseError? error, out _) ? error?.Code : null;
}
