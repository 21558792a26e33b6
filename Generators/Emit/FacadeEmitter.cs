using System;
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
        w.Line(SourceWriter.GeneratedCode);
        w.Open($"public static {TypeMap.Result(op.ResultType)} {op.CSharpName}({TypeMap.ParamList(op, withDefaults: true)})");
        EmitBody(w, op);
        w.Close();
        EmitSymbolic(w, op);
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
        var nullChecked = op.Params.Where(p => TypeMap.Param(p.Type).NullChecked).ToList();
        // Enum arguments (dtype) are checked against their declared values: a cast like (DType)9 is a TypeError, not undefined behaviour.
        var enumChecked = op.Params.Where(p => TypeMap.Param(p.Type).EnumChecked).ToList();
        // A composite without checks never names the op: skip the constant so the generated code has no unused variable.
        if (op.Impl != "composite" || nullChecked.Count > 0 || enumChecked.Count > 0 || op.Errors.Count > 0)
            w.Line($"const string op = {TypeMap.Literal(op.Name)};");
        foreach (var p in nullChecked)
            w.Line($"if ({p.CSharpName} is null) throw global::KerasBackend.Errors.Null(op, {TypeMap.Literal(p.Name)});");
        foreach (var p in enumChecked)
            w.Line($"global::KerasBackend.DTypes.Validate({p.CSharpName}, op, {TypeMap.Literal(p.Name)});");
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
            w.Open($"if (global::KerasBackend.Graph.GraphBuilder.AnySymbolic({string.Join(", ", tensorParams.Select(p => p.CSharpName))}))");
            w.Line($"return {SymbolicName(op)}({string.Join(", ", SymbolicParams(op).Select(p => p.Name))});");
            w.Close();
        }

        var kernelArgs = op.Params.Where(p => TypeMap.Kernel(p) is not null)
            .Select(p => Normalizer(op, p) is null ? p.CSharpName : Norm(p)).ToList();
        kernelArgs.Add("output_");
        w.Line("var output_ = global::KerasBackend.Tensor.Uninitialized(dtype_, shape_, op);");
        w.Line($"global::KerasBackend.Backend.Current.{op.CSharpName}({string.Join(", ", kernelArgs)});");
        w.Line("return output_;");
    }

    private static string SymbolicName(OpModel op) => op.CSharpName + "Symbolic_";

    /// <summary>The symbolic recorder's parameters: the op's own, then the normalized arguments and the inferred shape and dtype.</summary>
    private static List<(string Type, string Name)> SymbolicParams(OpModel op)
    {
        var ps = op.Params.Select(p => (TypeMap.Public(p.Type), p.CSharpName)).ToList();
        foreach (var p in op.Params)
            if (Normalizer(op, p) is not null) ps.Add((p.Type == "axis" ? "int" : "int[]", Norm(p)));
        ps.Add(("global::KerasBackend.Shape", "shape_"));
        ps.Add(("global::KerasBackend.DType", "dtype_"));
        return ps;
    }

    /// <summary>
    /// The recording path of a kernel op, in its own method: its lambdas capture the op's arguments, and a capture
    /// in the public method would allocate the closure on every eager call too. The node gets two ways to run:
    /// the replay (the facade again: checks and inference on the fed shapes) and the kernel alone on a given
    /// backend (the run reads the active one once), which a K.Function uses when the inputs have the shapes and
    /// dtypes of a call whose replay succeeded. Checks that read values (not only shapes and dtypes) run in the
    /// kernel path too.
    /// </summary>
    private static void EmitSymbolic(SourceWriter w, OpModel op)
    {
        var tensorParams = op.Params.Where(TypeMap.IsTensorLike).ToList();
        if (op.Impl == "composite" || tensorParams.Count == 0) return;
        w.Line();
        w.Line(SourceWriter.GeneratedCode);
        w.Open($"private static {TypeMap.Result(op.ResultType)} {SymbolicName(op)}({string.Join(", ", SymbolicParams(op).Select(p => p.Type + " " + p.Name))})");
        w.Line($"const string op = {TypeMap.Literal(op.Name)};");
        string inputs = tensorParams.Count == 1 && tensorParams[0].Type == "tensors"
            ? $"global::System.Linq.Enumerable.ToArray({tensorParams[0].CSharpName})"
            : "new global::KerasBackend.Tensor?[] { " + string.Join(", ", tensorParams.Select(p => p.CSharpName)) + " }";
        // How the lambdas read each tensor argument from the node's concrete inputs.
        var fromInputs = new Dictionary<string, string>();
        int i = 0;
        foreach (var p in tensorParams)
            fromInputs[p.Name] = p.Type switch
            {
                "tensors" => "(" + TypeMap.Tensor + "[])(object)in_",
                "tensor?" => $"in_[{i++}]",
                _ => $"in_[{i++}]!",
            };
        var replayArgs = op.Params.Select(p => !TypeMap.IsTensorLike(p) ? p.CSharpName
            : p.Type == "tensors" ? "global::System.Array.ConvertAll(in_, t_ => t_!)" : fromInputs[p.Name]);
        var attrs = op.Params.Where(p => !TypeMap.IsTensorLike(p)).Select(p => p.CSharpName).ToList();
        var attrArray = attrs.Count == 0 ? "global::System.Array.Empty<object?>()" : "new object?[] { " + string.Join(", ", attrs) + " }";
        var kernelArgs = op.Params.Where(p => TypeMap.Kernel(p) is not null)
            .Select(p => TypeMap.IsTensorLike(p) ? fromInputs[p.Name] : Normalizer(op, p) is null ? p.CSharpName : Norm(p)).ToList();
        kernelArgs.Add("out_");
        var kernelCall = $"backend_.{op.CSharpName}({string.Join(", ", kernelArgs)})";
        var valueChecks = op.Errors.Where(e => e.ReadsValues).ToList();
        w.Line($"return global::KerasBackend.Graph.GraphBuilder.Record(op, {inputs}, {attrArray}, shape_, dtype_,");
        w.Line($"    in_ => {op.CSharpName}({string.Join(", ", replayArgs)}),");
        if (valueChecks.Count == 0)
        {
            w.Line($"    (backend_, in_, out_) => {kernelCall});");
        }
        else
        {
            string Id(ParamModel p) => fromInputs.TryGetValue(p.Name, out var e) ? e : p.CSharpName;
            w.Line("    (backend_, in_, out_) =>");
            w.Line("    {");
            foreach (var e in valueChecks)
            {
                w.Line($"        if (!global::KerasBackend.Checks.{RuleMethod(e.Check)}({RuleArgs(op, e.Check, normalized: false, Id)}))");
                w.Line($"            throw global::KerasBackend.Errors.Make({TypeMap.Literal(e.Kind)}, op, {TypeMap.Literal(e.Param)}, {Template(op, e.Message, Id)});");
            }
            w.Line($"        {kernelCall};");
            w.Line("    });");
        }
        w.Close();
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

    private static string RuleArgs(OpModel op, RuleModel r, bool normalized, Func<ParamModel, string>? id = null) => string.Join(", ", r.Args.Select(a =>
    {
        if (a.StartsWith("=")) return a.Substring(1);
        var p = op.Params.First(x => x.Name == a);
        return normalized && Normalizer(op, p) is not null ? Norm(p) : id?.Invoke(p) ?? p.CSharpName;
    }));

    /// <summary>Turns a message template into a C# interpolated string: {x.shape}, {x.ndim}, {x.dtype}, {tensors.shapes}, {param}, {op}.</summary>
    internal static string Template(OpModel op, string message, Func<ParamModel, string>? id = null)
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
            var expr = id?.Invoke(p) ?? p.CSharpName;
            sb.Append("{(").Append(prop switch
            {
                "shape" => $"{expr}.Shape",
                "ndim" => $"{expr}.Rank",
                "dtype" => $"global::KerasBackend.DTypes.Name({expr}.DType)",
                "shapes" => $"global::KerasBackend.Format.Shapes({expr})",
                "values" => $"global::KerasBackend.Format.Values({expr})",
                _ => $"global::KerasBackend.Format.Py({expr})",
            }).Append(")}");
        }
        sb.Append(Escape(message.Substring(last))).Append('"');
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}").Replace("\n", "\\n");

    /// <summary>For an op with one axes/pair parameter, an overload taking a single int (Keras accepts int or list).</summary>
    private static void EmitIntOverload(SourceWriter w, OpModel op)
    {
        var multi = op.Params.Where(p => TypeMap.Param(p.Type).IntOverload).ToList();
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
        w.Line(SourceWriter.GeneratedCode);
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
