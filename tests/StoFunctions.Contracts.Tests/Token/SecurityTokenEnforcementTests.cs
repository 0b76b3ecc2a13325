using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests.Token;

/// <summary>Issuer, enforcer, recovery and pauser powers; freeze; batches; every revert path's code.</summary>
public sealed class SecurityTokenEnforcementTests(AnvilChain chain) : TokenTestBase(chain)
{
    private const ulong Kyc = 77;
    private const ulong Accredited = 78;

    [Fact]
    public async Task Deployment_SetsDecimalsIsinAndEveryRoleForTheAdmin()
    {
        Address token = await Chain.DeployAsync(SecurityTokenContract.Deploy("Bond", "BND", 18, "XS0000000009", Alice));
        Assert.Equal(18, SecurityTokenContract.DecodeDecimals(await Chain.CallAsync(token, SecurityTokenContract.Decimals())));
        Assert.Equal("XS0000000009", SecurityTokenContract.DecodeIsin(await Chain.CallAsync(token, SecurityTokenContract.Isin())));
        Assert.Equal("Bond", SecurityTokenContract.DecodeName(await Chain.CallAsync(token, SecurityTokenContract.Name())));
        foreach (byte[] roleCall in new[]
        {
            SecurityTokenContract.DEFAULT_ADMIN_ROLE(), SecurityTokenContract.ISSUER_ROLE(), SecurityTokenContract.ENFORCER_ROLE(),
            SecurityTokenContract.RECOVERY_ROLE(), SecurityTokenContract.PAUSER_ROLE(), SecurityTokenContract.RULE_ADMIN_ROLE(),
            SecurityTokenContract.KYC_AGENT_ROLE(), SecurityTokenContract.SNAPSHOT_ROLE(), SecurityTokenContract.ANNOUNCER_ROLE(),
        })
        {
            Hash32 role = SecurityTokenContract.DecodeDEFAULT_ADMIN_ROLE(await Chain.CallAsync(token, roleCall));
            Assert.True(SecurityTokenContract.DecodeHasRole(await Chain.CallAsync(token, SecurityTokenContract.HasRole(role, Alice))));
            Assert.False(SecurityTokenContract.DecodeHasRole(await Chain.CallAsync(token, SecurityTokenContract.HasRole(role, Admin))));
        }

        Assert.False(SecurityTokenContract.DecodePaused(await Chain.CallAsync(token, SecurityTokenContract.Paused())));
    }

    [Fact]
    public async Task MintAndBurn_EmitTransferAndTheirOwnEvents_BurnUnfreezesTheShortfall()
    {
        Address token = await DeployTokenAsync();
        ChainReceipt minted = await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        Assert.Equal(new Erc20Binding.TransferEvent(Address.Zero, Alice, 100), Decode(minted, SecurityTokenContract.TransferTopic, SecurityTokenContract.DecodeTransferEvent));
        Assert.Equal(new SecurityTokenContract.MintedEvent(Alice, 100), Decode(minted, SecurityTokenContract.MintedTopic, SecurityTokenContract.DecodeMintedEvent));

        await AdminAsync(token, SecurityTokenContract.FreezePartialTokens(Alice, 80));
        ChainReceipt burned = await AdminAsync(token, SecurityTokenContract.Burn(Alice, 50));
        Assert.Equal(new SecurityTokenContract.TokensUnfrozenEvent(Alice, 30), Decode(burned, SecurityTokenContract.TokensUnfrozenTopic, SecurityTokenContract.DecodeTokensUnfrozenEvent));
        Assert.Equal(new Erc20Binding.TransferEvent(Alice, Address.Zero, 50), Decode(burned, SecurityTokenContract.TransferTopic, SecurityTokenContract.DecodeTransferEvent));
        Assert.Equal(new SecurityTokenContract.BurnedEvent(Alice, 50), Decode(burned, SecurityTokenContract.BurnedTopic, SecurityTokenContract.DecodeBurnedEvent));
        Assert.Equal((UInt256)50, SecurityTokenContract.DecodeGetFrozenTokens(await Chain.CallAsync(token, SecurityTokenContract.GetFrozenTokens(Alice))));
        Assert.Equal((UInt256)50, SecurityTokenContract.DecodeTotalSupply(await Chain.CallAsync(token, SecurityTokenContract.TotalSupply())));

        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Burn(Alice, 51), "ERC20InsufficientBalance");
        await ExpectErrorAsync(token, Alice, SecurityTokenContract.Mint(Alice, 1), "AccessControlUnauthorizedAccount");
        await ExpectErrorAsync(token, Alice, SecurityTokenContract.Burn(Alice, 1), "AccessControlUnauthorizedAccount");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Address.Zero, 1), "ERC20InvalidReceiver");
        Assert.Equal(9, await DetectAsync(token, Address.Zero, Address.Zero, 1));
    }

    [Fact]
    public async Task Batches_CheckArrayLengths_AndApplyAllItems()
    {
        Address token = await DeployTokenAsync();
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.BatchMint([Alice, Bob], [1]), "ArrayLengthMismatch");
        await AdminAsync(token, SecurityTokenContract.BatchMint([Alice, Bob, Carol], [10, 20, 30]));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.BatchBurn([Alice], [1, 2]), "ArrayLengthMismatch");
        await AdminAsync(token, SecurityTokenContract.BatchBurn([Alice, Bob], [1, 2]));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.BatchForcedTransfer([Alice], [Bob, Carol], [1]), "ArrayLengthMismatch");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.BatchForcedTransfer([Alice], [Bob], [1, 2]), "ArrayLengthMismatch");
        await AdminAsync(token, SecurityTokenContract.BatchForcedTransfer([Alice, Bob], [Carol, Carol], [9, 18]));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.BatchSetAddressFrozen([Alice], [true, false]), "ArrayLengthMismatch");
        await AdminAsync(token, SecurityTokenContract.BatchSetAddressFrozen([Alice, Bob], [true, true]));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.BatchFreezePartialTokens([Carol], [1, 1]), "ArrayLengthMismatch");
        await AdminAsync(token, SecurityTokenContract.BatchFreezePartialTokens([Carol, Carol], [5, 6]));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.BatchUnfreezePartialTokens([Carol], []), "ArrayLengthMismatch");
        await AdminAsync(token, SecurityTokenContract.BatchUnfreezePartialTokens([Carol], [4]));

        Assert.Equal(UInt256.Zero, await BalanceAsync(token, Alice));
        Assert.Equal(UInt256.Zero, await BalanceAsync(token, Bob));
        Assert.Equal((UInt256)57, await BalanceAsync(token, Carol));
        Assert.True(SecurityTokenContract.DecodeIsFrozen(await Chain.CallAsync(token, SecurityTokenContract.IsFrozen(Bob))));
        Assert.Equal((UInt256)7, SecurityTokenContract.DecodeGetFrozenTokens(await Chain.CallAsync(token, SecurityTokenContract.GetFrozenTokens(Carol))));
    }

    [Fact]
    public async Task EveryHolderTransferRevert_HasItsOwnErrorAndMatchingCode()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.BatchMint([Alice, Bob], [100, 100]));
        Assert.Equal(0, await DetectAsync(token, Alice, Bob, 100));

        IReadOnlyList<object> zero = await ExpectTransferRestrictedAsync(token, Alice, Address.Zero, 1, "ERC20InvalidReceiver", 9);
        Assert.Equal(Address.Zero, (Address)zero[0]);

        IReadOnlyList<object> balance = await ExpectTransferRestrictedAsync(token, Alice, Bob, 101, "ERC20InsufficientBalance", 8);
        Assert.Equal([(object)Alice, (UInt256)100, (UInt256)101], balance);

        await AdminAsync(token, SecurityTokenContract.FreezePartialTokens(Alice, 60));
        IReadOnlyList<object> unfrozen = await ExpectTransferRestrictedAsync(token, Alice, Bob, 41, "InsufficientUnfrozenBalance", 4);
        Assert.Equal([(object)Alice, (UInt256)41, (UInt256)40], unfrozen);
        await TransferAsync(token, Alice, Bob, 40);
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.FreezePartialTokens(Alice, 1), "FreezeExceedsBalance");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.UnfreezePartialTokens(Alice, 61), "UnfreezeExceedsFrozen");
        ChainReceipt thawed = await AdminAsync(token, SecurityTokenContract.UnfreezePartialTokens(Alice, 60));
        Assert.Equal(new SecurityTokenContract.TokensUnfrozenEvent(Alice, 60), Decode(thawed, SecurityTokenContract.TokensUnfrozenTopic, SecurityTokenContract.DecodeTokensUnfrozenEvent));

        ChainReceipt frozen = await AdminAsync(token, SecurityTokenContract.SetAddressFrozen(Alice, true));
        Assert.Equal(new SecurityTokenContract.AddressFrozenEvent(Alice, true, Admin), Decode(frozen, SecurityTokenContract.AddressFrozenTopic, SecurityTokenContract.DecodeAddressFrozenEvent));
        await ExpectTransferRestrictedAsync(token, Alice, Bob, 1, "SenderFrozen", 2);
        await ExpectTransferRestrictedAsync(token, Bob, Alice, 1, "ReceiverFrozen", 3);
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Alice, 1), "ReceiverFrozen");
        Assert.Equal(3, await DetectAsync(token, Address.Zero, Alice, 1));
        await AdminAsync(token, SecurityTokenContract.SetAddressFrozen(Alice, false));

        ChainReceipt paused = await AdminAsync(token, SecurityTokenContract.Pause());
        Assert.Equal(new SecurityTokenContract.PausedEvent(Admin), Decode(paused, SecurityTokenContract.PausedTopic, SecurityTokenContract.DecodePausedEvent));
        await ExpectTransferRestrictedAsync(token, Alice, Bob, 1, "EnforcedPause", 1);
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Alice, 1), "EnforcedPause");
        Assert.Equal(1, await DetectAsync(token, Address.Zero, Alice, 1));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Pause(), "EnforcedPause");
        await ExpectErrorAsync(token, Bob, SecurityTokenContract.Unpause(), "AccessControlUnauthorizedAccount");
        ChainReceipt unpaused = await AdminAsync(token, SecurityTokenContract.Unpause());
        Assert.Equal(new SecurityTokenContract.UnpausedEvent(Admin), Decode(unpaused, SecurityTokenContract.UnpausedTopic, SecurityTokenContract.DecodeUnpausedEvent));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Unpause(), "ExpectedPause");

        // transferFrom runs the same checks after the allowance.
        await Chain.SendAsync(Alice, token, SecurityTokenContract.Approve(Carol, 10));
        await ExpectErrorAsync(token, Carol, SecurityTokenContract.TransferFrom(Alice, Bob, 11), "ERC20InsufficientAllowance");
        await AdminAsync(token, SecurityTokenContract.SetAddressFrozen(Bob, true));
        await ExpectErrorAsync(token, Carol, SecurityTokenContract.TransferFrom(Alice, Bob, 10), "ReceiverFrozen");
        await AdminAsync(token, SecurityTokenContract.SetAddressFrozen(Bob, false));
        await Chain.SendAsync(Carol, token, SecurityTokenContract.TransferFrom(Alice, Bob, 10));
        Assert.Equal((UInt256)50, await BalanceAsync(token, Alice));

        Assert.Equal("Unknown restriction code", SecurityTokenContract.DecodeMessageForTransferRestriction(await Chain.CallAsync(token, SecurityTokenContract.MessageForTransferRestriction(11))));
    }

    [Fact]
    public async Task EveryRestrictionCode_HasItsOwnMessage_AndTheCSharpEnumMatchesTheContractConstants()
    {
        Address token = await DeployTokenAsync();
        var messages = new HashSet<string>();
        foreach (TransferRestrictionCode code in Enum.GetValues<TransferRestrictionCode>())
        {
            string message = SecurityTokenContract.DecodeMessageForTransferRestriction(await Chain.CallAsync(token, SecurityTokenContract.MessageForTransferRestriction((byte)code)));
            Assert.NotEqual("Unknown restriction code", message);
            Assert.True(messages.Add(message), $"{code} shares its message '{message}'");
        }

        (byte[] Call, TransferRestrictionCode Expected)[] constants =
        [
            (SecurityTokenContract.CODE_OK(), TransferRestrictionCode.Ok),
            (SecurityTokenContract.CODE_PAUSED(), TransferRestrictionCode.Paused),
            (SecurityTokenContract.CODE_SENDER_FROZEN(), TransferRestrictionCode.SenderFrozen),
            (SecurityTokenContract.CODE_RECEIVER_FROZEN(), TransferRestrictionCode.ReceiverFrozen),
            (SecurityTokenContract.CODE_INSUFFICIENT_UNFROZEN_BALANCE(), TransferRestrictionCode.InsufficientUnfrozenBalance),
            (SecurityTokenContract.CODE_SENDER_RESTRICTED(), TransferRestrictionCode.SenderRestricted),
            (SecurityTokenContract.CODE_RECEIVER_RESTRICTED(), TransferRestrictionCode.ReceiverRestricted),
            (SecurityTokenContract.CODE_INVALID_GLOBAL_RESTRICTION(), TransferRestrictionCode.InvalidGlobalRestriction),
            (SecurityTokenContract.CODE_INSUFFICIENT_BALANCE(), TransferRestrictionCode.InsufficientBalance),
            (SecurityTokenContract.CODE_ZERO_ADDRESS(), TransferRestrictionCode.ZeroAddress),
            (SecurityTokenContract.CODE_MODULE_REJECTED(), TransferRestrictionCode.ModuleRejected),
        ];
        foreach ((byte[] call, TransferRestrictionCode expected) in constants)
        {
            Assert.Equal((byte)expected, SecurityTokenContract.DecodeCODE_OK(await Chain.CallAsync(token, call)));
        }
    }

    [Fact]
    public async Task ForcedTransfer_SkipsPauseFreezeAndRules_ButRequiresReceiverKyc_AndEmitsTransfer()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(Kyc, Address.Zero, 1, Eq));
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(Accredited, Address.Zero, 1, Eq));
        await AdminAsync(token, SecurityTokenContract.BatchSetAddressRestriction([Alice, Bob], Kyc, [1, 1]));
        await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(Alice, Accredited, 1));
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        ChainReceipt keySet = await AdminAsync(token, SecurityTokenContract.SetKycRestrictionKey(Kyc));
        Assert.Equal(new SecurityTokenContract.KycRestrictionKeySetEvent(Kyc), Decode(keySet, SecurityTokenContract.KycRestrictionKeySetTopic, SecurityTokenContract.DecodeKycRestrictionKeySetEvent));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetKycRestrictionKey(999), "UnknownGlobalRestriction");

        await AdminAsync(token, SecurityTokenContract.FreezePartialTokens(Alice, 90));
        await AdminAsync(token, SecurityTokenContract.SetAddressFrozen(Alice, true));
        await AdminAsync(token, SecurityTokenContract.Pause());
        Assert.Equal(1, await DetectAsync(token, Alice, Bob, 60));

        // Bob is KYC'd but not accredited: the rule would refuse him, a forced transfer does not.
        ChainReceipt forced = await AdminAsync(token, SecurityTokenContract.ForcedTransfer(Alice, Bob, 60));
        Assert.Equal(new SecurityTokenContract.TokensUnfrozenEvent(Alice, 50), Decode(forced, SecurityTokenContract.TokensUnfrozenTopic, SecurityTokenContract.DecodeTokensUnfrozenEvent));
        Assert.Equal(new Erc20Binding.TransferEvent(Alice, Bob, 60), Decode(forced, SecurityTokenContract.TransferTopic, SecurityTokenContract.DecodeTransferEvent));
        Assert.Equal(new SecurityTokenContract.ForcedTransferEvent(Alice, Bob, 60), Decode(forced, SecurityTokenContract.ForcedTransferTopic, SecurityTokenContract.DecodeForcedTransferEvent));
        Assert.Equal((UInt256)40, SecurityTokenContract.DecodeGetFrozenTokens(await Chain.CallAsync(token, SecurityTokenContract.GetFrozenTokens(Alice))));

        // Burn takes no restriction checks either: Alice is still frozen and the token still paused.
        await AdminAsync(token, SecurityTokenContract.Burn(Alice, 1));
        Assert.Equal((UInt256)39, await BalanceAsync(token, Alice));

        IReadOnlyList<object> noKyc = await ExpectErrorAsync(token, Admin, SecurityTokenContract.ForcedTransfer(Alice, Carol, 1), "ReceiverRestricted");
        Assert.Equal([(object)Carol, (UInt256)Kyc], noKyc);
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.ForcedTransfer(Alice, Bob, 40), "ERC20InsufficientBalance");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.ForcedTransfer(Alice, Address.Zero, 1), "ERC20InvalidReceiver");
        await ExpectErrorAsync(token, Bob, SecurityTokenContract.ForcedTransfer(Alice, Bob, 1), "AccessControlUnauthorizedAccount");
    }

    [Fact]
    public async Task Recovery_MovesBalanceFreezeAndValues_AndEmitsTransfer()
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(Kyc, Address.Zero, 1, Eq));
        await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(Alice, Kyc, 1));
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 100));
        await AdminAsync(token, SecurityTokenContract.FreezePartialTokens(Alice, 30));
        await AdminAsync(token, SecurityTokenContract.SetAddressFrozen(Alice, true));

        ChainReceipt recovered = await AdminAsync(token, SecurityTokenContract.RecoveryAddress(Alice, Dave));
        Assert.Equal(new Erc20Binding.TransferEvent(Alice, Dave, 100), Decode(recovered, SecurityTokenContract.TransferTopic, SecurityTokenContract.DecodeTransferEvent));
        Assert.Equal(new SecurityTokenContract.AddressRecoveredEvent(Alice, Dave), Decode(recovered, SecurityTokenContract.AddressRecoveredTopic, SecurityTokenContract.DecodeAddressRecoveredEvent));
        Assert.Equal(new SecurityTokenContract.AddressFrozenEvent(Dave, true, Admin), Decode(recovered, SecurityTokenContract.AddressFrozenTopic, SecurityTokenContract.DecodeAddressFrozenEvent));
        Assert.Equal(new SecurityTokenContract.TokensFrozenEvent(Dave, 30), Decode(recovered, SecurityTokenContract.TokensFrozenTopic, SecurityTokenContract.DecodeTokensFrozenEvent));

        Assert.Equal((UInt256)100, await BalanceAsync(token, Dave));
        Assert.Equal(1UL, SecurityTokenContract.DecodeGetAddressRestriction(await Chain.CallAsync(token, SecurityTokenContract.GetAddressRestriction(Kyc, Dave))));
        Assert.Equal(Unset, SecurityTokenContract.DecodeGetAddressRestriction(await Chain.CallAsync(token, SecurityTokenContract.GetAddressRestriction(Kyc, Alice))));
        Assert.True(SecurityTokenContract.DecodeIsFrozen(await Chain.CallAsync(token, SecurityTokenContract.IsFrozen(Dave))));
        Assert.False(SecurityTokenContract.DecodeIsFrozen(await Chain.CallAsync(token, SecurityTokenContract.IsFrozen(Alice))));
        Assert.Equal((UInt256)30, SecurityTokenContract.DecodeGetFrozenTokens(await Chain.CallAsync(token, SecurityTokenContract.GetFrozenTokens(Dave))));
        Assert.Equal(UInt256.Zero, SecurityTokenContract.DecodeGetFrozenTokens(await Chain.CallAsync(token, SecurityTokenContract.GetFrozenTokens(Alice))));

        await ExpectErrorAsync(token, Admin, SecurityTokenContract.RecoveryAddress(Alice, Bob), "NoTokensToRecover");
        await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(Bob, Kyc, 1));
        await AdminAsync(token, SecurityTokenContract.Mint(Bob, 1));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.RecoveryAddress(Dave, Bob), "RecoveryWalletNotEmpty");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.RecoveryAddress(Dave, Address.Zero), "ERC20InvalidReceiver");
        await ExpectErrorAsync(token, Carol, SecurityTokenContract.RecoveryAddress(Dave, Carol), "AccessControlUnauthorizedAccount");
    }

    private static T Decode<T>(ChainReceipt receipt, Hash32 topic, Func<IReadOnlyList<Hash32>, ReadOnlySpan<byte>, T> decode)
    {
        ChainLog log = receipt.LogsWith(topic).Single();
        return decode(log.Topics, log.Data);
    }
}
