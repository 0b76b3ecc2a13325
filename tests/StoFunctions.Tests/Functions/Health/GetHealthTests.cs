using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StoFunctions.Tests.Hosting;

namespace StoFunctions.Tests.Functions.Health;

public sealed class GetHealthTests(StoFunctionsAppFactory factory) : IClassFixture<StoFunctionsAppFactory>
{
    [Fact]
    public async Task Health_without_a_key_is_200_json_healthy()
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task Health_with_post_is_405_problem_details()
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.PostAsync("/api/health", null);
        await response.AssertProblemAsync(405);
    }
}
