using Azure;
using StoFunctions.Azure.Storage;
using StoFunctions.Azure.Storage.Queues;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage.Queues;

public sealed class QueueClientTests
{
    private static async Task<QueueClient> NewQueueAsync(QueueClientOptions? options = null)
    {
        var client = new QueueClient(await AzuriteProcess.SharedAsync(), StorageNames.Lowercase("q"), options);
        await client.CreateIfNotExistsAsync();
        return client;
    }

    [Fact]
    public async Task Send_then_receive_returns_base64_body_receipt_and_dequeue_count()
    {
        QueueClient queue = await NewQueueAsync();
        SendReceipt sent = (await queue.SendMessageAsync("héllo <&> \"world\"")).Value;

        QueueMessage received = Assert.Single((await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value);
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal("héllo <&> \"world\"", received.Body.ToString());
        Assert.Equal(Convert.ToBase64String("héllo <&> \"world\""u8), received.MessageText);
        Assert.Equal(1, received.DequeueCount);
        Assert.NotEqual(sent.PopReceipt, received.PopReceipt);
        Assert.InRange(received.NextVisibleOn - received.InsertedOn, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(35));
        Assert.True(received.ExpiresOn > received.InsertedOn.AddDays(6));

        Assert.Empty((await queue.ReceiveMessagesAsync()).Value);
        Assert.Equal(204, (await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt)).Status);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Message_reappears_after_visibility_timeout_with_higher_dequeue_count()
    {
        QueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("again");
        QueueMessage first = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);
        await Task.Delay(1500);
        QueueMessage second = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);

        QueueMessageLostException stale = await Assert.ThrowsAsync<QueueMessageLostException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt));
        Assert.Equal(400, stale.Status);
        Assert.Equal(StorageErrorCode.PopReceiptMismatch, stale.ErrorCode);
        await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt);
        QueueMessageLostException gone = await Assert.ThrowsAsync<QueueMessageLostException>(() => queue.DeleteMessageAsync(second.MessageId, second.PopReceipt));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Send_with_visibility_delay_hides_message_until_due()
    {
        QueueClient queue = await NewQueueAsync();
        SendReceipt sent = (await queue.SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(1), timeToLive: QueueClient.NeverExpires)).Value;
        Assert.True(sent.ExpiresOn.Year >= 9999);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        await Task.Delay(1500);
        Assert.Equal("later", Assert.Single((await queue.PeekMessagesAsync()).Value).Body.ToString());
    }

    [Fact]
    public async Task Update_changes_content_and_visibility_and_stales_old_receipt()
    {
        QueueClient queue = await NewQueueAsync();
        await queue.SendMessageAsync("v1");
        QueueMessage received = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(60))).Value);

        UpdateReceipt updated = (await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, "v2", TimeSpan.Zero)).Value;
        Assert.NotEqual(received.PopReceipt, updated.PopReceipt);
        await Assert.ThrowsAsync<QueueMessageLostException>(() => queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, null, TimeSpan.FromSeconds(5)));

        PeekedMessage peeked = Assert.Single((await queue.PeekMessagesAsync(32)).Value);
        Assert.Equal("v2", peeked.Body.ToString());
        Assert.Equal(1, peeked.DequeueCount);

        QueueMessage again = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        UpdateReceipt extended = (await queue.UpdateMessageAsync(again.MessageId, again.PopReceipt, visibilityTimeout: TimeSpan.FromSeconds(60))).Value;
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
        await queue.DeleteMessageAsync(again.MessageId, extended.PopReceipt);
    }

    [Fact]
    public async Task Receive_returns_at_most_32_and_clear_empties_queue()
    {
        QueueClient queue = await NewQueueAsync();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => queue.SendMessageAsync("m" + i)));
        Assert.Equal(40, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(32, (await queue.ReceiveMessagesAsync(32)).Value.Count);
        Assert.Equal(8, (await queue.PeekMessagesAsync(32)).Value.Count);
        await queue.ClearMessagesAsync();
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Encoding_none_stores_text_verbatim_and_base64_reader_rejects_it()
    {
        string name = StorageNames.Lowercase("q");
        string connection = await AzuriteProcess.SharedAsync();
        var raw = new QueueClient(connection, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("not base64!");

        var base64 = new QueueClient(connection, name);
        PeekedMessage peeked = Assert.Single((await base64.PeekMessagesAsync()).Value);
        Assert.Equal("not base64!", peeked.MessageText);
        Assert.Throws<FormatException>(() => peeked.Body);
    }

    [Fact]
    public async Task Delete_queue_removes_it_and_is_idempotent()
    {
        QueueClient queue = await NewQueueAsync();
        Assert.Equal(204, (await queue.DeleteAsync()).Status);
        Assert.Equal(404, (await queue.DeleteAsync()).Status);
        RequestFailedException e = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync("x"));
        Assert.Equal(StorageErrorCode.QueueNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Service_client_hands_out_working_queue_clients()
    {
        var service = new QueueServiceClient(await AzuriteProcess.SharedAsync());
        QueueClient queue = service.GetQueueClient(StorageNames.Lowercase("q"));
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(new BinaryData(new byte[] { 0, 255, 1 }));
        Assert.Equal(new byte[] { 0, 255, 1 }, Assert.Single((await queue.ReceiveMessagesAsync()).Value).Body.ToArray());
    }
}
