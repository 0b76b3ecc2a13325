namespace StoFunctions.Runtime;

/// <summary>
/// A blob-triggered function: runs once per blob version (ETag) across instances and restarts. Return to
/// mark the version done; throw to retry it on a later poll, up to <c>poisonBlobThreshold</c> failures, after
/// which it is reported to the queue <c>webjobs-blobtrigger-poison</c> and not retried.
/// </summary>
public interface IBlobFunction
{
    /// <summary>Handles one blob version. <paramref name="cancellationToken"/> fires when the host stops and the grace period is over.</summary>
    Task RunAsync(BlobTriggerContext blob, CancellationToken cancellationToken);
}
