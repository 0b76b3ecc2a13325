using System.Text.Json;

namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// A JSON-RPC call failed. The base type carries the node's error object (<see cref="Code"/>, <see cref="RpcMessage"/>,
/// <see cref="DataJson"/>): the node received the request and refused it. <see cref="JsonRpcTransportException"/>
/// (and its <see cref="JsonRpcTimeoutException"/>) mean the outcome is unknown: the request may or may not have
/// reached the node, so a write must be treated as "maybe sent".
/// </summary>
public class JsonRpcException : Exception
{
    /// <summary>JSON-RPC "Parse error"; also used when a node's answer is not the JSON this client expects.</summary>
    public const int ParseErrorCode = -32700;

    /// <summary>Creates an exception for an error object returned by the node.</summary>
    /// <param name="method">The JSON-RPC method that failed.</param>
    /// <param name="code">The error code.</param>
    /// <param name="rpcMessage">The node's error message, verbatim.</param>
    /// <param name="dataJson">The error's <c>data</c> member as raw JSON, or null when absent.</param>
    public JsonRpcException(string method, int code, string rpcMessage, string? dataJson)
        : this(method, code, rpcMessage, dataJson, null)
    {
    }

    /// <summary>Creates an exception with a cause.</summary>
    protected JsonRpcException(string method, int code, string rpcMessage, string? dataJson, Exception? innerException)
        : base(Describe(method, code, rpcMessage, dataJson), innerException)
    {
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        DataJson = dataJson;
    }

    /// <summary>The JSON-RPC method that failed, e.g. <c>eth_sendRawTransaction</c>.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC error code (e.g. -32000 for geth's server errors, 3 for <c>execution reverted</c>).</summary>
    public int Code { get; }

    /// <summary>The node's error message, verbatim (what <see cref="BroadcastErrorClassifier"/> matches).</summary>
    public string RpcMessage { get; }

    /// <summary>The error's <c>data</c> member as raw JSON (revert data is a JSON string of hex), or null.</summary>
    public string? DataJson { get; }

    /// <summary>
    /// The revert data of a failed <c>eth_call</c>/<c>eth_estimateGas</c>: geth, anvil and most providers put it in
    /// <c>error.data</c> as a hex string (code 3, "execution reverted"). False when the data is absent or not hex.
    /// </summary>
    public bool TryGetRevertData(out byte[] revertData)
    {
        revertData = [];
        if (DataJson is null)
        {
            return false;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(DataJson);
            JsonElement data = doc.RootElement;

            // Some providers nest it: {"data": {"data": "0x…"}} or {"originalError": {"data": "0x…"}}.
            if (data.ValueKind == JsonValueKind.Object && (data.TryGetProperty("data", out JsonElement inner) || (data.TryGetProperty("originalError", out JsonElement original) && original.TryGetProperty("data", out inner))))
            {
                data = inner;
            }

            if (data.ValueKind == JsonValueKind.String && Hex.TryDecode(data.GetString(), out byte[]? bytes))
            {
                revertData = bytes;
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static string Describe(string method, int code, string rpcMessage, string? dataJson) =>
        $"{method} failed with JSON-RPC error {code}: {rpcMessage}" + (dataJson is null ? string.Empty : $" (data: {Truncate(dataJson)})");

    private static string Truncate(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
