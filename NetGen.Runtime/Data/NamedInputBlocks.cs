using System.Globalization;

namespace NetGen;

/// <summary>
/// Builds the input vectors of a network with named inputs (<c>[Input("image", 64)]</c>, <c>[Input("profile", 16)]</c>)
/// from one block of features per input: each block holds its input's values for every sample, sample after sample,
/// and every sample's input vector is the blocks' rows side by side in the order the network declares its inputs
/// (<see cref="NetworkDescription.NamedInputs"/>, the layout of the generated <c>WriteInputs</c>). Every block is
/// checked against the network's sizes, and an error names the block.
/// </summary>
public static class NamedInputBlocks
{
    /// <summary>
    /// The features of <paramref name="network"/>'s samples: one input vector per sample, assembled from
    /// <paramref name="blocks"/> (input name to that input's values for every sample).
    /// </summary>
    /// <returns>The samples' input vectors, <see cref="NetworkDescription.InputSize"/> values each, and how many there are.</returns>
    /// <exception cref="ArgumentException">The network has no named inputs; a block names no input of the network; an input
    /// has no block; a block is not a whole number of its input's rows; or the blocks hold different numbers of samples.</exception>
    public static (T[] Features, int Count) Assemble<T>(NetworkDescription network, IReadOnlyDictionary<string, T[]> blocks)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(blocks);
        var inputs = network.NamedInputs;
        if (inputs.Count == 0)
        {
            throw new ArgumentException($"{network.Name} has no named inputs ([Input]): its input is one vector of {network.InputSize} values, so build its dataset with new Dataset<T>(features, {network.InputSize}, ...).", nameof(network));
        }

        string declared = string.Join(", ", inputs.Select(i => $"'{i.Name}' ({i.Size.ToString(CultureInfo.InvariantCulture)} values)"));
        foreach (string name in blocks.Keys)
        {
            if (!inputs.Any(i => i.Name == name))
            {
                throw new ArgumentException($"There is a block '{name}', but {network.Name} has no input of that name; its inputs are {declared}.", nameof(blocks));
            }
        }

        int count = -1;
        string? counted = null;
        foreach (var input in inputs)
        {
            if (!blocks.TryGetValue(input.Name, out var block) || block is null)
            {
                throw new ArgumentException($"There is no block for the input '{input.Name}' of {network.Name} ({input.Size} values per sample); its inputs are {declared}.", nameof(blocks));
            }

            if (block.Length == 0 || block.Length % input.Size != 0)
            {
                throw new ArgumentException($"Block '{input.Name}' holds {block.Length} values, which is not a whole, positive number of samples of {input.Size} values (the size of {network.Name}'s input '{input.Name}').", nameof(blocks));
            }

            int samples = block.Length / input.Size;
            if (count >= 0 && samples != count)
            {
                throw new ArgumentException($"Block '{input.Name}' holds {samples} samples, but block '{counted}' holds {count}: every block needs one row per sample.", nameof(blocks));
            }

            count = samples;
            counted = input.Name;
        }

        var features = new T[checked(count * network.InputSize)];
        foreach (var input in inputs)
        {
            var block = blocks[input.Name];
            for (int s = 0; s < count; s++)
            {
                block.AsSpan(s * input.Size, input.Size).CopyTo(features.AsSpan((s * network.InputSize) + input.Offset, input.Size));
            }
        }

        return (features, count);
    }

    /// <summary>
    /// A classification dataset for <paramref name="network"/>: its input vectors assembled from <paramref name="blocks"/>
    /// (see <see cref="Assemble{T}"/>), one-hot targets from <paramref name="labels"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A block does not fit (see <see cref="Assemble{T}"/>), or the labels are not one per sample.</exception>
    public static Dataset<T> ToDataset<T>(NetworkDescription network, IReadOnlyDictionary<string, T[]> blocks, ReadOnlySpan<int> labels, int classCount)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var (features, count) = Assemble(network, blocks);
        if (labels.Length != count)
        {
            throw new ArgumentException($"There are {labels.Length} labels for the {count} samples the blocks hold.", nameof(labels));
        }

        return Dataset<T>.FromLabels(features, network.InputSize, labels, classCount);
    }
}
