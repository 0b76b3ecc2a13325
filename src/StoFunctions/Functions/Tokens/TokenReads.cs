using StoFunctions.Contracts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Rpc;

namespace StoFunctions.Functions.Tokens;

/// <summary>Views of a token read with <c>eth_call</c> at the latest block.</summary>
public static class TokenReads
{
    /// <summary>The token's decimals, or null when <paramref name="token"/> has no contract or does not answer <c>decimals()</c>.</summary>
    public static async Task<int?> DecimalsAsync(JsonRpcClient rpc, Address token, CancellationToken cancellationToken)
    {
        try
        {
            byte[] output = await CallAsync(rpc, token, SecurityTokenContract.Decimals(), cancellationToken).ConfigureAwait(false);
            return output.Length < 32 ? null : SecurityTokenContract.DecodeDecimals(output);
        }
        catch (Exception e) when (e is JsonRpcException or FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The balance of <paramref name="account"/>.</summary>
    public static async Task<UInt256> BalanceAsync(JsonRpcClient rpc, Address token, Address account, CancellationToken cancellationToken) =>
        SecurityTokenContract.DecodeBalanceOf(await CallAsync(rpc, token, SecurityTokenContract.BalanceOf(account), cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// ERC-1404 <c>detectTransferRestriction</c>: 0 and null when allowed, else the code and the token's message.
    /// A token without the view (a plain ERC-20) counts as unrestricted.
    /// </summary>
    public static async Task<(byte Code, string? Message)> DetectAsync(JsonRpcClient rpc, Address token, Address from, Address to, UInt256 amount, CancellationToken cancellationToken)
    {
        byte[] output;
        try
        {
            output = await CallAsync(rpc, token, SecurityTokenContract.DetectTransferRestriction(from, to, amount), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException)
        {
            return (0, null);
        }

        if (output.Length < 32)
        {
            return (0, null);
        }

        byte code = SecurityTokenContract.DecodeDetectTransferRestriction(output);
        if (code == 0)
        {
            return (0, null);
        }

        string message = SecurityTokenContract.DecodeMessageForTransferRestriction(await CallAsync(rpc, token, SecurityTokenContract.MessageForTransferRestriction(code), cancellationToken).ConfigureAwait(false));
        return (code, message);
    }

    /// <summary>Calls <paramref name="to"/> with <paramref name="data"/> at the latest block.</summary>
    public static Task<byte[]> CallAsync(JsonRpcClient rpc, Address to, byte[] data, CancellationToken cancellationToken) =>
        rpc.CallAsync(new CallRequest { To = to, Data = data }, BlockParameter.Latest, cancellationToken);
}
