using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using KerasBackend.Generators.Emit;
using KerasBackend.Generators.Json;
using KerasBackend.Generators.Model;

namespace KerasBackend.Generators.Parsing;

/// <summary>Reads one spec file into the model. Never throws: every problem becomes a diagnostic with its position.</summary>
internal sealed class SpecParser
{
    private static readonly Regex SnakeCase = new("^[a-z][a-z0-9_]*$");
    private static readonly Regex Pascal = new("^[A-Z][A-Za-z0-9]*$");

    /// <summary>Where an op came from (the format's own vocabulary; <c>Spec/op.schema.json</c> lists the same).</summary>
    internal static readonly string[] Origins = { "seed", "keras2", "keras3", "ours" };

    internal static readonly string[] ErrorKinds = { "ValueError", "TypeError", "IndexError" };

    /// <summary>The fields each object of the format may have (anything else is a typo: KB0014).</summary>
    internal static readonly string[] FileFields = { "$schema", "ops" };
    internal static readonly string[] OpFields = { "name", "csharp", "category", "origin", "summary", "remarks", "example", "params", "result", "dtype", "shape", "errors", "impl", "method", "differentiable", "onnx" };
    internal static readonly string[] ParamFields = { "name", "type", "doc", "default", "of" };
    internal static readonly string[] RuleFields = { "rule", "args", "method" };
    internal static readonly string[] ErrorFields = { "check", "args", "kind", "param", "message", "method" };
    internal static readonly string[] ResultFields = { "type", "doc" };
    internal static readonly string[] OnnxFields = { "op", "attrs", "inputs", "subgraph", "inexact" };
    /// <summary>How an <c>op</c> lowering casts the op's tensor inputs before the ONNX node (Spec/README.md, "ONNX lowering").</summary>
    internal static readonly string[] OnnxInputs = { "result", "promote", "keep" };

    /// <summary>A message placeholder: <c>{op}</c>, <c>{p}</c> or <c>{p.prop}</c>.</summary>
    internal static readonly Regex Placeholder = new(@"\{([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_]+))?\}");
    internal static readonly string[] PlaceholderProperties = { "shape", "ndim", "dtype", "shapes", "values" };

    private readonly string _path;
    private readonly string _fileName;
    private readonly List<DiagnosticInfo> _diags = new();
    private readonly List<OpPositions> _positions = new();
    private readonly Dictionary<string, int> _occurrences = new();

    private HashSet<string> _declared = new();

    private SpecParser(string path) { _path = path; _fileName = FileName(path); }

    /// <summary>A spec path's file name (either separator).</summary>
    internal static string FileName(string path) => path.Substring(path.Replace('\\', '/').LastIndexOf('/') + 1);

    public static Result<SpecFileModel> Parse(string path, string text, CancellationToken ct = default)
    {
        var p = new SpecParser(path);
        var ops = new List<OpModel>();
        JsonNode root;
        try { root = JsonReader.Parse(text); }
        catch (JsonSyntaxException e)
        {
            p.Report("KB0001", e.Line, e.Column, e.Offset, 1, $"{e.Message} (line {e.Line}, column {e.Column})");
            return p.Done(ops);
        }
        if (root is not JsonObject obj || obj.Get("ops") is not JsonArray arr)
        {
            p.Report("KB0001", root, "the file must be an object with an \"ops\" array");
            return p.Done(ops);
        }
        p.UnknownFields("(file)", obj, "file", FileFields);
        foreach (var item in arr.Items)
        {
            ct.ThrowIfCancellationRequested();
            var op = p.ParseOp(item);
            if (op is not null) ops.Add(op);
        }
        return p.Done(ops);
    }

    private Result<SpecFileModel> Done(List<OpModel> ops) =>
        new(new SpecFileModel(_path, ops.ToEquatable(), _positions.ToEquatable()), _diags.ToEquatable());

    /// <summary>KB0014 for each member of <paramref name="o"/> the format does not define.</summary>
    private void UnknownFields(string opName, JsonObject o, string where, string[] known)
    {
        foreach (var m in o.Members)
            if (System.Array.IndexOf(known, m.Key) < 0)
                Report("KB0014", m.Value, opName, m.Key, where, string.Join(", ", known));
    }

    private SpecLocation Where(JsonNode n) => new(_path, n.Line, n.Column, n.Offset, n.Length);

    /// <summary>Records where the op and the fields later diagnostics point at are written.</summary>
    private void RecordPositions(string opName, JsonObject o)
    {
        _occurrences.TryGetValue(opName, out int k);
        _occurrences[opName] = k + 1;
        var anchors = new List<Anchor> { new("op", Where(o)) };
        foreach (var field in new[] { "name", "csharp", "method", "dtype", "shape", "differentiable", "impl", "onnx" })
            if (o.Get(field) is { } n) anchors.Add(new Anchor(field, Where(n)));
        if (o.Get("errors") is JsonArray ea)
            for (int i = 0; i < ea.Items.Count; i++) anchors.Add(new Anchor($"errors[{i}]", Where(ea.Items[i])));
        _positions.Add(new OpPositions(_fileName, opName, k, anchors.ToEquatable()));
    }

    private void Report(string id, JsonNode node, params string[] args) =>
        Report(id, node.Line, node.Column, node.Offset, node.Length, args);

    private void Report(string id, int line, int col, int offset, int length, params string[] args) =>
        _diags.Add(new DiagnosticInfo(id, _path, line, col, offset, length, args.ToEquatable()));

    private OpModel? ParseOp(JsonNode node)
    {
        if (node is not JsonObject o) { Report("KB0003", node, "?", "ops[]", "each op must be a JSON object"); return null; }
        string opName = (o.Get("name") as JsonString)?.Value ?? "?";
        int before = _diags.Count;
        RecordPositions(opName, o);
        _declared = new HashSet<string>();
        UnknownFields(opName, o, "an op", OpFields);

        string? Str(string field, bool required)
        {
            var v = o.Get(field);
            if (v is null || v is JsonNull)
            {
                if (required) Report("KB0002", o, opName, field);
                return null;
            }
            if (v is JsonString s) return s.Value;
            Report("KB0003", v, opName, field, "expected a string");
            return null;
        }

        var name = Str("name", true);
        var cs = Str("csharp", true);
        var category = Str("category", true);
        var origin = Str("origin", true);
        var summary = Str("summary", true);
        var remarks = Str("remarks", false);
        var example = Str("example", false);
        var impl = Str("impl", false) ?? "kernel";
        var method = Str("method", false);

        if (name is not null && !SnakeCase.IsMatch(name)) Report("KB0007", o.Get("name")!, name, "Keras op", "use snake_case");
        if (cs is not null && !Pascal.IsMatch(cs)) Report("KB0007", o.Get("csharp")!, cs, "C# op", "use PascalCase");
        if (origin is not null && System.Array.IndexOf(Origins, origin) < 0)
            Report("KB0003", o.Get("origin")!, opName, "origin", "expected one of " + string.Join(", ", Origins));
        if (impl != "kernel" && impl != "composite")
            Report("KB0003", o.Get("impl")!, opName, "impl", "expected \"kernel\" or \"composite\"");
        if (impl == "composite" && method is null) Report("KB0002", o, opName, "method");

        var parameters = new List<ParamModel>();
        if (o.Get("params") is JsonArray pa)
        {
            // Names of every declared parameter, valid or not, so that one bad parameter does not also
            // report every rule that mentions it.
            _declared = new HashSet<string>(pa.Items.OfType<JsonObject>().Select(x => (x.Get("name") as JsonString)?.Value).Where(n => n is not null)!);
            foreach (var pn in pa.Items)
            {
                var pm = ParseParam(opName, pn);
                if (pm is null) continue;
                if (parameters.Any(x => x.Name == pm.Name)) Report("KB0003", pn, opName, "params", $"duplicate parameter '{pm.Name}'");
                else if (pm.Default is null && parameters.LastOrDefault(x => x.Default is not null) is { } optional)
                    Report("KB0003", pn, opName, $"params.{pm.Name}",
                        $"the required parameter '{pm.Name}' follows the optional '{optional.Name}'; give it a default or move it before '{optional.Name}' (Keras' order: required first)");
                else parameters.Add(pm);
            }
            foreach (var pm in parameters)
            {
                if (pm.Of is null) continue;
                var of = parameters.FirstOrDefault(x => x.Name == pm.Of);
                if (of is null || !(of.Type is "tensor" or "tensor?" or "tensors"))
                    Report("KB0005", (pa.Items.OfType<JsonObject>().First(x => (x.Get("name") as JsonString)?.Value == pm.Name).Get("of"))!,
                        opName, "parameter", pm.Name + ".of", pm.Of);
            }
        }
        else if (o.Get("params") is { } bad) Report("KB0003", bad, opName, "params", "expected an array");
        else Report("KB0002", o, opName, "params");

        string resultType = "tensor", resultDoc = "";
        if (o.Get("result") is JsonObject ro)
        {
            UnknownFields(opName, ro, "result", ResultFields);
            resultType = (ro.Get("type") as JsonString)?.Value ?? "tensor";
            resultDoc = (ro.Get("doc") as JsonString)?.Value ?? "";
            if (!TypeMap.IsResultType(resultType))
                Report("KB0003", ro.Get("type") ?? ro, opName, "result.type", "expected one of " + string.Join(", ", TypeMap.ResultTypes.Select(t => t.Key)));
        }
        else Report("KB0002", o, opName, "result");

        bool needsRules = impl == "kernel";
        var dtype = ParseRule(opName, o, "dtype", parameters, needsRules);
        var shape = ParseRule(opName, o, "shape", parameters, needsRules);

        var errors = new List<ErrorModel>();
        if (o.Get("errors") is JsonArray ea)
        {
            foreach (var en in ea.Items)
            {
                if (en is not JsonObject eo) { Report("KB0003", en, opName, "errors[]", "expected an object"); continue; }
                UnknownFields(opName, eo, "an error", ErrorFields);
                var check = eo.Get("check") is { } cn
                    ? ParseRuleObject(opName, eo, cn, "check", parameters)
                    : null;
                if (check is null && eo.Get("check") is null) Report("KB0002", eo, opName, "errors[].check");
                var kind = (eo.Get("kind") as JsonString)?.Value;
                var param = (eo.Get("param") as JsonString)?.Value;
                var message = (eo.Get("message") as JsonString)?.Value;
                if (kind is null || System.Array.IndexOf(ErrorKinds, kind) < 0)
                    Report("KB0003", eo, opName, "errors[].kind", "expected ValueError, TypeError or IndexError");
                if (param is null || parameters.All(p => p.Name != param))
                    Report("KB0003", eo, opName, "errors[].param", $"'{param}' is not a parameter of the op");
                if (message is null) Report("KB0002", eo, opName, "errors[].message");
                else CheckPlaceholders(opName, eo.Get("message")!, message);
                if (check is not null && kind is not null && param is not null && message is not null)
                    errors.Add(new ErrorModel(check, kind, param, message));
            }
        }

        bool differentiable = (o.Get("differentiable") as JsonBool)?.Value ?? false;
        var onnx = o.Get("onnx") is { } on ? ParseOnnx(opName, on, impl, parameters) : null;

        if (_diags.Count > before || name is null || cs is null) return null;
        return new OpModel(name, cs, category!, origin!, summary!, remarks, example, parameters.ToEquatable(),
            resultType, resultDoc, dtype, shape, errors.ToEquatable(), impl, method, differentiable, _fileName, onnx);
    }

    /// <summary>
    /// The <c>onnx</c> field: <c>"composite"</c>, <c>"subgraph"</c>, or
    /// <c>{ "op": "Add", "attrs": { "axis": "axis", "alpha": 0.2 }, "inputs": "result", "inexact": "why" }</c>
    /// (or <c>{ "subgraph": true, "inexact": "why" }</c>).
    /// </summary>
    private OnnxSpec? ParseOnnx(string opName, JsonNode node, string impl, List<ParamModel> parameters)
    {
        if (node is JsonString ks)
        {
            if (ks.Value == "composite" && impl != "composite")
            {
                Report("KB0003", node, opName, "onnx", "\"composite\" lowers a composite op through its definition; this op is a kernel: give it { \"op\": ... } or \"subgraph\"");
                return null;
            }
            if (ks.Value is "composite" or "subgraph") return new OnnxSpec(ks.Value, null, EquatableArray<OnnxAttrSpec>.Empty, "result", null);
            Report("KB0003", node, opName, "onnx", "expected \"composite\", \"subgraph\" or an object { \"op\": \"OnnxOpType\", \"attrs\": {...}, \"inputs\": ... }");
            return null;
        }
        if (node is not JsonObject o)
        {
            Report("KB0003", node, opName, "onnx", "expected \"composite\", \"subgraph\" or an object { \"op\": \"OnnxOpType\", ... }");
            return null;
        }
        UnknownFields(opName, o, "onnx", OnnxFields);
        var inexact = (o.Get("inexact") as JsonString)?.Value;
        if (o.Get("inexact") is { } ie && ie is not JsonString) Report("KB0003", ie, opName, "onnx.inexact", "expected a string: why ONNX Runtime does not compute the op exactly");
        if ((o.Get("subgraph") as JsonBool)?.Value == true)
        {
            if (o.Get("op") is { } both) Report("KB0003", both, opName, "onnx.op", "a lowering is either one ONNX op or a subgraph, not both");
            return new OnnxSpec("subgraph", null, EquatableArray<OnnxAttrSpec>.Empty, "result", inexact);
        }
        var onnxOp = (o.Get("op") as JsonString)?.Value;
        if (onnxOp is null) { Report("KB0002", o, opName, "onnx.op"); return null; }
        if (!Pascal.IsMatch(onnxOp)) { Report("KB0003", o.Get("op")!, opName, "onnx.op", "expected an ONNX operator type (PascalCase, e.g. \"Add\")"); return null; }
        var inputs = "result";
        if (o.Get("inputs") is { } inn)
        {
            inputs = (inn as JsonString)?.Value ?? "";
            if (System.Array.IndexOf(OnnxInputs, inputs) < 0)
            {
                Report("KB0003", inn, opName, "onnx.inputs", "expected one of " + string.Join(", ", OnnxInputs));
                return null;
            }
        }
        var attrs = new List<OnnxAttrSpec>();
        if (o.Get("attrs") is JsonObject ao)
        {
            foreach (var m in ao.Members)
            {
                switch (m.Value)
                {
                    case JsonString ps when parameters.FirstOrDefault(p => p.Name == ps.Value) is { } param && !TypeMap.IsTensorLike(param):
                        attrs.Add(new OnnxAttrSpec(m.Key, ps.Value, null));
                        break;
                    case JsonString ps:
                        Report("KB0005", ps, opName, "onnx", "attrs." + m.Key, ps.Value);
                        return null;
                    case JsonNumber n: attrs.Add(new OnnxAttrSpec(m.Key, null, n.Text)); break;
                    case JsonBool b: attrs.Add(new OnnxAttrSpec(m.Key, null, b.Value ? "1" : "0")); break;
                    default:
                        Report("KB0003", m.Value, opName, "onnx.attrs." + m.Key, "expected a parameter name (not a tensor) or a number");
                        return null;
                }
            }
        }
        else if (o.Get("attrs") is { } bad) { Report("KB0003", bad, opName, "onnx.attrs", "expected an object { \"onnxAttribute\": \"param\" or number }"); return null; }
        return new OnnxSpec("op", onnxOp, attrs.ToEquatable(), inputs, inexact);
    }

    private ParamModel? ParseParam(string opName, JsonNode node)
    {
        if (node is not JsonObject p) { Report("KB0003", node, opName, "params[]", "expected an object"); return null; }
        var name = (p.Get("name") as JsonString)?.Value;
        var type = (p.Get("type") as JsonString)?.Value;
        var doc = (p.Get("doc") as JsonString)?.Value ?? "";
        var of = (p.Get("of") as JsonString)?.Value;
        if (name is null) { Report("KB0002", p, opName, "params[].name"); return null; }
        if (!SnakeCase.IsMatch(name)) { Report("KB0007", p, name, "parameter", "use snake_case"); return null; }
        UnknownFields(opName, p, $"parameter '{name}'", ParamFields);
        if (type is null || !TypeMap.IsParamType(type))
        {
            Report("KB0003", p.Get("type") ?? p, opName, $"params.{name}.type", "expected one of " + string.Join(", ", TypeMap.ParamTypes.Select(t => t.Name)));
            return null;
        }
        string? def = null, defJson = null;
        if (p.Get("default") is { } dn)
        {
            defJson = JsonText(dn);
            def = DefaultToCSharp(opName, name, type, dn);
        }
        return new ParamModel(name, CamelCase(name), type, def, defJson, doc, of);
    }

    private string? DefaultToCSharp(string opName, string pname, string type, JsonNode dn)
    {
        switch (dn)
        {
            case JsonNull: return "null";
            case JsonBool b: return b.Value ? "true" : "false";
            case JsonNumber n:
                if (type is "float" or "float?") return n.IsInteger ? n.Text + ".0" : n.Text;
                if (!n.IsInteger) break;
                return n.Text;
            case JsonString s when type is "string" or "string?":
                return "\"" + s.Value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }
        Report("KB0003", dn, opName, $"params.{pname}.default", $"a {type} parameter cannot default to {JsonText(dn)}");
        return null;
    }

    /// <summary>KB0013 for a message placeholder that names no parameter or an unknown property.</summary>
    private void CheckPlaceholders(string opName, JsonNode node, string message)
    {
        foreach (Match m in Placeholder.Matches(message))
        {
            var name = m.Groups[1].Value;
            var prop = m.Groups[2].Success ? m.Groups[2].Value : null;
            if (name == "op" && prop is null) continue;
            if (!_declared.Contains(name))
                Report("KB0013", node, opName, m.Value, $"'{name}' is not a parameter of the op (parameters: {string.Join(", ", _declared)}; or {{op}})");
            else if (prop is not null && System.Array.IndexOf(PlaceholderProperties, prop) < 0)
                Report("KB0013", node, opName, m.Value, $"'.{prop}' is not a placeholder property (use {string.Join(", ", PlaceholderProperties.Select(x => "." + x))})");
        }
    }

    private RuleModel? ParseRule(string opName, JsonObject o, string field, List<ParamModel> parameters, bool required)
    {
        var node = o.Get(field);
        if (node is null) { if (required) Report("KB0002", o, opName, field); return null; }
        if (node is not JsonObject r) { Report("KB0003", node, opName, field, "expected an object {\"rule\": ..., \"args\": [...]}"); return null; }
        var nameNode = r.Get("rule");
        UnknownFields(opName, r, field, RuleFields);
        if (nameNode is null) { Report("KB0002", r, opName, field + ".rule"); return null; }
        return ParseRuleObject(opName, r, nameNode, field, parameters);
    }

    /// <summary>
    /// A rule's name and arguments. Whether the rule exists and takes these arguments is decided later, against the
    /// rule methods of the compilation (<c>Binding.SpecBinder</c>).
    /// </summary>
    private RuleModel? ParseRuleObject(string opName, JsonObject r, JsonNode nameNode, string field, List<ParamModel> parameters)
    {
        var rule = (nameNode as JsonString)?.Value;
        if (rule is null) { Report("KB0003", nameNode, opName, field, "expected a rule name"); return null; }
        if (rule != "custom" && !SnakeCase.IsMatch(rule)) { Report("KB0007", nameNode, rule, field + " rule", "use snake_case (the method's PascalCase name in snake_case)"); return null; }
        var method = (r.Get("method") as JsonString)?.Value;
        if (rule == "custom" && method is null) { Report("KB0002", r, opName, field + ".method"); return null; }
        var args = new List<string>();
        if (r.Get("args") is JsonArray aa)
        {
            foreach (var a in aa.Items)
            {
                switch (a)
                {
                    case JsonString s when parameters.Any(p => p.Name == s.Value) || _declared.Contains(s.Value): args.Add(s.Value); break;
                    case JsonString s when rule == "fixed": args.Add("=" + "\"" + s.Value + "\""); break;
                    case JsonString s: Report("KB0005", a, opName, field, rule, s.Value); return null;
                    case JsonNumber n: args.Add("=" + n.Text); break;
                    case JsonBool b: args.Add("=" + (b.Value ? "true" : "false")); break;
                    default: Report("KB0003", a, opName, field + ".args", "expected parameter names or numbers"); return null;
                }
            }
        }
        return new RuleModel(rule, args.ToEquatable(), method);
    }

    internal static string CamelCase(string snake)
    {
        var parts = snake.Split('_');
        var s = parts[0] + string.Concat(parts.Skip(1).Select(x => x.Length == 0 ? "" : char.ToUpperInvariant(x[0]) + x.Substring(1)));
        return s switch { "params" or "object" or "string" or "default" or "base" or "checked" => "@" + s, _ => s };
    }

    internal static string PascalCase(string snake)
    {
        var c = CamelCase(snake).TrimStart('@');
        return char.ToUpperInvariant(c[0]) + c.Substring(1);
    }

    private static string JsonText(JsonNode n) => n switch
    {
        JsonNull => "null",
        JsonBool b => b.Value ? "true" : "false",
        JsonNumber x => x.Text,
        JsonString s => "\"" + s.Value + "\"",
        JsonArray a => "[" + string.Join(", ", a.Items.Select(JsonText)) + "]",
        _ => "{...}",
    };
}
