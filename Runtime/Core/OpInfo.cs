namespace KerasBackend;

/// <summary>One parameter of an op, as the spec declares it.</summary>
/// <param name="Name">Keras (snake_case) name.</param>
/// <param name="Type">Spec type (tensor, axes, dtype, ...).</param>
/// <param name="Default">Default as JSON text, or null when required.</param>
/// <param name="Doc">Documentation.</param>
public sealed record OpParam(string Name, string Type, string? Default, string Doc);

/// <summary>Metadata of one op of the spec (generated into <see cref="OpRegistry"/>).</summary>
public sealed record OpInfo(
    string Name,
    string CSharpName,
    string Category,
    string Origin,
    string Summary,
    IReadOnlyList<OpParam> Params,
    string ResultType,
    string Impl,
    bool Differentiable,
    IReadOnlyList<string> Errors,
    string ShapeRule,
    string DTypeRule,
    string SpecFile)
{
    /// <summary>Python-style signature: <c>sum(x, axis=None, keepdims=False)</c>.</summary>
    public string Signature => $"{Name}({string.Join(", ", Params.Select(p => p.Default is null ? p.Name : $"{p.Name}={PyDefault(p.Default)}"))})";

    private static string PyDefault(string json) => json switch { "null" => "None", "true" => "True", "false" => "False", _ => json.Trim('"') is var s && json.StartsWith('"') ? $"'{s}'" : json };

    /// <summary>True when every backend must provide a kernel; false for composites built on other ops.</summary>
    public bool IsKernel => Impl == "kernel";
}

/// <summary>Every op of the spec: metadata and invoke-by-name.</summary>
public static partial class OpRegistry
{
    /// <summary>All ops, sorted by Keras name.</summary>
    public static IReadOnlyList<OpInfo> All => s_ops;

    /// <summary>The op with Keras name <paramref name="name"/>, or null.</summary>
    public static OpInfo? Find(string name) => s_ops.FirstOrDefault(o => o.Name == name);

    /// <summary>Whether <paramref name="backend"/> has a kernel for <paramref name="op"/> (composites run on every backend).</summary>
    public static bool Implements(IBackend backend, OpInfo op) =>
        !op.IsKernel || backend.GetType().GetInterfaces().Contains(typeof(IBackend)) &&
        backend.GetType().GetMethods().Any(m => m.Name == op.CSharpName);
}
