namespace StoFunctions.Ethereum.Rpc;

/// <summary>
/// Classifies <c>eth_sendRawTransaction</c> failures into <see cref="BroadcastErrorKind"/>s. All message patterns live in
/// one ordered table (<see cref="Patterns"/>) because node wording drifts: a provider changing its duplicate-transaction
/// message clogged Defender's queue for two hours (research/txpipeline.md §6.11). Matching is a case-insensitive
/// substring test, first match wins, so specific patterns precede general ones.
/// </summary>
public static class BroadcastErrorClassifier
{
    /// <summary>The message patterns in match order, with the node that emits each wording.</summary>
    public static IReadOnlyList<(string Pattern, BroadcastErrorKind Kind)> Patterns { get; } =
    [
        // Duplicates. geth: "already known"; older geth/parity: "known transaction"; anvil 1.x: "transaction already imported";
        // Nethermind: "Transaction with the same hash was already imported"; Erigon/gRPC style: "ALREADY_EXISTS".
        ("already known", BroadcastErrorKind.AlreadyKnown),
        ("known transaction", BroadcastErrorKind.AlreadyKnown),
        ("already imported", BroadcastErrorKind.AlreadyKnown),
        ("already_exists", BroadcastErrorKind.AlreadyKnown),
        ("alreadyknown", BroadcastErrorKind.AlreadyKnown),

        // Replacement before plain underpricing: the plain pattern is a suffix of it.
        ("replacement transaction underpriced", BroadcastErrorKind.ReplacementUnderpriced),
        ("replacement underpriced", BroadcastErrorKind.ReplacementUnderpriced),
        ("replacement fee too low", BroadcastErrorKind.ReplacementUnderpriced),

        // geth/anvil: "nonce too low"; Nethermind: "OldNonce"; some providers: "nonce has already been used".
        ("nonce too low", BroadcastErrorKind.NonceTooLow),
        ("oldnonce", BroadcastErrorKind.NonceTooLow),
        ("nonce has already been used", BroadcastErrorKind.NonceTooLow),

        ("nonce too high", BroadcastErrorKind.NonceTooHigh),
        ("nonce too far in the future", BroadcastErrorKind.NonceTooHigh),
        ("exceeds next nonce", BroadcastErrorKind.NonceTooHigh),
        ("nonce gap", BroadcastErrorKind.NonceTooHigh),

        // geth: "transaction underpriced", "max fee per gas less than block base fee"; anvil the same base-fee wording.
        ("transaction underpriced", BroadcastErrorKind.Underpriced),
        ("less than block base fee", BroadcastErrorKind.Underpriced),
        ("feetoolow", BroadcastErrorKind.Underpriced),
        ("underpriced", BroadcastErrorKind.Underpriced),

        // geth: "insufficient funds for gas * price + value"; anvil: "Insufficient funds for gas * price + value".
        ("insufficient funds", BroadcastErrorKind.InsufficientFunds),

        // geth: "tx fee (1.00 ether) exceeds the configured cap (1.00 ether)".
        ("exceeds the configured cap", BroadcastErrorKind.FeeCapExceeded),

        // Deterministic rejections: the transaction never entered the pool.
        ("intrinsic gas too low", BroadcastErrorKind.Fatal),
        ("exceeds block gas limit", BroadcastErrorKind.Fatal),
        ("invalid sender", BroadcastErrorKind.Fatal),
        ("oversized data", BroadcastErrorKind.Fatal),
        ("negative value", BroadcastErrorKind.Fatal),
        ("invalid chain id", BroadcastErrorKind.Fatal),
        ("max priority fee per gas higher than max fee per gas", BroadcastErrorKind.Fatal),
        ("tip above fee cap", BroadcastErrorKind.Fatal),
        ("failed to decode transaction", BroadcastErrorKind.Fatal),
        ("rlp:", BroadcastErrorKind.Fatal),
        ("transaction type not supported", BroadcastErrorKind.Fatal),
        ("only replay-protected", BroadcastErrorKind.Fatal),
    ];

    /// <summary>
    /// Classifies a failure of <c>eth_sendRawTransaction</c>: a transport failure (timeout, reset, 5xx, 429) is
    /// <see cref="BroadcastErrorKind.MaybeSent"/>; a node error is matched by its message; anything else is
    /// <see cref="BroadcastErrorKind.Unknown"/>.
    /// </summary>
    public static BroadcastErrorKind Classify(Exception failure) => failure switch
    {
        null => throw new ArgumentNullException(nameof(failure)),
        JsonRpcTransportException => BroadcastErrorKind.MaybeSent,
        JsonRpcException rpc => ClassifyMessage(rpc.RpcMessage),
        HttpRequestException or TimeoutException or IOException => BroadcastErrorKind.MaybeSent,
        _ => BroadcastErrorKind.Unknown,
    };

    /// <summary>Classifies a node's error message with <see cref="Patterns"/>; unrecognised messages are <see cref="BroadcastErrorKind.Unknown"/>.</summary>
    public static BroadcastErrorKind ClassifyMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach ((string pattern, BroadcastErrorKind kind) in Patterns)
        {
            if (message.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        return BroadcastErrorKind.Unknown;
    }
}
