using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreStatus = DurableTask.Core.OrchestrationStatus;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace StoFunctions.LocalHost.Durable;

/// <summary>
/// The <see cref="DurableTaskClient"/> the local host gives <c>[DurableClient]</c> parameters, over the Azure
/// Storage backend's own client API (the one DTFx's <c>TaskHubClient</c> wraps). Inputs, outputs, custom status
/// and event payloads are serialized with the same <see cref="DataConverter"/> as the shim's worker, so an
/// orchestration reads what a function scheduled. Existing instances follow the Functions host's rule: a
/// running, pending or suspended instance with the id refuses a new one; an ended one is replaced.
/// </summary>
internal sealed class TaskHubDurableClient(DurableBackend backend, DataConverter converter) : DurableTaskClient(backend.Options.HubName)
{
    private static readonly CoreStatus[] s_running = [CoreStatus.Running, CoreStatus.Pending, CoreStatus.Suspended];
    private static readonly TimeSpan s_waitPoll = TimeSpan.FromMilliseconds(250);

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        string instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") };
        var started = new ExecutionStartedEvent(-1, converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.Version ?? "",
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value) ?? [],
        };
        CoreStatus[] dedupe = options?.DedupeStatuses is { Count: > 0 } statuses
            ? [.. statuses.Select(s => (CoreStatus)Enum.Parse<OrchestrationRuntimeStatus>(s))]
            : s_running;
        AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
        try
        {
            await service.CreateTaskOrchestrationAsync(new TaskMessage { Event = started, OrchestrationInstance = instance }, dedupe).ConfigureAwait(false);
        }
        catch (OrchestrationAlreadyExistsException e)
        {
            throw new InvalidOperationException($"An orchestration instance with id '{instanceId}' already exists and is not finished; query it with GetInstanceAsync instead of scheduling it again.", e);
        }

        return instanceId;
    }

    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
        await service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new EventRaisedEvent(-1, converter.Serialize(eventPayload)) { Name = eventName },
        }).ConfigureAwait(false);
    }

    public override async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
        await service.ForceTerminateTaskOrchestrationAsync(instanceId, converter.Serialize(options?.Output)).ConfigureAwait(false);
    }

    public override async Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
        await service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new ExecutionSuspendedEvent(-1, reason),
        }).ConfigureAwait(false);
    }

    public override async Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
        await service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new ExecutionResumedEvent(-1, reason),
        }).ConfigureAwait(false);
    }

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
        IList<OrchestrationState> states = await service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: getInputsAndOutputs).ConfigureAwait(false);
        return states.FirstOrDefault(s => s is not null) is { } state ? ToMetadata(state, getInputsAndOutputs) : null;
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        WaitAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        WaitAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Pageable.Create<OrchestrationMetadata>(async (continuation, pageSize, cancellation) =>
        {
            var condition = new OrchestrationInstanceStatusQueryCondition
            {
                RuntimeStatus = filter?.Statuses?.Select(s => (CoreStatus)s).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime ?? default,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime ?? default,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInput = filter?.FetchInputsAndOutputs ?? false,
                FetchOutput = filter?.FetchInputsAndOutputs ?? false,
            };
            AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
            DurableStatusQueryResult page = await service.GetOrchestrationStateAsync(condition, pageSize ?? filter?.PageSize ?? OrchestrationQuery.DefaultPageSize, continuation ?? filter?.ContinuationToken, cancellation).ConfigureAwait(false);
            return new Page<OrchestrationMetadata>([.. page.OrchestrationState.Select(s => ToMetadata(s, filter?.FetchInputsAndOutputs ?? false))], page.ContinuationToken);
        });

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
        PurgeHistoryResult result = await service.PurgeInstanceHistoryAsync(instanceId).ConfigureAwait(false);
        return new PurgeResult(result.InstancesDeleted, result.IsComplete);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        AzureStorageOrchestrationService service = await ServiceAsync(cancellation).ConfigureAwait(false);
        PurgeHistoryResult result = await service.PurgeInstanceHistoryAsync(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue, filter.CreatedTo?.UtcDateTime, filter.Statuses?.Select(s => (CoreStatus)s)).ConfigureAwait(false);
        return new PurgeResult(result.InstancesDeleted, result.IsComplete);
    }

    // The backend owns the storage clients; the local host disposes it when it stops.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<AzureStorageOrchestrationService> ServiceAsync(CancellationToken cancellation)
    {
        await backend.WhenReadyAsync(cancellation).ConfigureAwait(false);
        return backend.Service;
    }

    private async Task<OrchestrationMetadata> WaitAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false) is { } metadata && done(metadata))
            {
                return metadata;
            }

            await Task.Delay(s_waitPoll, cancellation).ConfigureAwait(false);
        }
    }

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool withInputsAndOutputs) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = converter,
            RuntimeStatus = (OrchestrationRuntimeStatus)state.OrchestrationStatus,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = withInputsAndOutputs ? state.Input : null,
            SerializedOutput = withInputsAndOutputs ? state.Output : null,
            SerializedCustomStatus = state.Status,
            Tags = state.Tags is { } tags ? new Dictionary<string, string>(tags) : new Dictionary<string, string>(),
            FailureDetails = Convert(state.FailureDetails),
        };

    private static TaskFailureDetails? Convert(FailureDetails? failure) =>
        failure is null ? null : new TaskFailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, Convert(failure.InnerFailure), failure.Properties);
}
