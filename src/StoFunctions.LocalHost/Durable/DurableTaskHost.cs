using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using StoFunctions.LocalHost.Functions;

namespace StoFunctions.LocalHost.Durable;

/// <summary>
/// Runs the Function App's orchestrator and activity functions on the local host: a DTFx
/// <see cref="TaskHubWorker"/> on <see cref="DurableBackend"/>, each <c>[Function]</c> registered through the
/// isolated SDK's <see cref="DurableTaskShimFactory"/>, so the same <c>TaskOrchestrationContext</c> code
/// runs as under the Functions host. Storage that is not reachable yet (Azurite still starting) is retried.
/// </summary>
internal sealed class DurableTaskHost(DurableBackend backend, DurableFunctionSet functions, IServiceProvider services, ILoggerFactory loggerFactory, ILogger<DurableTaskHost> logger) : BackgroundService
{
    private TaskHubWorker? _worker;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await backend.CreateAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.TaskHubUnavailable(backend.Options.HubName, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), stoppingToken).ConfigureAwait(false);
            }
        }

        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = functions.Converter }, loggerFactory);
        var worker = new TaskHubWorker(backend.Service, loggerFactory) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        foreach (FunctionMethod function in functions.Orchestrators)
        {
            var orchestrator = new FunctionOrchestrator(function, loggerFactory);
            worker.AddTaskOrchestrations(new NamedCreator<TaskOrchestration>(function.Name, () => shims.CreateOrchestration(function.Name, orchestrator, parent: null)));
        }

        foreach ((FunctionMethod function, System.Reflection.ParameterInfo trigger) in functions.Activities)
        {
            var activity = new FunctionActivity(function, trigger, services, stoppingToken);
            worker.AddTaskActivities(new NamedCreator<TaskActivity>(function.Name, () => shims.CreateActivity(function.Name, activity)));
        }

        await worker.StartAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
        _worker = worker;
        logger.TaskHubStarted(backend.Options.HubName, functions.Orchestrators.Count, functions.Activities.Count);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_worker is { } worker)
        {
            // Graceful: finishes running work items and releases the partitions, so another instance takes them
            // over at once instead of after the lease runs out. Forced when the host's shutdown time is up.
            try
            {
                await worker.StopAsync(isForced: false).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await worker.StopAsync(isForced: true).ConfigureAwait(false);
            }
        }
    }

    private sealed class NamedCreator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public NamedCreator(string name, Func<T> create)
        {
            Name = name;
            Version = string.Empty;
            _create = create;
        }

        public override T Create() => _create();
    }
}
