using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StoFunctions.Ethereum.Tests.Rpc;

/// <summary>
/// A real HTTP endpoint in front of anvil that can misbehave: answer the next N requests with an HTTP status, or
/// swallow requests without answering (a hung node). Everything else is forwarded to anvil unchanged. Counts the
/// requests it received so tests can prove how many POSTs a call made.
/// </summary>
internal sealed class FaultInjectingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Uri? _target;
    private readonly HttpClient _forward = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _failuresLeft;
    private int _requests;

    public FaultInjectingProxy(Uri? target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url { get; }

    /// <summary>Requests received so far (including failed and swallowed ones).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The status the next <see cref="FailNext"/> requests get.</summary>
    public HttpStatusCode FailureStatus { get; set; } = HttpStatusCode.ServiceUnavailable;

    /// <summary>When true, requests are read and never answered.</summary>
    public bool Hang { get; set; }

    /// <summary>The bodies received, in order.</summary>
    public List<string> Bodies { get; } = [];

    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _forward.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                while (await ReadRequestAsync(stream) is string body)
                {
                    Interlocked.Increment(ref _requests);
                    lock (Bodies)
                    {
                        Bodies.Add(body);
                    }

                    if (Hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }

                    if (Interlocked.Decrement(ref _failuresLeft) >= 0)
                    {
                        await WriteResponseAsync(stream, (int)FailureStatus, "text/plain", "injected failure");
                        continue;
                    }

                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using HttpResponseMessage response = await _forward.PostAsync(_target, content, _stop.Token);
                    await WriteResponseAsync(stream, (int)response.StatusCode, "application/json", await response.Content.ReadAsStringAsync(_stop.Token));
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<string?> ReadRequestAsync(NetworkStream stream)
    {
        var header = new List<byte>();
        var one = new byte[1];
        while (header.Count < 4 || !(header[^4] == '\r' && header[^3] == '\n' && header[^2] == '\r' && header[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            header.Add(one[0]);
        }

        string head = Encoding.ASCII.GetString(header.ToArray());
        int length = 0;
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return Encoding.UTF8.GetString(body);
    }

    private static async Task WriteResponseAsync(NetworkStream stream, int status, string contentType, string body)
    {
        byte[] payload = Encoding.UTF8.GetBytes(body);
        string head = $"HTTP/1.1 {status} Status\r\nContent-Type: {contentType}\r\nContent-Length: {payload.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(payload);
    }
}
