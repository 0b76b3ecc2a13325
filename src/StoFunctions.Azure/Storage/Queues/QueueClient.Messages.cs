using System.Globalization;
using System.Security;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace StoFunctions.Azure.Storage.Queues;

public partial class QueueClient
{
    /// <summary>Sends UTF-8 text (base64-encoded unless the options say <see cref="QueueMessageEncoding.None"/>).</summary>
    /// <param name="messageText">The text.</param>
    /// <param name="visibilityTimeout">Delay before the message becomes visible (0–7 days, less than the TTL).</param>
    /// <param name="timeToLive">Lifetime (default 7 days); <see cref="NeverExpires"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The encoded message exceeds 64 KiB, or the times are out of range.</exception>
    public virtual Task<Response<SendReceipt>> SendMessageAsync(string messageText, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        return SendEncodedAsync(Encode(BinaryData.FromString(messageText), messageText), visibilityTimeout, timeToLive, cancellationToken);
    }

    /// <summary>Sends bytes (base64-encoded; with <see cref="QueueMessageEncoding.None"/> they must be UTF-8 text).</summary>
    /// <exception cref="ArgumentException">The encoded message exceeds 64 KiB, or the times are out of range.</exception>
    public virtual Task<Response<SendReceipt>> SendMessageAsync(BinaryData message, TimeSpan? visibilityTimeout = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendEncodedAsync(Encode(message, null), visibilityTimeout, timeToLive, cancellationToken);
    }

    /// <summary>Dequeues up to <paramref name="maxMessages"/> (1–32) messages, hiding them for <paramref name="visibilityTimeout"/> (default 30 s).</summary>
    public virtual async Task<Response<IReadOnlyList<QueueMessage>>> ReceiveMessagesAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        CheckCount(maxMessages);
        if (visibilityTimeout is { } v && (v < TimeSpan.FromSeconds(1) || v > s_maxVisibility))
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), v, "A receive visibility timeout must be 1 s to 7 days.");
        }

        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Get, Name + "/messages");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        if (visibilityTimeout is { } visibility)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibility));
        }

        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var messages = ParseXml(response).Elements("QueueMessage").Select(m => new QueueMessage(m.Element("MessageText")?.Value ?? string.Empty, _encoding)
        {
            MessageId = m.Element("MessageId")!.Value,
            PopReceipt = m.Element("PopReceipt")!.Value,
            DequeueCount = long.Parse(m.Element("DequeueCount")?.Value ?? "0", CultureInfo.InvariantCulture),
            InsertedOn = Time(m, "InsertionTime"),
            ExpiresOn = Time(m, "ExpirationTime"),
            NextVisibleOn = Time(m, "TimeNextVisible"),
        }).ToList();
        return Response.FromValue<IReadOnlyList<QueueMessage>>(messages, response);
    }

    /// <summary>Reads up to <paramref name="maxMessages"/> (1–32) visible messages without dequeuing them.</summary>
    public virtual async Task<Response<IReadOnlyList<PeekedMessage>>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        CheckCount(maxMessages);
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Get, Name + "/messages");
        message.Request.Uri.AppendQuery("peekonly", "true");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        Response response = await _pipeline.SendAsync(message, cancellationToken, 200).ConfigureAwait(false);
        var messages = ParseXml(response).Elements("QueueMessage").Select(m => new PeekedMessage(m.Element("MessageText")?.Value ?? string.Empty, _encoding)
        {
            MessageId = m.Element("MessageId")!.Value,
            DequeueCount = long.Parse(m.Element("DequeueCount")?.Value ?? "0", CultureInfo.InvariantCulture),
            InsertedOn = Time(m, "InsertionTime"),
            ExpiresOn = Time(m, "ExpirationTime"),
        }).ToList();
        return Response.FromValue<IReadOnlyList<PeekedMessage>>(messages, response);
    }

    /// <summary>
    /// Changes a dequeued message's visibility and optionally its text. The returned receipt replaces
    /// <paramref name="popReceipt"/>, which becomes stale.
    /// </summary>
    /// <exception cref="QueueMessageLostException">The receipt no longer owns the message.</exception>
    public virtual async Task<Response<UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, string? messageText = null, TimeSpan visibilityTimeout = default, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        if (visibilityTimeout < TimeSpan.Zero || visibilityTimeout > s_maxVisibility)
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), visibilityTimeout, "An update visibility timeout must be 0 s to 7 days.");
        }

        string? encoded = messageText is null ? null : Encode(BinaryData.FromString(messageText), messageText);
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Put, Name + "/messages/" + Uri.EscapeDataString(messageId));
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout));
        if (encoded is not null)
        {
            SetBody(message, encoded);
        }

        Response response = await SendOwnedAsync(message, messageId, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-popreceipt", out string? newReceipt);
        response.Headers.TryGetValue("x-ms-time-next-visible", out string? nextVisible);
        return Response.FromValue(new UpdateReceipt
        {
            PopReceipt = newReceipt ?? throw new RequestFailedException(response.Status, "Update Message returned no x-ms-popreceipt.", null, null),
            NextVisibleOn = nextVisible is null ? default : DateTimeOffset.Parse(nextVisible, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        }, response);
    }

    /// <summary>Deletes a dequeued message.</summary>
    /// <exception cref="QueueMessageLostException">The receipt is stale (another consumer dequeued the message) or the message is gone.</exception>
    public virtual async Task<Response> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Delete, Name + "/messages/" + Uri.EscapeDataString(messageId));
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        return await SendOwnedAsync(message, messageId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Response<SendReceipt>> SendEncodedAsync(string encoded, TimeSpan? visibilityTimeout, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        if (timeToLive is { } ttl && ttl != NeverExpires && ttl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "A time-to-live must be at least 1 s, or QueueClient.NeverExpires.");
        }

        if (visibilityTimeout is { } v && (v < TimeSpan.Zero || v > s_maxVisibility || (timeToLive is { } t && t != NeverExpires && v >= t)))
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), v, "A send visibility delay must be 0 s to 7 days and shorter than the time-to-live.");
        }

        using HttpMessage message = _pipeline.CreateMessage(RequestMethod.Post, Name + "/messages");
        if (visibilityTimeout is { } visibility)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibility));
        }

        if (timeToLive is { } lifetime)
        {
            message.Request.Uri.AppendQuery("messagettl", lifetime == NeverExpires ? "-1" : Seconds(lifetime));
        }

        SetBody(message, encoded);
        Response response = await _pipeline.SendAsync(message, cancellationToken, 201).ConfigureAwait(false);
        XElement m = ParseXml(response).Element("QueueMessage")!;
        return Response.FromValue(new SendReceipt
        {
            MessageId = m.Element("MessageId")!.Value,
            PopReceipt = m.Element("PopReceipt")!.Value,
            InsertedOn = Time(m, "InsertionTime"),
            ExpiresOn = Time(m, "ExpirationTime"),
            NextVisibleOn = Time(m, "TimeNextVisible"),
        }, response);
    }

    private async Task<Response> SendOwnedAsync(HttpMessage message, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.SendAsync(message, cancellationToken, 204).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode is StorageErrorCode.PopReceiptMismatch or StorageErrorCode.MessageNotFound or StorageErrorCode.QueueNotFound)
        {
            throw new QueueMessageLostException(message.Response, messageId);
        }
    }

    private string Encode(BinaryData body, string? text)
    {
        string encoded = _encoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(body.ToMemory().Span) : text ?? body.ToString();
        int size = Encoding.UTF8.GetByteCount(encoded);
        if (size > MaxMessageBytes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The message is {size} bytes once encoded ({_encoding}); the Queue service allows {MaxMessageBytes} (64 KiB). Store the payload in a blob and send its name."),
                nameof(body));
        }

        return encoded;
    }

    private static void SetBody(HttpMessage message, string encoded)
    {
        string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessage><MessageText>" + SecurityElement.Escape(encoded) + "</MessageText></QueueMessage>";
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(xml));
    }

    private static void CheckCount(int maxMessages)
    {
        if (maxMessages is < 1 or > MaxMessagesPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, $"Between 1 and {MaxMessagesPerCall} messages per call.");
        }
    }
}
