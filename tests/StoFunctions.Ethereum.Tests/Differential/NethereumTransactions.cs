using System.Numerics;
using Nethereum.Model;
using Nethereum.Signer;
using NethereumAccessListItem = Nethereum.Model.AccessListItem;
using NethereumLegacyTransaction = Nethereum.Model.LegacyTransaction;

namespace StoFunctions.Ethereum.Tests.Differential;

/// <summary>Builds and signs our transactions with Nethereum's own model, RLP and signers (no code of ours involved).</summary>
internal static class NethereumTransactions
{
    /// <summary>Nethereum's signed raw transaction, as lower-case hex without 0x.</summary>
    public static string Sign(Transaction transaction, EthECKey key) => transaction switch
    {
        LegacyTransaction { ChainId: null } legacy => new LegacyTransactionSigner().SignTransaction(
            key.GetPrivateKeyAsBytes(),
            new NethereumLegacyTransaction(Minimal(legacy.Nonce), Minimal(legacy.GasPrice), Minimal(legacy.GasLimit), To(legacy.To), Minimal(legacy.Value), legacy.Data.ToArray())),
        LegacyTransaction legacy => new LegacyTransactionSigner().SignTransaction(
            key.GetPrivateKeyAsBytes(),
            new LegacyTransactionChainId(
                Minimal(legacy.Nonce), Minimal(legacy.GasPrice), Minimal(legacy.GasLimit), To(legacy.To), Minimal(legacy.Value), legacy.Data.ToArray(), Minimal(legacy.ChainId.Value))),
        Eip2930Transaction t => new TypeTransactionSigner<Transaction2930>().SignTransaction(key, Build(t)),
        Eip1559Transaction t => new Transaction1559Signer().SignTransaction(key, Build(t)),
        _ => throw new ArgumentException($"No Nethereum mapping for {transaction.GetType().Name}.", nameof(transaction)),
    };

    public static Transaction1559 Build(Eip1559Transaction t) => new(
        t.ChainId, t.Nonce, Big(t.MaxPriorityFeePerGas), Big(t.MaxFeePerGas), Big(t.GasLimit), t.To?.ToLowerHex(), Big(t.Value), Hex.Encode(t.Data.Span), AccessList(t.AccessList));

    public static Transaction2930 Build(Eip2930Transaction t) => new(
        t.ChainId, t.Nonce, Big(t.GasPrice), Big(t.GasLimit), t.To?.ToLowerHex(), Big(t.Value), Hex.Encode(t.Data.Span), AccessList(t.AccessList));

    public static BigInteger Big(UInt256 value) => value;

    private static byte[] Minimal(UInt256 value) => value.ToBigEndianTrimmed();

    private static byte[] To(Address? to) => to is { } address ? address.ToArray() : [];

    private static List<NethereumAccessListItem> AccessList(AccessList list) =>
        list.Select(e => new NethereumAccessListItem(e.Address.ToLowerHex(), e.StorageKeys.Select(k => k.ToArray()).ToList())).ToList();
}
