using StoFunctions.Ethereum;
using StoFunctions.Functions.Commands;
using StoFunctions.Hosting;

namespace StoFunctions.Functions.Reads;

/// <summary>The problem answers the chain read routes share.</summary>
public static class ReadProblems
{
    /// <summary>404: nothing is deployed at <paramref name="contract"/>.</summary>
    public static IResult NoContract(Address contract, string field) =>
        Problems.Result(404, $"There is no contract at {contract} on this chain; pass the address the issuing command returned (output.{(field == "token" ? "tokenAddress" : "registryAddress")}).",
            CommandEndpoint.Errors(field, "No contract at this address."));

    /// <summary>404: the contract does not answer the views the read needs (not one of our contracts).</summary>
    public static IResult NotAnswering(Address contract, string field, string views, Address account) =>
        Problems.Result(404, $"{contract} does not answer {views} (asked for {account}); it is not a SecurityToken / KYC registry of this service.",
            CommandEndpoint.Errors(field, $"Does not answer {views}."));
}
