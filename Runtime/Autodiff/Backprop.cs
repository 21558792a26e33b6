using KerasBackend.Graph;

namespace KerasBackend.Autodiff;

/// <summary>
/// Reverse-mode differentiation of symbolic graphs (<c>K.Gradients</c>) and <c>K.StopGradient</c>. The
/// backward pass walks the graph from the loss in reverse topological order and asks each node's op for
/// the gradients of its inputs (<see cref="GradientTable"/>); the results are K ops on symbolic tensors, so
/// they form a graph that <c>K.Function</c> evaluates on any backend and that can be differentiated again.
/// </summary>
internal static class Backprop
{
    private const string Op = "gradients";

    /// <summary>Keras' <c>gradients(loss, variables)</c>.</summary>
    public static IReadOnlyList<Tensor> Gradients(Tensor loss, IReadOnlyList<Tensor> variables)
    {
        for (int i = 0; i < variables.Count; i++)
            if (variables[i] is null) throw Errors.Null(Op, $"variables[{i}]");
        if (!loss.IsSymbolic)
            throw new KerasValueException(Op, "loss",
                $"{Op}: the loss is a concrete tensor, so there is no graph to differentiate. Build the loss from placeholders " +
                $"(K.Placeholder) and variables, take K.Gradients of it, and evaluate the gradients with K.Function. Received: loss {loss.Describe()}");
        if (!loss.DType.IsFloat())
            throw new KerasTypeException(Op, "loss", $"{Op}: the loss must have a floating dtype. Received: loss.dtype={loss.DType.Name()}");

        var targets = new HashSet<Tensor>(variables, ReferenceEqualityComparer.Instance);
        var order = GraphBuilder.TopologicalOrder([loss]);

        // Which symbolic tensors lead to a target: only their nodes are differentiated.
        var leads = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var t in order)
        {
            if (targets.Contains(t)) { leads.Add(t); continue; }
            if (Blocks(t.Node!)) continue;
            foreach (var inp in t.Node!.Inputs)
                if (inp is not null && (targets.Contains(inp) || leads.Contains(inp))) { leads.Add(t); break; }
        }

        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        var reads = new Dictionary<Variable, Tensor>(ReferenceEqualityComparer.Instance);
        Tensor Read(Variable v) => reads.TryGetValue(v, out var r) ? r : reads[v] = GradOps.Read(v);
        if (leads.Contains(loss)) grads[loss] = GradOps.OnesLike(loss, loss.DType);
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var t = order[k];
            var node = t.Node!;
            if (!leads.Contains(t) || node.IsPlaceholder || Blocks(node) || !grads.TryGetValue(t, out var upstream)) continue;
            var fn = GradientTable.Find(node.Op)
                ?? throw new KerasValueException(Op, "loss",
                    $"{Op}: the op '{node.Op}' is marked differentiable but has no gradient (KB0008); it lies on the path from the loss to {Describe(variables)}.");
            var ins = node.Inputs;
            var wants = new bool[ins.Length];
            for (int i = 0; i < ins.Length; i++)
                wants[i] = ins[i] is { } inp && inp.DType.IsFloat() && (targets.Contains(inp) || leads.Contains(inp));
            var result = fn(new GradContext(node, t, upstream, wants, Read));
            for (int i = 0; i < ins.Length; i++)
            {
                if (!wants[i] || i >= result.Length || result[i] is not { } gi) continue;
                var inp = ins[i]!;
                gi = GradOps.Fit(gi, inp);
                grads[inp] = grads.TryGetValue(inp, out var prev) ? K.Add(prev, gi) : gi;
            }
        }

        var outs = new Tensor[variables.Count];
        for (int i = 0; i < outs.Length; i++)
        {
            var v = variables[i];
            outs[i] = grads.TryGetValue(v, out var g) && v.DType.IsFloat() ? g : GradOps.ZerosLike(v, v.DType);
        }
        return outs;
    }

    /// <summary>Keras' <c>stop_gradient(variables)</c>: identity in values; the backward pass does not cross its node.</summary>
    public static Tensor StopGradient(Tensor variables)
    {
        if (variables.IsSymbolic)
            return GraphBuilder.Record("stop_gradient", [variables], [], variables.Shape, variables.DType, ins => StopGradient(ins[0]!));
        return GradOps.Copy(variables, variables.Shape);
    }

    /// <summary>Nodes no gradient crosses: stop_gradient and ops the spec marks non-differentiable (as TensorFlow's NotDifferentiable).</summary>
    private static bool Blocks(Node node)
    {
        if (node.IsPlaceholder || node.Op == "stop_gradient") return true;
        if (GradientTable.Find(node.Op) is not null) return false;
        var info = OpRegistry.Find(node.Op);
        return info is null || !info.Differentiable;
    }


    private static string Describe(IReadOnlyList<Tensor> variables)
    {
        var names = variables.Where(v => v.Name is not null).Select(v => v.Name!).Take(3).ToList();
        return names.Count == 0 ? "the variables" : string.Join(", ", names);
    }
}
