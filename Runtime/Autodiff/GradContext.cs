using KerasBackend.Graph;

namespace KerasBackend.Autodiff;

/// <summary>
/// The gradient of one op: given the node's inputs, attributes, output and the gradient flowing into the
/// output, returns one gradient per input (same order as the node's inputs; null where none flows:
/// integer inputs, inputs not needed). Results are built from K ops, so they are graphs themselves.
/// </summary>
internal delegate Tensor?[] GradientFunction(GradContext g);

/// <summary>What a gradient method sees of one node during the backward pass.</summary>
internal sealed class GradContext
{
    private readonly bool[] _wants;
    private readonly Tensor?[] _inputs;

    internal GradContext(Node node, Tensor output, Tensor upstream, bool[] wants, Func<Variable, Tensor> read)
    {
        Node = node;
        Output = output;
        Upstream = upstream;
        _wants = wants;
        // A variable is read when the gradient graph runs, not now: ops on it must record nodes, not compute
        // eagerly with its current value (which training is about to change).
        _inputs = node.Inputs.Select(t => t is Variable v ? read(v) : t).ToArray();
    }

    internal Node Node { get; }

    /// <summary>The node's inputs in the order the facade recorded them: symbolic, constants, or symbolic reads of variables.</summary>
    public IReadOnlyList<Tensor?> Inputs => _inputs;

    /// <summary>The op's non-tensor arguments as the user passed them, in spec parameter order.</summary>
    public IReadOnlyList<object?> Attrs => Node.Attrs;

    /// <summary>The node's (symbolic) output.</summary>
    public Tensor Output { get; }

    /// <summary>d loss / d output, with the output's shape.</summary>
    public Tensor Upstream { get; }

    /// <summary>First and second inputs (most ops).</summary>
    public Tensor X => _inputs[0]!;
    public Tensor Y => _inputs[1]!;

    /// <summary>Whether the backward pass needs the gradient of input <paramref name="i"/> (it leads to a target and is floating).</summary>
    public bool Wants(int i) => _wants[i];

    /// <summary>Attribute <paramref name="i"/> as <typeparamref name="T"/>, or <paramref name="fallback"/> when absent or null.</summary>
    public T Attr<T>(int i, T fallback)
    {
        var attrs = Node.Attrs;
        return i < attrs.Length && attrs[i] is T v ? v : fallback;
    }
}
