using Nethereum.Model;
using Nethereum.Signer;
using Nethereum.Signer.Crypto;

namespace StoFunctions.Ethereum.Tests.Differential;

/// <summary>
/// A Nethereum external signer shaped like Azure Key Vault's ES256K: it is handed the 32-byte signing hash and
/// returns r ‖ s with no recovery id, and here always the high-S twin (Key Vault returns either half). Nethereum
/// computes the recovery id itself; <paramref name="canonical"/> applies <c>MakeCanonical()</c> first, which
/// Nethereum leaves to the implementer.
/// </summary>
internal sealed class KeyVaultStyleSigner(PrivateKey key, bool canonical) : EthExternalSignerBase
{
    public override bool Supported1559 => true;

    public override ExternalSignerTransactionFormat ExternalSignerTransactionFormat { get; protected set; } = ExternalSignerTransactionFormat.Hash;

    public override bool CalculatesV { get; protected set; }

    /// <summary>The r ‖ s the "vault" returned last (before any canonicalisation), as our signer would receive it.</summary>
    public byte[] LastRs { get; private set; } = [];

    public override Task SignAsync(LegacyTransactionChainId transaction) => SignHashTransactionAsync(transaction);

    public override Task SignAsync(Nethereum.Model.LegacyTransaction transaction) => SignHashTransactionAsync(transaction);

    public override Task SignAsync(Transaction1559 transaction) => SignHashTransactionAsync(transaction);

    public override Task SignAsync(Transaction7702 transaction) => SignHashTransactionAsync(transaction);

    protected override Task<byte[]> GetPublicKeyAsync() => Task.FromResult(key.PublicKey.ToUncompressed());

    protected override Task<ECDSASignature> SignExternallyAsync(byte[] bytes)
    {
        Signature low = key.Sign(Hash32.FromBytes(bytes));
        UInt256 highS = Secp256k1.Order - low.S;
        LastRs = [.. low.R.ToBigEndian(), .. highS.ToBigEndian()];
        var signature = new ECDSASignature(Der(low.R, highS));
        return Task.FromResult(canonical ? signature.MakeCanonical() : signature);
    }

    // SEQUENCE { INTEGER r, INTEGER s }: Nethereum's public way to build an ECDSASignature from r and s.
    private static byte[] Der(UInt256 r, UInt256 s)
    {
        byte[] rInt = Integer(r);
        byte[] sInt = Integer(s);
        return [0x30, (byte)(rInt.Length + sInt.Length), .. rInt, .. sInt];

        static byte[] Integer(UInt256 value)
        {
            byte[] bytes = value.ToBigEndianTrimmed();
            byte[] positive = bytes[0] >= 0x80 ? [0x00, .. bytes] : bytes;
            return [0x02, (byte)positive.Length, .. positive];
        }
    }
}
