using System.Text.Json;
using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;
using StoFunctions.Ethereum.Rpc;
using StoFunctions.Pipeline.Commands;
using StoFunctions.Pipeline.Planning;
using StoFunctions.Pipeline.Tests.Lanes;

namespace StoFunctions.Pipeline.Tests.Planning;

/// <summary>Multi-transaction commands: consecutive nonces and intents that target or embed a predicted CREATE address.</summary>
public sealed class CommandPlanningTests(AnvilFixture fixture) : IClassFixture<AnvilFixture>
{
    [Fact]
    public async Task DeployThenCall_CallTargetsPredictedCreateAddress_OutputNamesTheDeployedContract()
    {
        await using PipelineRig rig = await PipelineRig.StartAsync(fixture.Anvil, fixture.NextAccount());
        var service = new CommandService(rig.Commands, rig.Ledger, rig.Rpc, rig.Lane, [new ProbePlanner()]);
        string id = await service.SubmitAsync(new CommandRequest("probe", "probe-1", JsonDocument.Parse("""{"limit":100,"poke":7}""").RootElement));

        await PipelineRig.RunUntilQuiescentAsync(rig.NewLane(), TimeSpan.FromSeconds(30));

        CommandStatus status = (await service.GetStatusAsync(id))!;
        Assert.Equal(CommandRuntimeStatus.Completed, status.RuntimeStatus);
        CommandTransaction deploy = status.Output!.Transactions[0], poke = status.Output.Transactions[1];
        Assert.Equal(deploy.Nonce + 1, poke.Nonce);
        Address predicted = ContractAddress.Create(rig.Lane.Sender, deploy.Nonce);
        Assert.Equal(predicted.ToString(), deploy.ContractAddress);
        Assert.Equal(predicted.ToString(), status.Output.Addresses["probeAddress"]);
        byte[] total = await rig.Rpc.CallAsync(new CallRequest { To = predicted, Data = AbiFunction.Parse("total()").EncodeCall() });
        Assert.Equal((UInt256)7UL, UInt256.FromBigEndian(total));
        Assert.Contains("\"probeAddress\":\"" + predicted + "\"", JsonSerializer.Serialize(status.Output, new JsonSerializerOptions(JsonSerializerDefaults.Web)), StringComparison.Ordinal);
    }

    [Fact]
    public void LocalKeySigner_NonDevChain_IsRefused()
    {
        PipelineException error = Assert.Throws<PipelineException>(() => new Pipeline.Signers.LocalKeySigner(PrivateKey.Parse(Testing.AnvilAccounts.PrivateKeys[0]), 1));
        Assert.Contains("chain 1 is not one", error.Message, StringComparison.Ordinal);
    }

    private sealed class ProbePlanner : ICommandPlanner
    {
        public string Name => "probe";

        public Task<IReadOnlyList<TransactionIntent>> PlanAsync(JsonElement input, CancellationToken cancellationToken)
        {
            ContractArtifact probe = ContractArtifact.Load("Probe");
            ContractAbi abi = ContractAbi.FromJson(probe.AbiJson);
            byte[] deployment = abi.Constructor!.EncodeDeployment(Hex.Decode(probe.Bytecode), (UInt256)input.GetProperty("limit").GetUInt64());
            byte[] poke = abi.GetFunction("poke").EncodeCall((UInt256)input.GetProperty("poke").GetUInt64(), "planned");
            return Task.FromResult<IReadOnlyList<TransactionIntent>>(
            [
                new TransactionIntent { Data = deployment, GasLimit = 1_000_000, Note = "deploy probe", OutputName = "probeAddress" },
                new TransactionIntent { ToCreatedBy = 0, Data = poke, GasLimit = 200_000, Note = "poke the new probe" },
            ]);
        }
    }
}
