namespace StoFunctions.Ethereum.Abi;

/// <summary>The families of Solidity ABI types (https://docs.soliditylang.org/en/latest/abi-spec.html#types).</summary>
public enum AbiTypeKind
{
    /// <summary><c>uint8</c> … <c>uint256</c>.</summary>
    UInt,

    /// <summary><c>int8</c> … <c>int256</c>, two's complement.</summary>
    Int,

    /// <summary><c>address</c>, 20 bytes left-padded.</summary>
    Address,

    /// <summary><c>bool</c>, encoded as the word 0 or 1.</summary>
    Bool,

    /// <summary><c>bytes1</c> … <c>bytes32</c>, right-padded.</summary>
    FixedBytes,

    /// <summary>Dynamic <c>bytes</c>.</summary>
    Bytes,

    /// <summary>Dynamic UTF-8 <c>string</c>.</summary>
    String,

    /// <summary><c>T[]</c> (dynamic length) or <c>T[k]</c> (fixed length).</summary>
    Array,

    /// <summary><c>(T1,T2,…)</c>, a struct.</summary>
    Tuple,
}
