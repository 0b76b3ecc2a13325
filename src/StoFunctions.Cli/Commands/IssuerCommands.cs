using System.CommandLine;

namespace StoFunctions.Cli.Commands;

/// <summary>The issuer controls: <c>mint</c>, <c>burn</c>, <c>pause</c>, <c>unpause</c>, <c>freeze</c>, <c>forced-transfer</c>, <c>recover</c>.</summary>
public static class IssuerCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<string> mintToken = TokenCommands.Token();
        Option<string> mintAmount = CliKit.Required<string>("--amount", "amount in token units");
        Option<string?> mintTo = CliKit.Optional<string?>("--to", "recipient (default the issuer)");
        yield return kit.Submit("mint", "mint new tokens [POST /api/tokens/{token}/mint]\n  e.g. sto mint --token 0x… --amount 100", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(mintToken)!)}/mint", r => new JsonBody().Text("to", r.GetValue(mintTo)).Text("amount", r.GetValue(mintAmount)).Object,
            mintToken, mintAmount, mintTo);

        Option<string> burnToken = TokenCommands.Token();
        Option<string> burnAmount = CliKit.Required<string>("--amount", "amount in token units");
        Option<string?> burnFrom = CliKit.Optional<string?>("--from", "holder burnt from (default the issuer)");
        yield return kit.Submit("burn", "burn tokens [POST /api/tokens/{token}/burn]\n  e.g. sto burn --token 0x… --amount 100", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(burnToken)!)}/burn", r => new JsonBody().Text("from", r.GetValue(burnFrom)).Text("amount", r.GetValue(burnAmount)).Object,
            burnToken, burnAmount, burnFrom);

        foreach (string verb in new[] { "pause", "unpause" })
        {
            Option<string> token = TokenCommands.Token();
            yield return kit.Submit(verb, $"{verb} every transfer of the token [POST /api/tokens/{{token}}/{verb}]\n  e.g. sto {verb} --token 0x…", HttpMethod.Post,
                r => $"tokens/{CliKit.Segment(r.GetValue(token)!)}/{verb}", _ => new JsonBody().Object, token);
        }

        Option<string> freezeToken = TokenCommands.Token();
        Option<string> freezeAddress = CliKit.Required<string>("--address", "the holder");
        Option<bool> unfreeze = CliKit.Optional<bool>("--unfreeze", "lift the freeze instead");
        yield return kit.Submit("freeze", "freeze (or --unfreeze) a holder [POST /api/tokens/{token}/freezes]\n  e.g. sto freeze --token 0x… --address 0x…", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(freezeToken)!)}/freezes",
            r =>
            {
                var body = new JsonBody().Text("address", r.GetValue(freezeAddress));
                if (r.GetValue(unfreeze))
                {
                    body.Object["frozen"] = false;
                }

                return body.Object;
            },
            freezeToken, freezeAddress, unfreeze);

        Option<string> forcedToken = TokenCommands.Token();
        Option<string> from = CliKit.Required<string>("--from", "holder moved from");
        Option<string> to = CliKit.Required<string>("--to", "holder moved to");
        Option<string> amount = CliKit.Required<string>("--amount", "amount in token units");
        yield return kit.Submit("forced-transfer", "move tokens between holders without their signature [POST /api/tokens/{token}/forced-transfers]\n  e.g. sto forced-transfer --token 0x… --from 0x… --to 0x… --amount 5", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(forcedToken)!)}/forced-transfers",
            r => new JsonBody().Text("from", r.GetValue(from)).Text("to", r.GetValue(to)).Text("amount", r.GetValue(amount)).Object,
            forcedToken, from, to, amount);

        Option<string> recoverToken = TokenCommands.Token();
        Option<string> lost = CliKit.Required<string>("--lost-wallet", "the wallet whose key was lost");
        Option<string> fresh = CliKit.Required<string>("--new-wallet", "the holder's new wallet");
        yield return kit.Submit("recover", "move a lost wallet's whole balance to the holder's new wallet [POST /api/tokens/{token}/recoveries]\n  e.g. sto recover --token 0x… --lost-wallet 0x… --new-wallet 0x…", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(recoverToken)!)}/recoveries",
            r => new JsonBody().Text("lostWallet", r.GetValue(lost)).Text("newWallet", r.GetValue(fresh)).Object,
            recoverToken, lost, fresh);
    }
}
