using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Pipeline.Commands;

/// <summary>
/// Where a command's input (its JSON, replayed to the planner after a crash and echoed in its status) is kept in the
/// commands table. A string property holds at most 32K UTF-16 characters and an entity at most 1 MiB, so the JSON is
/// cut into chunks of <see cref="ChunkChars"/>, properties <c>Input0…InputN-1</c> (<c>InputChunks</c> = N): the first
/// <see cref="ChunksPerRow"/> on the command row, each further <see cref="ChunksPerRow"/> on a continuation row of the
/// command's partition (<c>InputRows</c> of them, RowKey <c>input-{fingerprint prefix}-NN</c>). A 2,000-row distribution
/// fits on the command row; a 20,000-row one takes about five continuation rows.
/// </summary>
public static class CommandInputRows
{
    /// <summary>Characters per chunk property.</summary>
    public const int ChunkChars = 30_000;

    /// <summary>Chunks per entity (15 × 30,000 UTF-16 characters ≈ 900 KB, under the 1 MiB entity limit).</summary>
    public const int ChunksPerRow = 15;

    /// <summary>The most continuation rows one command may have (≈ 7.2 million characters of input with the command row).</summary>
    public const int MaxContinuationRows = 15;

    private const string RowKeyPrefix = "input-";

    /// <summary>
    /// Puts <paramref name="json"/> on <paramref name="row"/> and returns the continuation rows to write before it
    /// (none when it fits). Their keys carry <paramref name="fingerprint"/>'s prefix, so two submissions of one key with
    /// different bodies never write each other's rows: the one whose command row loses the insert leaves unused rows.
    /// </summary>
    /// <exception cref="CommandValidationException">The input is larger than a command may store (400).</exception>
    public static List<TableEntity> Split(TableEntity row, string json, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(fingerprint);
        int chunks = Math.Max(1, (json.Length + ChunkChars - 1) / ChunkChars);
        int continuations = (chunks - 1) / ChunksPerRow;
        if (continuations > MaxContinuationRows)
        {
            throw new CommandValidationException(new Dictionary<string, string[]>
            {
                ["input"] = [$"The input is {json.Length} characters; at most {(1 + MaxContinuationRows) * ChunksPerRow * ChunkChars} are stored per command. Split the command."],
            });
        }

        string prefix = string.Create(CultureInfo.InvariantCulture, $"{RowKeyPrefix}{fingerprint[..Math.Min(16, fingerprint.Length)]}-");
        var rest = new List<TableEntity>();
        row["InputChunks"] = chunks;
        if (continuations > 0)
        {
            row["InputRows"] = continuations;
            row["InputRowPrefix"] = prefix;
        }

        for (int c = 0; c < chunks; c++)
        {
            int owner = c / ChunksPerRow;
            if (owner > rest.Count)
            {
                rest.Add(new TableEntity(row.PartitionKey, string.Create(CultureInfo.InvariantCulture, $"{prefix}{owner:D2}")));
            }

            TableEntity target = owner == 0 ? row : rest[owner - 1];
            int from = c * ChunkChars;
            target[ChunkName(c)] = json.Substring(from, Math.Min(ChunkChars, json.Length - from));
        }

        return rest;
    }

    /// <summary>The input of command row <paramref name="row"/>, reading its continuation rows when it has some.</summary>
    /// <exception cref="InvalidOperationException">A continuation row is missing (the table lost rows of this partition).</exception>
    public static async Task<string> ReadAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        int chunks = row.GetInt32("InputChunks") ?? 1;
        var continued = new Dictionary<string, string>(StringComparer.Ordinal);
        if (row.GetInt32("InputRows") is int expected and > 0)
        {
            string prefix = row.GetString("InputRowPrefix")!;
            int found = 0;
            string filter = TableClient.CreateQueryFilter($"PartitionKey eq {row.PartitionKey} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
            await foreach (TableEntity part in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                found++;
                foreach ((string name, object value) in part)
                {
                    if (value is string chunk && name.StartsWith("Input", StringComparison.Ordinal))
                    {
                        continued[name] = chunk;
                    }
                }
            }

            if (found != expected)
            {
                throw new InvalidOperationException($"Command {row.PartitionKey} keeps its input on {expected} continuation rows ({prefix}…) but {found} were found in the commands table; restore the table from a backup.");
            }
        }

        var text = new StringBuilder();
        for (int c = 0; c < chunks; c++)
        {
            text.Append(row.GetString(ChunkName(c)) ?? continued[ChunkName(c)]);
        }

        return text.ToString();
    }

    /// <summary>Writes <paramref name="rows"/> (from <see cref="Split"/>), replacing any left by an earlier try with the same body.</summary>
    public static Task WriteAsync(TableClient table, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        return Task.WhenAll(rows.Select(r => table.UpsertEntityAsync(r, TableUpdateMode.Replace, cancellationToken)));
    }

    /// <summary>Deletes every continuation row of command <paramref name="id"/> (after its command row is gone).</summary>
    public static async Task DeleteAsync(TableClient table, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {RowKeyPrefix} and RowKey lt {"input."}");
        await foreach (TableEntity part in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await table.DeleteEntityAsync(id, part.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }
    }

    private static string ChunkName(int chunk) => "Input" + chunk.ToString(CultureInfo.InvariantCulture);
}
