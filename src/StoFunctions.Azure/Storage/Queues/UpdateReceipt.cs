namespace StoFunctions.Azure.Storage.Queues;

/// <summary>The result of updating a message: always replace your pop receipt with <see cref="PopReceipt"/>.</summary>
public sealed class UpdateReceipt
{
    /// <summary>The new pop receipt; the old one is now stale.</summary>
    public required string PopReceipt { get; init; }

    /// <summary>When the message becomes visible again.</summary>
    public DateTimeOffset NextVisibleOn { get; init; }
}
