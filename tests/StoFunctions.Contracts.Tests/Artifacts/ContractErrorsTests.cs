using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Contracts.Tests.Artifacts;

/// <summary>
/// Revert data of any of our contracts decodes to the error's name and arguments, from a table built from the
/// compiled ABIs (not typed by hand), checked against a few selectors known from outside this repository.
/// </summary>
public sealed class ContractErrorsTests
{
    public static TheoryData<string> Artifacts { get; } = [.. ContractArtifact.Names];

    [Theory]
    [MemberData(nameof(Artifacts))]
    public void EveryCustomErrorOfTheContract_DecodesByNameFromItsSelector(string contract)
    {
        ContractAbi abi = ContractAbi.FromJson(ContractArtifact.Load(contract).AbiJson);

        foreach (AbiError error in abi.Errors)
        {
            // Zero words decode as zero values, empty strings and empty arrays (a dynamic member's offset 0 points
            // at a zero length), so every signature gets well-formed data without typed sample values.
            byte[] data = [.. error.Selector, .. new byte[32 * ((4 * error.Inputs.Count) + 4)]];
            RevertReason reason = ContractErrors.Decode(data);

            Assert.True(reason.Kind == RevertKind.Custom, $"{contract}: {error.Signature} decoded as {reason}");
            Assert.Equal(error.Signature, reason.Error!.Signature);
            Assert.Equal(error.Inputs.Count, reason.Arguments.Count);
            Assert.StartsWith(error.Name + "(", reason.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("0x221dd86f", "ReceiverRestricted(address,uint64)")]
    [InlineData("0xe450d38c", "ERC20InsufficientBalance(address,uint256,uint256)")]
    [InlineData("0xe2517d3f", "AccessControlUnauthorizedAccount(address,bytes32)")]
    [InlineData("0xd93c0665", "EnforcedPause()")]
    [InlineData("0xec442f05", "ERC20InvalidReceiver(address)")]
    public void KnownSelectors_MapToTheirSignatures(string selector, string signature)
    {
        Assert.Equal(signature, ContractErrors.BySelector[selector].Signature);
    }

    [Fact]
    public void ForcedTransferRevertData_DecodesAsReceiverRestrictedWithItsArguments()
    {
        Address receiver = Address.Parse("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
        byte[] data = [.. Hex.Decode("0x221dd86f"), .. new byte[12], .. receiver.ToArray(), .. new byte[31], 1];

        Assert.Equal($"ReceiverRestricted({receiver}, 1)", ContractErrors.Decode(data).ToString());
    }

    [Fact]
    public void UnknownSelector_StaysUnknownWithItsBytes()
    {
        Assert.Equal("unknown revert data 0x01020304", ContractErrors.Decode([1, 2, 3, 4]).ToString());
    }
}
