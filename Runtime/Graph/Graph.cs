namespace KerasBackend.Graph;

/// <summary>A node of a symbolic graph: the op, its inputs (symbolic or concrete) and how to compute it from concrete inputs.</summary>
internal sealed class Node
{
    private static long s_next;

    public Node(string op, Tensor?[] inputs, object?[] attrs, Func<Tensor?[], Tensor>? replay)
    {
        Op = op;
        Inputs = inputs;
        Attrs = attrs;
        Replay = replay;
        Id = Interlocked.Increment(ref s_next);
        foreach (var i in inputs) if (i is { IsSymbolic: true } && i.Node!.IsKeras) { IsKeras = true; break; }
    }

    /// <summary>Keras name of the op (<c>placeholder</c> for placeholders).</summary>
    public string Op { get; }
    public Tensor?[] Inputs { get; }
    /// <summary>The op's non-tensor arguments as the user passed them, in spec parameter order (for gradients and printing).</summary>
    public object?[] Attrs { get; }
    /// <summary>Computes the node's value from concrete inputs by calling the facade again (so checks run on real shapes); null for placeholders.</summary>
    public Func<Tensor?[], Tensor>? Replay { get; }
    public long Id { get; }
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
    internal static bool Recording => Session.Mode == ExecutionMode.Symbolic;

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
            for (int i = ins.Length - 1; i >= 0; i--)
                if (ins[i] is { IsSymbolic: true } s && !seen.Contains(s)) stack.Push((s, false));
        }
        return order;
    }

    /// <summary>Makes the symbolic result of <paramref name="op"/> with the statically inferred shape and dtype.</summary>
    public static Tensor Record(string op, Tensor?[] inputs, object?[] attrs, Shape shape, DType dtype, Func<Tensor?[], Tensor> replay)
    {
        var node = new Node(op, inputs, attrs, replay);
        return new Tensor(dtype, shape, node, null);
    }

    internal static Tensor Placeholder(Shape shape, DType dtype, string? name, bool sparse = false, bool keras = false)
    {
        var node = new Node("placeholder", [], [], null) { IsKeras = keras };
        var prefix = keras ? "input" : "placeholder";
        return new Tensor(dtype, shape, node, name ?? prefix + "_" + Session.GetUid(prefix)) { SymbolicSparse = sparse };
    }

    /// <summary>The graph node that computes <paramref name="t"/>, or null for a concrete tensor (for gradients and tools).</summary>
    internal static Node? NodeOf(Tensor t) => t.Node;
}

/// <summary>
/// Evaluates symbolic tensors: a topological plan from the outputs back to placeholders and concrete
/// leaves (constants, variables, read when the plan runs), executed by replaying each node's op.
/// </summary>
internal sealed class Plan
{
    private readonly Tensor[] _order;           // symbolic tensors in evaluation order (placeholders excluded)
    private readonly Dictionary<Tensor, int> _lastUse = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Tensor> _keep = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Tensor> _leaves = new(ReferenceEqualityComparer.Instance); // concrete inputs: constants, variables

    public Plan(IEnumerable<Tensor> roots)
    {
        foreach (var r in roots) _keep.Add(r);
        var order = GraphBuilder.TopologicalOrder(roots);
        _order = order.Where(t => !t.Node!.IsPlaceholder).ToArray();
        Placeholders = order.Where(t => t.Node!.IsPlaceholder).ToArray();
        for (int i = 0; i < _order.Length; i++)
            foreach (var inp in _order[i].Node!.Inputs)
            {
                if (inp is { IsSymbolic: true }) _lastUse[inp] = i;
                else if (inp is not null) _leaves.Add(inp);
            }
    }

    /// <summary>Placeholders the roots depend on.</summary>
    public Tensor[] Placeholders { get; }

    /// <summary>True for a concrete tensor some node takes as input (a constant or variable the plan must not dispose).</summary>
    public bool IsLeaf(Tensor value) => _leaves.Contains(value);

    /// <summary>Number of op nodes.</summary>
    public int Count => _order.Length;

    /// <summary>Runs the plan. Intermediates that are not roots are disposed after their last use.</summary>
    /// <remarks>Safe to call from several threads at once: all per-run state is local.</remarks>
    public Dictionary<Tensor, Tensor> Run(IReadOnlyDictionary<Tensor, Tensor> feed) =>
        // Evaluating replays ops on concrete values: inside a symbolic scope they must compute, not record again.
        GraphBuilder.Recording ? Session.Eager(() => RunCore(feed)) : RunCore(feed);

    private Dictionary<Tensor, Tensor> RunCore(IReadOnlyDictionary<Tensor, Tensor> feed)
    {
        var values = new Dictionary<Tensor, Tensor>(_order.Length + Placeholders.Length, ReferenceEqualityComparer.Instance);
        // A replayed op may return one of its inputs unchanged (identity, to_dense of a dense tensor, an update
        // returning its variable), so several nodes can share one value: count the holders of each value and
        // dispose it only when the last one is done and it is neither fed, nor a concrete leaf, nor a variable.
        var holders = new Dictionary<Tensor, int>(_order.Length, ReferenceEqualityComparer.Instance);
        var fed = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in Placeholders)
        {
            if (!feed.TryGetValue(p, out var v))
                throw new KerasValueException("function", "inputs",
                    $"The placeholder {p.Describe()} is needed to compute the outputs but was not fed. Add it to the function's inputs.");
            values[p] = v;
            fed.Add(v);
        }
        for (int i = 0; i < _order.Length; i++)
        {
            var t = _order[i];
            var node = t.Node!;
            var ins = new Tensor?[node.Inputs.Length];
            for (int j = 0; j < ins.Length; j++)
            {
                var inp = node.Inputs[j];
                ins[j] = inp is { IsSymbolic: true } ? values[inp] : inp;
            }
            var value = node.Replay!(ins);
            values[t] = value;
            holders[value] = holders.GetValueOrDefault(value) + 1;
            foreach (var inp in node.Inputs)
            {
                if (inp is not { IsSymbolic: true, Node.IsPlaceholder: false } || _lastUse[inp] != i || _keep.Contains(inp)) continue;
                if (!values.Remove(inp, out var dead)) continue;
                int left = holders[dead] - 1;
                holders[dead] = left;
                if (left == 0 && dead is not Variable && !fed.Contains(dead) && !_leaves.Contains(dead)) dead.Dispose();
            }
        }
        return values;
    }
}
