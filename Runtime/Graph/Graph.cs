namespace KerasBackend.Graph;

/// <summary>A node of a symbolic graph: the op, its inputs (symbolic or concrete) and how to compute it from concrete inputs.</summary>
internal sealed class Node
{
    private static long s_next;

    public Node(string op, Tensor?[] inputs, object?[] attrs, Func<Tensor?[], Tensor>? replay, Action<IBackend, Tensor?[], Tensor>? kernel = null)
    {
        Op = op;
        Inputs = inputs;
        Attrs = attrs;
        Replay = replay;
        Kernel = kernel;
        Id = Interlocked.Increment(ref s_next);
        if (replay is not null) Control = ControlScope.Current;
        foreach (var i in inputs) if (i is { IsSymbolic: true } && i.Node!.IsKeras) { IsKeras = true; break; }
    }

    /// <summary>Keras name of the op (<c>placeholder</c> for placeholders).</summary>
    public string Op { get; }
    public Tensor?[] Inputs { get; }
    /// <summary>The op's non-tensor arguments as the user passed them, in spec parameter order (for gradients and printing).</summary>
    public object?[] Attrs { get; }
    /// <summary>Computes the node's value from concrete inputs by calling the facade again (so checks run on real shapes); null for placeholders.</summary>
    public Func<Tensor?[], Tensor>? Replay { get; }
    /// <summary>
    /// For a kernel op: runs the given backend's kernel alone on concrete inputs into a given output (no checks except
    /// those that read values, no inference). Valid only for inputs of the shapes, dtypes and types with which
    /// <see cref="Replay"/> succeeded, and an output of the shape and dtype it returned; null for other nodes.
    /// </summary>
    public Action<IBackend, Tensor?[], Tensor>? Kernel { get; }
    public long Id { get; }
    /// <summary>The tensors evaluated before this node (K.ControlDependencies in effect when it was recorded), or null.</summary>
    public Tensor[]? Control { get; }
    public bool IsPlaceholder => Replay is null;
    /// <summary>True for an input made by <c>K.Input</c> and every node computed from one (Keras tensors of the functional API).</summary>
    public bool IsKeras { get; init; }
}

/// <summary>Records ops on symbolic tensors. Called by the generated facade.</summary>
public static class GraphBuilder
{
    /// <summary>
    /// True inside a <see cref="Session.Symbolic{T}"/> scope (Keras' <c>@symbolic</c>): there every op with a tensor
    /// input records a node, even when all its inputs are concrete, so that e.g. <c>K.UpdateAdd(iterations, one)</c>
    /// becomes an update a <see cref="KFunction"/> applies on each call instead of running once at build time.
    /// </summary>
    /// <remarks>Inside <c>K.ControlDependencies</c> with symbolic control inputs ops record as well (unless in an eager scope), so that
    /// the dependency is kept even for an op on concrete tensors such as <c>K.Identity(variable)</c>.</remarks>
    internal static bool Recording => Session.Mode switch
    {
        ExecutionMode.Symbolic => true,
        ExecutionMode.Eager => false,
        _ => ControlScope.Active,
    };

    public static bool AnySymbolic(Tensor? a) => Recording || a is not null && a.IsSymbolic;
    public static bool AnySymbolic(Tensor? a, Tensor? b) => Recording || (a is not null && a.IsSymbolic) || (b is not null && b.IsSymbolic);
    public static bool AnySymbolic(Tensor? a, Tensor? b, Tensor? c) => AnySymbolic(a, b) || AnySymbolic(c);
    public static bool AnySymbolic(params Tensor?[] ts) { if (Recording) return true; foreach (var t in ts) if (t is not null && t.IsSymbolic) return true; return false; }
    public static bool AnySymbolic(IReadOnlyList<Tensor> ts) { if (Recording) return true; foreach (var t in ts) if (t is not null && t.IsSymbolic) return true; return false; }

    /// <summary>
    /// The symbolic tensors that <paramref name="roots"/> depend on (placeholders included), each after all of
    /// its inputs; concrete inputs (constants, variables) are leaves and not listed.
    /// </summary>
    internal static List<Tensor> TopologicalOrder(IEnumerable<Tensor> roots)
    {
        var order = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor t, bool expanded)>();
        foreach (var r in roots.Reverse()) stack.Push((r, false));
        while (stack.Count > 0)
        {
            var (t, expanded) = stack.Pop();
            if (!t.IsSymbolic) continue;
            if (expanded) { order.Add(t); continue; }
            if (!seen.Add(t)) continue;
            stack.Push((t, true));
            var ins = t.Node!.Inputs;
            if (t.Node.Control is { } control)
                for (int i = control.Length - 1; i >= 0; i--)
                    if (!seen.Contains(control[i])) stack.Push((control[i], false));
            for (int i = ins.Length - 1; i >= 0; i--)
                if (ins[i] is { IsSymbolic: true } s && !seen.Contains(s)) stack.Push((s, false));
        }
        return order;
    }

    /// <summary>
    /// Makes the symbolic result of <paramref name="op"/> with the statically inferred shape and dtype.
    /// <paramref name="kernel"/> (kernel ops, from the generated facade) fills a given output from concrete inputs
    /// already checked by an earlier replay on the same shapes: K.Function's allocation-free path.
    /// </summary>
    public static Tensor Record(string op, Tensor?[] inputs, object?[] attrs, Shape shape, DType dtype, Func<Tensor?[], Tensor> replay,
        Action<IBackend, Tensor?[], Tensor>? kernel = null)
    {
        var node = new Node(op, inputs, attrs, replay, kernel);
        return new Tensor(dtype, shape, node, NameScope.Prefix is null ? null : NameScope.Qualify(op));
    }

    internal static Tensor Placeholder(Shape shape, DType dtype, string? name, bool sparse = false, bool keras = false)
    {
        var node = new Node("placeholder", [], [], null) { IsKeras = keras };
        var prefix = keras ? "input" : "placeholder";
        return new Tensor(dtype, shape, node, NameScope.Qualify(name ?? prefix + "_" + Session.GetUid(prefix))) { SymbolicSparse = sparse };
    }

    /// <summary>The graph node that computes <paramref name="t"/>, or null for a concrete tensor (for gradients and tools).</summary>
    internal static Node? NodeOf(Tensor t) => t.Node;
}
