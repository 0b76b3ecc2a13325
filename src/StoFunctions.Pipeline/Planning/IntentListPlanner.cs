using System.Globalization;
using System.Text.Json;
using StoFunctions.Ethereum;

namespace StoFunctions.Pipeline.Planning;

/// <summary>
/// The generic <c>transactions</c> command: the input lists the intents itself,
/// <c>{ "transactions": [ { "to", "data", "value", "gasLimit", "note", "businessKey" } ] }</c> (to omitted: a
/// creation; data 0x hex; value a decimal wei string). For operators and tests; domain commands have planners.
/// </summary>
public sealed class IntentListPlanner : ICommandPlanner
{
    /// <inheritdoc />
    public string Name => "transactions";

    /// <inheritdoc />
    public Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var intents = new List<TransactionIntent>();
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("transactions", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new CommandValidationException(new Dictionary<string, string[]> { ["transactions"] = ["Required: an array of transactions."] });
        }

        int index = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            string field = "transactions[" + index.ToString(CultureInfo.InvariantCulture) + "]";
            try
            {
                intents.Add(new TransactionIntent
                {
                    To = item.TryGetProperty("to", out JsonElement to) && to.ValueKind == JsonValueKind.String ? Address.Parse(to.GetString()!) : null,
                    Data = item.TryGetProperty("data", out JsonElement data) ? Hex.Decode(data.GetString()!) : [],
                    Value = item.TryGetProperty("value", out JsonElement value) ? UInt256.Parse(value.GetString()!) : UInt256.Zero,
                    GasLimit = item.GetProperty("gasLimit").GetUInt64(),
                    Note = item.TryGetProperty("note", out JsonElement note) ? note.GetString() ?? "" : "",
                    BusinessKey = item.TryGetProperty("businessKey", out JsonElement key) ? key.GetString() : null,
                    OutputName = item.TryGetProperty("outputName", out JsonElement output) ? output.GetString() : null,
                });
            }
            catch (Exception e) when (e is FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException or OverflowException)
            {
                errors[field] = [e.Message];
            }

            index++;
        }

        if (errors.Count > 0)
        {
            throw new CommandValidationException(errors);
        }

        return Task.FromResult<IReadOnlyList<TransactionIntent>>(intents);
    }
}
