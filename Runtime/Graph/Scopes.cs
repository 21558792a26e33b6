namespace KerasBackend.Graph;

/// <summary>
/// tf.name_scope here: a stack of names per async flow. Placeholders, variables and the nodes recorded inside a scope
/// are named <c>outer/inner/name</c>.
/// </summary>
internal static class NameScope
{
    private static readonly AsyncLocal<string?> s_prefix = new();

    /// <summary>The current prefix (<c>outer/inner</c>), or null outside every scope.</summary>
    public static string? Prefix => s_prefix.Value;

    /// <summary><paramref name="name"/> under the current scope.</summary>
    public static string Qualify(string name) => s_prefix.Value is { } p ? p + "/" + name : name;

    /// <summary>TensorFlow's scope-name grammar: a letter, digit or dot, then letters, digits and <c>_ . \ / > -</c>.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0) return false;
        if (!(char.IsAsciiLetterOrDigit(name[0]) || name[0] == '.')) return false;
        foreach (var c in name.AsSpan(1))
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '\\' or '/' or '>' or '-')) return false;
        return true;
    }

    /// <summary>Enters <paramref name="name"/> (nested under the current scope; a name ending in '/' is absolute, as in TensorFlow).</summary>
    public static IDisposable Enter(string name)
    {
        var previous = s_prefix.Value;
        s_prefix.Value = name.EndsWith('/') ? name.TrimEnd('/') : previous is null ? name : previous + "/" + name;
        return new Backend.Scope(() => s_prefix.Value = previous);
    }
}

/// <summary>
/// tf.control_dependencies here: the symbolic tensors that every node recorded inside the scope depends on. A plan
/// (K.Function, K.Eval) evaluates them before such a node, so an update listed there is applied first.
/// </summary>
internal static class ControlScope
{
    private static readonly AsyncLocal<Tensor[]?> s_controls = new();

    /// <summary>The control inputs of nodes recorded now (null when none).</summary>
    public static Tensor[]? Current => s_controls.Value;

    /// <summary>True when nodes recorded now carry control inputs: ops on concrete tensors then record too, so the order is kept.</summary>
    public static bool Active => s_controls.Value is not null;

    /// <summary>Adds <paramref name="controls"/> (symbolic ones; concrete values are already computed) to the current ones; null clears them, as <c>tf.control_dependencies(None)</c>.</summary>
    public static IDisposable Enter(IReadOnlyList<Tensor>? controls)
    {
        var previous = s_controls.Value;
        if (controls is null) s_controls.Value = null;
        else
        {
            var all = (previous ?? []).Concat(controls.Where(t => t.IsSymbolic)).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToArray();
            s_controls.Value = all.Length == 0 ? previous : all;
        }
        return new Backend.Scope(() => s_controls.Value = previous);
    }
}
