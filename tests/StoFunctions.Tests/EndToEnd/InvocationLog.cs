using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using StoFunctions.Azure.Storage;
using StoFunctions.Runtime;

namespace StoFunctions.Tests.EndToEnd;

/// <summary>
/// Records every invocation of the probe trigger functions as its own row in the <c>invocations</c> table of the
/// shared storage (PartitionKey = kind, RowKey = subject hash + a fresh id), so a test counts from storage how
/// often each timer occurrence, message and blob ran, and on which instance.
/// </summary>
internal sealed class InvocationLog(string instance, string connectionString)
{
    public const string TableName = "invocations";

    private readonly TableClient _table = new(connectionString, TableName);

    public async Task RecordAsync(string kind, string subject, CancellationToken cancellationToken)
    {
        await _table.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..24];
        await _table.AddEntityAsync(new TableEntity(kind, hash + "-" + Guid.NewGuid().ToString("N")) { ["Subject"] = subject, ["Instance"] = instance }, cancellationToken);
    }

    /// <summary>Every recorded (kind, subject, instance), read from storage.</summary>
    public static async Task<List<(string Kind, string Subject, string Instance)>> ReadAsync(string connectionString)
    {
        var rows = new List<(string, string, string)>();
        try
        {
            await foreach (TableEntity e in StorageAccount.FromConnectionString(connectionString).Tables.GetTableClient(TableName).QueryAsync<TableEntity>())
            {
                rows.Add((e.PartitionKey, e.GetString("Subject")!, e.GetString("Instance")!));
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
        }

        return rows;
    }
}

/// <summary>A timer occurrence → one row per run, subject = the scheduled time.</summary>
internal sealed class TickTimer(InvocationLog log) : ITimerFunction
{
    public Task RunAsync(TimerInfo timer, CancellationToken cancellationToken) =>
        log.RecordAsync("timer", timer.ScheduledTime.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
}

/// <summary>A queue message → one row per run, subject = the body.</summary>
internal sealed class ProbeWorkQueue(InvocationLog log) : IQueueFunction
{
    public Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken) => log.RecordAsync("queue", message.BodyText, cancellationToken);
}

/// <summary>A blob version → one row per run, subject = the blob name.</summary>
internal sealed class ProbeBlobFunction(InvocationLog log) : IBlobFunction
{
    public Task RunAsync(BlobTriggerContext blob, CancellationToken cancellationToken) => log.RecordAsync("blob", blob.BlobName, cancellationToken);
}
