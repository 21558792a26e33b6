namespace KerasBackend.Autodiff;

/// <summary>
/// Finds the gradient of an op by its graph name: spec ops come from the generated table (one method per op
/// in <see cref="Gradients"/>, bound by <c>GradientEmitter</c>), the backward pass's own helper nodes from
/// <see cref="GradOps"/>.
/// </summary>
internal static partial class GradientTable
{
    public static GradientFunction? Find(string op) =>
        s_spec.TryGetValue(op, out var f) ? f : GradOps.Table.TryGetValue(op, out f) ? f : null;

    /// <summary>Keras names of the spec ops that have a gradient.</summary>
    public static IEnumerable<string> SpecOps => s_spec.Keys;
}
