using System.IO.Compression;
using System.Text.Json;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Testing;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Abi;

/// <summary>Every case of the shared ABI vectors, encoded byte-exact and decoded back to the same values.</summary>
public sealed class AbiCodecVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void SoliditySpecExamples_EncodeToTheDocumentedCallDataAndDecodeBack()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("abi", "solidity-abi-spec-examples.json")));
        int count = 0;
        foreach (JsonElement call in doc.RootElement.GetProperty("calls").EnumerateArray())
        {
            AbiFunction function = AbiFunction.Parse(call.GetProperty("signature").GetString()!);
            Assert.Equal(call.GetProperty("selector").GetString(), function.SelectorHex);
            AbiType[] types = call.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToArray();
            Assert.Equal(types, function.Inputs.Select(p => p.Type));
            object?[] values = AbiVectorValues.FromList(types, call.GetProperty("values"));

            byte[] calldata = function.EncodeCall(values);

            Assert.Equal(call.GetProperty("calldata").GetString(), Hex.Encode(calldata));
            Assert.Equal(call.GetProperty("encodedArguments").GetString(), Hex.Encode(AbiCodec.Encode(types, values)));
            Assert.True(AbiVectorValues.DeepEquals(values, function.DecodeCall(calldata)), call.GetProperty("name").GetString());
            count++;
        }

        foreach (JsonElement ret in doc.RootElement.GetProperty("returnValues").EnumerateArray())
        {
            AbiType[] types = ret.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToArray();
            object?[] values = AbiVectorValues.FromList(types, ret.GetProperty("values"));
            byte[] encoded = Hex.Decode(ret.GetProperty("encoded").GetString()!);
            Assert.Equal(encoded, AbiCodec.Encode(types, values));
            Assert.True(AbiVectorValues.DeepEquals(values, AbiCodec.Decode(types, encoded)));
            count++;
        }

        output.WriteLine($"solidity-abi-spec-examples.json: {count} cases");
        Assert.Equal(6, count);
    }

    [Fact]
    public void EthereumTestsBasicAbi_EncodesEveryCaseByteExact()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("abi", "ethereum-tests-basic_abi_tests.json")));
        int count = 0;
        foreach (JsonProperty test in doc.RootElement.EnumerateObject())
        {
            AbiType[] types = test.Value.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToArray();
            object?[] values = AbiVectorValues.FromList(types, test.Value.GetProperty("args"));
            byte[] expected = Hex.Decode("0x" + test.Value.GetProperty("result").GetString());

            Assert.Equal(Hex.Encode(expected), Hex.Encode(AbiCodec.Encode(types, values)));
            Assert.True(AbiVectorValues.DeepEquals(values, AbiCodec.Decode(types, expected)), test.Name);
            count++;
        }

        output.WriteLine($"ethereum-tests-basic_abi_tests.json: {count} cases");
        Assert.Equal(3, count);
    }

    [Fact]
    public void EthersV6Abi_EncodesEachValueAsReturnDataAndDecodesItBack()
    {
        int count = 0;
        foreach (JsonElement test in ReadGzipArray("ethers-v6-abi.json.gz"))
        {
            string name = test.GetProperty("name").GetString()!;
            AbiType type = AbiType.Parse(test.GetProperty("type").GetString()!);
            object? value = AbiVectorValues.From(type, test.GetProperty("verbose"));
            byte[] expected = Hex.Decode(test.GetProperty("encoded").GetString()!);

            byte[] encoded = AbiCodec.Encode([type], value);

            Assert.True(expected.AsSpan().SequenceEqual(encoded), $"{name}: encoding differs");
            object[] decoded = AbiCodec.Decode([type], expected);
            Assert.True(AbiVectorValues.DeepEquals(value, decoded[0]), $"{name}: decoded value differs");
            count++;
        }

        output.WriteLine($"ethers-v6-abi.json.gz: {count} cases");
        Assert.Equal(1024, count);
    }

    [Fact]
    public void EthersV5ContractInterface_EncodesNormalizedValuesAndDecodesResults()
    {
        int count = 0;
        foreach (JsonElement test in ReadGzipArray("ethers-v5-contract-interface.even.json.gz"))
        {
            string name = test.GetProperty("name").GetString()!;
            using JsonDocument typesDoc = JsonDocument.Parse(test.GetProperty("types").GetString()!);
            using JsonDocument valuesDoc = JsonDocument.Parse(test.GetProperty("normalizedValues").GetString()!);
            AbiType[] types = typesDoc.RootElement.EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToArray();
            object?[] values = AbiVectorValues.FromList(types, valuesDoc.RootElement);
            byte[] expected = Hex.Decode(test.GetProperty("result").GetString()!);

            Assert.True(expected.AsSpan().SequenceEqual(AbiCodec.Encode(types, values)), $"{name}: encoding differs");
            Assert.True(AbiVectorValues.DeepEquals(values, AbiCodec.Decode(types, expected)), $"{name}: decoded values differ");
            count++;
        }

        output.WriteLine($"ethers-v5-contract-interface.even.json.gz: {count} cases");
        Assert.Equal(1023, count);
    }

    [Fact]
    public void EthersV5ContractSignatures_JsonAbiGivesTheCanonicalSignatureAndSelector()
    {
        int count = 0;
        foreach (JsonElement test in ReadGzipArray("ethers-v5-contract-signatures.even.json.gz"))
        {
            ContractAbi abi = ContractAbi.FromJson(test.GetProperty("abi").GetString()!);
            AbiFunction function = abi.GetFunction("testSig");

            Assert.Equal(test.GetProperty("signature").GetString(), function.Signature);
            Assert.Equal(test.GetProperty("sigHash").GetString(), function.SelectorHex);

            // The human-readable form we print parses back to the same function.
            Assert.Equal(function.Signature, AbiFunction.Parse(function.ToString()).Signature);
            count++;
        }

        output.WriteLine($"ethers-v5-contract-signatures.even.json.gz: {count} cases");
        Assert.Equal(940, count);
    }

    private static JsonElement[] ReadGzipArray(string file)
    {
        using FileStream stream = File.OpenRead(RepoPaths.Vector("abi", file));
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using JsonDocument doc = JsonDocument.Parse(gzip);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
