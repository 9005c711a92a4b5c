namespace NetGen.Benchmarks;

/// <summary>
/// The NetGen checkout that holds the peers `compare` and `race` run (bench/peer_pytorch.py and the built
/// NetGen.Benchmarks.TorchSharp), and how it was found: from <see cref="Option"/>, else the first directory with
/// NetGen.sln above the build directory (a build inside the repository), else above the working directory (a build
/// elsewhere, `-o /tmp/x`, started from inside the repository).
/// </summary>
/// <param name="Root">The checkout's directory, the one that holds NetGen.sln.</param>
/// <param name="FoundFrom">How it was found, for the line that reports it.</param>
internal sealed record PeerRepository(string Root, string FoundFrom)
{
    /// <summary>The option that names the checkout when the benchmarks run from a build outside it.</summary>
    public const string Option = "--repository";

    private const string Marker = "NetGen.sln";

    /// <summary>The PyTorch peer's script.</summary>
    public string PyTorchScript => Path.Combine(Root, "bench", "peer_pytorch.py");

    /// <summary>The TorchSharp peer's program, once built with <c>dotnet build -c Release NetGen.Benchmarks.TorchSharp</c>.</summary>
    public string TorchSharpProgram => Path.Combine(Root, "NetGen.Benchmarks.TorchSharp", "bin", "Release", "net10.0", "NetGen.Benchmarks.TorchSharp.dll");

    /// <summary>The line that says which checkout the peers come from.</summary>
    public string Description => $"Peers from the NetGen repository at {Root} ({FoundFrom}).";

    /// <summary>Finds the checkout for this process: <see cref="Option"/> in <paramref name="args"/>, its build directory, its working directory.</summary>
    /// <param name="args">The command line, which may hold <see cref="Option"/> and a directory.</param>
    /// <param name="error">Why no checkout was found and what to do, when the result is null.</param>
    public static PeerRepository? Locate(string[] args, out string error)
    {
        int index = Array.IndexOf(args, Option);
        if (index >= 0 && index + 1 >= args.Length)
        {
            error = $"{Option} needs a directory: the NetGen checkout (the directory that holds {Marker}).";
            return null;
        }

        return Locate(index >= 0 ? args[index + 1] : null, AppContext.BaseDirectory, Directory.GetCurrentDirectory(), out error);
    }

    /// <summary>
    /// Finds the checkout from <paramref name="explicitRoot"/> (when given, it must be one), else from
    /// <paramref name="buildDirectory"/> or <paramref name="workingDirectory"/> and their parents, and checks that it
    /// holds the PyTorch peer's script.
    /// </summary>
    /// <param name="explicitRoot">The directory given with <see cref="Option"/>, or null.</param>
    /// <param name="buildDirectory">The directory the benchmark program runs from.</param>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="error">Why no checkout was found and what to do, when the result is null.</param>
    public static PeerRepository? Locate(string? explicitRoot, string buildDirectory, string workingDirectory, out string error)
    {
        PeerRepository? found;
        if (explicitRoot is not null)
        {
            string root = Path.GetFullPath(explicitRoot, workingDirectory);
            if (!File.Exists(Path.Combine(root, Marker)))
            {
                error = $"{Option} {explicitRoot}: {Path.Combine(root, Marker)} does not exist; give the NetGen checkout, the directory that holds {Marker}, bench/ and NetGen.Benchmarks.TorchSharp/.";
                return null;
            }

            found = new PeerRepository(root, $"given with {Option}");
        }
        else
        {
            found = Above(buildDirectory, "found above the build directory " + buildDirectory)
                ?? Above(workingDirectory, "found above the working directory " + workingDirectory + "; the build directory " + buildDirectory + " is outside the repository");
            if (found is null)
            {
                error = $"Cannot find the NetGen repository, which holds the peers (bench/peer_pytorch.py, NetGen.Benchmarks.TorchSharp): no {Marker} in {buildDirectory} (the build directory), {workingDirectory} (the working directory) or any of their parents. "
                    + $"Run from inside the repository (cd into the checkout), or pass {Option} <the NetGen checkout>.";
                return null;
            }
        }

        if (!File.Exists(found.PyTorchScript))
        {
            error = $"The NetGen repository at {found.Root} ({found.FoundFrom}) has no {found.PyTorchScript}: it is not a complete checkout of NetGen. Pass {Option} <the NetGen checkout>.";
            return null;
        }

        error = "";
        return found;
    }

    private static PeerRepository? Above(string start, string foundFrom)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, Marker)))
            {
                return new PeerRepository(directory.FullName, foundFrom);
            }
        }

        return null;
    }
}
