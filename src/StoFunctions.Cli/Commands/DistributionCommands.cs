using System.CommandLine;
using System.Text;
using Spectre.Console;

namespace StoFunctions.Cli.Commands;

/// <summary><c>distribute-multiple</c> (a CSV file) and <c>distribute-single</c>.</summary>
public static class DistributionCommands
{
    /// <summary>The commands.</summary>
    public static IEnumerable<Command> Create(CliKit kit)
    {
        Option<string> token = TokenCommands.Token();
        Option<FileInfo> csv = CliKit.Required<FileInfo>("--csv", "the distribution: header external_id,email,name,address,amount, one row per transfer");
        Option<bool> retryFailed = CliKit.Optional<bool>("--retry-failed", "send rows whose earlier transfer failed again (new attempt; pending or succeeded rows never)");
        var multiple = new Command("distribute-multiple", "one idempotent transfer per CSV row; the whole file is checked first, any bad row sends nothing [POST /api/tokens/{token}/distributions, text/csv]\n  e.g. sto distribute-multiple --token 0x… --csv investors.csv")
        {
            token, csv, retryFailed,
        };
        SubmitOptionSet submit = CliKit.AddSubmitOptions(multiple);
        kit.SetAction(multiple, (session, r, cancellationToken) =>
        {
            FileInfo file = r.GetValue(csv)!;
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliInputException($"Cannot read the CSV file '{file.FullName}': {e.Message}");
            }

            // Sent byte for byte: the API takes values exactly as written and names bad rows by line.
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") { CharSet = Encoding.UTF8.WebName };
            string path = $"tokens/{CliKit.Segment(r.GetValue(token)!)}/distributions" + (r.GetValue(retryFailed) ? "?retryFailed=true" : "");
            return session.SubmitAsync(HttpMethod.Post, path, content, submit.Read(r), cancellationToken);
        });
        yield return multiple;

        Option<string> singleToken = TokenCommands.Token();
        Option<string> externalId = CliKit.Required<string>("--external-id", "your id of this transfer (idempotent per token: re-running sends nothing twice)");
        Option<string> to = CliKit.Required<string>("--to", "recipient address");
        Option<string> amount = CliKit.Required<string>("--amount", "amount in token units, e.g. 300.5");
        Option<string?> email = CliKit.Optional<string?>("--email", "recipient e-mail (kept with the transfer)");
        Option<string?> name = CliKit.Optional<string?>("--holder-name", "recipient name (kept with the transfer)");
        Option<bool> singleRetry = CliKit.Optional<bool>("--retry-failed", "send again when this external id's transfer failed");
        yield return kit.Submit("distribute-single", "one idempotent transfer [POST /api/tokens/{token}/transfers]\n  e.g. sto distribute-single --token 0x… --external-id inv-7 --to 0x… --amount 300", HttpMethod.Post,
            r => $"tokens/{CliKit.Segment(r.GetValue(singleToken)!)}/transfers",
            r => new JsonBody().Text("externalId", r.GetValue(externalId)).Text("to", r.GetValue(to)).Text("amount", r.GetValue(amount))
                .Text("email", r.GetValue(email)).Text("name", r.GetValue(name)).Flag("retryFailed", r.GetValue(singleRetry)).Object,
            singleToken, externalId, to, amount, email, name, singleRetry);
    }
}
