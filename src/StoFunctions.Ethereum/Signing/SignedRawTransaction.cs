namespace StoFunctions.Ethereum;

/// <summary>
/// A transaction signed by an <see cref="ISigner"/>, ready to persist and broadcast: the exact bytes for
/// <c>eth_sendRawTransaction</c>, their hash, and the sender recovered from those bytes.
/// </summary>
/// <param name="Transaction">The signed fields.</param>
/// <param name="Signature">The low-S signature with its recovery bit.</param>
/// <param name="Raw">The raw transaction; persist these bytes before broadcasting (remote signatures are not deterministic).</param>
/// <param name="Hash">keccak256 of <paramref name="Raw"/>: the transaction hash nodes report.</param>
/// <param name="Sender">The sender recovered from <paramref name="Raw"/> (equal to the signer's address).</param>
public sealed record SignedRawTransaction(Transaction Transaction, Signature Signature, byte[] Raw, Hash32 Hash, Address Sender);
