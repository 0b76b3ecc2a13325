using StoFunctions.Functions.Accounts;
using StoFunctions.Functions.Diagnose;
using StoFunctions.Functions.Distributions;
using StoFunctions.Functions.Issuer;
using StoFunctions.Functions.Kyc;
using StoFunctions.Functions.Tokens;
using StoFunctions.Functions.Transactions;
using StoFunctions.Functions.Transfers;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Commands;

/// <summary>Every command planner and HTTP route of the command API, registered in one place.</summary>
public static class CommandCatalog
{
    /// <summary>Registers one planner per command.</summary>
    public static void AddPlanners(IServiceCollection services)
    {
        services.AddSingleton<ICommandPlanner, IssueToken>();
        services.AddSingleton<ICommandPlanner, Distribute>();
        services.AddSingleton<ICommandPlanner, TransferTokens>();
        services.AddSingleton<ICommandPlanner, DeployKycRegistry>();
        services.AddSingleton<ICommandPlanner, SetKycEntries>();
        services.AddSingleton<ICommandPlanner, MintTokens>();
        services.AddSingleton<ICommandPlanner, BurnTokens>();
        services.AddSingleton<ICommandPlanner, ForcedTransfer>();
        services.AddSingleton<ICommandPlanner, RecoverWallet>();
        services.AddSingleton<ICommandPlanner, FreezeAccount>();
        services.AddSingleton<ICommandPlanner, PauseToken>();
        services.AddSingleton<ICommandPlanner, UnpauseToken>();
        services.AddSingleton<ICommandPlanner, SetRestriction>();
        services.AddSingleton<ICommandPlanner, AttachModule>();
        services.AddSingleton<ICommandPlanner, DetachModule>();
    }

    /// <summary>Maps every route relative to the route prefix.</summary>
    public static void Map(IEndpointRouteBuilder api)
    {
        GetCommand.Map(api);
        ListTransactions.Map(api);
        GetAccountNonce.Map(api);
        GetDiagnose.Map(api);
        IssueToken.Map(api);
        ListTokens.Map(api);
        GetToken.Map(api);
        Distribute.Map(api);
        TransferTokens.Map(api);
        DeployKycRegistry.Map(api);
        SetKycEntries.Map(api);
        MintTokens.Map(api);
        BurnTokens.Map(api);
        ForcedTransfer.Map(api);
        RecoverWallet.Map(api);
        FreezeAccount.Map(api);
        PauseToken.Map(api);
        UnpauseToken.Map(api);
        SetRestriction.Map(api);
        AttachModule.Map(api);
        DetachModule.Map(api);
    }
}
