using StoFunctions.Contracts.Artifacts;
using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Contracts.Tests.Modules;

/// <summary>
/// Seed 002 modules on the three modular parents: every hook at its point with the seed's arguments, every
/// permission granted and refused, the bounded hook depth and the sample modules.
/// </summary>
public sealed class ModuleTests(AnvilChain chain) : TokenTestBase(chain)
{
    private static byte[] Selector(string signature) => Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(signature)).ToArray()[..4];

    private const string StCheckSig = "checkTransfer(address[2],bytes32,bytes32[2],uint8[2],uint16[2],uint256)";
    private const string StTransferSig = "transferTokens(address[2],bytes32[2],uint8[2],uint16[2],uint256)";
    private const string StCustodianSig = "transferTokensCustodian(address,bytes32[2],uint8[2],uint16[2],uint256)";
    private const string StSupplySig = "totalSupplyChanged(address,bytes32,uint8,uint16,uint256,uint256)";
    private const string StAuthorizedSig = "modifyAuthorizedSupply(address,uint256,uint256)";
    private const string IsCheckSig = "checkTransfer(address,bytes32,bytes32[2],uint8[2],uint16[2],uint256)";
    private const string IsTransferSig = "transferTokens(address,bytes32[2],uint8[2],uint16[2],uint256)";
    private const string IsCustodianSig = "transferTokensCustodian(address,address,bytes32[2],uint8[2],uint16[2],uint256)";
    private const string IsSupplySig = "tokenTotalSupplyChanged(address,bytes32,uint8,uint16,uint256,uint256)";
    private const string CuSentSig = "sentTokens(address,bytes32,uint256,bool)";
    private const string CuReceivedSig = "receivedTokens(address,bytes32,uint256)";
    private const string CuInternalSig = "internalTransfer(address,bytes32,bytes32,uint256,bool)";
    private const string CuReleasedSig = "ownershipReleased(address,bytes32)";

    private static readonly byte[] StCheck = Selector(StCheckSig);
    private static readonly byte[] StTransfer = Selector(StTransferSig);
    private static readonly byte[] StCustodian = Selector(StCustodianSig);
    private static readonly byte[] StSupply = Selector(StSupplySig);
    private static readonly byte[] StAuthorized = Selector(StAuthorizedSig);
    private static readonly byte[] IsCheck = Selector(IsCheckSig);
    private static readonly byte[] IsTransfer = Selector(IsTransferSig);
    private static readonly byte[] IsCustodian = Selector(IsCustodianSig);
    private static readonly byte[] IsSupply = Selector(IsSupplySig);
    private static readonly byte[] CuSent = Selector(CuSentSig);
    private static readonly byte[] CuReceived = Selector(CuReceivedSig);
    private static readonly byte[] CuInternal = Selector(CuInternalSig);
    private static readonly byte[] CuReleased = Selector(CuReleasedSig);
    private static readonly byte[] TransferFromPermission = Selector("transferFrom(address,address,uint256)");
    private static readonly byte[] ModifyBalancePermission = Selector("modifyBalance(address,uint256)");
    private static readonly byte[] TokenDetachPermission = Selector("detachModule(address)");
    private static readonly byte[] IssuerDetachPermission = Selector("detachModule(address,address)");
    private static readonly byte[] CustodianTransferPermission = Selector("transfer(address,address,uint256,bool)");
    private static readonly byte[] CustodianInternalPermission = Selector("transferInternal(address,bytes32,bytes32,uint256,bool)");
    private static readonly byte[] CustodianReleasePermission = Selector("releaseOwnership(address,bytes32)");

    private static readonly Hash32 AliceId = Id(0xA1), BobId = Id(0xB0), CarolId = Id(0xC0);

    private static Hash32 Id(byte b)
    {
        byte[] bytes = new byte[32];
        bytes[31] = b;
        bytes[0] = 0x1d;
        return Hash32.FromBytes(bytes);
    }

    public static TheoryData<string, string, string> SeedSelectors => new()
    {
        { "ISTModule", StCheckSig, "0x70aaf928" },
        { "ISTModule", StTransferSig, "0x35a341da" },
        { "ISTModule", StCustodianSig, "0x6eaf832c" },
        { "ISTModule", StSupplySig, "0x741b5078" },
        { "ISTModule", StAuthorizedSig, "0xb1a1a455" },
        { "IIssuerModule", IsCheckSig, "0x47fca5df" },
        { "IIssuerModule", IsTransferSig, "0x0cfb54c9" },
        { "IIssuerModule", IsCustodianSig, "0x3b59c439" },
        { "IIssuerModule", IsSupplySig, "0xb446f3ca" },
        { "ICustodianModule", CuSentSig, "0x31b45d35" },
        { "ICustodianModule", CuReceivedSig, "0xa0e7f751" },
        { "ICustodianModule", CuInternalSig, "0x7054b724" },
        { "ICustodianModule", CuReleasedSig, "0x054d1c76" },
        { "SecurityToken", "transferFrom(address,address,uint256)", "0x23b872dd" },
        { "SecurityToken", "modifyBalance(address,uint256)", "0x250dea06" },
        { "SecurityToken", "detachModule(address)", "0xbb2a8522" },
        { "IssuingEntity", "detachModule(address,address)", "0x3556099d" },
        { "Custodian", "transfer(address,address,uint256,bool)", "0x75219e4e" },
        { "Custodian", "transferInternal(address,bytes32,bytes32,uint256,bool)", "0x2965c868" },
        { "Custodian", "releaseOwnership(address,bytes32)", "0xc07f6f8e" },
        { "Custodian", "detachModule(address)", "0xbb2a8522" },
    };

    [Theory]
    [MemberData(nameof(SeedSelectors))]
    public void SeedSelector_ComputedFromItsSignature_IsTheSeedsValue_AndTheCompiledContractHasIt(string contract, string signature, string seedValue)
    {
        Assert.Equal(seedValue, Hex.Encode(Selector(signature)));
        ContractAbi abi = ContractAbi.FromJson(ContractArtifact.Load(contract).AbiJson);
        Assert.Equal(seedValue, abi.GetFunction(signature).SelectorHex);
    }

    // ---------------------------------------------------------------- setup

    private async Task<(Address Token, Address Entity)> DeployLinkedTokenAsync(Address? entity = null)
    {
        Address token = await DeployTokenAsync();
        Address e = entity ?? await Chain.DeployAsync(IssuingEntityContract.Deploy(Admin));
        await AdminAsync(token, SecurityTokenContract.SetIssuingEntity(e));
        await AdminAsync(e, IssuingEntityContract.AddToken(token));
        await AdminAsync(e, IssuingEntityContract.SetInvestor(Alice, AliceId, 1, 246));
        await AdminAsync(e, IssuingEntityContract.SetInvestor(Bob, BobId, 2, 752));
        await AdminAsync(e, IssuingEntityContract.SetInvestor(Carol, CarolId, 3, 840));
        return (token, e);
    }

    private Task<Address> DeployTestModuleAsync(Address parent, byte[][] permissions, byte[][] hooks) =>
        Chain.DeployAsync(TestModuleContract.Deploy(parent, permissions, hooks));

    private async Task<UInt256> CallsAsync(Address module, byte[] hook) =>
        TestModuleContract.DecodeCalls(await Chain.CallAsync(module, TestModuleContract.Calls(hook)));

    private async Task<object[]> LastCallAsync(Address module, string contract, string signature)
    {
        byte[] data = TestModuleContract.DecodeLastCall(await Chain.CallAsync(module, TestModuleContract.LastCall(Selector(signature))));
        return ContractAbi.FromJson(ContractArtifact.Load(contract).AbiJson).GetFunction(signature).DecodeCall(data);
    }

    private static object[] Pair(object a, object b) => [a, b];

    private static void AssertPair<T>(T first, T second, object decoded, Func<object, T> convert)
    {
        object[] items = (object[])decoded;
        Assert.Equal((first, second), (convert(items[0]), convert(items[1])));
    }

    private static Hash32 AsId(object value) => Hash32.FromBytes((byte[])value);

    private static ulong AsNumber(object value) => (ulong)(UInt256)value;

    // ---------------------------------------------------------------- token hooks

    [Fact]
    public async Task TokenModuleHooks_RunAtTheirPoints_WithTheSeedsArguments_FromTheTokenAndTheEntitysInvestorData()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        Address module = await DeployTestModuleAsync(token, [], [StCheck, StTransfer, StSupply, StAuthorized]);
        ChainReceipt attached = await AdminAsync(entity, IssuingEntityContract.AttachModule(token, module));
        IssuingEntityContract.ModuleAttachedEvent e = IssuingEntityContract.DecodeModuleAttachedEvent(attached.LogsWith(IssuingEntityContract.ModuleAttachedTopic).Single().Topics, attached.LogsWith(IssuingEntityContract.ModuleAttachedTopic).Single().Data);
        Assert.Equal((token, module), (e.Target, e.Module));
        Assert.Equal([StCheck, StTransfer, StSupply, StAuthorized], e.Hooks);
        Assert.True(SecurityTokenContract.DecodeIsActiveModule(await Chain.CallAsync(token, SecurityTokenContract.IsActiveModule(module))));

        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        object[] supply = await LastCallAsync(module, "ISTModule", StSupplySig);
        Assert.Equal((Alice, AliceId, 1UL, 246UL, 0UL, 100UL), ((Address)supply[0], AsId(supply[1]), AsNumber(supply[2]), AsNumber(supply[3]), AsNumber(supply[4]), AsNumber(supply[5])));

        await TransferAsync(token, Alice, Bob, 30);
        Assert.Equal((UInt256)1, await CallsAsync(module, StTransfer));
        object[] moved = await LastCallAsync(module, "ISTModule", StTransferSig);
        AssertPair(Alice, Bob, moved[0], v => (Address)v);
        AssertPair(AliceId, BobId, moved[1], AsId);
        AssertPair(1UL, 2UL, moved[2], AsNumber);
        AssertPair(246UL, 752UL, moved[3], AsNumber);
        Assert.Equal((UInt256)30, (UInt256)moved[4]);

        await AdminAsync(token, SecurityTokenContract.ModifyAuthorizedSupply(500));
        object[] authorized = await LastCallAsync(module, "ISTModule", StAuthorizedSig);
        Assert.Equal((token, (UInt256)0, (UInt256)500), ((Address)authorized[0], (UInt256)authorized[1], (UInt256)authorized[2]));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Alice, 401), "AuthorizedSupplyExceeded");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.ModifyAuthorizedSupply(99), "AuthorizedSupplyBelowTotalSupply");

        foreach (byte behaviour in new byte[] { 1, 2 }) // ReturnFalse, Revert: the check hook blocks, code 10
        {
            await AdminAsync(module, TestModuleContract.SetBehaviour(behaviour));
            IReadOnlyList<object> args = await ExpectTransferRestrictedAsync(token, Alice, Bob, 1, "ModuleRejected", 10);
            Assert.Equal((module, Hex.Encode(StCheck)), ((Address)args[0], Hex.Encode((byte[])args[1])));
            await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Bob, 1), "ModuleRejected");
            await ExpectErrorAsync(token, Admin, SecurityTokenContract.ModifyAuthorizedSupply(600), "ModuleRejected");
        }

        ChainReceipt detached = await AdminAsync(entity, IssuingEntityContract.DetachModule(token, module));
        Assert.Single(detached.LogsWith(IssuingEntityContract.ModuleDetachedTopic));
        Assert.False(SecurityTokenContract.DecodeIsActiveModule(await Chain.CallAsync(token, SecurityTokenContract.IsActiveModule(module))));
        await ExpectErrorAsync(entity, Admin, IssuingEntityContract.DetachModule(token, module), "ModuleNotActive", IssuingEntityContract.Abi);
        await TransferAsync(token, Alice, Bob, 1);
        Assert.Equal((UInt256)1, await CallsAsync(module, StTransfer));
        await ExpectErrorAsync(entity, Bob, IssuingEntityContract.AttachModule(token, module), "AccessControlUnauthorizedAccount", IssuingEntityContract.Abi);
    }

    [Fact]
    public async Task TransferAndSupplyHooks_BlockByFalseOrRevert_ForcedTransferRecoveryAndBurnRunThemToo()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        Address module = await DeployTestModuleAsync(token, [], [StTransfer, StSupply]);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, module));

        await AdminAsync(token, SecurityTokenContract.ForcedTransfer(Alice, Bob, 10));
        await AdminAsync(token, SecurityTokenContract.RecoveryAddress(Bob, Dave));
        await AdminAsync(token, SecurityTokenContract.Burn(Dave, 5));
        Assert.Equal(((UInt256)2, (UInt256)1), (await CallsAsync(module, StTransfer), await CallsAsync(module, StSupply))); // the mint came before the attach

        await AdminAsync(module, TestModuleContract.SetBehaviour(1));
        Assert.Equal(0, await DetectAsync(token, Alice, Bob, 1)); // no check hook: the view cannot see it
        await ExpectErrorAsync(token, Alice, SecurityTokenContract.Transfer(Bob, 1), "ModuleRejected");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Burn(Alice, 1), "ModuleRejected");
    }

    [Fact]
    public async Task TokenWithoutAnEntity_HasNoModules_AndOnlyItsEntityMaySetItsFlags()
    {
        Address token = await DeployTokenAsync();
        Address entity = await Chain.DeployAsync(IssuingEntityContract.Deploy(Admin));
        await ExpectErrorAsync(entity, Admin, IssuingEntityContract.AddToken(token), "TokenNotLinked", IssuingEntityContract.Abi);
        await ExpectErrorAsync(entity, Admin, IssuingEntityContract.AttachModule(token, await DeployTestModuleAsync(token, [], [])), "UnknownTarget", IssuingEntityContract.Abi);
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetModuleFlags(255), "NotIssuingEntity");
        await AdminAsync(token, SecurityTokenContract.SetIssuingEntity(entity));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetIssuingEntity(Bob), "IssuingEntityAlreadySet");
        await ExpectErrorAsync(token, Bob, SecurityTokenContract.SetIssuingEntity(entity), "AccessControlUnauthorizedAccount");
    }

    // ---------------------------------------------------------------- issuer hooks

    [Fact]
    public async Task IssuerModuleHooks_RunForEveryTokenOfTheIssuer_WithTheTokenAndTheSeedsArguments()
    {
        (Address first, Address entity) = await DeployLinkedTokenAsync();
        (Address second, _) = await DeployLinkedTokenAsync(entity);
        Address module = await DeployTestModuleAsync(entity, [], [IsCheck, IsTransfer, IsSupply]);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(entity, module));
        Assert.True(IssuingEntityContract.DecodeIsActiveModule(await Chain.CallAsync(entity, IssuingEntityContract.IsActiveModule(module))));
        Assert.True(SecurityTokenContract.DecodeIsActiveModule(await Chain.CallAsync(second, SecurityTokenContract.IsActiveModule(module))));

        await AdminAsync(first, SecurityTokenContract.Mint(Alice, 100));
        await AdminAsync(second, SecurityTokenContract.Mint(Alice, 100));
        object[] supply = await LastCallAsync(module, "IIssuerModule", IsSupplySig);
        Assert.Equal((second, AliceId, 1UL, 246UL, 0UL, 100UL), ((Address)supply[0], AsId(supply[1]), AsNumber(supply[2]), AsNumber(supply[3]), AsNumber(supply[4]), AsNumber(supply[5])));

        await TransferAsync(first, Alice, Bob, 10);
        await TransferAsync(second, Alice, Carol, 20);
        Assert.Equal((UInt256)2, await CallsAsync(module, IsTransfer));
        object[] moved = await LastCallAsync(module, "IIssuerModule", IsTransferSig);
        Assert.Equal(second, (Address)moved[0]);
        AssertPair(AliceId, CarolId, moved[1], AsId);
        AssertPair(1UL, 3UL, moved[2], AsNumber);
        AssertPair(246UL, 840UL, moved[3], AsNumber);
        Assert.Equal((UInt256)20, (UInt256)moved[4]);

        await AdminAsync(module, TestModuleContract.SetBehaviour(2));
        await ExpectTransferRestrictedAsync(first, Alice, Bob, 1, "ModuleRejected", 10);
        await ExpectTransferRestrictedAsync(second, Alice, Bob, 1, "ModuleRejected", 10);
        await AdminAsync(entity, IssuingEntityContract.DetachModule(entity, module));
        await TransferAsync(second, Alice, Bob, 1);
    }

    [Fact]
    public async Task CountryLockModule_AtTheIssuerLevel_LocksACountryOnBothTokensUntilItsTime()
    {
        (Address first, Address entity) = await DeployLinkedTokenAsync();
        (Address second, _) = await DeployLinkedTokenAsync(entity);
        await AdminAsync(first, SecurityTokenContract.Mint(Alice, 100));
        await AdminAsync(second, SecurityTokenContract.Mint(Bob, 100));
        Address locker = await Chain.DeployAsync(CountryLockModuleContract.Deploy(entity, Admin));
        Assert.Equal(entity, CountryLockModuleContract.DecodeGetOwner(await Chain.CallAsync(locker, CountryLockModuleContract.GetOwner())));
        await ExpectErrorAsync(entity, Admin, IssuingEntityContract.AttachModule(first, locker), "ModuleOwnerMismatch", IssuingEntityContract.Abi);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(entity, locker));

        ulong until = await Chain.LatestTimestampAsync() + 1000;
        await AdminAsync(locker, CountryLockModuleContract.SetCountryLock(840, until)); // Carol's country
        await ExpectTransferRestrictedAsync(first, Alice, Carol, 1, "ModuleRejected", 10);
        await ExpectTransferRestrictedAsync(second, Bob, Carol, 1, "ModuleRejected", 10);
        await ExpectErrorAsync(second, Admin, SecurityTokenContract.Mint(Carol, 1), "ModuleRejected");
        await TransferAsync(first, Alice, Bob, 1); // 246 → 752: not locked
        await ExpectErrorAsync(locker, Bob, CountryLockModuleContract.SetCountryLock(246, until), "AccessControlUnauthorizedAccount", CountryLockModuleContract.Abi);

        await Chain.MineAtAsync(until);
        await TransferAsync(first, Alice, Carol, 1);
        await TransferAsync(second, Bob, Carol, 1);
    }

    [Fact]
    public async Task Entity_ReadsRatingAndCountryFromItsKycRegistry_WhenItHasNoRecord()
    {
        Address entity = await Chain.DeployAsync(IssuingEntityContract.Deploy(Admin));
        Address registry = await Chain.DeployAsync(KycRegistryContract.Deploy(Admin));
        await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Dave, 7, 4));
        await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Dave, 8, 250));
        await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Carol, 7, 300)); // not a uint8 rating: 0
        await AdminAsync(entity, IssuingEntityContract.SetRegistry(registry, 7, 8));
        Assert.Equal((Hash32.FromBytes(new byte[12].Concat(Dave.ToArray()).ToArray()), (byte)4, 250UL), IssuingEntityContract.DecodeGetInvestor(await Chain.CallAsync(entity, IssuingEntityContract.GetInvestor(Dave))));
        Assert.Equal((byte)0, IssuingEntityContract.DecodeGetInvestor(await Chain.CallAsync(entity, IssuingEntityContract.GetInvestor(Carol))).Rating);
        await AdminAsync(entity, IssuingEntityContract.SetInvestor(Dave, AliceId, 1, 246)); // own records win
        Assert.Equal((AliceId, (byte)1, 246UL), IssuingEntityContract.DecodeGetInvestor(await Chain.CallAsync(entity, IssuingEntityContract.GetInvestor(Dave))));
    }

    // ---------------------------------------------------------------- permissions

    [Fact]
    public async Task TransferFromPermission_MovesWithIssuerAuthority_RunsTheModulesOwnHooks_WithoutItTheModuleIsRefusedByName()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 5000));
        Address permitted = await DeployTestModuleAsync(token, [TransferFromPermission], [StCheck, StTransfer]);
        Address plain = await DeployTestModuleAsync(token, [], []);
        Assert.False(SecurityTokenContract.DecodeIsPermittedModule(await Chain.CallAsync(token, SecurityTokenContract.IsPermittedModule(permitted, TransferFromPermission))));
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, permitted));
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, plain));
        Assert.True(SecurityTokenContract.DecodeIsPermittedModule(await Chain.CallAsync(token, SecurityTokenContract.IsPermittedModule(permitted, TransferFromPermission))));

        ChainReceipt moved = await AdminAsync(permitted, TestModuleContract.Execute(token, SecurityTokenContract.TransferFrom(Alice, Bob, 3000)));
        Assert.Equal(new Erc20Binding.TransferEvent(Alice, Bob, 3000), SecurityTokenContract.DecodeTransferEvent(moved.Logs[0].Topics, moved.Logs[0].Data));
        Assert.Equal(((UInt256)2000, (UInt256)3000), (await BalanceAsync(token, Alice), await BalanceAsync(token, Bob)));
        Assert.Equal((UInt256)1, await CallsAsync(permitted, StTransfer)); // its own call still ran its own hook

        IReadOnlyList<object> refused = await ExpectErrorAsync(plain, Admin, TestModuleContract.Execute(token, SecurityTokenContract.TransferFrom(Alice, Bob, 1)), "ModuleNotPermitted");
        Assert.Equal((plain, "0x23b872dd"), ((Address)refused[0], Hex.Encode((byte[])refused[1])));
        await ExpectErrorAsync(plain, Admin, TestModuleContract.Execute(token, SecurityTokenContract.Mint(Bob, 1)), "ModuleNotPermitted");

        // Issuer authority skips only the allowance: a frozen receiver still stops the module.
        await AdminAsync(token, SecurityTokenContract.SetAddressFrozen(Carol, true));
        await ExpectErrorAsync(permitted, Admin, TestModuleContract.Execute(token, SecurityTokenContract.TransferFrom(Alice, Carol, 1)), "ReceiverFrozen");

        await AdminAsync(entity, IssuingEntityContract.DetachModule(token, permitted));
        Assert.False(SecurityTokenContract.DecodeIsPermittedModule(await Chain.CallAsync(token, SecurityTokenContract.IsPermittedModule(permitted, TransferFromPermission))));
        await ExpectErrorAsync(permitted, Admin, TestModuleContract.Execute(token, SecurityTokenContract.TransferFrom(Alice, Bob, 1)), "ERC20InsufficientAllowance");
    }

    [Fact]
    public async Task ModifyBalancePermission_SetsTheBalanceAndRunsTotalSupplyChanged_OnlyForAPermittedModule()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        Address permitted = await DeployTestModuleAsync(token, [ModifyBalancePermission], [StSupply]);
        Address plain = await DeployTestModuleAsync(token, [], []);
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.ModifyBalance(Alice, 1), "ModuleNotPermitted");
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, permitted));
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, plain));

        await AdminAsync(permitted, TestModuleContract.Execute(token, SecurityTokenContract.ModifyBalance(Alice, 250)));
        await AdminAsync(permitted, TestModuleContract.Execute(token, SecurityTokenContract.ModifyBalance(Bob, 40)));
        await AdminAsync(permitted, TestModuleContract.Execute(token, SecurityTokenContract.ModifyBalance(Alice, 60)));
        Assert.Equal(((UInt256)60, (UInt256)40), (await BalanceAsync(token, Alice), await BalanceAsync(token, Bob)));
        Assert.Equal((UInt256)100, SecurityTokenContract.DecodeTotalSupply(await Chain.CallAsync(token, SecurityTokenContract.TotalSupply())));
        object[] last = await LastCallAsync(permitted, "ISTModule", StSupplySig);
        Assert.Equal((Alice, 250UL, 60UL), ((Address)last[0], AsNumber(last[4]), AsNumber(last[5])));
        Assert.Equal((UInt256)3, await CallsAsync(permitted, StSupply));
        await ExpectErrorAsync(plain, Admin, TestModuleContract.Execute(token, SecurityTokenContract.ModifyBalance(Alice, 1)), "ModuleNotPermitted");
    }

    [Fact]
    public async Task DetachPermissions_TokenAndIssuerLevel_LetOnlyPermittedModulesDetach_PermissionsAreReadOnce()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        Address selfDetaching = await DeployTestModuleAsync(token, [TokenDetachPermission], []);
        Address plain = await DeployTestModuleAsync(token, [], []);
        Address issuerDetacher = await DeployTestModuleAsync(entity, [IssuerDetachPermission], []);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, selfDetaching));
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, plain));

        await ExpectErrorAsync(plain, Admin, TestModuleContract.Execute(token, SecurityTokenContract.DetachModule(plain)), "ModuleNotPermitted");
        await ExpectErrorAsync(selfDetaching, Admin, TestModuleContract.Execute(token, SecurityTokenContract.DetachModule(plain)), "ModuleNotPermitted");
        ChainReceipt detached = await AdminAsync(selfDetaching, TestModuleContract.Execute(token, SecurityTokenContract.DetachModule(selfDetaching)));
        Assert.Single(detached.LogsWith(IssuingEntityContract.ModuleDetachedTopic));
        await ExpectErrorAsync(selfDetaching, Admin, TestModuleContract.Execute(token, SecurityTokenContract.DetachModule(selfDetaching)), "ModuleNotPermitted");

        await ExpectErrorAsync(issuerDetacher, Admin, TestModuleContract.Execute(entity, IssuingEntityContract.DetachModule(token, plain)), "AccessControlUnauthorizedAccount", IssuingEntityContract.Abi);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(entity, issuerDetacher));
        await AdminAsync(issuerDetacher, TestModuleContract.Execute(entity, IssuingEntityContract.DetachModule(token, plain)));
        Assert.Empty(IssuingEntityContract.DecodeGetModules(await Chain.CallAsync(entity, IssuingEntityContract.GetModules(token))));
        Address noRight = await DeployTestModuleAsync(entity, [], []);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(entity, noRight));
        await ExpectErrorAsync(noRight, Admin, TestModuleContract.Execute(entity, IssuingEntityContract.DetachModule(entity, issuerDetacher)), "ModuleNotPermitted", IssuingEntityContract.Abi);

        // Declaring more rights afterwards changes nothing: the entity read getPermissions at the first attach.
        await AdminAsync(plain, TestModuleContract.Declare([TokenDetachPermission], [StCheck]));
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, plain));
        Assert.False(SecurityTokenContract.DecodeIsPermittedModule(await Chain.CallAsync(token, SecurityTokenContract.IsPermittedModule(plain, TokenDetachPermission))));

        Address unknownHook = await DeployTestModuleAsync(token, [], [IsCheck]);
        await ExpectErrorAsync(entity, Admin, IssuingEntityContract.AttachModule(token, unknownHook), "UnknownHook", IssuingEntityContract.Abi);
        Address unknownPermission = await DeployTestModuleAsync(token, [IssuerDetachPermission], []);
        await ExpectErrorAsync(entity, Admin, IssuingEntityContract.AttachModule(token, unknownPermission), "UnknownPermission", IssuingEntityContract.Abi);
        for (int i = 0; i < 7; i++)
        {
            await AdminAsync(entity, IssuingEntityContract.AttachModule(token, await DeployTestModuleAsync(token, [], [])));
        }

        await ExpectErrorAsync(entity, Admin, IssuingEntityContract.AttachModule(token, await DeployTestModuleAsync(token, [], [])), "TooManyModules", IssuingEntityContract.Abi);
    }

    [Fact]
    public async Task HookThatCallsBackIntoTheToken_LoopsOnlyToTheBoundedDepth_ThenRevertsWithHookDepthExceeded()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        Address looping = await DeployTestModuleAsync(token, [TransferFromPermission], [StTransfer]);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, looping));
        await AdminAsync(looping, TestModuleContract.SetReentry(token, SecurityTokenContract.TransferFrom(Alice, Bob, 1)));
        await AdminAsync(looping, TestModuleContract.SetBehaviour(3));

        IReadOnlyList<object> args = await ExpectErrorAsync(token, Alice, SecurityTokenContract.Transfer(Bob, 1), "HookDepthExceeded");
        Assert.Equal((UInt256)8, (UInt256)args[0]);
        Assert.Equal((UInt256)8, SecurityTokenContract.DecodeMAX_HOOK_DEPTH(await Chain.CallAsync(token, SecurityTokenContract.MAX_HOOK_DEPTH())));
        Assert.Equal((UInt256)100, await BalanceAsync(token, Alice));

        await AdminAsync(looping, TestModuleContract.SetBehaviour(0));
        await TransferAsync(token, Alice, Bob, 1);
    }

    // ---------------------------------------------------------------- custodian

    [Fact]
    public async Task Custodian_DepositInternalTransferWithdrawalAndRelease_RunEveryHookAndKeepTheBooks()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        Address custodian = await Chain.DeployAsync(CustodianContract.Deploy(Admin));
        await AdminAsync(entity, IssuingEntityContract.AddCustodian(custodian));
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        Address tokenModule = await DeployTestModuleAsync(token, [], [StCustodian]);
        Address issuerModule = await DeployTestModuleAsync(entity, [], [IsCustodian]);
        Address custodyModule = await DeployTestModuleAsync(custodian, [], [CuSent, CuReceived, CuInternal, CuReleased]);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, tokenModule));
        await AdminAsync(entity, IssuingEntityContract.AttachModule(entity, issuerModule));
        await AdminAsync(custodian, CustodianContract.AttachModule(custodyModule));

        ChainReceipt deposit = await TransferAsync(token, Alice, custodian, 60);
        CustodianContract.ReceivedTokensEvent received = CustodianContract.DecodeReceivedTokensEvent(deposit.LogsWith(CustodianContract.ReceivedTokensTopic).Single().Topics, deposit.LogsWith(CustodianContract.ReceivedTokensTopic).Single().Data);
        Assert.Equal(new CustodianContract.ReceivedTokensEvent(token, Alice, AliceId, 60), received);
        object[] receivedHook = await LastCallAsync(custodyModule, "ICustodianModule", CuReceivedSig);
        Assert.Equal((token, AliceId, (UInt256)60), ((Address)receivedHook[0], AsId(receivedHook[1]), (UInt256)receivedHook[2]));

        ChainReceipt moved = await AdminAsync(custodian, CustodianContract.TransferInternal(token, AliceId, BobId, 40, true));
        Assert.Equal(new CustodianContract.TransferOwnershipEvent(token, AliceId, BobId, 40), CustodianContract.DecodeTransferOwnershipEvent(moved.LogsWith(CustodianContract.TransferOwnershipTopic).Single().Topics, moved.LogsWith(CustodianContract.TransferOwnershipTopic).Single().Data));
        Assert.Empty(moved.LogsWith(SecurityTokenContract.TransferTopic)); // no tokens move
        Assert.Equal(((UInt256)20, (UInt256)40), (CustodianContract.DecodeBalanceOf(await Chain.CallAsync(custodian, CustodianContract.BalanceOf(token, AliceId))), CustodianContract.DecodeBalanceOf(await Chain.CallAsync(custodian, CustodianContract.BalanceOf(token, BobId)))));
        object[] stHook = await LastCallAsync(tokenModule, "ISTModule", StCustodianSig);
        Assert.Equal(custodian, (Address)stHook[0]);
        AssertPair(AliceId, BobId, stHook[1], AsId);
        AssertPair(1UL, 2UL, stHook[2], AsNumber);
        object[] isHook = await LastCallAsync(issuerModule, "IIssuerModule", IsCustodianSig);
        Assert.Equal((token, custodian, (UInt256)40), ((Address)isHook[0], (Address)isHook[1], (UInt256)isHook[5]));
        object[] internalHook = await LastCallAsync(custodyModule, "ICustodianModule", CuInternalSig);
        Assert.Equal((token, AliceId, BobId, (UInt256)40, true), ((Address)internalHook[0], AsId(internalHook[1]), AsId(internalHook[2]), (UInt256)internalHook[3], (bool)internalHook[4]));

        await AdminAsync(custodian, CustodianContract.Transfer(token, Bob, 40, false));
        Assert.Equal(((UInt256)40, (UInt256)20), (await BalanceAsync(token, Bob), await BalanceAsync(token, custodian)));
        object[] sentHook = await LastCallAsync(custodyModule, "ICustodianModule", CuSentSig);
        Assert.Equal((token, BobId, (UInt256)40, false), ((Address)sentHook[0], AsId(sentHook[1]), (UInt256)sentHook[2], (bool)sentHook[3]));
        object[] releasedHook = await LastCallAsync(custodyModule, "ICustodianModule", CuReleasedSig);
        Assert.Equal((entity, BobId), ((Address)releasedHook[0], AsId(releasedHook[1])));
        Assert.False(CustodianContract.DecodeIsBeneficialOwner(await Chain.CallAsync(custodian, CustodianContract.IsBeneficialOwner(entity, BobId))));

        await ExpectErrorAsync(custodian, Admin, CustodianContract.ReleaseOwnership(entity, AliceId), "StillHoldsTokens", CustodianContract.Abi);
        await ExpectErrorAsync(custodian, Admin, CustodianContract.TransferInternal(token, AliceId, BobId, 21, true), "InsufficientBeneficialBalance", CustodianContract.Abi);
        await ExpectErrorAsync(custodian, Bob, CustodianContract.TransferInternal(token, AliceId, BobId, 1, true), "AccessControlUnauthorizedAccount", CustodianContract.Abi);
        await ExpectErrorAsync(custodian, Admin, CustodianContract.ReceiveTransfer(token, Alice, AliceId, 1), "NotTheTokensIssuer", CustodianContract.Abi);

        // The issuer's check hooks judge an internal transfer like a transfer.
        await AdminAsync(issuerModule, TestModuleContract.Declare([], []));
        Address blocker = await DeployTestModuleAsync(entity, [], [IsCheck]);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(entity, blocker));
        await AdminAsync(blocker, TestModuleContract.SetBehaviour(1));
        await ExpectErrorAsync(custodian, Admin, CustodianContract.TransferInternal(token, AliceId, BobId, 1, true), "ModuleRejected", CustodianContract.Abi);
    }

    [Fact]
    public async Task CustodianPermissions_LetAModuleMoveAndRelease_WithoutThemItIsRefusedByName()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        Address custodian = await Chain.DeployAsync(CustodianContract.Deploy(Admin));
        await AdminAsync(entity, IssuingEntityContract.AddCustodian(custodian));
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        await TransferAsync(token, Alice, custodian, 50);
        Address permitted = await DeployTestModuleAsync(custodian, [CustodianTransferPermission, CustodianInternalPermission, CustodianReleasePermission, TokenDetachPermission], []);
        Address plain = await DeployTestModuleAsync(custodian, [], []);
        await AdminAsync(custodian, CustodianContract.AttachModule(permitted));
        await AdminAsync(custodian, CustodianContract.AttachModule(plain));

        await AdminAsync(permitted, TestModuleContract.Execute(custodian, CustodianContract.TransferInternal(token, AliceId, CarolId, 10, true)));
        await AdminAsync(permitted, TestModuleContract.Execute(custodian, CustodianContract.Transfer(token, Carol, 10, true)));
        await AdminAsync(permitted, TestModuleContract.Execute(custodian, CustodianContract.ReleaseOwnership(entity, CarolId)));
        Assert.Equal((UInt256)10, await BalanceAsync(token, Carol));
        foreach (byte[] call in new[] { CustodianContract.TransferInternal(token, AliceId, CarolId, 1, true), CustodianContract.Transfer(token, Alice, 1, true), CustodianContract.ReleaseOwnership(entity, CarolId), CustodianContract.DetachModule(permitted) })
        {
            await ExpectErrorAsync(plain, Admin, TestModuleContract.Execute(custodian, call), "ModuleNotPermitted", CustodianContract.Abi);
        }

        await AdminAsync(permitted, TestModuleContract.Execute(custodian, CustodianContract.DetachModule(plain)));
        Assert.Equal([permitted], CustodianContract.DecodeGetModules(await Chain.CallAsync(custodian, CustodianContract.GetModules())));
    }

    [Fact]
    public async Task CustodianLockModule_KeepsHoldingsInTheCustodianUntilItsTime_DepositsStillCount()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        Address custodian = await Chain.DeployAsync(CustodianContract.Deploy(Admin));
        await AdminAsync(entity, IssuingEntityContract.AddCustodian(custodian));
        Address lockModule = await Chain.DeployAsync(CustodianLockModuleContract.Deploy(custodian, Admin));
        await AdminAsync(custodian, CustodianContract.AttachModule(lockModule));
        ulong until = await Chain.LatestTimestampAsync() + 1000;
        await AdminAsync(lockModule, CustodianLockModuleContract.SetLock(token, until));
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));

        await TransferAsync(token, Alice, custodian, 30);
        Assert.Equal((UInt256)30, CustodianLockModuleContract.DecodeDeposits(await Chain.CallAsync(lockModule, CustodianLockModuleContract.Deposits(token))));
        foreach (byte[] call in new[] { CustodianContract.Transfer(token, Alice, 10, true), CustodianContract.TransferInternal(token, AliceId, BobId, 10, true) })
        {
            IReadOnlyList<object> rejected = await ExpectErrorAsync(custodian, Admin, call, "ModuleRejected", CustodianContract.Abi);
            Assert.Equal(lockModule, (Address)rejected[0]);
        }

        await ExpectErrorAsync(lockModule, Admin, CustodianLockModuleContract.ReceivedTokens(token, AliceId, 1), "NotParent", CustodianLockModuleContract.Abi);

        await Chain.MineAtAsync(until);
        await AdminAsync(custodian, CustodianContract.TransferInternal(token, AliceId, BobId, 10, true));
        await AdminAsync(custodian, CustodianContract.Transfer(token, Bob, 10, true));
        Assert.Equal((UInt256)10, await BalanceAsync(token, Bob));
    }

    // ---------------------------------------------------------------- sample token modules

    [Fact]
    public async Task LockupModule_BlocksTheHolderBeforeItsTime_AndAllowsAfter()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        Address lockup = await Chain.DeployAsync(LockupModuleContract.Deploy(token, Admin));
        Assert.Equal("Lockup", LockupModuleContract.DecodeName(await Chain.CallAsync(lockup, LockupModuleContract.Name())));
        (byte[][] hooks, byte[][] permissions) = LockupModuleContract.DecodeGetPermissions(await Chain.CallAsync(lockup, LockupModuleContract.GetPermissions()));
        Assert.Equal([Hex.Encode(StCheck)], hooks.Select(h => Hex.Encode(h)));
        Assert.Empty(permissions);
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, lockup));

        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        ulong until = await Chain.LatestTimestampAsync() + 1000;
        ChainReceipt locked = await AdminAsync(lockup, LockupModuleContract.SetLockup(Alice, until));
        Assert.Equal(new LockupModuleContract.LockupSetEvent(Alice, until), LockupModuleContract.DecodeLockupSetEvent(locked.Logs[0].Topics, locked.Logs[0].Data));
        await ExpectErrorAsync(lockup, Alice, LockupModuleContract.SetLockup(Alice, 0), "AccessControlUnauthorizedAccount", LockupModuleContract.Abi);

        IReadOnlyList<object> args = await ExpectTransferRestrictedAsync(token, Alice, Bob, 10, "ModuleRejected", 10);
        Assert.Equal(lockup, (Address)args[0]);
        await TransferAsync(token, Bob, Alice, 0); // Bob is not locked
        await Chain.MineAtAsync(until);
        await TransferAsync(token, Alice, Bob, 10);
        Assert.Equal((UInt256)10, await BalanceAsync(token, Bob));
    }

    [Fact]
    public async Task MaxHoldersModule_RefusesTheHolderAboveTheLimit_AndFreesTheSlotOfASenderWhoLeaves()
    {
        (Address token, Address entity) = await DeployLinkedTokenAsync();
        Address maxHolders = await Chain.DeployAsync(MaxHoldersModuleContract.Deploy(token, Admin, 2, 0));
        await AdminAsync(entity, IssuingEntityContract.AttachModule(token, maxHolders));
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
        await ExpectErrorAsync(maxHolders, Admin, MaxHoldersModuleContract.TotalSupplyChanged(Alice, AliceId, 0, 0, 0, 1), "NotParent", MaxHoldersModuleContract.Abi);

        await ExpectTransferRestrictedAsync(token, Bob, Carol, 1, "ModuleRejected", 10);
        ChainReceipt raised = await AdminAsync(maxHolders, MaxHoldersModuleContract.SetMaxHolders(3));
        Assert.Equal(new MaxHoldersModuleContract.MaxHoldersSetEvent(3), MaxHoldersModuleContract.DecodeMaxHoldersSetEvent(raised.Logs[0].Topics, raised.Logs[0].Data));
        await TransferAsync(token, Bob, Carol, 1);
    }
}
