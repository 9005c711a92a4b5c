namespace NetGen;

/// <summary>What a valid parameter file says about itself; see <see cref="ModelFile.ReadInfo"/>.</summary>
public sealed class ModelFileInfo
{
    private readonly byte[] _architectureHash;

    internal ModelFileInfo(int version, Precision precision, int parameterCount, string networkName, string architecture, byte[] architectureHash, bool hasTrainingCheckpoint)
    {
        HasTrainingCheckpoint = hasTrainingCheckpoint;
        Version = version;
        Precision = precision;
        ParameterCount = parameterCount;
        NetworkName = networkName;
        Architecture = architecture;
        _architectureHash = architectureHash;
    }

    /// <summary>The file format version.</summary>
    public int Version { get; }

    /// <summary>True when the file holds a training checkpoint (format version 2; see <see cref="ModelFile.LoadCheckpoint{T}"/>).</summary>
    public bool HasTrainingCheckpoint { get; }

    /// <summary>The element type of the stored parameters.</summary>
    public Precision Precision { get; }

    /// <summary>The number of stored parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>The type name of the network the file was saved from (informational; not part of the architecture hash).</summary>
    public string NetworkName { get; }

    /// <summary>The canonical architecture text of that network (see <see cref="ModelFile.DescribeArchitecture"/>).</summary>
    public string Architecture { get; }

    /// <summary>The SHA-256 hash of <see cref="Architecture"/> (UTF-8), which a loading network must match.</summary>
    public ReadOnlySpan<byte> ArchitectureHash => _architectureHash;
}
