namespace StoFunctions.Pipeline.Commands;

/// <summary>
/// The <c>customStatus</c> of a command: how many of its transactions are in each state. <see cref="Failed"/>
/// also counts intents rejected by the node and nonces consumed externally.
/// </summary>
public sealed record CommandProgress(int Transactions, int Planned, int Signed, int Broadcast, int Mined, int Confirmed, int Failed);
