using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StoFunctions.LocalHost.Functions;

namespace StoFunctions.Tests.LocalHost;

public sealed class LocalFunctionsTests
{
    [Fact]
    public void A_function_parameter_the_local_host_cannot_bind_stops_registration_naming_the_function_and_the_parameter()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddFunctionsFrom(typeof(UnbindableTimerFunction).Assembly, new ConfigurationBuilder().Build()));

        Assert.Contains("Function NeedsContext", error.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'context' of type FunctionContext", error.Message, StringComparison.Ordinal);
        Assert.Contains("TimerInfo, CancellationToken and [DurableClient] DurableTaskClient", error.Message, StringComparison.Ordinal);
    }
}
