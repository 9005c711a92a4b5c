using System.Runtime.CompilerServices;
using System.Text;

namespace NetGen.Tests.Infrastructure;

/// <summary>
/// A small snapshot helper (Verify is not available here). The expected text lives in
/// <c>Snapshots/NAME.verified.cs</c> next to the tests. On a mismatch the actual text is written to
/// <c>NAME.received.cs</c> and the test fails with the first differing lines. Set
/// <c>NETGEN_ACCEPT_SNAPSHOTS=1</c> to accept received text as the new snapshot; never when <c>CI=true</c>.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "NETGEN_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        string directory = Path.Combine(FindTestsRoot(callerFile), "Snapshots");
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual);
        string? expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        bool inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, actual);
        string message = expected is null
            ? $"No snapshot {verifiedPath} yet. The output was written to {receivedPath}; review it and run with {AcceptVariable}=1 to accept."
            : $"Snapshot {name} differs; the output was written to {receivedPath}. Review the diff, then run with {AcceptVariable}=1 to accept.\n{Diff(expected, actual)}";
        throw new Xunit.Sdk.XunitException(message);
    }

    /// <summary>A readable diff: the first few differing lines, with line numbers.</summary>
    internal static string Diff(string expected, string actual, int maxLines = 12)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.Max(e.Length, a.Length) && shown < maxLines; i++)
        {
            string? left = i < e.Length ? e[i] : null;
            string? right = i < a.Length ? a[i] : null;
            if (left == right)
            {
                continue;
            }

            text.Append("line ").Append(i + 1).Append('\n');
            if (left is not null)
            {
                text.Append("  - ").Append(left).Append('\n');
            }

            if (right is not null)
            {
                text.Append("  + ").Append(right).Append('\n');
            }

            shown++;
        }

        return text.ToString();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    private static string FindTestsRoot(string callerFile)
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(callerFile)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NetGen.Tests.csproj")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find NetGen.Tests.csproj above " + callerFile);
    }
}
