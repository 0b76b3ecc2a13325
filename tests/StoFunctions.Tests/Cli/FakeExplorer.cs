using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Text;
using System.Web;
using StoFunctions.Testing;

namespace StoFunctions.Tests.Cli;

/// <summary>
/// A local stand-in for an Etherscan-API-v2 explorer, implementing the two documented calls: <c>POST /v2/api?chainid=N</c>
/// with a form-encoded <c>module=contract&amp;action=verifysourcecode</c> (answers a guid) and
/// <c>GET /v2/api?chainid=N&amp;module=contract&amp;action=checkverifystatus&amp;guid=…</c> (answers the queued verdicts
/// in order, the last one repeated). It records every request so tests check the submitted fields.
/// </summary>
public sealed class FakeExplorer : IDisposable
{
    private const string Guid = "a7lpxkm9kpcpicx7daftmjifrfhiuhf5vqqnawhkfhzfrcpnxj";
    private readonly HttpListener _listener = new();
    private readonly Queue<string> _verdicts;
    private readonly Task _serving;

    /// <summary>Starts on a free loopback port; <paramref name="verdicts"/> are the <c>checkverifystatus</c> results in order.</summary>
    public FakeExplorer(params string[] verdicts)
    {
        _verdicts = new Queue<string>(verdicts);
        int port = FreePort.Next();
        Endpoint = new Uri($"http://127.0.0.1:{port}/v2/api");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The API address to pass as <c>--etherscan-url</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The submitted forms (verifysourcecode), each with the request's query merged in.</summary>
    public ConcurrentQueue<NameValueCollection> Submissions { get; } = new();

    /// <summary>The status checks' queries.</summary>
    public ConcurrentQueue<NameValueCollection> Checks { get; } = new();

    /// <summary>Requests that were not one of the two calls, with why.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <inheritdoc/>
    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The listener's stop ends the pending GetContextAsync with an exception.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            NameValueCollection query = HttpUtility.ParseQueryString(context.Request.Url!.Query);
            string answer;
            if (context.Request.HttpMethod == "POST" && context.Request.Url.AbsolutePath == "/v2/api")
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                NameValueCollection form = HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
                form.Add(query);
                Submissions.Enqueue(form);
                answer = form["module"] == "contract" && form["action"] == "verifysourcecode"
                    ? $"{{\"status\":\"1\",\"message\":\"OK\",\"result\":\"{Guid}\"}}"
                    : "{\"status\":\"0\",\"message\":\"NOTOK\",\"result\":\"Error! Missing Or invalid Module name\"}";
            }
            else if (context.Request.HttpMethod == "GET" && context.Request.Url.AbsolutePath == "/v2/api" && query["action"] == "checkverifystatus")
            {
                Checks.Enqueue(query);
                string verdict;
                lock (_verdicts)
                {
                    verdict = _verdicts.Count > 1 ? _verdicts.Dequeue() : _verdicts.Peek();
                }

                bool pass = verdict.StartsWith("Pass", StringComparison.Ordinal);
                answer = query["guid"] == Guid
                    ? $"{{\"status\":\"{(pass ? 1 : 0)}\",\"message\":\"{(pass ? "OK" : "NOTOK")}\",\"result\":\"{verdict}\"}}"
                    : "{\"status\":\"0\",\"message\":\"NOTOK\",\"result\":\"Unknown UID\"}";
            }
            else
            {
                Refused.Enqueue($"{context.Request.HttpMethod} {context.Request.Url}");
                answer = "{\"status\":\"0\",\"message\":\"NOTOK\",\"result\":\"Error! Invalid request\"}";
            }

            byte[] bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
