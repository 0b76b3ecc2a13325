using System.Globalization;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage.Blobs;

/// <summary>
/// Leases on one blob (Lease Blob): acquire for 15–60 s or <see cref="InfiniteLeaseDuration"/>, renew,
/// change, release, break. A competing acquire fails with 409 <c>LeaseAlreadyPresent</c>; a wrong id with
/// 409 <c>LeaseIdMismatchWithLeaseOperation</c>. Used for singleton locks (timer triggers) and blob receipts.
/// </summary>
public class BlobLeaseClient
{
    /// <summary>Pass to <see cref="AcquireAsync"/> for a lease that never expires.</summary>
    public static readonly TimeSpan InfiniteLeaseDuration = TimeSpan.FromSeconds(-1);

    private readonly BlobClient _blob = null!;

    internal BlobLeaseClient(BlobClient blob, string leaseId)
    {
        _blob = blob;
        LeaseId = leaseId;
    }

    /// <summary>For mocking.</summary>
    protected BlobLeaseClient()
    {
        LeaseId = string.Empty;
    }

    /// <summary>The lease id this client proposes or holds; updated by <see cref="ChangeAsync"/>.</summary>
    public virtual string LeaseId { get; private set; }

    /// <summary>Acquires the lease with <see cref="LeaseId"/> as the proposed id (re-acquiring an own lease renews it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not 15–60 s or infinite.</exception>
    /// <exception cref="RequestFailedException">409 <c>LeaseAlreadyPresent</c> when someone else holds it; 404 when the blob is missing.</exception>
    public virtual async Task<Response<BlobLease>> AcquireAsync(TimeSpan duration, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        if (duration != InfiniteLeaseDuration && (duration < TimeSpan.FromSeconds(15) || duration > TimeSpan.FromSeconds(60)))
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease lasts 15–60 s, or BlobLeaseClient.InfiniteLeaseDuration.");
        }

        return await LeaseAsync("acquire", 201, conditions, cancellationToken, request =>
        {
            request.Headers.SetValue("x-ms-lease-duration", ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            request.Headers.SetValue("x-ms-proposed-lease-id", LeaseId);
        }).ConfigureAwait(false);
    }

    /// <summary>Renews the lease held with <see cref="LeaseId"/>.</summary>
    public virtual Task<Response<BlobLease>> RenewAsync(CancellationToken cancellationToken = default) =>
        LeaseAsync("renew", 200, null, cancellationToken, request => request.Headers.SetValue("x-ms-lease-id", LeaseId));

    /// <summary>Releases the lease so others may acquire it at once.</summary>
    public virtual Task<Response<BlobLease>> ReleaseAsync(CancellationToken cancellationToken = default) =>
        LeaseAsync("release", 200, null, cancellationToken, request => request.Headers.SetValue("x-ms-lease-id", LeaseId));

    /// <summary>Changes the lease id to <paramref name="proposedId"/>; this client then holds the new id.</summary>
    public virtual async Task<Response<BlobLease>> ChangeAsync(string proposedId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(proposedId);
        Response<BlobLease> response = await LeaseAsync("change", 200, null, cancellationToken, request =>
        {
            request.Headers.SetValue("x-ms-lease-id", LeaseId);
            request.Headers.SetValue("x-ms-proposed-lease-id", proposedId);
        }).ConfigureAwait(false);
        LeaseId = response.Value.LeaseId ?? proposedId;
        return response;
    }

    /// <summary>Breaks the lease (no id needed) after <paramref name="breakPeriod"/> (0–60 s; default: the lease's remaining time).</summary>
    public virtual Task<Response<BlobLease>> BreakAsync(TimeSpan? breakPeriod = null, CancellationToken cancellationToken = default)
    {
        if (breakPeriod is { } period && (period < TimeSpan.Zero || period > TimeSpan.FromSeconds(60)))
        {
            throw new ArgumentOutOfRangeException(nameof(breakPeriod), period, "A break period is 0–60 s.");
        }

        return LeaseAsync("break", 202, null, cancellationToken, request =>
        {
            if (breakPeriod is { } p)
            {
                request.Headers.SetValue("x-ms-lease-break-period", ((long)p.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }
        });
    }

    private async Task<Response<BlobLease>> LeaseAsync(string action, int expected, BlobRequestConditions? conditions, CancellationToken cancellationToken, Action<Request> configure)
    {
        using HttpMessage message = _blob.CreateMessage(RequestMethod.Put);
        message.Request.Uri.AppendQuery("comp", "lease");
        message.Request.Headers.SetValue("x-ms-lease-action", action);
        if (conditions is not null)
        {
            BlobRequestConditions.Apply(message.Request, new BlobRequestConditions
            {
                IfMatch = conditions.IfMatch,
                IfNoneMatch = conditions.IfNoneMatch,
                IfModifiedSince = conditions.IfModifiedSince,
                IfUnmodifiedSince = conditions.IfUnmodifiedSince,
            });
        }

        configure(message.Request);
        Response response = await _blob.SendAsync(message, cancellationToken, expected).ConfigureAwait(false);
        string? Header(string name) => response.Headers.TryGetValue(name, out string? value) ? value : null;
        return Response.FromValue(new BlobLease
        {
            ETag = response.Headers.ETag ?? default,
            LastModified = BlobProperties.ParseTime(Header("Last-Modified")),
            LeaseId = Header("x-ms-lease-id"),
            LeaseTime = Header("x-ms-lease-time") is { } time ? int.Parse(time, CultureInfo.InvariantCulture) : null,
        }, response);
    }
}
