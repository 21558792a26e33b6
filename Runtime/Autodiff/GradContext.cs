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

    internal GradContext(Node node, Tensor output, Tensor upstream, bool[] wants)
    {
        Node = node;
        Output = output;
        Upstream = upstream;
        _wants = wants;
    }

    internal Node Node { get; }

    /// <summary>The node's inputs (symbolic or concrete) in the order the facade recorded them.</summary>
    public IReadOnlyList<Tensor?> Inputs => Node.Inputs;

    /// <summary>The op's non-tensor arguments as the user passed them, in spec parameter order.</summary>
    public IReadOnlyList<object?> Attrs => Node.Attrs;

    /// <summary>The node's (symbolic) output.</summary>
    public Tensor Output { get; }

    /// <summary>d loss / d output, with the output's shape.</summary>
    public Tensor Upstream { get; }

    /// <summary>First and second inputs (most ops).</summary>
    public Tensor X => Node.Inputs[0]!;
    public Tensor Y => Node.Inputs[1]!;

    /// <summary>Whether the backward pass needs the gradient of input <paramref name="i"/> (it leads to a target and is floating).</summary>
    public bool Wants(int i) => _wants[i];

    /// <summary>Attribute <paramref name="i"/> as <typeparamref name="T"/>, or <paramref name="fallback"/> when absent or null.</summary>
    public T Attr<T>(int i, T fallback)
    {
        var attrs = Node.Attrs;
        return i < attrs.Length && attrs[i] is T v ? v : fallback;
    }
}
