using StoFunctions.Ethereum;
using StoFunctions.Ethereum.Abi;

namespace StoFunctions.Contracts.Tests;

/// <summary>Shared setup for tests that deploy a fresh <c>SecurityToken</c> per test on the class's anvil.</summary>
public abstract class TokenTestBase : IClassFixture<AnvilChain>
{
    /// <summary>Symbol's "unset" sentinel.</summary>
    protected const ulong Unset = ulong.MaxValue;

    /// <summary>Restriction types (Symbol MosaicRestrictionType).</summary>
    protected const byte None = 0, Eq = 1, Ne = 2, Lt = 3, Le = 4, Gt = 5, Ge = 6;

    protected TokenTestBase(AnvilChain chain) => Chain = chain;

    protected AnvilChain Chain { get; }

    protected static Address Admin => AnvilChain.Account(0);

    protected static Address Alice => AnvilChain.Account(1);

    protected static Address Bob => AnvilChain.Account(2);

    protected static Address Carol => AnvilChain.Account(3);

    protected static Address Dave => AnvilChain.Account(4);

    protected static ContractAbi TokenAbi => SecurityTokenContract.Abi;

    protected Task<Address> DeployTokenAsync(byte decimals = 0) =>
        Chain.DeployAsync(SecurityTokenContract.Deploy("Comfy Clothing Shares", "CC", decimals, "US0000000001", Admin));

    protected Task<ChainReceipt> AdminAsync(Address contract, byte[] data) => Chain.SendAsync(Admin, contract, data);

    protected async Task<UInt256> BalanceAsync(Address token, Address account) =>
        SecurityTokenContract.DecodeBalanceOf(await Chain.CallAsync(token, SecurityTokenContract.BalanceOf(account)));

    protected async Task<byte> DetectAsync(Address token, Address from, Address to, UInt256 amount) =>
        SecurityTokenContract.DecodeDetectTransferRestriction(
            await Chain.CallAsync(token, SecurityTokenContract.DetectTransferRestriction(from, to, amount)));

    /// <summary>A token with one local rule per (key, type, value), every listed account tagged, and supply minted to Admin.</summary>
    protected async Task<Address> DeployTokenWithRuleAsync(ulong key, byte type, ulong value, IEnumerable<(Address Account, ulong Value)> tags, UInt256 supply)
    {
        Address token = await DeployTokenAsync();
        await AdminAsync(token, SecurityTokenContract.SetGlobalRestriction(key, Address.Zero, value, type));
        foreach ((Address account, ulong tag) in tags)
        {
            await AdminAsync(token, SecurityTokenContract.SetAddressRestriction(account, key, tag));
        }

        if (supply != UInt256.Zero)
        {
            await AdminAsync(token, SecurityTokenContract.Mint(Admin, supply));
        }

        return token;
    }

    /// <summary>
    /// Sends <paramref name="call"/> from <paramref name="from"/>, requires it to revert with <paramref name="error"/>
    /// and returns the decoded arguments.
    /// </summary>
    protected async Task<IReadOnlyList<object>> ExpectErrorAsync(Address contract, Address from, byte[] call, string error, ContractAbi? abi = null)
    {
        RevertReason reason = await Chain.SendExpectingRevertAsync(from, contract, call, abi ?? TokenAbi);
        Assert.Equal(RevertKind.Custom, reason.Kind);
        Assert.Equal(error, reason.Error!.Name);
        return reason.Arguments;
    }

    /// <summary>A holder transfer must revert with <paramref name="error"/> and the view must give <paramref name="code"/>.</summary>
    protected async Task<IReadOnlyList<object>> ExpectTransferRestrictedAsync(Address token, Address from, Address to, UInt256 amount, string error, byte code)
    {
        Assert.Equal(code, await DetectAsync(token, from, to, amount));
        return await ExpectErrorAsync(token, from, SecurityTokenContract.Transfer(to, amount), error);
    }

    protected async Task<ChainReceipt> TransferAsync(Address token, Address from, Address to, UInt256 amount)
    {
        Assert.Equal(0, await DetectAsync(token, from, to, amount));
        return await Chain.SendAsync(from, token, SecurityTokenContract.Transfer(to, amount));
    }
}
