using StoFunctions.Ethereum;

namespace StoFunctions.Contracts.Tests.Token;

/// <summary>Symbol-style key/value restrictions (research/contracts.md §2.9, §3.1 SYM-1…SYM-6).</summary>
public sealed class SecurityTokenRestrictionTests(AnvilChain chain) : TokenTestBase(chain)
{
    private const ulong CanBuy = 0x8000_0000_0000_1001;
    private const ulong IsVerified = 0x8000_0000_0000_2002;

    [Fact]
    public async Task CanBuyEq1_AliceTaggedReceives_BobUntaggedIsRefused()
    {
        Address token = await DeployTokenWithRuleAsync(CanBuy, Eq, 1, [(Admin, 1), (Alice, 1)], 1000);

        ChainReceipt receipt = await TransferAsync(token, Admin, Alice, 100);
        Erc20Binding.TransferEvent transfer = SecurityTokenContract.DecodeTransferEvent(receipt.Logs[0].Topics, receipt.Logs[0].Data);
        Assert.Equal(new Erc20Binding.TransferEvent(Admin, Alice, 100), transfer);

        IReadOnlyList<object> args = await ExpectTransferRestrictedAsync(token, Admin, Bob, 100, "ReceiverRestricted", 6);
        Assert.Equal(Bob, (Address)args[0]);
        Assert.Equal(CanBuy, (ulong)(UInt256)args[1]);
        Assert.Equal((UInt256)100, await BalanceAsync(token, Alice));
        Assert.Equal(UInt256.Zero, await BalanceAsync(token, Bob));
    }

    [Fact]
    public async Task RuleDelegatedToKycRegistry_AliceWith1IsRefused_BobAndCarolWith2Trade()
    {
        Address registry = await Chain.DeployAsync(KycRegistryContract.Deploy(Admin));
        await AdminAsync(registry, KycRegistryContract.BatchSetAddressRestriction([Admin, Alice, Bob, Carol], IsVerified, [2, 1, 2, 2]));
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(IsVerified, registry, 2, Eq));
        await AdminAsync(token, SecurityTokenContract.Mint(Admin, 1000));

        await ExpectTransferRestrictedAsync(token, Admin, Alice, 10, "ReceiverRestricted", 6);
        await TransferAsync(token, Admin, Bob, 100);
        await TransferAsync(token, Admin, Carol, 100);
        await TransferAsync(token, Bob, Carol, 40);
        await TransferAsync(token, Carol, Bob, 10);
        Assert.Equal((UInt256)70, await BalanceAsync(token, Bob));
        Assert.Equal((UInt256)130, await BalanceAsync(token, Carol));

        // Alice cannot send either: a forced transfer gives her tokens, the sender rule then stops her.
        await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Alice, IsVerified, 2));
        await TransferAsync(token, Bob, Alice, 5);
        await AdminAsync(registry, KycRegistryContract.SetAddressRestriction(Alice, IsVerified, 1));
        await ExpectTransferRestrictedAsync(token, Alice, Bob, 5, "SenderRestricted", 5);
    }

    [Fact]
    public async Task EvaluatorTable_MatchesSymbolForEveryTypeAndValue()
    {
        // SYM-1: rule value 123, account values 123, 122, 1, 124, 500, unset.
        ulong[] values = [123, 122, 1, 124, 500, Unset];
        var expected = new Dictionary<byte, bool[]>
        {
            [Eq] = [true, false, false, false, false, false],
            [Ne] = [false, true, true, true, true, true],
            [Lt] = [false, true, true, false, false, false],
            [Le] = [true, true, true, false, false, false],
            [Gt] = [false, false, false, true, true, false],
            [Ge] = [true, false, false, true, true, false],
        };
        Address[] receivers = [AnvilChain.Account(9), AnvilChain.Account(8), AnvilChain.Account(7), AnvilChain.Account(6), AnvilChain.Account(5), AnvilChain.Account(4)];
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(CanBuy, Address.Zero, 123, Ne));
        for (int i = 0; i < values.Length - 1; i++)
        {
            await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(receivers[i], CanBuy, values[i]));
        }

        foreach ((byte type, bool[] passes) in expected)
        {
            await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(CanBuy, Address.Zero, 123, type));
            for (int i = 0; i < values.Length; i++)
            {
                // A mint (from = 0) evaluates the receiver only.
                byte code = await DetectAsync(token, Address.Zero, receivers[i], 1);
                Assert.True(passes[i] == (code == 0), $"type {type}, value {values[i]}: code {code}");
                if (!passes[i])
                {
                    Assert.Equal(6, code);
                }
            }
        }
    }

    [Fact]
    public async Task UnsetValueWithNeRule_Passes_ValueEqualToRuleIsRefused()
    {
        Address token = await DeployTokenWithRuleAsync(CanBuy, Ne, 3, [(Admin, 0)], 100);
        await TransferAsync(token, Admin, Alice, 1);
        await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(Bob, CanBuy, 3));
        await ExpectTransferRestrictedAsync(token, Admin, Bob, 1, "ReceiverRestricted", 6);
    }

    [Fact]
    public async Task SenderFailingRule_IsRefusedWithSenderCode_IssuerIsNotExempt()
    {
        Address token = await DeployTokenWithRuleAsync(CanBuy, Eq, 1, [(Admin, 1), (Alice, 1)], 100);
        await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(Admin, CanBuy, Unset));
        IReadOnlyList<object> args = await ExpectTransferRestrictedAsync(token, Admin, Alice, 1, "SenderRestricted", 5);
        Assert.Equal(Admin, (Address)args[0]);

        // Mint checks the receiver only: Admin is untagged now, Alice is tagged.
        await AdminAsync(token, SecurityTokenContract.Mint(Alice, 5));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.Mint(Admin, 5), "ReceiverRestricted");
        Assert.Equal(6, await DetectAsync(token, Address.Zero, Admin, 5));
    }

    [Fact]
    public async Task ReferenceThatStopsAnswering_GivesInvalidGlobalRestriction_AndTheViewDoesNotRevert()
    {
        Address reference = await Chain.DeployAsync(TestReferenceContract.Deploy());
        await AdminAsync(reference, TestReferenceContract.SetAnswer(7));
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(IsVerified, reference, 7, Eq));
        await AdminAsync(token, SecurityTokenContract.Mint(Admin, 10));
        await TransferAsync(token, Admin, Alice, 1);

        await AdminAsync(reference, TestReferenceContract.SetBroken(true));
        IReadOnlyList<object> args = await ExpectTransferRestrictedAsync(token, Admin, Alice, 1, "InvalidGlobalRestriction", 7);
        Assert.Equal(IsVerified, (ulong)(UInt256)args[0]);
    }

    [Fact]
    public async Task GlobalRuleManagement_RevertsOnEverySymbolError()
    {
        Address token = await DeployTokenAsync();
        Address self = token;
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(1, Address.Zero, 5, 7), "InvalidRestrictionType");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(1, Address.Zero, 0, None), "CannotDeleteNonexistentRestriction");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(1, self, 5, Eq), "SelfReference");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(1, Alice, 5, Eq), "InvalidReferenceToken");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetAddressRestriction(Alice, 1, 5), "UnknownGlobalRestriction");

        // Previous-value form: a new key needs (0, NONE); an existing one needs its current (value, type).
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(1, Address.Zero, 1, None, 5, Eq), "PreviousValueMustBeZero");
        ChainReceipt created = await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(1, Address.Zero, 0, None, 5, Eq));
        ChainLog log = created.LogsWith(SecurityTokenContract.GlobalRestrictionUpdatedTopic).Single();
        Assert.Equal(
            new SecurityTokenContract.GlobalRestrictionUpdatedEvent(1, Address.Zero, 0, None, 5, Eq),
            SecurityTokenContract.DecodeGlobalRestrictionUpdatedEvent(log.Topics, log.Data));
        // A retried command cannot apply twice: the rule now exists, so (0, NONE) no longer matches.
        IReadOnlyList<object> retry = await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(1, Address.Zero, 0, None, 5, Eq), "PreviousValueMismatch");
        Assert.Equal([(UInt256)1, (UInt256)0, (UInt256)5], retry.Cast<UInt256>());
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(1, Address.Zero, 4, Eq, 6, Eq), "PreviousValueMismatch");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(1, Address.Zero, 5, Ne, 6, Eq), "PreviousTypeMismatch");
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(1, Address.Zero, 5, Eq, 6, Ge));
        (Address reference, ulong value, byte type) = SecurityTokenContract.DecodeGetGlobalRestriction(await Chain.CallAsync(token, SecurityTokenContract.GetGlobalRestriction(1)));
        Assert.Equal((Address.Zero, 6UL, Ge), (reference, value, type));

        // Address values: previous must match (UNSET for a new entry); writing UNSET twice deletes a missing entry.
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetAddressRestriction(Alice, 1, 3, 9), "PreviousValueMismatch");
        ChainReceipt tagged = await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(Alice, 1, Unset, 9));
        ChainLog tagLog = tagged.LogsWith(SecurityTokenContract.AddressRestrictionUpdatedTopic).Single();
        Assert.Equal(new SecurityTokenContract.AddressRestrictionUpdatedEvent(Alice, 1, Unset, 9), SecurityTokenContract.DecodeAddressRestrictionUpdatedEvent(tagLog.Topics, tagLog.Data));
        Assert.Equal(9UL, SecurityTokenContract.DecodeGetAddressRestriction(await Chain.CallAsync(token, SecurityTokenContract.GetAddressRestriction(1, Alice))));
        await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(Alice, 1, Unset));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetAddressRestriction(Alice, 1, Unset), "CannotDeleteNonexistentRestriction");

        // 20 rules at most; updating an existing key at 20 is fine.
        for (ulong key = 2; key <= 20; key++)
        {
            await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(key, Address.Zero, key, Ne));
        }

        Assert.Equal(20, SecurityTokenContract.DecodeGetGlobalRestrictionKeys(await Chain.CallAsync(token, SecurityTokenContract.GetGlobalRestrictionKeys())).Length);
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(20, Address.Zero, 99, Ne));
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.SetGlobalRestriction(21, Address.Zero, 1, Ne), "MaxRestrictionsExceeded");
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(20, Address.Zero, 0, None));
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(21, Address.Zero, 1, Ne));

        // Only the rule admin sets rules, only the KYC agent sets values.
        IReadOnlyList<object> denied = await ExpectErrorAsync(token, Alice, SecurityTokenContract.SetGlobalRestriction(30, Address.Zero, 1, Ne), "AccessControlUnauthorizedAccount");
        Assert.Equal(Alice, (Address)denied[0]);
        await ExpectErrorAsync(token, Alice, SecurityTokenContract.SetAddressRestriction(Alice, 1, 1), "AccessControlUnauthorizedAccount");
        await ExpectErrorAsync(token, Admin, SecurityTokenContract.BatchSetAddressRestriction([Alice, Bob], 1, [1]), "ArrayLengthMismatch");
    }

    [Fact]
    public async Task DeletedRule_ReleasesTransfers_AndItsAddressValuesSurviveARecreatedRule()
    {
        Address token = await DeployTokenWithRuleAsync(CanBuy, Eq, 1, [(Admin, 1), (Alice, 1)], 10);
        await ExpectTransferRestrictedAsync(token, Admin, Bob, 1, "ReceiverRestricted", 6);
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(CanBuy, Address.Zero, 0, None));
        await TransferAsync(token, Admin, Bob, 1);
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(CanBuy, Address.Zero, 1, Eq));
        Assert.Equal(0, await DetectAsync(token, Admin, Alice, 1));
        Assert.Equal(6, await DetectAsync(token, Admin, Bob, 1));
    }
}
