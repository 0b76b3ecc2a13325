using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
using StoFunctions.Runtime;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Runtime;

public sealed class QueueListenerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private static async Task<(QueueClient Queue, QueueClient Poison, QueueClient Raw)> NewQueueAsync()
    {
        string connection = await AzuriteProcess.SharedAsync();
        string name = TriggerTestHost.NewName("rtq");
        var queue = StorageAccount.FromConnectionString(connection).Queues.GetQueueClient(name);
        await queue.CreateIfNotExistsAsync();
        return (queue, StorageAccount.FromConnectionString(connection).RawQueues.GetQueueClient(name + QueueListener.PoisonSuffix), StorageAccount.FromConnectionString(connection).RawQueues.GetQueueClient(name));
    }

    // The poison queue is read verbatim (the listener copies the text unchanged), so Base64 is decoded here.
    private static string Decoded(string messageText) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(messageText));

    private static Task<IHost> StartAsync(string queueName, QueueProbe probe, Dictionary<string, string?>? settings = null) =>
        TriggerTestHost.StartAsync(TriggerTestHost.NewName("h"), s => s.AddSingleton(probe).AddQueueFunction<ProbeQueueFunction>(queueName), settings);

    private static async Task<int> CountAsync(QueueClient queue)
    {
        try
        {
            return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }

    [Fact]
    public async Task Message_is_handled_once_with_its_body_and_then_deleted()
    {
        (QueueClient queue, QueueClient poison, _) = await NewQueueAsync();
        SendReceipt sent = (await queue.SendMessageAsync("{\"command\":\"issue\"}")).Value;
        var probe = new QueueProbe();
        using IHost host = await StartAsync(queue.Name, probe);

        await TriggerTestHost.EventuallyAsync(async () => !probe.Calls.IsEmpty && await CountAsync(queue) == 0, s_timeout, "message handled and deleted");
        await Task.Delay(1000);
        await host.StopAsync();

        QueueTriggerMessage call = Assert.Single(probe.Calls);
        Assert.Equal(sent.MessageId, call.MessageId);
        Assert.Equal("{\"command\":\"issue\"}", call.BodyText);
        Assert.Equal(1, call.DequeueCount);
        Assert.Equal(queue.Name, call.QueueName);
        Assert.Equal(0, await CountAsync(queue));
        Assert.Equal(0, await CountAsync(poison));
    }

    [Fact]
    public async Task Failing_handler_is_retried_until_maxDequeueCount_then_the_original_text_is_in_the_poison_queue()
    {
        (QueueClient queue, QueueClient poison, _) = await NewQueueAsync();
        await queue.SendMessageAsync("always fails");
        var probe = new QueueProbe { Behavior = (_, _) => throw new InvalidOperationException("handler failure") };
        using IHost host = await StartAsync(queue.Name, probe);

        await TriggerTestHost.EventuallyAsync(async () => await CountAsync(poison) == 1, s_timeout, "message in the poison queue");
        await host.StopAsync();

        Assert.Equal([1L, 2L, 3L], probe.Calls.Select(c => c.DequeueCount));
        Assert.Equal(0, await CountAsync(queue));
        QueueMessage poisoned = Assert.Single((await poison.ReceiveMessagesAsync(32)).Value);
        Assert.Equal("always fails", Decoded(poisoned.MessageText));
        Assert.Equal(Convert.ToBase64String("always fails"u8), poisoned.MessageText);
    }

    [Fact]
    public async Task PoisonMessageException_sends_the_message_to_poison_on_the_first_attempt()
    {
        (QueueClient queue, QueueClient poison, _) = await NewQueueAsync();
        await queue.SendMessageAsync("{not json");
        var probe = new QueueProbe { Behavior = (m, _) => throw new PoisonMessageException($"message {m.MessageId} is not JSON") };
        using IHost host = await StartAsync(queue.Name, probe);

        await TriggerTestHost.EventuallyAsync(async () => await CountAsync(poison) == 1, s_timeout, "message in the poison queue");
        await Task.Delay(500);
        await host.StopAsync();

        Assert.Equal(1, Assert.Single(probe.Calls).DequeueCount);
        Assert.Equal(0, await CountAsync(queue));
        Assert.Equal("{not json", Decoded(Assert.Single((await poison.PeekMessagesAsync(32)).Value).MessageText));
    }

    [Fact]
    public async Task A_message_already_dequeued_more_than_maxDequeueCount_times_goes_to_poison_without_running()
    {
        (QueueClient queue, QueueClient poison, _) = await NewQueueAsync();
        await queue.SendMessageAsync("crashed its hosts twice");
        // Two deliveries whose consumers vanished (a crash mid-run): the lease simply runs out each time.
        for (int i = 0; i < 2; i++)
        {
            Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);
            await Task.Delay(1200);
        }

        var probe = new QueueProbe();
        using IHost host = await StartAsync(queue.Name, probe, new() { ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2" });

        await TriggerTestHost.EventuallyAsync(async () => await CountAsync(poison) == 1, s_timeout, "message in the poison queue");
        await host.StopAsync();

        Assert.Empty(probe.Calls);
        Assert.Equal("crashed its hosts twice", Decoded(Assert.Single((await poison.PeekMessagesAsync(32)).Value).MessageText));
    }

    [Fact]
    public async Task Text_that_is_not_base64_goes_to_poison_verbatim_without_running_the_handler()
    {
        (QueueClient queue, QueueClient poison, QueueClient raw) = await NewQueueAsync();
        await raw.SendMessageAsync("plain text, not base64!");
        var probe = new QueueProbe();
        using IHost host = await StartAsync(queue.Name, probe);

        await TriggerTestHost.EventuallyAsync(async () => await CountAsync(poison) == 1, s_timeout, "message in the poison queue");
        await host.StopAsync();

        Assert.Empty(probe.Calls);
        Assert.Equal("plain text, not base64!", Assert.Single((await poison.PeekMessagesAsync(32)).Value).MessageText);
    }

    [Fact]
    public async Task Handler_running_past_the_visibility_lease_keeps_the_message_hidden_by_renewal()
    {
        (QueueClient queue, _, _) = await NewQueueAsync();
        await queue.SendMessageAsync("slow");
        using var release = new SemaphoreSlim(0);
        var probe = new QueueProbe { Behavior = (_, ct) => release.WaitAsync(ct) };
        using IHost host = await StartAsync(queue.Name, probe);
        await TriggerTestHost.EventuallyAsync(() => probe.Running == 1, s_timeout, "handler started");

        // The lease is 2 s; without renewal the message would be visible (and run again) within this window.
        for (int i = 0; i < 10; i++)
        {
            Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
            await Task.Delay(500);
        }

        release.Release();
        await TriggerTestHost.EventuallyAsync(async () => await CountAsync(queue) == 0, s_timeout, "message deleted with the renewed pop receipt");
        await host.StopAsync();
        Assert.Single(probe.Calls);
    }

    [Fact]
    public async Task In_flight_messages_stay_within_batchSize_until_newBatchThreshold_is_reached()
    {
        (QueueClient queue, _, _) = await NewQueueAsync();
        for (int i = 0; i < 12; i++)
        {
            await queue.SendMessageAsync($"m{i}");
        }

        using var release = new SemaphoreSlim(0);
        var probe = new QueueProbe { Behavior = (_, ct) => release.WaitAsync(ct) };
        using IHost host = await StartAsync(queue.Name, probe, new()
        {
            ["AzureFunctionsJobHost:extensions:queues:batchSize"] = "4",
            ["AzureFunctionsJobHost:extensions:queues:newBatchThreshold"] = "2",
            ["AzureFunctionsJobHost:stoFunctions:runtime:messageLeaseDuration"] = "00:00:30",
        });

        await TriggerTestHost.EventuallyAsync(() => probe.Running == 4, s_timeout, "first batch of 4 running");
        await Task.Delay(1000);
        Assert.Equal(4, probe.Running);

        // Two finish → in flight 2 = newBatchThreshold → one more batch of 4 → 6 (batchSize + newBatchThreshold).
        release.Release(2);
        await TriggerTestHost.EventuallyAsync(() => probe.Running == 6, s_timeout, "second batch running");
        await Task.Delay(1000);
        Assert.Equal(6, probe.Running);

        release.Release(100);
        await TriggerTestHost.EventuallyAsync(async () => probe.Calls.Count == 12 && await CountAsync(queue) == 0, s_timeout, "all 12 handled");
        await host.StopAsync();
        Assert.Equal(6, probe.Peak);
        Assert.Equal(12, probe.Calls.Select(c => c.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Stop_cancels_a_handler_after_the_grace_period_and_the_message_reappears_unpoisoned()
    {
        (QueueClient queue, QueueClient poison, _) = await NewQueueAsync();
        await queue.SendMessageAsync("interrupted");
        bool sawCancellation = false;
        var probe = new QueueProbe
        {
            Behavior = async (_, ct) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    sawCancellation = true;
                    throw;
                }
            },
        };
        using IHost host = await StartAsync(queue.Name, probe, new() { ["AzureFunctionsJobHost:stoFunctions:runtime:messageLeaseDuration"] = "00:01:00" });
        await TriggerTestHost.EventuallyAsync(() => probe.Running == 1, s_timeout, "handler started");

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync();
        stopwatch.Stop();

        Assert.True(sawCancellation);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        // Released at once instead of waiting out the 1-minute lease; not deleted, not poisoned.
        PeekedMessage back = Assert.Single((await queue.PeekMessagesAsync(32)).Value);
        Assert.Equal("interrupted", back.Body.ToString());
        Assert.Equal(1, back.DequeueCount);
        Assert.Equal(0, await CountAsync(poison));
    }

    [Fact]
    public async Task Stop_lets_a_handler_finish_within_the_grace_period_and_deletes_its_message()
    {
        (QueueClient queue, _, _) = await NewQueueAsync();
        await queue.SendMessageAsync("finishing");
        var probe = new QueueProbe { Behavior = (_, _) => Task.Delay(800) };
        using IHost host = await StartAsync(queue.Name, probe);
        await TriggerTestHost.EventuallyAsync(() => probe.Running == 1, s_timeout, "handler started");

        await host.StopAsync();

        Assert.Equal(0, probe.Running);
        Assert.Equal(0, await CountAsync(queue));
    }

    [Fact]
    public async Task After_a_poll_finds_a_message_the_idle_backoff_restarts_from_100_ms()
    {
        (QueueClient queue, _, _) = await NewQueueAsync();
        var handledAt = new System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var probe = new QueueProbe
        {
            Behavior = async (m, _) =>
            {
                handledAt[m.BodyText] = clock.Elapsed;
                if (m.BodyText == "first")
                {
                    await queue.SendMessageAsync("second");
                }
            },
        };
        using IHost host = await StartAsync(queue.Name, probe, new() { ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:08" });

        // Idle for 7 s: the delay between empty polls has grown to seconds (100, ~200, ~400 … ms, capped at 8 s).
        await Task.Delay(7000);
        await queue.SendMessageAsync("first");
        await TriggerTestHost.EventuallyAsync(() => handledAt.ContainsKey("second"), s_timeout, "second message handled");
        await host.StopAsync();

        // "second" arrived while "first" ran; the poll after a hit waits 100 ms and the backoff grows from there,
        // so it is picked up in well under the multi-second delay the idle listener had reached.
        TimeSpan gap = handledAt["second"] - handledAt["first"];
        Assert.InRange(gap, TimeSpan.Zero, TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_handler_hanging_past_functionTimeout_is_cancelled_and_counted_as_a_failure()
    {
        (QueueClient queue, QueueClient poison, _) = await NewQueueAsync();
        await queue.SendMessageAsync("hangs");
        var probe = new QueueProbe { Behavior = (_, ct) => Task.Delay(Timeout.Infinite, ct) };
        using IHost host = await StartAsync(queue.Name, probe, new()
        {
            ["AzureFunctionsJobHost:functionTimeout"] = "00:00:01",
            ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "2",
        });

        await TriggerTestHost.EventuallyAsync(async () => await CountAsync(poison) == 1, s_timeout, "message in the poison queue");
        await host.StopAsync();

        Assert.Equal([1L, 2L], probe.Calls.Select(c => c.DequeueCount));
        Assert.Equal("hangs", Decoded(Assert.Single((await poison.PeekMessagesAsync(32)).Value).MessageText));
    }

    [Fact]
    public async Task A_host_json_value_out_of_range_stops_the_host_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("rtq-unused", new QueueProbe(), new()
        {
            ["AzureFunctionsJobHost:extensions:queues:batchSize"] = "33",
        }));

        Assert.Contains("extensions.queues.batchSize is 33", error.Message, StringComparison.Ordinal);
    }
}
