using Azure.Core;
using Azure.Core.Pipeline;

namespace StoFunctions.Azure.Storage.Authentication;

/// <summary>Stamps every request with the service version the client was built for.</summary>
internal sealed class StorageVersionPolicy(string version) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue("x-ms-version", version);
}
