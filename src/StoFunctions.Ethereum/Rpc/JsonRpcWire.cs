using System.Buffers;
using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>JSON-RPC 2.0 envelopes (https://www.jsonrpc.org/specification): request objects, batches and response parsing.</summary>
internal static class JsonRpcWire
{
    public static byte[] WriteRequest(long id, string method, object?[] parameters)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteRequest(writer, id, method, parameters);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] WriteBatch(IReadOnlyList<(long Id, string Method, object?[] Parameters)> requests)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * requests.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach ((long id, string method, object?[] parameters) in requests)
            {
                WriteRequest(writer, id, method, parameters);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>result</c> of a response object, or the <see cref="JsonRpcException"/> of its <c>error</c>.</summary>
    public static JsonElement ResultOrThrow(string method, JsonElement response)
    {
        if (response.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null)
        {
            throw ErrorOf(method, error);
        }

        if (!response.TryGetProperty("result", out JsonElement result))
        {
            throw new JsonRpcException(method, JsonRpcException.ParseErrorCode, "the node's response has neither 'result' nor 'error'", response.GetRawText());
        }

        return result;
    }

    public static JsonRpcException ErrorOf(string method, JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return new JsonRpcException(method, JsonRpcException.ParseErrorCode, "the node returned a malformed error", error.GetRawText());
        }

        int code = error.TryGetProperty("code", out JsonElement c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out int value) ? value : 0;
        string message = error.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : error.GetRawText();
        string? data = error.TryGetProperty("data", out JsonElement d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
        return new JsonRpcException(method, code, message, data);
    }

    private static void WriteRequest(Utf8JsonWriter writer, long id, string method, object?[] parameters)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteNumber("id", id);
        writer.WriteString("method", method);
        writer.WriteStartArray("params");
        foreach (object? parameter in parameters)
        {
            RpcJson.WriteValue(writer, parameter);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
