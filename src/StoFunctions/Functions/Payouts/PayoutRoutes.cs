using System.Text.Json.Nodes;
using StoFunctions.Functions.Commands;

namespace StoFunctions.Functions.Payouts;

/// <summary>The shared shape of <c>POST /api/tokens/{token}/payouts/{payoutId}/…</c>: an optional JSON body plus the route values.</summary>
public static class PayoutRoutes
{
    /// <summary>Reads the optional body, adds <c>token</c> and <c>payoutId</c>, and submits command <paramref name="name"/>.</summary>
    public static async Task<IResult> SubmitAsync(HttpContext context, string name, string token, string payoutId)
    {
        JsonObject body = [];
        if (context.Request.ContentLength is null or > 0)
        {
            (JsonObject? parsed, IResult? bad) = await CommandEndpoint.ReadObjectAsync(context.Request).ConfigureAwait(false);
            if (parsed is null)
            {
                return bad!;
            }

            body = parsed;
        }

        body["token"] = token;
        body["payoutId"] = payoutId;
        return await CommandEndpoint.SubmitAsync(context, name, body).ConfigureAwait(false);
    }
}
