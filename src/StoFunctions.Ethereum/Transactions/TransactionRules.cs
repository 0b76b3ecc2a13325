namespace StoFunctions.Ethereum;

/// <summary>
/// Rules a node applies before admitting a well-formed transaction (current mainnet rules, Shanghai and later).
/// <see cref="TransactionSerializer.Parse"/> checks the encoding; these check what the encoding cannot express,
/// so a transaction that would be refused is caught before it is signed or sent.
/// </summary>
public static class TransactionRules
{
    /// <summary>EIP-3860: the largest init code a creation may carry (2 × the 24,576-byte code limit).</summary>
    public const int MaxInitCodeSize = 49_152;

    /// <summary>
    /// The gas charged before execution: 21,000 (+32,000 for a creation), 4 per zero and 16 per non-zero data byte
    /// (EIP-2028), 2,400 per access-list address and 1,900 per storage key (EIP-2930), and 2 per 32-byte word of
    /// init code (EIP-3860).
    /// </summary>
    public static ulong IntrinsicGas(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ReadOnlySpan<byte> data = transaction.Data.Span;
        int zeros = data.Count((byte)0);
        ulong gas = 21_000 + (ulong)zeros * 4 + (ulong)(data.Length - zeros) * 16;
        if (transaction.To is null)
        {
            gas += 32_000 + 2 * (ulong)((data.Length + 31) / 32);
        }

        AccessList? accessList = transaction switch
        {
            Eip1559Transaction t => t.AccessList,
            Eip2930Transaction t => t.AccessList,
            _ => null,
        };
        foreach (AccessListEntry entry in accessList ?? AccessList.Empty)
        {
            gas += 2_400 + 1_900 * (ulong)entry.StorageKeys.Count;
        }

        return gas;
    }

    /// <summary>Checks the node admission rules and throws on the first violation.</summary>
    /// <exception cref="TransactionException">Gas limit over 64 bits or below the intrinsic gas, fee × gas overflowing 256 bits, priority fee above the fee cap, or init code over the limit.</exception>
    public static void Check(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (!transaction.GasLimit.FitsInUInt64)
        {
            throw new TransactionException($"gasLimit {transaction.GasLimit} exceeds 64 bits; nodes reject it.");
        }

        ulong intrinsic = IntrinsicGas(transaction);
        if ((ulong)transaction.GasLimit < intrinsic)
        {
            throw new TransactionException(
                $"gasLimit {transaction.GasLimit} is below the intrinsic gas {intrinsic} (base, data, creation and access-list costs); raise the gas limit.");
        }

        UInt256 feeCap = transaction switch
        {
            Eip1559Transaction t => t.MaxFeePerGas,
            Eip2930Transaction t => t.GasPrice,
            LegacyTransaction t => t.GasPrice,
            _ => UInt256.Zero,
        };
        if (transaction is Eip1559Transaction { MaxPriorityFeePerGas: var priority, MaxFeePerGas: var maxFee } && priority > maxFee)
        {
            throw new TransactionException(
                $"maxPriorityFeePerGas {priority} is above maxFeePerGas {maxFee} (EIP-1559); the tip cannot exceed the fee cap.");
        }

        if (!UInt256.TryMultiply(transaction.GasLimit, feeCap, out _))
        {
            throw new TransactionException($"gasLimit × fee cap ({transaction.GasLimit} × {feeCap}) overflows 256 bits; nodes reject it.");
        }

        if (transaction.To is null && transaction.Data.Length > MaxInitCodeSize)
        {
            throw new TransactionException(
                $"init code is {transaction.Data.Length} bytes; EIP-3860 allows at most {MaxInitCodeSize}.");
        }
    }
}
