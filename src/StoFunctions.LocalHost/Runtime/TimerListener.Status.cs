using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using StoFunctions.Azure.Storage;

namespace StoFunctions.Runtime;

public sealed partial class TimerListener
{
    private async Task<ScheduleStatus?> ReadStatusAsync(CancellationToken cancellationToken)
    {
        BlobClient blob = await _storage.HostBlobAsync(StatusBlobName, cancellationToken).ConfigureAwait(false);
        try
        {
            BinaryData content = (await blob.DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Content;
            return content.ToObjectFromJson<ScheduleStatus>();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    // Not cancelled by stop: an occurrence that ran must be recorded, or the next instance would run it again as past due.
    private async Task<ScheduleStatus> WriteStatusAsync(DateTimeOffset last)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        CancellationToken cancellationToken = timeout.Token;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var status = new ScheduleStatus { Last = last, Next = NextAfter(now > last ? now : last), LastUpdated = now };
        BlobClient blob = await _storage.HostBlobAsync(StatusBlobName, cancellationToken).ConfigureAwait(false);
        await blob.UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(status)), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
        return status;
    }
}
