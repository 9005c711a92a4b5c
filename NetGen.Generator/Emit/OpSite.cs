using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Ops;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emit;

/// <summary>
/// Where one node's code goes, as its op sees it. Spans are declared on first use within a
/// <see cref="DeclarationScope"/> (a method, or one iteration of a loop over the batch), so the code reads like
/// the notes: each value is named once, where it is first needed.
/// </summary>
internal sealed class OpSite : IOpSite
{
    private readonly NetworkEmitter _emitter;
    private readonly NodePlan _node;
    private readonly DeclarationScope _scope;

    public OpSite(NetworkEmitter emitter, NodePlan node, DeclarationScope scope)
    {
        _emitter = emitter;
        _node = node;
        _scope = scope;
    }

    private NetworkPlan Plan => _emitter.Plan;

    private string ReadOnly => "global::System.ReadOnlySpan<" + ElementType + ">";

    private string Writable => "global::System.Span<" + ElementType + ">";

    public OpNames Names => _node.Names;

    public int Size => _node.Size;

    public Strategy Strategy => _node.Strategy;

    public bool WeightsMayBePacked => Plan.PackedWeights(_node) is not null;

    public Notation Notation => Plan.IsDouble ? Notation.Double : Notation.Float;

    public string ElementType => Plan.ElementType;

    public int InputSize(int index) => InputNode(index).Size;

    public bool InputIsData(int index) => InputNode(index).IsData;

    public ParameterSite Parameter(int index) => ParameterPlan(index).Site;

    public void Line(string text) => _emitter.Writer.Line(text);

    public string Element(string span, int index) => _scope.Element(span, index);

    public void StoreElement(string span, int index, Assignment assignment, string expression)
    {
        if (assignment.Accumulates)
        {
            // The sum is formed in memory, as before; a later read goes back to memory for it.
            _scope.Forget(span, index);
            Line(span + "[" + index + "]" + assignment.Operator + expression + ";");
            return;
        }

        string local = _scope.Keep(span, index, ElementType, expression, _emitter.Writer);
        Line(span + "[" + index + "] = " + local + ";");
    }

    public IDisposable Block(string header) => _emitter.Writer.Block(header);

    public string Output() => Writes(Declare(_node, BufferKind.Value, Writable));

    public string OutputValue() => Declare(_node, BufferKind.Value, ReadOnly);

    public string InputValue(int index)
    {
        var input = InputNode(index);
        if (input.InputBlock is { } block)
        {
            // A named input is its slice of the input vector, a view: nothing is copied.
            return _scope.Declare(input.Name, ReadOnly, "x.Slice(" + block.OffsetConstant + ", " + block.SizeConstant + ")", _emitter.Writer);
        }

        return input.IsData ? input.Name : Declare(input, BufferKind.Value, ReadOnly);
    }

    public string Mask() => Writes(Declare(_node, BufferKind.Mask, Writable));

    public string MaskValue() => Declare(_node, BufferKind.Mask, ReadOnly);

    public string Gradient() => Declare(_node, BufferKind.Gradient, Writable);

    public string InputGradient(int index) => Writes(Declare(InputNode(index), BufferKind.Gradient, Writable));

    public string ParameterValue(int index)
    {
        var p = ParameterPlan(index);
        return _scope.Declare(p.Name, ReadOnly, "parameters.Slice(" + p.OffsetConstant + ", " + p.Length + ")", _emitter.Writer);
    }

    public string ParameterGradient(int index)
    {
        var p = ParameterPlan(index);
        return Writes(_scope.Declare("d" + p.Name, Writable, "gradient.Slice(" + p.OffsetConstant + ", " + p.Length + ")", _emitter.Writer));
    }

    public string BatchInput(int index)
    {
        var input = InputNode(index);
        return input.InputBlock is { } block ? "inputs.Slice(" + block.OffsetConstant + "), InputSize"
            : input.IsData ? "inputs, InputSize"
            : "buffer.Slice(" + Buffer(input, BufferKind.Value).Constant + "), SampleStride";
    }

    public string BatchOutput() => BatchValue(_node);

    public string BatchGradient() => "buffer.Slice(" + Buffer(_node, BufferKind.Gradient).Constant + ")";

    public string BatchInputGradient(int index) => "buffer.Slice(" + Buffer(InputNode(index), BufferKind.Gradient).Constant + ")";

    public FusedActivationSite? OutputEpilogue()
    {
        foreach (var node in Plan.Nodes)
        {
            if (node.Epilogue is { } epilogue && node.Inputs[0] == _node.Id)
            {
                return new FusedActivationSite(epilogue, node.Op.ForwardFormula(node.Names), BatchValue(node), string.Empty);
            }
        }

        return null;
    }

    public FusedActivationSite? InputEpilogue(int index)
    {
        var activation = InputNode(index);
        if (!activation.DerivativeIsFused)
        {
            return null;
        }

        var input = Plan.Nodes[activation.Inputs[0]];
        return new FusedActivationSite(
            activation.Epilogue!, activation.Op.DerivativeFormula(activation.Names, Wrt.Input(0), Assignment.Assign),
            BatchValue(input), "buffer.Slice(" + Buffer(input, BufferKind.Gradient).Constant + ")");
    }

    public string ParameterSlice(int index) => "parameters.Slice(" + ParameterPlan(index).OffsetConstant + ", " + ParameterPlan(index).Length + ")";

    public string ParameterGradientSlice(int index) => "gradient.Slice(" + ParameterPlan(index).OffsetConstant + ", " + ParameterPlan(index).Length + ")";

    public string CompilerService(string type) => NetworkEmitter.CompilerServices + "." + type;

    private string BatchValue(NodePlan node) => "buffer.Slice(" + Buffer(node, BufferKind.Value).Constant + ")";

    private NodePlan InputNode(int index) => Plan.Nodes[_node.Inputs[index]];

    private ParameterPlan ParameterPlan(int index) => Plan.Parameters[_node.Parameters[index]];

    private BufferPlan Buffer(NodePlan node, BufferKind kind) => _emitter.Buffer(node.Id, kind);

    /// <summary>
    /// A span handed out for writing: the op may write it by any statement or kernel call, so no element of it is read
    /// from a local any more (<see cref="StoreElement"/> keeps the ones it assigns again).
    /// </summary>
    private string Writes(string span)
    {
        _scope.Forget(span);
        return span;
    }

    private string Declare(NodePlan node, BufferKind kind, string type)
    {
        var buffer = Buffer(node, kind);
        string name = kind switch
        {
            BufferKind.Value => node.Name,
            BufferKind.Mask => node.Name + "Mask",
            BufferKind.Gradient => "d" + node.Name,
            _ => throw new GeneratorBugException("no span for buffer kind " + kind),
        };
        return _scope.Declare(name, type, "values.Slice(" + buffer.Constant + ", " + buffer.Size + ")", _emitter.Writer);
    }

    /// <summary>
    /// The spans already declared in one C# scope, and the elements this scope assigned that a local still holds
    /// (<see cref="StoreElement"/>).
    /// </summary>
    internal sealed class DeclarationScope
    {
        private readonly HashSet<string> _declared = new();
        private readonly Dictionary<(string Span, int Index), string> _kept = new();

        public string Declare(string name, string type, string source, CodeWriter writer)
        {
            if (_declared.Add(name))
            {
                writer.Line(type + " " + name + " = " + source + ";");
            }

            return name;
        }

        public string Element(string span, int index) =>
            _kept.TryGetValue((span, index), out string? local) ? local : span + "[" + index + "]";

        /// <summary>
        /// Declares (or, when the element was assigned before in this scope, assigns again) the local <c>span_index</c>
        /// holding <paramref name="expression"/>, and returns its name. Spans are named by the generator (z1, dW1, a1Drop,
        /// x2 for a named input: letters and digits), and so are a pass's other locals, so <c>span_index</c> is no other name.
        /// </summary>
        public string Keep(string span, int index, string type, string expression, CodeWriter writer)
        {
            string local = span + "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            writer.Line((_declared.Add(local) ? type + " " : string.Empty) + local + " = " + expression + ";");
            _kept[(span, index)] = local;
            return local;
        }

        public void Forget(string span, int index) => _kept.Remove((span, index));

        public void Forget(string span)
        {
            foreach (var key in _kept.Keys.Where(k => k.Span == span).ToList())
            {
                _kept.Remove(key);
            }
        }
    }
}
