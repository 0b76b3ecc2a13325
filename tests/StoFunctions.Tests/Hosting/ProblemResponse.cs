using System.Net.Http.Json;
using System.Text.Json;

namespace StoFunctions.Tests.Hosting;

/// <summary>Reading problem-details responses in assertions.</summary>
public static class ProblemResponse
{
    /// <summary>Asserts <paramref name="response"/> is problem details with <paramref name="status"/> and returns its JSON.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(JsonValueKind.Object, problem.GetProperty("errors").ValueKind);
        return problem;
    }
}
