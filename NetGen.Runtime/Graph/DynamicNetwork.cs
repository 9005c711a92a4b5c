using System.Numerics;
using System.Runtime.CompilerServices;
using NetGen.CompilerServices;
using NetGen.Layers;

namespace NetGen.Graph;

/// <summary>
/// A network evaluated by a run-time <see cref="ComputationGraph{T}"/> instead of generated code: the reference
/// the generated networks are checked against, and the baseline they are measured against. It implements
/// <see cref="INetwork{T}"/> with the generated network's parameter layout, initialization, losses and dropout
/// masks, so <c>Trainer</c>, <c>GradientCheck</c> and <c>Evaluation</c> work on it unchanged.
/// </summary>
/// <remarks>
/// Each workspace from <see cref="CreateWorkspace"/> owns a graph built for its batch capacity (its own node values,
/// gradients and gradient buffer), so several threads may run passes at once, each with its own workspace. After
/// the graphs are built, <see cref="Predict"/>, <see cref="Forward"/>, <see cref="ComputeLoss"/> and
/// <see cref="ForwardBackward"/> allocate nothing (<see cref="Predict"/> allocates a graph only when called from
/// several threads at the same moment).
/// </remarks>
/// <typeparam name="T">The element type; it need not match the description's <see cref="NetworkDescription.Precision"/>.</typeparam>
public sealed class DynamicNetwork<T> : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;
    private readonly ConditionalWeakTable<NetworkWorkspace<T>, NetworkGraph<T>> _graphs = [];
    private NetworkGraph<T>? _predictGraph;

    /// <summary>Creates the network of <paramref name="description"/> with parameters initialized from <paramref name="seed"/>.</summary>
    public DynamicNetwork(NetworkDescription description, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(description);
        Description = description;
        _parameters = new T[description.ParameterCount];
        _predictGraph = NetworkGraph<T>.Build(description, 1, _parameters); // also validates the description up front
        InitializeParameters(seed);
    }

    /// <summary>Creates the network of <paramref name="description"/> with a copy of <paramref name="parameters"/>.</summary>
    public DynamicNetwork(NetworkDescription description, ReadOnlySpan<T> parameters)
        : this(description)
    {
        if (parameters.Length != description.ParameterCount)
        {
            throw new ArgumentException($"{parameters.Length} parameters given; {description.Name} has {description.ParameterCount}.", nameof(parameters));
        }

        parameters.CopyTo(_parameters);
    }

    /// <summary>The dynamic twin of <paramref name="network"/>: its description and a copy of its current parameters.</summary>
    public static DynamicNetwork<T> From(INetwork<T> network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new DynamicNetwork<T>(network.Description, network.Parameters);
    }

    /// <inheritdoc />
    public NetworkDescription Description { get; }

    /// <inheritdoc />
    public int InputSize => Description.InputSize;

    /// <inheritdoc />
    public int OutputSize => Description.OutputSize;

    /// <inheritdoc />
    public int ParameterCount => Description.ParameterCount;

    /// <inheritdoc />
    public Span<T> Parameters => _parameters;

    /// <summary>
    /// Re-initializes every parameter exactly as a generated network does for the same seed: one
    /// <see cref="DeterministicRandom"/> drawn layer by layer, He uniform weights for ReLU and leaky ReLU layers,
    /// Xavier/Glorot uniform for the others (the rule the generator applies, from one shared source), zero biases;
    /// a layer norm's gain starts at 1.
    /// </summary>
    public void InitializeParameters(int seed)
    {
        var random = new DeterministicRandom(seed);
        Array.Clear(_parameters);
        foreach (var layer in Description.Layers)
        {
            LayerRuntime.For(layer.Kind).Initialize(layer, _parameters.AsSpan(), random);
        }
    }

    /// <inheritdoc />
    public NetworkWorkspace<T> CreateWorkspace(int batchCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchCapacity);
        // Checked before any node is allocated: each node keeps its values for the whole batch in one array, and the
        // widest nodes are as wide as the widest layer (or the input).
        int widest = Description.Layers.Select(layer => Math.Max(layer.InputSize, layer.OutputSize)).Append(Description.InputSize).Max();
        if ((long)batchCapacity * widest > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(batchCapacity), batchCapacity,
                $"'batchCapacity' is {batchCapacity}, but the dynamic graph of {Description.Name} keeps each node's values for the whole batch in one array "
                + $"and its widest nodes have {widest} values per sample; an array holds at most {Array.MaxLength} (the largest .NET array), "
                + $"so at most {WorkspaceLimits.LargestBatch(widest)} samples fit. Use a smaller batch.");
        }

        var graph = NetworkGraph<T>.Build(Description, batchCapacity, _parameters);
        // The workspace is the key of its graph; all scratch memory lives in the graph's nodes. The graph's products take
        // the workspace's kernel team, as generated networks' do.
        var workspace = new NetworkWorkspace<T>(batchCapacity, 0) { SplitsProducts = true };
        _graphs.Add(workspace, graph);
        return workspace;
    }

    /// <summary>The graph behind <paramref name="workspace"/>, to inspect its nodes after a pass.</summary>
    /// <exception cref="ArgumentException">The workspace was not created by this network.</exception>
    public NetworkGraph<T> GraphOf(NetworkWorkspace<T> workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return _graphs.TryGetValue(workspace, out var graph)
            ? graph
            : throw new ArgumentException("The workspace was created by a different network; create one with this network's CreateWorkspace.", nameof(workspace));
    }

    /// <inheritdoc />
    public void Predict(ReadOnlySpan<T> input, Span<T> output)
    {
        NetworkArguments.CheckSample(input.Length, output.Length, InputSize, OutputSize);
        var graph = Interlocked.Exchange(ref _predictGraph, null) ?? NetworkGraph<T>.Build(Description, 1, _parameters);
        graph.Graph.Training = false;
        graph.SetBatch(input);
        graph.Predict(output.Slice(0, OutputSize));
        Interlocked.CompareExchange(ref _predictGraph, graph, null);
    }

    /// <inheritdoc />
    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs, NetworkWorkspace<T> workspace)
    {
        var graph = GraphOf(workspace);
        int batch = CheckBatch(inputs.Length, workspace);
        NetworkArguments.CheckOutputs(outputs.Length, batch, OutputSize, nameof(outputs));
        graph.Graph.Training = false;
        graph.Graph.Team = workspace.Team;
        graph.SetBatch(inputs);
        graph.Predict(outputs);
    }

    /// <inheritdoc />
    public T ComputeLoss(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, NetworkWorkspace<T> workspace)
    {
        var graph = GraphOf(workspace);
        int batch = CheckBatch(inputs.Length, workspace);
        NetworkArguments.CheckOutputs(targets.Length, batch, OutputSize, nameof(targets));
        Configure(graph, workspace);
        graph.SetBatch(inputs, targets);
        return graph.ComputeLoss();
    }

    /// <inheritdoc />
    public T ForwardBackward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient, NetworkWorkspace<T> workspace)
    {
        var graph = GraphOf(workspace);
        int batch = CheckBatch(inputs.Length, workspace);
        NetworkArguments.CheckOutputs(targets.Length, batch, OutputSize, nameof(targets));
        NetworkArguments.CheckGradient(gradient.Length, ParameterCount);
        Configure(graph, workspace);
        graph.SetBatch(inputs, targets);
        Array.Clear(graph.Gradient);
        T loss = graph.ForwardBackward();
        graph.AddGradientTo(gradient);
        return loss;
    }

    private static void Configure(NetworkGraph<T> graph, NetworkWorkspace<T> workspace)
    {
        graph.Graph.Training = workspace.Training;
        graph.Graph.DropoutSeed = workspace.DropoutSeed;
        graph.Graph.SampleOffset = workspace.SampleOffset;
        graph.Graph.Team = workspace.Team;
    }

    private int CheckBatch(int inputsLength, NetworkWorkspace<T> workspace)
    {
        if (inputsLength == 0 || inputsLength % InputSize != 0)
        {
            throw new ArgumentException($"The inputs have {inputsLength} values, which is not a positive multiple of the network's {InputSize} inputs per sample.", "inputs");
        }

        int batch = inputsLength / InputSize;
        if (batch > workspace.BatchCapacity)
        {
            throw new ArgumentException($"The batch has {batch} samples but the workspace was created for at most {workspace.BatchCapacity}; create a larger one with CreateWorkspace.", nameof(workspace));
        }

        return batch;
    }
}
