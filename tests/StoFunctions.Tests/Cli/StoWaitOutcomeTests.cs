using Spectre.Console;
using StoFunctions.Cli;

namespace StoFunctions.Tests.Cli;

/// <summary>
/// <c>sto command wait</c>'s exit codes for outcomes the local stack does not produce on demand: a Failed
/// command (1, with its error), a timeout (1, with how to resume) and an interrupt (130, with how to resume).
/// The API is a canned handler; everything else is the real entry point.
/// </summary>
public sealed class StoWaitOutcomeTests
{
    private const string Running = """{"id":"c1","name":"distribute","runtimeStatus":"Running","customStatus":{"transactions":2,"planned":0,"signed":0,"broadcast":1,"mined":0,"confirmed":1,"failed":0},"output":null,"error":null}""";
    private const string Failed = """{"id":"c1","name":"distribute","runtimeStatus":"Failed","customStatus":{"transactions":2,"planned":0,"signed":0,"broadcast":0,"mined":0,"confirmed":1,"failed":1},"output":{"transactions":[]},"error":"nonce 7: execution reverted"}""";

    [Fact]
    public async Task AFailedCommand_Exits1_WithItsErrorAndFinalProgress()
    {
        (int exit, string stdout, string stderr) = await RunAsync(new CannedApi(Running, Failed), ["command", "wait", "c1"]);

        Assert.Equal(1, exit);
        Assert.Contains("command c1 Running: 1/2 confirmed", stderr);
        Assert.Contains("command c1 failed: nonce 7: execution reverted", stderr);
        Assert.Contains("Failed", stdout);
    }

    [Fact]
    public async Task AWaitPastItsTimeout_Exits1_AndSaysHowToResume()
    {
        var api = new CannedApi(Running);
        (int exit, _, string stderr) = await RunAsync(api, ["command", "wait", "c1", "--timeout", "0"]);

        Assert.Equal(1, exit);
        Assert.Contains("still Running after 0 s", stderr);
        Assert.Contains("sto command wait c1", stderr);
        Assert.Equal(1, api.Reads);
    }

    [Fact]
    public async Task AnInterruptedWait_Exits130_AndSaysTheCommandGoesOn()
    {
        var api = new CannedApi(Running);
        using var interrupt = new CancellationTokenSource();
        Task<(int, string, string)> run = RunAsync(api, ["command", "wait", "c1"], interrupt.Token);
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (api.Reads < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        interrupt.Cancel();
        (int exit, _, string stderr) = await run;

        Assert.Equal(130, exit);
        Assert.Contains("goes on in the service. Resume with: sto command wait c1", stderr);
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(HttpMessageHandler api, string[] args, CancellationToken cancellationToken = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = Console(stdout),
            Error = Console(stderr),
            GetVariable = _ => null,
            Handler = api,
            PollInterval = TimeSpan.FromMilliseconds(20),
        };
        int exit = await StoCli.RunAsync(["--api", "http://api.test", "--key", "k", .. args], environment, cancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static IAnsiConsole Console(TextWriter writer)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = CliEnvironment.RedirectedWidth;
        return console;
    }
}
