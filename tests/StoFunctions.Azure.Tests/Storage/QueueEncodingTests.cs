using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using StoFunctions.Azure.Storage;
using StoFunctions.Testing;

namespace StoFunctions.Azure.Tests.Storage;

/// <summary>
/// The queue wire formats of <see cref="StorageAccount"/>: <see cref="StorageAccount.Queues"/> writes Base64 text as
/// Azure Functions' queue trigger and output do; <see cref="StorageAccount.RawQueues"/> writes and reads text verbatim.
/// </summary>
public sealed class QueueEncodingTests
{
    [Fact]
    public async Task A_message_sent_through_Queues_is_Base64_on_the_wire_and_decodes_back()
    {
        StorageAccount account = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync());
        string name = StorageNames.Lowercase("enc");
        QueueClient encoded = account.Queues.GetQueueClient(name);
        await encoded.CreateIfNotExistsAsync();

        await encoded.SendMessageAsync("{\"command\":\"issue\"}");

        PeekedMessage wire = Assert.Single((await account.RawQueues.GetQueueClient(name).PeekMessagesAsync(5)).Value);
        Assert.Equal(Convert.ToBase64String("{\"command\":\"issue\"}"u8.ToArray()), wire.MessageText);
        QueueMessage received = Assert.Single((await encoded.ReceiveMessagesAsync(5)).Value);
        Assert.Equal("{\"command\":\"issue\"}", received.Body.ToString());
    }

    [Fact]
    public async Task A_message_sent_through_RawQueues_keeps_its_text_exactly()
    {
        StorageAccount account = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync());
        QueueClient raw = account.RawQueues.GetQueueClient(StorageNames.Lowercase("raw"));
        await raw.CreateIfNotExistsAsync();

        await raw.SendMessageAsync("not base64: {}");

        QueueMessage received = Assert.Single((await raw.ReceiveMessagesAsync(5)).Value);
        Assert.Equal("not base64: {}", received.MessageText);
    }

    [Fact]
    public async Task A_pop_receipt_replaced_by_an_update_no_longer_deletes_400_PopReceiptMismatch()
    {
        StorageAccount account = StorageAccount.FromConnectionString(await AzuriteProcess.SharedAsync());
        QueueClient queue = account.Queues.GetQueueClient(StorageNames.Lowercase("pop"));
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("m");
        QueueMessage message = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1))).Value);
        await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, (string?)null, TimeSpan.FromMinutes(1));

        var stale = await Assert.ThrowsAsync<global::Azure.RequestFailedException>(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt));

        Assert.Equal((400, QueueErrorCode.PopReceiptMismatch.ToString()), (stale.Status, stale.ErrorCode));
    }
}
