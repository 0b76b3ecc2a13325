namespace StoFunctions.Runtime;

/// <summary>The blob trigger's knobs, bound from host.json <c>extensions.blobs</c> with Azure Functions' key names.</summary>
public sealed class BlobsOptions
{
    /// <summary>The configuration section (host.json <c>extensions.blobs</c>).</summary>
    public const string Section = "AzureFunctionsJobHost:extensions:blobs";

    /// <summary>How many blobs one function processes at once (<c>maxDegreeOfParallelism</c>; Functions' default is 8 × cores).</summary>
    public int MaxDegreeOfParallelism { get; set; } = 8 * Environment.ProcessorCount;

    /// <summary>Failures of one blob version before it is reported to <c>webjobs-blobtrigger-poison</c> and given up (<c>poisonBlobThreshold</c>, default 5).</summary>
    public int PoisonBlobThreshold { get; set; } = 5;

    internal IEnumerable<string> Validate()
    {
        if (MaxDegreeOfParallelism < 1)
        {
            yield return $"host.json extensions.blobs.maxDegreeOfParallelism is {MaxDegreeOfParallelism}; it must be at least 1.";
        }

        if (PoisonBlobThreshold < 1)
        {
            yield return $"host.json extensions.blobs.poisonBlobThreshold is {PoisonBlobThreshold}; it must be at least 1.";
        }
    }
}
