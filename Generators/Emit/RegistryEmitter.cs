using System.Linq;
using KerasBackend.Generators.Model;

namespace KerasBackend.Generators.Emit;

/// <summary>Emits <c>OpRegistry.g.cs</c>: metadata of every op and invoke-by-Keras-name (for the CLI and the case replayer).</summary>
internal static class RegistryEmitter
{
    public static string Emit(EquatableArray<OpModel> ops)
    {
        var sorted = ops.OrderBy(o => o.Name, System.StringComparer.Ordinal).ToList();
        var w = SourceWriter.File();
        w.Line("namespace KerasBackend;");
        w.Line();
        w.Open("public static partial class OpRegistry");
        w.Line(SourceWriter.GeneratedCode);
        w.Line("private static readonly global::KerasBackend.OpInfo[] s_ops = new global::KerasBackend.OpInfo[]");
        w.Line("{");
        foreach (var op in sorted)
        {
            var ps = string.Join(", ", op.Params.Select(p =>
                $"new global::KerasBackend.OpParam({TypeMap.Literal(p.Name)}, {TypeMap.Literal(p.Type)}, {(p.DefaultJson is null ? "null" : TypeMap.Literal(p.DefaultJson))}, {TypeMap.Literal(p.Doc)})"));
            var errs = string.Join(", ", op.Errors.Select(e => TypeMap.Literal(e.Kind + ":" + e.Check.Rule)));
            w.Line($"    new global::KerasBackend.OpInfo({TypeMap.Literal(op.Name)}, {TypeMap.Literal(op.CSharpName)}, {TypeMap.Literal(op.Category)}, {TypeMap.Literal(op.Origin)}, {TypeMap.Literal(op.Summary)},");
            w.Line($"        new global::KerasBackend.OpParam[] {{ {ps} }}, {TypeMap.Literal(op.ResultType)}, {TypeMap.Literal(op.Impl)}, {(op.Differentiable ? "true" : "false")},");
            w.Line($"        new string[] {{ {errs} }}, {TypeMap.Literal(op.Shape?.Rule ?? "")}, {TypeMap.Literal(op.DType?.Rule ?? "")}, {TypeMap.Literal(System.IO.Path.GetFileName(op.SpecFile))}),");
        }
        w.Line("};");
        w.Line();
        w.Line("/// <summary>Calls the op named <paramref name=\"name\"/> (Keras name) with arguments by Keras parameter name; a missing argument takes its default.</summary>");
        w.Line(SourceWriter.GeneratedCode);
        // One small method per op behind a switch of calls: a single method holding every op's argument conversion is
        // too large for the JIT to optimize (it compiles such methods without optimizations), which costs every call.
        w.Open("public static object? Invoke(string name, global::System.Collections.Generic.IReadOnlyDictionary<string, object?> args)");
        w.Open("switch (name)");
        foreach (var op in sorted)
            w.Line($"case {TypeMap.Literal(op.Name)}: return Invoke_{op.Name}(args);");
        w.Line("default:");
        w.Line("    throw new global::KerasBackend.KerasValueException(name, null, $\"Unknown op '{name}'. `kbackend ops` lists the ops of the spec.\");");
        w.Close();
        w.Close();
        foreach (var op in sorted)
        {
            var args = op.Params.Select(p =>
            {
                var conv = $"global::KerasBackend.ArgConvert.{TypeMap.Converter(p.Type)}";
                var get = $"args.TryGetValue({TypeMap.Literal(p.Name)}, out var a_{p.Name})";
                return p.Default is null
                    ? $"{conv}(global::KerasBackend.ArgConvert.Required(args, {TypeMap.Literal(op.Name)}, {TypeMap.Literal(p.Name)}), {TypeMap.Literal(op.Name)}, {TypeMap.Literal(p.Name)})"
                    : $"({get} ? {conv}(a_{p.Name}, {TypeMap.Literal(op.Name)}, {TypeMap.Literal(p.Name)}) : {p.Default})";
            });
            var call = $"global::KerasBackend.K.{op.CSharpName}({string.Join(", ", args)})";
            w.Line();
            w.Open($"private static object? Invoke_{op.Name}(global::System.Collections.Generic.IReadOnlyDictionary<string, object?> args)");
            w.Line(op.ResultType == "void" ? $"{call}; return null;" : $"return {call};");
            w.Close();
        }
        w.Close();
        return w.ToString();
    }
}
