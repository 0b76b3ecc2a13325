using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>Writing request parameters in the JSON-RPC encoding.</summary>
internal static partial class RpcJson
{
    /// <summary>Writes a parameter: our primitives in their JSON-RPC encoding (UInt256 and BigInteger as hex quantities,
    /// bytes as hex data), request records as objects, lists as arrays, other values with System.Text.Json (so an int
    /// stays a JSON number, as anvil's cheat codes accept).</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case UInt256 quantity:
                writer.WriteStringValue(quantity.ToHexQuantity());
                break;
            case BigInteger big:
                writer.WriteStringValue(big.Sign >= 0 ? ((UInt256)big).ToHexQuantity() : throw new ArgumentException($"A JSON-RPC quantity cannot be negative ({big})."));
                break;
            case Address address:
                writer.WriteStringValue(address.ToString());
                break;
            case Hash32 hash:
                writer.WriteStringValue(hash.ToString());
                break;
            case byte[] bytes:
                writer.WriteStringValue(Hex.Encode(bytes));
                break;
            case ReadOnlyMemory<byte> memory:
                writer.WriteStringValue(Hex.Encode(memory.Span));
                break;
            case BlockParameter block:
                writer.WriteStringValue(block.ToString());
                break;
            case CallRequest call:
                WriteCall(writer, call);
                break;
            case LogFilter filter:
                WriteFilter(writer, filter);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!);
                    WriteValue(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (object? item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType());
                break;
        }
    }

    private static void WriteCall(Utf8JsonWriter writer, CallRequest call)
    {
        writer.WriteStartObject();
        if (call.From is Address from)
        {
            writer.WriteString("from", from.ToString());
        }

        if (call.To is Address to)
        {
            writer.WriteString("to", to.ToString());
        }

        if (call.Gas is ulong gas)
        {
            writer.WriteString("gas", ((UInt256)gas).ToHexQuantity());
        }

        WriteQuantity(writer, "gasPrice", call.GasPrice);
        WriteQuantity(writer, "maxFeePerGas", call.MaxFeePerGas);
        WriteQuantity(writer, "maxPriorityFeePerGas", call.MaxPriorityFeePerGas);
        WriteQuantity(writer, "value", call.Value);
        if (call.Data is byte[] data)
        {
            // "data" as ethers and viem send it: every node reads it (geth and reth also accept the newer "input",
            // but geth rejects a request that carries both with different values).
            writer.WriteString("data", Hex.Encode(data));
        }

        writer.WriteEndObject();
    }

    private static void WriteFilter(Utf8JsonWriter writer, LogFilter filter)
    {
        writer.WriteStartObject();
        if (filter.BlockHash is Hash32 blockHash)
        {
            if (filter.FromBlock is not null || filter.ToBlock is not null)
            {
                throw new ArgumentException("A log filter takes either BlockHash or FromBlock/ToBlock, not both (EIP-234).");
            }

            writer.WriteString("blockHash", blockHash.ToString());
        }

        if (filter.FromBlock is BlockParameter from)
        {
            writer.WriteString("fromBlock", from.ToString());
        }

        if (filter.ToBlock is BlockParameter to)
        {
            writer.WriteString("toBlock", to.ToString());
        }

        if (filter.Addresses.Count == 1)
        {
            writer.WriteString("address", filter.Addresses[0].ToString());
        }
        else if (filter.Addresses.Count > 1)
        {
            writer.WriteStartArray("address");
            foreach (Address address in filter.Addresses)
            {
                writer.WriteStringValue(address.ToString());
            }

            writer.WriteEndArray();
        }

        if (filter.Topics.Count > 4)
        {
            throw new ArgumentException($"A log has at most 4 topics but the filter lists {filter.Topics.Count} positions.");
        }

        writer.WriteStartArray("topics");
        foreach (IReadOnlyList<Hash32>? position in filter.Topics)
        {
            if (position is null)
            {
                writer.WriteNullValue();
            }
            else if (position.Count == 1)
            {
                writer.WriteStringValue(position[0].ToString());
            }
            else
            {
                writer.WriteStartArray();
                foreach (Hash32 topic in position)
                {
                    writer.WriteStringValue(topic.ToString());
                }

                writer.WriteEndArray();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteQuantity(Utf8JsonWriter writer, string name, UInt256? value)
    {
        if (value is UInt256 quantity)
        {
            writer.WriteString(name, quantity.ToHexQuantity());
        }
    }
}
