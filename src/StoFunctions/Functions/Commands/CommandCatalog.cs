using StoFunctions.Functions.Accounts;
using StoFunctions.Functions.Announcements;
using StoFunctions.Functions.Ballots;
using StoFunctions.Functions.Diagnose;
using StoFunctions.Functions.Distributions;
using StoFunctions.Functions.Issuer;
using StoFunctions.Functions.Kyc;
using StoFunctions.Functions.Payouts;
using StoFunctions.Functions.Snapshots;
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
        services.AddSingleton<ICommandPlanner, TakeSnapshot>();
        services.AddSingleton<ICommandPlanner, CreatePayout>();
        services.AddSingleton<ICommandPlanner, PushPayout>();
        services.AddSingleton<ICommandPlanner, ReclaimPayout>();
        services.AddSingleton<ICommandPlanner, DirectPayout>();
        services.AddSingleton<ICommandPlanner, CreateBallot>();
        services.AddSingleton<ICommandPlanner, Announce>();
        services.AddSingleton<ICommandPlanner, SetDocument>();
        services.AddSingleton<ICommandPlanner, RemoveDocument>();
        services.AddSingleton<ICommandPlanner, SetTokenInformation>();
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
        TakeSnapshot.Map(api);
        ListSnapshots.Map(api);
        CreatePayout.Map(api);
        PushPayout.Map(api);
        ReclaimPayout.Map(api);
        GetPayouts.Map(api);
        DirectPayout.Map(api);
        CreateBallot.Map(api);
        GetBallots.Map(api);
        Announce.Map(api);
        SetDocument.Map(api);
        RemoveDocument.Map(api);
        SetTokenInformation.Map(api);
        GetDocuments.Map(api);
    }
}
