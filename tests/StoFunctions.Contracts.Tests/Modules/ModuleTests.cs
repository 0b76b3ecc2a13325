using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests.Modules;

/// <summary>SFT-style modules: attach/detach, hooks blocking by revert or false, permissions, sample modules.</summary>
public sealed class ModuleTests(AnvilChain chain) : TokenTestBase(chain)
{
    private static byte[] Selector(string signature) => Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(signature)).ToArray()[..4];

    private static readonly byte[] CheckTransfer = Selector("checkTransfer(address,address,uint256)");
    private static readonly byte[] TransferTokens = Selector("transferTokens(address,address,uint256)");
    private static readonly byte[] TotalSupplyChanged = Selector("totalSupplyChanged(address,address,uint256)");
    private static readonly byte[] TransferFromPermission = Selector("transferFrom(address,address,uint256)");
    private static readonly byte[] MintPermission = Selector("mint(address,uint256)");
    private static readonly byte[] BurnPermission = Selector("burn(address,uint256)");
    private static readonly byte[] DetachPermission = Selector("detachModule(address)");

    [Fact]
    public async Task LockupModule_BlocksTheHolderBeforeItsTime_AndAllowsAfter()
    {
        Address token = await DeployTokenAsync();
        Address lockup = await Chain.DeployAsync(LockupModuleContract.Deploy(token, Admin));
        ChainReceipt attached = await AdminAsync(token, SecurityTokenContract.AttachModule(lockup));
        ChainLog log = attached.LogsWith(SecurityTokenContract.ModuleAttachedTopic).Single();
        SecurityTokenContract.ModuleAttachedEvent e = SecurityTokenContract.DecodeModuleAttachedEvent(log.Topics, log.Data);
        Assert.Equal(lockup, e.Module);
        Assert.Equal([Hex.Encode(CheckTransfer)], e.Hooks.Select(h => Hex.Encode(h)));

        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        ulong until = await Chain.LatestTimestampAsync() + 1000;
        ChainReceipt locked = await AdminAsync(lockup, LockupModuleContract.SetLockup(Alice, until));
        Assert.Equal(new LockupModuleContract.LockupSetEvent(Alice, until), LockupModuleContract.DecodeLockupSetEvent(locked.Logs[0].Topics, locked.Logs[0].Data));
        await ExpectErrorAsync(lockup, Alice, LockupModuleContract.SetLockup(Alice, 0), "AccessControlUnauthorizedAccount", LockupModuleContract.Abi);
        Assert.Equal(until, LockupModuleContract.DecodeLockedUntil(await Chain.CallAsync(lockup, LockupModuleContract.LockedUntil(Alice))));

        IReadOnlyList<object> args = await ExpectTransferRestrictedAsync(token, Alice, Bob, 10, "ModuleRejected", 10);
        Assert.Equal(lockup, (Address)args[0]);
        Assert.Equal(Hex.Encode(CheckTransfer), Hex.Encode((byte[])args[1]));
        await TransferAsync(token, Bob, Alice, 0); // Bob is not locked

        await ExpectErrorAsync(lockup, Admin, LockupModuleContract.TransferTokens(Alice, Bob, 1), "OnlyToken", LockupModuleContract.Abi);
        await ExpectErrorAsync(lockup, Admin, LockupModuleContract.TotalSupplyChanged(Address.Zero, Bob, 1), "OnlyToken", LockupModuleContract.Abi);
        await Chain.MineAtAsync(until);
        await TransferAsync(token, Alice, Bob, 10);
        Assert.Equal((UInt256)10, await BalanceAsync(token, Bob));
    }

    [Fact]
    public async Task MaxHoldersModule_RefusesTheHolderAboveTheLimit_AndFreesTheSlotOfASenderWhoLeaves()
    {
        Address token = await DeployTokenAsync();
        Address maxHolders = await Chain.DeployAsync(MaxHoldersModuleContract.Deploy(token, Admin, 2, 0));
        await AdminAsync(token, SecurityTokenContract.AttachModule(maxHolders));
        await AdminAsync(token, SecurityTokenContract.BatchMint([Alice, Bob], [100, 100]));
        Assert.Equal((UInt256)2, MaxHoldersModuleContract.DecodeHolderCount(await Chain.CallAsync(maxHolders, MaxHoldersModuleContract.HolderCount())));

        await ExpectTransferRestrictedAsync(token, Alice, Carol, 10, "ModuleRejected", 10);
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Carol, 1), "ModuleRejected");
        await TransferAsync(token, Alice, Bob, 10); // existing holder
        await TransferAsync(token, Alice, Carol, 90); // Alice leaves, Carol takes her slot
        Assert.Equal((UInt256)2, MaxHoldersModuleContract.DecodeHolderCount(await Chain.CallAsync(maxHolders, MaxHoldersModuleContract.HolderCount())));
        await AdminAsync(token, SecurityTokenContract.Burn(Carol, 90));
        Assert.Equal((UInt256)1, MaxHoldersModuleContract.DecodeHolderCount(await Chain.CallAsync(maxHolders, MaxHoldersModuleContract.HolderCount())));
        await TransferAsync(token, Bob, Dave, 1);
        await ExpectErrorAsync(maxHolders, Admin, MaxHoldersModuleContract.TransferTokens(Alice, Bob, 1), "OnlyToken", MaxHoldersModuleContract.Abi);

        await ExpectTransferRestrictedAsync(token, Bob, Carol, 1, "ModuleRejected", 10);
        ChainReceipt raised = await AdminAsync(maxHolders, MaxHoldersModuleContract.SetMaxHolders(3));
        Assert.Equal(new MaxHoldersModuleContract.MaxHoldersSetEvent(3), MaxHoldersModuleContract.DecodeMaxHoldersSetEvent(raised.Logs[0].Topics, raised.Logs[0].Data));
        await TransferAsync(token, Bob, Carol, 1);
    }

    [Fact]
    public async Task Hooks_BlockByRevertAndByFalse_AndStopAfterDetach()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        Address module = await Chain.DeployAsync(TestModuleContract.Deploy(token, [], [CheckTransfer, TransferTokens, TotalSupplyChanged]));
        await AdminAsync(token, SecurityTokenContract.AttachModule(module));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.AttachModule(module), "ModuleAlreadyActive");
        Assert.True(SecurityTokenContract.DecodeIsActiveModule(await Chain.CallAsync(token, SecurityTokenContract.IsActiveModule(module))));

        await TransferAsync(token, Alice, Bob, 1);
        await AdminAsync(token, SecurityTokenContract.Mint(Bob, 1));
        Assert.Equal((UInt256)1, TestModuleContract.DecodeTransferHookCalls(await Chain.CallAsync(module, TestModuleContract.TransferHookCalls())));
        Assert.Equal((UInt256)1, TestModuleContract.DecodeSupplyHookCalls(await Chain.CallAsync(module, TestModuleContract.SupplyHookCalls())));

        foreach (byte behaviour in new byte[] { 1, 2 }) // ReturnFalse, Revert
        {
            await AdminAsync(module, TestModuleContract.SetBehaviour(behaviour));
            await ExpectTransferRestrictedAsync(token, Alice, Bob, 1, "ModuleRejected", 10);
            await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Bob, 1), "ModuleRejected");
        }

        ChainReceipt detached = await AdminAsync(token, SecurityTokenContract.DetachModule(module));
        Assert.Equal(module, SecurityTokenContract.DecodeModuleDetachedEvent(detached.Logs[0].Topics, detached.Logs[0].Data).Module);
        Assert.False(SecurityTokenContract.DecodeIsActiveModule(await Chain.CallAsync(token, SecurityTokenContract.IsActiveModule(module))));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.DetachModule(module), "ModuleNotActive");
        await TransferAsync(token, Alice, Bob, 1);
        await ExpectErrorAsync(token, Bob, SecurityTokenContract.AttachModule(module), "AccessControlUnauthorizedAccount");
    }

    [Fact]
    public async Task TransferFromPermission_MovesTokensWithIssuerAuthority_WithoutItTheModuleCannot()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 5000));
        Address permitted = await Chain.DeployAsync(TestModuleContract.Deploy(token, [TransferFromPermission, MintPermission, BurnPermission], []));
        Address plain = await Chain.DeployAsync(TestModuleContract.Deploy(token, [], []));
        await AdminAsync(token, SecurityTokenContract.AttachModule(permitted));
        await AdminAsync(token, SecurityTokenContract.AttachModule(plain));
        Assert.True(SecurityTokenContract.DecodeIsPermittedModule(await Chain.CallAsync(token, SecurityTokenContract.IsPermittedModule(permitted, TransferFromPermission))));
        Assert.False(SecurityTokenContract.DecodeIsPermittedModule(await Chain.CallAsync(token, SecurityTokenContract.IsPermittedModule(plain, TransferFromPermission))));

        ChainReceipt moved = await AdminAsync(permitted, TestModuleContract.MoveTokens(Alice, Bob, 3000));
        Assert.Equal(new Erc20Binding.TransferEvent(Alice, Bob, 3000), SecurityTokenContract.DecodeTransferEvent(moved.Logs[0].Topics, moved.Logs[0].Data));
        Assert.Equal((UInt256)2000, await BalanceAsync(token, Alice));
        Assert.Equal((UInt256)3000, await BalanceAsync(token, Bob));

        IReadOnlyList<object> refused = await ExpectErrorAsync(plain, Admin, TestModuleContract.MoveTokens(Alice, Bob, 1), "ERC20InsufficientAllowance");
        Assert.Equal(plain, (Address)refused[0]);
        await ExpectErrorAsync(plain, Admin, TestModuleContract.MintTokens(Bob, 1), "AccessControlUnauthorizedAccount");
        await ExpectErrorAsync(plain, Admin, TestModuleContract.BurnTokens(Bob, 1), "AccessControlUnauthorizedAccount");

        // Issuer authority skips only the allowance: a frozen receiver still stops the module.
        await AdminAsync(token, SecurityTokenContract.SetAddressFrozen(Carol, true));
        await ExpectErrorAsync(permitted, Admin, TestModuleContract.MoveTokens(Alice, Carol, 1), "ReceiverFrozen");

        await AdminAsync(permitted, TestModuleContract.MintTokens(Bob, 10000));
        await AdminAsync(permitted, TestModuleContract.BurnTokens(Alice, 2000));
        Assert.Equal((UInt256)13000, await BalanceAsync(token, Bob));
        Assert.Equal(UInt256.Zero, await BalanceAsync(token, Alice));
    }

    [Fact]
    public async Task DetachPermission_LetsAModuleDetachItself_OthersNeedTheAdmin_PermissionsAreReadOnce()
    {
        Address token = await DeployTokenAsync();
        Address permitted = await Chain.DeployAsync(TestModuleContract.Deploy(token, [DetachPermission], []));
        Address plain = await Chain.DeployAsync(TestModuleContract.Deploy(token, [], []));
        await ExpectErrorAsync(permitted, Admin, TestModuleContract.DetachSelf(), "AccessControlUnauthorizedAccount");
        await AdminAsync(token, SecurityTokenContract.AttachModule(permitted));
        await AdminAsync(token, SecurityTokenContract.AttachModule(plain));

        await ExpectErrorAsync(plain, Admin, TestModuleContract.DetachSelf(), "AccessControlUnauthorizedAccount");
        ChainReceipt detached = await AdminAsync(permitted, TestModuleContract.DetachSelf());
        Assert.Single(detached.LogsWith(SecurityTokenContract.ModuleDetachedTopic));
        Assert.False(SecurityTokenContract.DecodeIsPermittedModule(await Chain.CallAsync(token, SecurityTokenContract.IsPermittedModule(permitted, DetachPermission))));
        Assert.Equal([plain], SecurityTokenContract.DecodeGetModules(await Chain.CallAsync(token, SecurityTokenContract.GetModules())));

        // Declaring more rights afterwards changes nothing: the token read getPermissions at the first attach.
        await AdminAsync(plain, TestModuleContract.Declare([DetachPermission, MintPermission], [CheckTransfer]));
        await AdminAsync(token, SecurityTokenContract.DetachModule(plain));
        await AdminAsync(token, SecurityTokenContract.AttachModule(plain));
        Assert.False(SecurityTokenContract.DecodeIsPermittedModule(await Chain.CallAsync(token, SecurityTokenContract.IsPermittedModule(plain, MintPermission))));
        await ExpectErrorAsync(plain, Admin, TestModuleContract.DetachSelf(), "AccessControlUnauthorizedAccount");

        Address unknownHook = await Chain.DeployAsync(TestModuleContract.Deploy(token, [], [MintPermission]));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.AttachModule(unknownHook), "UnknownHook");

        // At most eight modules (plain is attached): a ninth is refused.
        for (int i = 0; i < 7; i++)
        {
            await AdminAsync(token, SecurityTokenContract.AttachModule(await Chain.DeployAsync(TestModuleContract.Deploy(token, [], []))));
        }

        Address ninth = await Chain.DeployAsync(TestModuleContract.Deploy(token, [], []));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.AttachModule(ninth), "TooManyModules");
    }
}
