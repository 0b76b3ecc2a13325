namespace StoFunctions.Ethereum;

/// <summary>The EIP-2718 transaction type byte.</summary>
public enum TransactionType : byte
{
    /// <summary>Untyped RLP list (pre-EIP-2718), with or without EIP-155 replay protection.</summary>
    Legacy = 0,

    /// <summary>EIP-2930: access list, gas price.</summary>
    Eip2930 = 1,

    /// <summary>EIP-1559: priority fee and fee cap.</summary>
    Eip1559 = 2,
}
