using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using KerasBackend.Generators.Model;
using KerasBackend.Generators.Parsing;

namespace KerasBackend.Generators.Emit;

/// <summary>
/// Emits <c>K.{Op}.g.cs</c>: the public method with XML docs from the spec, argument checks from the spec's
/// errors, static shape/dtype inference from its rules, graph recording for symbolic inputs, and dispatch
/// to the active backend's kernel (or to the op's composite method).
/// </summary>
internal static class FacadeEmitter
{
    private static readonly Regex Placeholder = new(@"\{([a-z_][a-z0-9_]*)(?:\.(shape|ndim|dtype|shapes|values))?\}");

    public static string Emit(OpModel op)
    {
        var w = SourceWriter.File();
        w.Line("namespace KerasBackend;");
        w.Line();
        w.Open("public static partial class K");
        EmitDocs(w, op);
        w.Open($"public static {TypeMap.Result(op.ResultType)} {op.CSharpName}({TypeMap.ParamList(op, withDefaults: true)})");
        EmitBody(w, op);
        w.Close();
        EmitIntOverload(w, op);
        w.Close();
        return w.ToString();
    }

    private static void EmitDocs(SourceWriter w, OpModel op)
    {
        w.Line($"/// <summary>{TypeMap.Xml(op.Summary)}</summary>");
        foreach (var p in op.Params)
            w.Line($"/// <param name=\"{p.CSharpName.TrimStart('@')}\">{TypeMap.Xml(p.Doc)}{(p.DefaultJson is null ? "" : " Keras default: <c>" + TypeMap.Xml(p.DefaultJson) + "</c>.")}</param>");
        if (op.ResultType != "void") w.Line($"/// <returns>{TypeMap.Xml(op.ResultDoc)}</returns>");
        foreach (var e in op.Errors)
            w.Line($"/// <exception cref=\"global::KerasBackend.{ExceptionType(e.Kind)}\">{e.Kind}: {TypeMap.Xml(e.Message.Replace("{op}", op.Name))}</exception>");
        var remarks = new StringBuilder();
        if (op.Remarks is not null) remarks.Append(TypeMap.Xml(op.Remarks));
        remarks.Append($" Keras name: <c>{op.Name}</c> ({op.Category}; from {op.Origin}).");
        w.Line($"/// <remarks>{remarks.ToString().Trim()}</remarks>");
        if (op.Example is not null)
        {
            w.Line("/// <example><code>");
            foreach (var line in op.Example.Split('\n')) w.Line("/// " + TypeMap.Xml(line));
            w.Line("/// </code></example>");
        }
    }

    internal static string ExceptionType(string kind) => kind switch
    {
        "TypeError" => "KerasTypeException",
        "IndexError" => "KerasIndexException",
        _ => "KerasValueException",
    };

    private static void EmitBody(SourceWriter w, OpModel op)
    {
        var nullChecked = op.Params.Where(p => p.Type is "tensor" or "tensors" or "shape" or "string" or "value" or "function" or "ints" or "step_function").ToList();
        // A composite without checks never names the op: skip the constant so the generated code has no unused variable.
        if (op.Impl != "composite" || nullChecked.Count > 0 || op.Errors.Count > 0)
            w.Line($"const string op = {TypeMap.Literal(op.Name)};");
        foreach (var p in nullChecked)
            w.Line($"if ({p.CSharpName} is null) throw global::KerasBackend.Errors.Null(op, {TypeMap.Literal(p.Name)});");
        foreach (var e in op.Errors)
        {
            w.Line($"if (!global::KerasBackend.Checks.{RuleMethod(e.Check)}({RuleArgs(op, e.Check, normalized: false)}))");
            w.Line($"    throw global::KerasBackend.Errors.Make({TypeMap.Literal(e.Kind)}, op, {TypeMap.Literal(e.Param)}, {Template(op, e.Message)});");
        }

        if (op.Impl == "composite")
        {
            var call = $"global::KerasBackend.{op.Method}({string.Join(", ", op.Params.Select(p => p.CSharpName))})";
            w.Line(op.ResultType == "void" ? call + ";" : "return " + call + ";");
            return;
        }

        foreach (var p in op.Params)
        {
            var norm = Normalizer(op, p);
            if (norm is not null) w.Line($"var {Norm(p)} = {norm};");
        }
        w.Line($"var shape_ = global::KerasBackend.ShapeRules.{RuleMethod(op.Shape!)}({RuleArgs(op, op.Shape!, normalized: true)});");
        w.Line($"var dtype_ = global::KerasBackend.DTypeRules.{RuleMethod(op.DType!)}({RuleArgs(op, op.DType!, normalized: true)});");

        var tensorParams = op.Params.Where(TypeMap.IsTensorLike).ToList();
        if (tensorParams.Count > 0)
        {
            string inputs = tensorParams.Count == 1 && tensorParams[0].Type == "tensors"
                ? $"global::System.Linq.Enumerable.ToArray({tensorParams[0].CSharpName})"
                : "new global::KerasBackend.Tensor?[] { " + string.Join(", ", tensorParams.Select(p => p.CSharpName)) + " }";
            w.Open($"if (global::KerasBackend.Graph.GraphBuilder.AnySymbolic({string.Join(", ", tensorParams.Select(p => p.CSharpName))}))");
            int i = 0;
            var replayArgs = op.Params.Select(p =>
            {
                if (!TypeMap.IsTensorLike(p)) return p.CSharpName;
                if (p.Type == "tensors") return "global::System.Array.ConvertAll(in_, t_ => t_!)";
                var idx = i++;
                return p.Type == "tensor?" ? $"in_[{idx}]" : $"in_[{idx}]!";
            });
            var attrs = op.Params.Where(p => !TypeMap.IsTensorLike(p)).Select(p => p.CSharpName).ToList();
            var attrArray = attrs.Count == 0 ? "global::System.Array.Empty<object?>()" : "new object?[] { " + string.Join(", ", attrs) + " }";
            w.Line($"return global::KerasBackend.Graph.GraphBuilder.Record(op, {inputs}, {attrArray}, shape_, dtype_, in_ => {op.CSharpName}({string.Join(", ", replayArgs)}));");
            w.Close();
        }

        var kernelArgs = op.Params.Where(p => TypeMap.Kernel(p) is not null)
            .Select(p => Normalizer(op, p) is null ? p.CSharpName : Norm(p)).ToList();
        kernelArgs.Add("output_");
        w.Line("var output_ = global::KerasBackend.Tensor.Uninitialized(dtype_, shape_);");
        w.Line($"global::KerasBackend.Backend.Current.{op.CSharpName}({string.Join(", ", kernelArgs)});");
        w.Line("return output_;");
    }

    private static string Norm(ParamModel p) => p.CSharpName.TrimStart('@') + "_";

    /// <summary>The expression that normalizes a parameter for kernels and rules (absolute axes), or null.</summary>
    private static string? Normalizer(OpModel op, ParamModel p)
    {
        if (p.Type is not ("axis" or "axes" or "pair")) return null;
        var of = op.Params.FirstOrDefault(x => x.Name == (p.Of ?? "x")) ?? op.Params.First(TypeMap.IsTensorLike);
        string Rank(ParamModel t) => t.Type == "tensors" ? $"{t.CSharpName}[0].Rank" : $"{t.CSharpName}.Rank";
        return p.Type switch
        {
            "axis" => $"global::KerasBackend.Normalize.Axis({p.CSharpName}, {Rank(of)})",
            "axes" => $"global::KerasBackend.Normalize.Axes({p.CSharpName}, {Rank(of)})",
            _ => $"global::KerasBackend.Normalize.Pair({p.CSharpName}, {string.Join(", ", op.Params.Where(t => t.Type == "tensor").Take(2).Select(Rank))})",
        };
    }

    internal static string RuleMethod(RuleModel r) => r.Rule == "custom" ? r.Method! : SpecParser.PascalCase(r.Rule);

    private static string RuleArgs(OpModel op, RuleModel r, bool normalized) => string.Join(", ", r.Args.Select(a =>
    {
        if (a.StartsWith("=")) return a.Substring(1);
        var p = op.Params.First(x => x.Name == a);
        return normalized && Normalizer(op, p) is not null ? Norm(p) : p.CSharpName;
    }));

    /// <summary>Turns a message template into a C# interpolated string: {x.shape}, {x.ndim}, {x.dtype}, {tensors.shapes}, {param}, {op}.</summary>
    internal static string Template(OpModel op, string message)
    {
        var sb = new StringBuilder("$\"");
        int last = 0;
        foreach (Match m in Placeholder.Matches(message))
        {
            sb.Append(Escape(message.Substring(last, m.Index - last)));
            last = m.Index + m.Length;
            var name = m.Groups[1].Value;
            var prop = m.Groups[2].Success ? m.Groups[2].Value : null;
            if (name == "op" && prop is null) { sb.Append(Escape(op.Name)); continue; }
            var p = op.Params.FirstOrDefault(x => x.Name == name);
            if (p is null) { sb.Append(Escape(m.Value)); continue; }
            var id = p.CSharpName;
            sb.Append("{(").Append(prop switch
            {
                "shape" => $"{id}.Shape",
                "ndim" => $"{id}.Rank",
                "dtype" => $"global::KerasBackend.DTypes.Name({id}.DType)",
                "shapes" => $"global::KerasBackend.Format.Shapes({id})",
                "values" => $"global::KerasBackend.Format.Values({id})",
                _ => $"global::KerasBackend.Format.Py({id})",
            }).Append(")}");
        }
        sb.Append(Escape(message.Substring(last))).Append('"');
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}").Replace("\n", "\\n");

    /// <summary>For an op with one axes/pair parameter, an overload taking a single int (Keras accepts int or list).</summary>
    private static void EmitIntOverload(SourceWriter w, OpModel op)
    {
        var multi = op.Params.Where(p => p.Type is "axes" or "pair" or "ints").ToList();
        if (multi.Count != 1) return;
        var target = multi[0];
        var ps = op.Params.Select(p =>
        {
            if (p == target) return "int " + p.CSharpName;
            // parameters after the int one keep their defaults only if the int one is not optional-before-required
            return TypeMap.Public(p.Type) + " " + p.CSharpName + (p.Default is not null && op.Params.IndexOf(p) > op.Params.IndexOf(target) ? " = " + p.Default : "");
        });
        var args = op.Params.Select(p => p == target ? $"new[] {{ {p.CSharpName} }}" : p.CSharpName);
        w.Line($"/// <inheritdoc cref=\"{op.CSharpName}({string.Join(", ", op.Params.Select(p => CrefType(p.Type)))})\"/>");
        w.Line($"public static {TypeMap.Result(op.ResultType)} {op.CSharpName}({string.Join(", ", ps)}) => {op.CSharpName}({string.Join(", ", args)});");
    }

    private static string CrefType(string type) => TypeMap.Public(type)
        .Replace("global::", "").Replace("System.Collections.Generic.IReadOnlyList<KerasBackend.Tensor>", "System.Collections.Generic.IReadOnlyList{KerasBackend.Tensor}")
        .TrimEnd('?') switch { var t when type is "int?" or "seed" => "System.Nullable{System.Int32}", var t when type is "float?" => "System.Nullable{System.Double}", var t when type == "dtype" => "System.Nullable{KerasBackend.DType}", var t => t };
}

internal static class ListExtensions
{
    public static int IndexOf<T>(this EquatableArray<T> a, T item) where T : System.IEquatable<T>
    {
        for (int i = 0; i < a.Count; i++) if (a[i].Equals(item)) return i;
        return -1;
    }
}
