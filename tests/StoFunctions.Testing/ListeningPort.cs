using System.Globalization;

namespace StoFunctions.Testing;

/// <summary>
/// Which process listens on a loopback TCP port (Linux <c>/proc</c>). A port from <see cref="FreePort"/> is free only
/// a moment ago: another test process may bind it first, and then a tool started on it exits while the other one
/// answers in its place — an anvil of another suite, with the same chain id and dev accounts.
/// </summary>
public static class ListeningPort
{
    /// <summary>True when process <paramref name="pid"/> holds a listening TCP socket on <paramref name="port"/>.</summary>
    public static bool IsHeldBy(int pid, int port)
    {
        HashSet<string> inodes = ListeningInodes(port);
        if (inodes.Count == 0)
        {
            return false;
        }

        try
        {
            foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited meanwhile (or its descriptors changed under the walk): not held by it.
        }

        return false;
    }

    // Rows of /proc/net/tcp{,6}: "sl local_address rem_address st … inode"; st 0A is LISTEN, the port is hex.
    private static HashSet<string> ListeningInodes(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length > 9 && columns[3] == "0A"
                    && int.Parse(columns[1][(columns[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add(columns[9]);
                }
            }
        }

        return inodes;
    }
}
