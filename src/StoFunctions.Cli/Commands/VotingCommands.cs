using System.CommandLine;

namespace StoFunctions.Cli.Commands;

/// <summary><c>voting-create</c> and <c>voting-status</c>.</summary>
public static class VotingCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<string> token = TokenCommands.Token();
        Option<ulong> snapshot = CliKit.Required<ulong>("--snapshot-id", "snapshot whose balances weigh the votes");
        Option<ulong> options = CliKit.Required<ulong>("--options", "number of options (2-255)");
        Option<string> end = CliKit.Required<string>("--end", "voting ends (ISO 8601 or Unix seconds)");
        Option<string?> start = CliKit.Optional<string?>("--start", "voting starts (default now)");
        Option<string?> uri = CliKit.Optional<string?>("--uri", "https:// or ipfs:// link to the ballot's text");
        Option<string?> hash = CliKit.Optional<string?>("--metadata-hash", "0x… hash of that text");
        yield return kit.Submit("voting-create", "open a ballot; holders vote on the ballot contract themselves (output.ballotId) [POST /api/tokens/{token}/ballots]\n  e.g. sto voting-create --token 0x… --snapshot-id 1 --options 3 --end 2027-01-31T00:00:00Z", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(token)!)}/ballots",
            r => new JsonBody().Number("snapshotId", r.GetValue(snapshot)).Number("options", r.GetValue(options)).Time("end", r.GetValue(end)).Time("start", r.GetValue(start))
                .Text("uri", r.GetValue(uri)).Text("metadataHash", r.GetValue(hash)).Object,
            token, snapshot, options, end, start, uri, hash);

        Option<string> statusToken = TokenCommands.Token();
        Option<string?> ballot = CliKit.Optional<string?>("--ballot-id", "one ballot (default: all)");
        yield return kit.Read("voting-status", "the token's ballots with their results [GET /api/tokens/{token}/ballots[/{ballotId}]]\n  e.g. sto voting-status --token 0x… --ballot-id 1",
            r => $"tokens/{CliKit.Segment(r.GetValue(statusToken)!)}/ballots" + (r.GetValue(ballot) is { } id ? "/" + CliKit.Segment(id) : ""), statusToken, ballot);
    }
}
