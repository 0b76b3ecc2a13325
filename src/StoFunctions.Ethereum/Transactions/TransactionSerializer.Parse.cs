namespace StoFunctions.Ethereum;

public static partial class TransactionSerializer
{
    /// <summary>
    /// Parses a signed raw transaction strictly: canonical RLP and integers, the exact field count for its type,
    /// a 20-byte or empty <c>to</c>, 32-byte access-list keys, a valid v/yParity, r and s in 1 … n-1 and
    /// s ≤ n/2 (EIP-2), and no trailing bytes.
    /// </summary>
    /// <param name="raw">The bytes from <c>eth_sendRawTransaction</c> or <c>eth_getRawTransactionByHash</c>.</param>
    /// <param name="expectedChainId">When given, a transaction signed for another chain is rejected (pre-EIP-155 legacy transactions are accepted).</param>
    /// <exception cref="TransactionException">The bytes are not a valid signed transaction; the message names the field and byte offset.</exception>
    public static SignedTransaction Parse(ReadOnlySpan<byte> raw, ulong? expectedChainId = null)
    {
        if (raw.IsEmpty)
        {
            throw new TransactionException("the input is empty.", 0);
        }

        SignedTransaction parsed;
        try
        {
            byte first = raw[0];
            parsed = first switch
            {
                >= 0xC0 => ParseLegacy(raw),
                1 or 2 => ParseTyped(raw, (TransactionType)first),
                3 => throw new TransactionException("type 3 (EIP-4844 blob) transactions are not supported by this library.", 0),
                4 => throw new TransactionException("type 4 (EIP-7702 set-code) transactions are not supported by this library.", 0),
                >= 0x80 => throw new TransactionException(
                    $"the first byte 0x{first:x2} is an RLP string header; a transaction is an RLP list (legacy) or a type byte 0x01/0x02 followed by a list.", 0),
                _ => throw new TransactionException($"unknown transaction type 0x{first:x2}; supported are legacy (RLP list), 0x01 (EIP-2930) and 0x02 (EIP-1559).", 0),
            };
        }
        catch (RlpException ex)
        {
            throw new TransactionException(ex.Message, ex.Position, ex);
        }

        if (expectedChainId is { } expected && parsed.Transaction.SignedChainId is { } actual && actual != expected)
        {
            throw new TransactionException(
                $"the transaction is signed for chain id {actual} but chain id {expected} was expected; re-sign it for chain {expected}.");
        }

        return parsed;
    }

    private static SignedTransaction ParseLegacy(ReadOnlySpan<byte> raw)
    {
        var outer = new RlpReader(raw);
        RlpReader fields = outer.ReadList("transaction");
        outer.EnsureEnd("the transaction");
        int count = CountItems(fields);
        if (count != 9)
        {
            throw new TransactionException(
                $"a signed legacy transaction has 9 RLP fields [nonce, gasPrice, gasLimit, to, value, data, v, r, s] but this one has {count}.", 0);
        }

        ulong nonce = fields.ReadUInt64("nonce");
        UInt256 gasPrice = fields.ReadUInt256("gasPrice");
        UInt256 gasLimit = fields.ReadUInt256("gasLimit");
        Address? to = ReadTo(ref fields);
        UInt256 value = fields.ReadUInt256("value");
        byte[] data = fields.ReadBytes("data").ToArray();
        int vPosition = fields.Position;
        UInt256 v = fields.ReadUInt256("v");
        ulong? chainId;
        byte yParity;
        if (v == 27UL || v == 28UL)
        {
            chainId = null;
            yParity = (byte)((ulong)v - 27);
        }
        else if (v >= 35UL)
        {
            UInt256 id = (v - 35UL) / 2UL;
            if (!id.FitsInUInt64)
            {
                throw new TransactionException($"v = {v} encodes chain id {id}, which exceeds 64 bits.", vPosition);
            }

            chainId = (ulong)id;
            yParity = (byte)((ulong)((v - 35UL) % 2UL));
        }
        else
        {
            throw new TransactionException(
                $"v = {v} is invalid; expected 27 or 28 (pre-EIP-155) or chainId*2+35 / chainId*2+36 (EIP-155).", vPosition);
        }

        Signature signature = ReadSignature(ref fields, yParity);
        var transaction = new LegacyTransaction
        {
            Nonce = nonce,
            GasPrice = gasPrice,
            GasLimit = gasLimit,
            To = to,
            Value = value,
            Data = data,
            ChainId = chainId,
        };
        return new SignedTransaction(transaction, signature);
    }

    private static SignedTransaction ParseTyped(ReadOnlySpan<byte> raw, TransactionType type)
    {
        var outer = new RlpReader(raw[1..], 1);
        RlpReader fields = outer.ReadList("transaction");
        outer.EnsureEnd("the transaction");
        int count = CountItems(fields);
        int expected = type == TransactionType.Eip1559 ? 12 : 11;
        if (count != expected)
        {
            string names = type == TransactionType.Eip1559
                ? "[chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s]"
                : "[chainId, nonce, gasPrice, gasLimit, to, value, data, accessList, yParity, r, s]";
            throw new TransactionException($"a signed type {(byte)type} transaction has {expected} RLP fields {names} but this one has {count}.", 1);
        }

        ulong chainId = fields.ReadUInt64("chainId");
        ulong nonce = fields.ReadUInt64("nonce");
        Transaction transaction;
        if (type == TransactionType.Eip1559)
        {
            UInt256 priority = fields.ReadUInt256("maxPriorityFeePerGas");
            UInt256 maxFee = fields.ReadUInt256("maxFeePerGas");
            UInt256 gasLimit = fields.ReadUInt256("gasLimit");
            Address? to = ReadTo(ref fields);
            UInt256 value = fields.ReadUInt256("value");
            byte[] data = fields.ReadBytes("data").ToArray();
            AccessList accessList = AccessList.Read(ref fields);
            transaction = new Eip1559Transaction
            {
                ChainId = chainId,
                Nonce = nonce,
                MaxPriorityFeePerGas = priority,
                MaxFeePerGas = maxFee,
                GasLimit = gasLimit,
                To = to,
                Value = value,
                Data = data,
                AccessList = accessList,
            };
        }
        else
        {
            UInt256 gasPrice = fields.ReadUInt256("gasPrice");
            UInt256 gasLimit = fields.ReadUInt256("gasLimit");
            Address? to = ReadTo(ref fields);
            UInt256 value = fields.ReadUInt256("value");
            byte[] data = fields.ReadBytes("data").ToArray();
            AccessList accessList = AccessList.Read(ref fields);
            transaction = new Eip2930Transaction
            {
                ChainId = chainId,
                Nonce = nonce,
                GasPrice = gasPrice,
                GasLimit = gasLimit,
                To = to,
                Value = value,
                Data = data,
                AccessList = accessList,
            };
        }

        int parityPosition = fields.Position;
        ulong yParity = fields.ReadUInt64("yParity");
        if (yParity > 1)
        {
            throw new TransactionException($"yParity = {yParity} is invalid; typed transactions use 0 or 1.", parityPosition);
        }

        return new SignedTransaction(transaction, ReadSignature(ref fields, (byte)yParity));
    }

    private static Address? ReadTo(ref RlpReader fields)
    {
        int position = fields.Position;
        ReadOnlySpan<byte> to = fields.ReadBytes("to");
        return to.Length switch
        {
            0 => null,
            Address.Size => Address.FromBytes(to),
            _ => throw new TransactionException(
                $"to is {to.Length} bytes; it must be a 20-byte address, or empty for contract creation.", position),
        };
    }

    private static Signature ReadSignature(ref RlpReader fields, byte yParity)
    {
        int rPosition = fields.Position;
        UInt256 r = fields.ReadUInt256("r");
        int sPosition = fields.Position;
        UInt256 s = fields.ReadUInt256("s");
        if (r.IsZero || r >= Secp256k1.Order)
        {
            throw new TransactionException($"signature r = {r.ToHexQuantity()} is outside 1 … n-1.", rPosition);
        }

        if (s.IsZero || s >= Secp256k1.Order)
        {
            throw new TransactionException($"signature s = {s.ToHexQuantity()} is outside 1 … n-1.", sPosition);
        }

        if (s > Secp256k1.HalfOrder)
        {
            throw new TransactionException(
                $"signature s = {s.ToHexQuantity()} is above n/2; since Homestead (EIP-2) s must be in the lower half (use n - s and flip the parity).",
                sPosition);
        }

        return new Signature(r, s, yParity);
    }

    private static int CountItems(RlpReader fields)
    {
        int count = 0;
        while (fields.HasMore)
        {
            fields.ReadEncoded();
            count++;
        }

        return count;
    }
}
