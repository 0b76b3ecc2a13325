using System.Numerics;
using System.Text;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum.Abi;
using Xunit.Abstractions;

namespace StoFunctions.Ethereum.Tests.Differential;

/// <summary>
/// Nethereum 6.1.0 as an independent oracle for the ABI: every function and event of our compiled contracts, read
/// from the same JSON by both libraries, with random arguments, must encode to the same call data and event data,
/// and each library must decode the other's encoding back to the original values. Seeds are fixed and printed.
/// </summary>
[Collection(NethereumCollection.Name)]
public class NethereumAbiTests(ITestOutputHelper output)
{
    private const int Seed = 15_2026_34;
    private const int RoundsPerMember = 12;

    [Fact]
    public void Random_calls_of_every_contract_function_encode_and_decode_like_nethereum()
    {
        var random = new Random(Seed);
        int calls = 0;
        foreach (string name in ContractArtifact.Names)
        {
            string json = ContractArtifact.Load(name).AbiJson;
            ContractAbi ours = ContractAbi.FromJson(json);
            ContractABI theirs = new ABIJsonDeserialiser().DeserialiseContract(json);
            Assert.Equal(ours.Functions.Count, theirs.Functions.Length);
            foreach (AbiFunction function in ours.Functions)
            {
                FunctionABI their = Assert.Single(theirs.Functions, f => f.Sha3Signature == function.SelectorHex[2..]);
                for (int round = 0; round < RoundsPerMember; round++)
                {
                    (object?[] values, object[] theirValues) = RandomArguments(random, function.Inputs);
                    byte[] encoded = function.EncodeCall(values);
                    string theirEncoded = new FunctionCallEncoder().EncodeRequest(their.Sha3Signature, their.InputParameters, theirValues);
                    string where = $"seed {Seed}, {name}.{function.Signature} round {round}";
                    Assert.True(Hex.Encode(encoded) == theirEncoded, $"{where}: ours {Hex.Encode(encoded)} but Nethereum {theirEncoded}");

                    Assert.Equal(Describe(function.Inputs, values), Describe(function.Inputs, function.DecodeCall(encoded)));
                    List<ParameterOutput> decoded = new FunctionCallDecoder().DecodeFunctionInput(their.Sha3Signature, theirEncoded, their.InputParameters);
                    Assert.Equal(Describe(function.Inputs, values), Describe(function.Inputs, decoded.OrderBy(p => p.Parameter.Order).Select(p => p.Result).ToArray()));
                    calls++;
                }
            }
        }

        output.WriteLine($"seed {Seed}: {calls} calls over {ContractArtifact.Names.Count} contracts");
        Assert.True(calls > 1000, $"only {calls} calls were compared");
    }

    [Fact]
    public void Random_logs_of_every_contract_event_encode_and_decode_like_nethereum()
    {
        var random = new Random(Seed + 1);
        int logs = 0;
        foreach (string name in ContractArtifact.Names)
        {
            string json = ContractArtifact.Load(name).AbiJson;
            ContractAbi ours = ContractAbi.FromJson(json);
            ContractABI theirs = new ABIJsonDeserialiser().DeserialiseContract(json);
            foreach (AbiEvent abiEvent in ours.Events)
            {
                EventABI their = Assert.Single(theirs.Events, e => e.Sha3Signature == Hex.EncodeNoPrefix(abiEvent.Topic.ToArray()));
                for (int round = 0; round < RoundsPerMember; round++)
                {
                    (object?[] values, object[] theirValues) = RandomArguments(random, abiEvent.Inputs);
                    (IReadOnlyList<Hash32> topics, byte[] data) = abiEvent.EncodeLog(values);
                    string where = $"seed {Seed + 1}, {name}.{abiEvent.Signature} round {round}";

                    // Nethereum encodes the non-indexed values itself; the data must be the same bytes.
                    Parameter[] plain = their.InputParameters.Where(p => !p.Indexed).OrderBy(p => p.Order).ToArray();
                    object[] plainValues = their.InputParameters.OrderBy(p => p.Order).Select((p, i) => (p, i)).Where(x => !x.p.Indexed).Select(x => theirValues[x.i]).ToArray();
                    Assert.True(Hex.Encode(data) == Hex.Encode(new ParametersEncoder().EncodeParameters(plain, plainValues)), $"{where}: event data differs");

                    // Nethereum decodes our topics and data back to the values we encoded.
                    var log = new FilterLog { Topics = topics.Select(t => (object)t.ToString()).ToArray(), Data = Hex.Encode(data) };
                    List<ParameterOutput> decoded = their.DecodeEventDefaultTopics(log).Event;
                    Assert.Equal(Describe(abiEvent.Inputs, values), Describe(abiEvent.Inputs, decoded.OrderBy(p => p.Parameter.Order).Select(p => p.Result).ToArray()));
                    Assert.Equal(Describe(abiEvent.Inputs, values), Describe(abiEvent.Inputs, abiEvent.DecodeLog(topics, data).Values.ToArray()));
                    logs++;
                }
            }
        }

        output.WriteLine($"seed {Seed + 1}: {logs} logs over {ContractArtifact.Names.Count} contracts");
        Assert.True(logs > 200, $"only {logs} logs were compared");
    }

    // Values for both libraries: ours in our value model, Nethereum's in its own (BigInteger, hex strings, lists).
    private static (object?[] Ours, object[] Theirs) RandomArguments(Random random, IReadOnlyList<AbiParameter> parameters)
    {
        var ours = new object?[parameters.Count];
        var theirs = new object[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            (ours[i], theirs[i]) = RandomValue(random, parameters[i].Type);
        }

        return (ours, theirs);
    }

    private static (object Ours, object Theirs) RandomValue(Random random, AbiType type)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.Address:
                var address = Address.FromBytes(RandomTransactions.Bytes(random, Address.Size));
                return (address, address.ToLowerHex());
            case AbiTypeKind.UInt:
                var value = UInt256.FromBigEndian(RandomTransactions.Bytes(random, random.Next(type.Size / 8 + 1)));
                return (value, (BigInteger)value);
            case AbiTypeKind.Bool:
                bool flag = random.Next(2) == 1;
                return (flag, flag);
            case AbiTypeKind.FixedBytes:
                byte[] bytes = RandomTransactions.Bytes(random, type.Size);
                return (bytes, bytes.Clone());
            case AbiTypeKind.Bytes:
                // Lengths across the 32-byte word boundary (TestModule's execute and setReentry take call data).
                byte[] data = RandomTransactions.Bytes(random, random.Next(70));
                return (data, data.Clone());
            case AbiTypeKind.String:
                string text = RandomText(random);
                return (text, text);
            case AbiTypeKind.Array when type.Length is null:
                var items = Enumerable.Range(0, random.Next(5)).Select(_ => RandomValue(random, type.ElementType!)).ToArray();
                return (items.Select(x => x.Ours).ToArray(), items.Select(x => x.Theirs).ToList());
            case AbiTypeKind.Array:
                // Fixed arrays (the seed 002 hooks' address[2], bytes32[2], uint8[2], uint16[2]): exactly k items.
                var fixedItems = Enumerable.Range(0, type.Length!.Value).Select(_ => RandomValue(random, type.ElementType!)).ToArray();
                return (fixedItems.Select(x => x.Ours).ToArray(), fixedItems.Select(x => x.Theirs).ToList());
            default:
                throw new NotSupportedException($"The contracts gained an ABI type this test does not generate yet: {type}. Add it to {nameof(RandomValue)}.");
        }
    }

    // ASCII, Latin-1, CJK and an emoji (surrogate pair), lengths across the 32-byte word boundary.
    private static string RandomText(Random random)
    {
        string[] pieces = ["a", "Z", "0", " ", "é", "ß", "株", "券", "😀", "-", "_"];
        var builder = new StringBuilder();
        int length = random.Next(45);
        for (int i = 0; i < length; i++)
        {
            builder.Append(pieces[random.Next(pieces.Length)]);
        }

        return builder.ToString();
    }

    // One text form for both value models, so a mismatch prints readably.
    private static string Describe(IReadOnlyList<AbiParameter> parameters, IReadOnlyList<object?> values) =>
        string.Join(" | ", parameters.Select((p, i) => Describe(p.Type, values[i])));

    private static string Describe(AbiType type, object? value) => value switch
    {
        null => "null",
        Address a => a.ToLowerHex(),
        UInt256 u => ((BigInteger)u).ToString(System.Globalization.CultureInfo.InvariantCulture),
        BigInteger b => b.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ulong or uint or ushort or byte or long or int => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        bool f => f ? "true" : "false",
        byte[] bytes => Hex.Encode(bytes),
        string s when type.Kind == AbiTypeKind.Address => s.ToLowerInvariant(),
        string s => "\"" + s + "\"",
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(x => Describe(type.ElementType!, x))) + "]",
        _ => value.ToString() ?? "?",
    };
}
