using System.Net.Http.Json;
using System.Text;

namespace StoFunctions.Tests.Hosting;

public sealed class ProblemDetailsMiddlewareTests(StoFunctionsAppFactory factory) : IClassFixture<StoFunctionsAppFactory>
{
    private HttpClient KeyedClient()
    {
        HttpClient client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", StoFunctionsAppFactory.FunctionKey);
        return client;
    }

    [Fact]
    public async Task Unknown_route_is_404_problem_details_naming_the_path()
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/api/no/such/route");
        var problem = await response.AssertProblemAsync(404);
        Assert.Equal("Not Found", problem.GetProperty("title").GetString());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.5", problem.GetProperty("type").GetString());
        Assert.Contains("GET /api/no/such/route", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_details_with_the_parser_position()
    {
        using HttpClient client = KeyedClient();
        using var body = new StringContent("{\"name\": \"a\", \"count\": }", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.PostAsync("/api/test/echo", body);
        var problem = await response.AssertProblemAsync(400);
        string detail = problem.GetProperty("detail").GetString()!;
        Assert.True(detail.Contains("BytePositionInLine: 23", StringComparison.Ordinal), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.count", out _), problem.ToString());
    }

    [Fact]
    public async Task Well_formed_json_reaches_the_function()
    {
        using HttpClient client = KeyedClient();
        using HttpResponseMessage response = await client.PostAsJsonAsync("/api/test/echo", new { name = "a", count = 3 });
        Assert.Equal(new StoFunctionsAppFactory.EchoRequest("a", 3), await response.Content.ReadFromJsonAsync<StoFunctionsAppFactory.EchoRequest>());
    }

    [Fact]
    public async Task Body_that_is_not_json_is_415_problem_details()
    {
        using HttpClient client = KeyedClient();
        using var body = new StringContent("name=a", Encoding.UTF8, "text/plain");
        using HttpResponseMessage response = await client.PostAsync("/api/test/echo", body);
        await response.AssertProblemAsync(415);
    }

    [Fact]
    public async Task Exception_is_500_problem_details_without_message_or_stack_trace()
    {
        using HttpClient client = KeyedClient();
        using HttpResponseMessage response = await client.GetAsync("/api/test/throw");
        var problem = await response.AssertProblemAsync(500);
        string raw = problem.GetRawText();
        Assert.DoesNotContain("0xdeadbeef", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", raw, StringComparison.Ordinal);
        string traceId = problem.GetProperty("traceId").GetString()!;
        Assert.Contains(traceId, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_method_is_405_problem_details()
    {
        using HttpClient client = KeyedClient();
        using HttpResponseMessage response = await client.DeleteAsync("/api/test/echo");
        await response.AssertProblemAsync(405);
    }

    [Fact]
    public async Task Problem_returned_by_a_function_keeps_its_status_detail_and_errors()
    {
        using HttpClient client = KeyedClient();
        using HttpResponseMessage response = await client.GetAsync("/api/test/conflict");
        var problem = await response.AssertProblemAsync(409);
        Assert.Equal("Idempotency key 'k1' was used with another body.", problem.GetProperty("detail").GetString());
        Assert.Equal("used with another body", problem.GetProperty("errors").GetProperty("idempotencyKey")[0].GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }
}
