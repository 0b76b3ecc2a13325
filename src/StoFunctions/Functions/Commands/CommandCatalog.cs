using StoFunctions.Functions.Accounts;
using StoFunctions.Functions.Announcements;
using StoFunctions.Functions.Ballots;
using StoFunctions.Functions.Diagnose;
using StoFunctions.Functions.Distributions;
using StoFunctions.Functions.Issuer;
using StoFunctions.Functions.Kyc;
using StoFunctions.Functions.Modules;
using StoFunctions.Functions.Payouts;
using StoFunctions.Functions.Snapshots;
using StoFunctions.Functions.Tokens;
using StoFunctions.Functions.Transactions;
using StoFunctions.Functions.Transfers;
using StoFunctions.Pipeline.Planning;

namespace StoFunctions.Functions.Commands;

/// <summary>Every command planner of the command API, registered in one place.</summary>
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
        services.AddSingleton<ICommandPlanner, DeployIssuingEntity>();
        services.AddSingleton<ICommandPlanner, LinkToken>();
        services.AddSingleton<ICommandPlanner, AddCustodian>();
        services.AddSingleton<ICommandPlanner, DeployModule>();
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
}
