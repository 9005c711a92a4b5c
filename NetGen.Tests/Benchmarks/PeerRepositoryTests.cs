using NetGen.Benchmarks;

namespace NetGen.Tests.Benchmarks;

/// <summary>How `compare` and `race` find the checkout that holds their peers, in throwaway directory trees.</summary>
public sealed class PeerRepositoryTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("netgen-peers-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>A checkout at <paramref name="name"/>: NetGen.sln, bench/peer_pytorch.py (unless left out) and a build directory.</summary>
    private (string Root, string Build) Checkout(string name, bool withScript = true)
    {
        string root = Path.Combine(_scratch, name);
        string build = Path.Combine(root, "NetGen.Benchmarks", "bin", "Release", "net10.0");
        Directory.CreateDirectory(build);
        Directory.CreateDirectory(Path.Combine(root, "bench"));
        File.WriteAllText(Path.Combine(root, "NetGen.sln"), "");
        if (withScript)
        {
            File.WriteAllText(Path.Combine(root, "bench", "peer_pytorch.py"), "");
        }

        return (root, build);
    }

    private string Elsewhere(string name) => Directory.CreateDirectory(Path.Combine(_scratch, name)).FullName;

    [Fact]
    public void ABuildInsideTheRepositoryFindsItAboveItself_WhateverTheWorkingDirectory()
    {
        var (root, build) = Checkout("repo");
        string cwd = Elsewhere("somewhere");

        var found = PeerRepository.Locate(null, build, cwd, out string error);

        Assert.Equal("", error);
        Assert.Equal(new PeerRepository(root, "found above the build directory " + build), found);
        Assert.Equal($"Peers from the NetGen repository at {root} (found above the build directory {build}).", found!.Description);
        Assert.Equal(Path.Combine(root, "bench", "peer_pytorch.py"), found.PyTorchScript);
        Assert.Equal(Path.Combine(root, "NetGen.Benchmarks.TorchSharp", "bin", "Release", "net10.0", "NetGen.Benchmarks.TorchSharp.dll"), found.TorchSharpProgram);
    }

    [Fact]
    public void ABuildElsewhere_StartedInsideTheRepository_FindsItAboveTheWorkingDirectoryAndSaysSo()
    {
        var (root, _) = Checkout("repo");
        string build = Elsewhere("out");
        string cwd = Path.Combine(root, "bench");

        var found = PeerRepository.Locate(null, build, cwd, out _);

        Assert.Equal(new PeerRepository(root, $"found above the working directory {cwd}; the build directory {build} is outside the repository"), found);
    }

    [Fact]
    public void ABuildElsewhere_StartedElsewhere_NamesWhereItLookedAndWhatToDo()
    {
        string build = Elsewhere("out");
        string cwd = Elsewhere("home");

        Assert.Null(PeerRepository.Locate(null, build, cwd, out string error));
        Assert.Equal(
            $"Cannot find the NetGen repository, which holds the peers (bench/peer_pytorch.py, NetGen.Benchmarks.TorchSharp): no NetGen.sln in {build} (the build directory), {cwd} (the working directory) or any of their parents. "
            + "Run from inside the repository (cd into the checkout), or pass --repository <the NetGen checkout>.",
            error);
    }

    [Fact]
    public void TheOptionWins_AndIsRelativeToTheWorkingDirectory()
    {
        var (root, build) = Checkout("repo");
        var (other, _) = Checkout("other");

        var found = PeerRepository.Locate("../other", build, Path.Combine(_scratch, "repo"), out _);

        Assert.Equal(new PeerRepository(other, "given with --repository"), found);
        Assert.NotEqual(root, found!.Root);
    }

    [Fact]
    public void TheOptionMustNameACheckout()
    {
        string notACheckout = Elsewhere("empty");

        Assert.Null(PeerRepository.Locate(notACheckout, Elsewhere("out"), _scratch, out string error));
        Assert.Equal(
            $"--repository {notACheckout}: {Path.Combine(notACheckout, "NetGen.sln")} does not exist; give the NetGen checkout, the directory that holds NetGen.sln, bench/ and NetGen.Benchmarks.TorchSharp/.",
            error);
        Assert.Null(PeerRepository.Locate(["compare", "--repository"], out error));
        Assert.Equal("--repository needs a directory: the NetGen checkout (the directory that holds NetGen.sln).", error);
    }

    [Fact]
    public void ACheckoutWithoutThePyTorchScriptIsNamedAsIncomplete()
    {
        var (root, build) = Checkout("partial", withScript: false);

        Assert.Null(PeerRepository.Locate(null, build, _scratch, out string error));
        Assert.Equal(
            $"The NetGen repository at {root} (found above the build directory {build}) has no {Path.Combine(root, "bench", "peer_pytorch.py")}: it is not a complete checkout of NetGen. Pass --repository <the NetGen checkout>.",
            error);
    }
}
