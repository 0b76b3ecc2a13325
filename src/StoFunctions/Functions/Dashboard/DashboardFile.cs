namespace StoFunctions.Functions.Dashboard;

/// <summary>One static file of the dashboard.</summary>
/// <param name="Path">Relative to the dashboard root, <c>/</c>-separated.</param>
/// <param name="Content">The bytes as built.</param>
/// <param name="ContentType">The <c>Content-Type</c> it is served with.</param>
/// <param name="ETag">A strong validator derived from the content (quoted), so a redeploy changes it.</param>
public sealed record DashboardFile(string Path, byte[] Content, string ContentType, string ETag);
