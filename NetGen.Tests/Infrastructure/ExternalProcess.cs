using System.Diagnostics;
using System.Text;

namespace NetGen.Tests.Infrastructure;

/// <summary>Runs the programs some tests drive from outside (dotnet, mpiexec) and finds the repository.</summary>
internal static class ExternalProcess
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/> (each passed as one argument) and returns its
    /// standard output and error, interleaved; fails the test when it exits with an error or runs out of time.
    /// </summary>
    public static string Run(string file, IEnumerable<string> arguments, string? directory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        string command = $"{file} {string.Join(' ', start.ArgumentList)}";
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"'{command}' did not finish in {limit.TotalMinutes} minutes:\n{output}");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"'{command}' exited with {process.ExitCode}:\n{output}");
        }

        return output.ToString();
    }

    /// <summary>The folder of NetGen.sln, above the test assembly.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("NetGen.sln not found above " + AppContext.BaseDirectory);
    }
}
