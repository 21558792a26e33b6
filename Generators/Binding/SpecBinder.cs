using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KerasBackend.Generators.Emit;
using KerasBackend.Generators.Model;
using KerasBackend.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KerasBackend.Generators.Binding;

/// <summary>The ops that bound, and diagnostics for the ones that did not.</summary>
internal sealed record BoundSpec(EquatableArray<OpModel> Ops, EquatableArray<PendingDiagnostic> Diagnostics);

/// <summary>
/// Binds every method call the generated code will make for an op — shape rule, dtype rule, checks, composite method,
/// gradient method — to the methods of the compilation, before any code is emitted. The rule classes
/// (<c>ShapeRules</c>, <c>DTypeRules</c>, <c>Checks</c>) are the only list of rules: a rule's name is its method's name
/// in snake_case, its arity and argument types are the method's. A call that would not compile becomes a diagnostic
/// on the spec line (KB0004, KB0008–KB0012) and the op is left out of the output, so the C# compiler never reports an
/// error inside generated code. A compilation without <c>KerasBackend.ShapeRules</c> (an external backend project, a
/// generator fixture) binds nothing and keeps every op.
/// </summary>
internal static class SpecBinder
{
    public const string ShapeType = "global::KerasBackend.Shape";
    public const string DTypeType = "global::KerasBackend.DType";

    public static BoundSpec Bind(EquatableArray<OpModel> ops, Compilation compilation, CancellationToken ct)
    {
        if (ops.Count == 0) return new BoundSpec(ops, EquatableArray<PendingDiagnostic>.Empty);
        var shapeRules = compilation.GetTypeByMetadataName("KerasBackend.ShapeRules");
        if (shapeRules is null) return new BoundSpec(ops, EquatableArray<PendingDiagnostic>.Empty);
        var b = new Binder(compilation, shapeRules);
        var kept = new List<OpModel>();
        foreach (var op in ops)
        {
            ct.ThrowIfCancellationRequested();
            var bound = b.BindOp(op);
            if (bound is not null) kept.Add(bound);
        }
        return new BoundSpec(kept.ToEquatable(), b.Diagnostics.ToEquatable());
    }

    private sealed class Binder
    {
        private readonly Compilation _c;
        private readonly INamedTypeSymbol _shapeRules;
        private readonly INamedTypeSymbol? _dtypeRules, _checks, _gradients, _gradContext;
        private readonly TypeResolver _types;
        public readonly List<PendingDiagnostic> Diagnostics = new();

        public Binder(Compilation c, INamedTypeSymbol shapeRules)
        {
            _c = c;
            _shapeRules = shapeRules;
            _dtypeRules = c.GetTypeByMetadataName("KerasBackend.DTypeRules");
            _checks = c.GetTypeByMetadataName("KerasBackend.Checks");
            _gradients = c.GetTypeByMetadataName(GradientEmitter.GradientsMetadataName);
            _gradContext = c.GetTypeByMetadataName("KerasBackend.Autodiff.GradContext");
            _types = new TypeResolver(c);
        }

        public OpModel? BindOp(OpModel op)
        {
            int before = Diagnostics.Count;
            var self = new OpRef(op.SpecFile, op.Name, 0);
            if (op.Impl == "kernel")
            {
                if (op.Shape is not null) BindRule(op, self, op.Shape, _shapeRules, "shape", "shape", normalized: true, ShapeType);
                if (op.DType is not null) BindRule(op, self, op.DType, _dtypeRules, "dtype", "dtype", normalized: true, DTypeType);
            }
            var errors = new List<ErrorModel>();
            for (int i = 0; i < op.Errors.Count; i++)
            {
                var e = op.Errors[i];
                var m = BindRule(op, self, e.Check, _checks, "check", $"errors[{i}]", normalized: false, "bool");
                bool reads = m is not null && m.GetAttributes().Any(a => a.AttributeClass?.Name == "ReadsValuesAttribute");
                errors.Add(e with { ReadsValues = reads });
            }
            if (op.Impl == "composite" && op.Method is not null) BindComposite(op, self);
            if (op.Impl == "kernel" && op.Differentiable && _gradients is not null) BindGradient(op, self);
            return Diagnostics.Count > before ? null : op with { Errors = errors.ToEquatable() };
        }

        private static IEnumerable<IMethodSymbol> Callable(INamedTypeSymbol? type, string? name) =>
            type is null || name is null ? Enumerable.Empty<IMethodSymbol>()
            : type.GetMembers(name).OfType<IMethodSymbol>().Where(m => m.IsStatic && m.MethodKind == MethodKind.Ordinary
                && m.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal);

        /// <summary>The snake_case names of the rules a class offers: its callable static methods returning <paramref name="returns"/>.</summary>
        private string Known(INamedTypeSymbol? type, string returns)
        {
            if (type is null) return "(none)";
            var ret = _types.Resolve(returns);
            return string.Join(", ", type.GetMembers().OfType<IMethodSymbol>()
                .Where(m => m.IsStatic && m.MethodKind == MethodKind.Ordinary && m.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal)
                .Where(m => ret is null || SymbolEqualityComparer.Default.Equals(m.ReturnType, ret))
                .Select(m => Snake(m.Name)).Distinct().OrderBy(n => n, System.StringComparer.Ordinal));
        }

        private IMethodSymbol? BindRule(OpModel op, OpRef self, RuleModel rule, INamedTypeSymbol? type, string kind, string anchor, bool normalized, string returns)
        {
            string method = rule.Rule == "custom" ? rule.Method! : SpecParser.PascalCase(rule.Rule);
            string cls = type?.Name ?? (kind == "dtype" ? "DTypeRules" : "Checks");
            var candidates = Callable(type, method).ToList();
            if (candidates.Count == 0)
            {
                Diagnostics.Add(new PendingDiagnostic("KB0004", self, anchor,
                    new[] { op.Name, kind, rule.Rule == "custom" ? "custom: " + method : rule.Rule, Known(type, returns), cls }.ToEquatable()));
                return null;
            }
            var args = rule.Args.Select(a => ArgType(op, a, normalized)).ToList();
            var match = Match(candidates, args, returns);
            if (match is null)
                Diagnostics.Add(new PendingDiagnostic("KB0012", self, anchor, new[]
                {
                    op.Name, kind, rule.Rule == "custom" ? method : rule.Rule,
                    "(" + string.Join(", ", rule.Args.Select((a, i) => Show(args[i]) + " " + (a.StartsWith("=") ? a.Substring(1) : a))) + ")",
                    string.Join("; ", candidates.Select(Signature)),
                }.ToEquatable()));
            return match;
        }

        private void BindComposite(OpModel op, OpRef self)
        {
            int dot = op.Method!.LastIndexOf('.');
            string typeName = "KerasBackend." + (dot < 0 ? "" : op.Method.Substring(0, dot));
            string name = op.Method.Substring(dot + 1);
            var type = dot < 0 ? null : _c.GetTypeByMetadataName(typeName);
            var expected = $"public static {Show(TypeMap.Result(op.ResultType))} {name}({string.Join(", ", op.Params.Select(p => Show(TypeMap.Public(p.Type)) + " " + p.CSharpName))})";
            var candidates = Callable(type, name).ToList();
            if (candidates.Count == 0)
            {
                string where = type is null
                    ? $"there is no class {typeName}"
                    : $"{typeName} has no static method {name}";
                Diagnostics.Add(new PendingDiagnostic("KB0009", self, "method", new[] { op.Name, op.Method, where, expected }.ToEquatable()));
                return;
            }
            var args = op.Params.Select(p => TypeMap.Public(p.Type)).ToList();
            if (Match(candidates, args, op.ResultType == "void" ? null : TypeMap.Result(op.ResultType)) is null)
                Diagnostics.Add(new PendingDiagnostic("KB0010", self, "method", new[]
                    { op.Name, typeName + "." + name, string.Join("; ", candidates.Select(Signature)), expected }.ToEquatable()));
        }

        private void BindGradient(OpModel op, OpRef self)
        {
            var candidates = Callable(_gradients, op.CSharpName).ToList();
            if (candidates.Count == 0)
            {
                Diagnostics.Add(new PendingDiagnostic("KB0008", self, "differentiable", new[] { op.Name, op.CSharpName }.ToEquatable()));
                return;
            }
            if (!candidates.Any(GradientEmitter.HasGradientSignature))
                Diagnostics.Add(new PendingDiagnostic("KB0011", self, "differentiable",
                    new[] { op.Name, string.Join("; ", candidates.Select(Signature)), op.CSharpName }.ToEquatable()));
        }

        /// <summary>The method every argument converts to implicitly (with nullability respected) and whose result converts to <paramref name="returns"/>.</summary>
        private IMethodSymbol? Match(List<IMethodSymbol> candidates, List<string> args, string? returns)
        {
            var argTypes = args.Select(_types.Resolve).ToList();
            var ret = returns is null ? null : _types.Resolve(returns);
            foreach (var m in candidates)
            {
                if (m.Parameters.Length != args.Count) continue;
                bool ok = true;
                for (int i = 0; i < args.Count && ok; i++) ok = Converts(argTypes[i], m.Parameters[i].Type);
                if (ok && ret is not null) ok = Converts(m.ReturnType, ret);
                if (ok) return m;
            }
            return null;
        }

        private bool Converts(ITypeSymbol? from, ITypeSymbol to)
        {
            if (from is null) return false;
            if (!_c.ClassifyCommonConversion(from, to).IsImplicit) return false;
            // A maybe-null reference into a parameter that does not accept null would be a nullable warning in generated code.
            return !(from.IsReferenceType && from.NullableAnnotation == NullableAnnotation.Annotated
                && to.IsReferenceType && to.NullableAnnotation == NullableAnnotation.NotAnnotated);
        }

        private static string ArgType(OpModel op, string arg, bool normalized)
        {
            if (!arg.StartsWith("=")) return TypeMap.RuleArgument(op.Params.First(p => p.Name == arg), normalized);
            var v = arg.Substring(1);
            if (v.StartsWith("\"")) return "string";
            if (v is "true" or "false") return "bool";
            return v.IndexOfAny(new[] { '.', 'e', 'E' }) < 0 ? "int" : "double";
        }

        private static string Signature(IMethodSymbol m) =>
            $"{m.ContainingType.Name}.{m.Name}({string.Join(", ", m.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier)) + " " + p.Name))})"
            + " → " + m.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier));
    }

    /// <summary>A C# type as written in generated code, shortened for messages.</summary>
    internal static string Show(string type) => type.Replace("global::System.Collections.Generic.", "").Replace("global::System.", "").Replace("global::KerasBackend.", "");

    /// <summary>PascalCase → snake_case (<c>BoolToInt32</c> → <c>bool_to_int32</c>), the inverse of <see cref="SpecParser.PascalCase"/>.</summary>
    internal static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}

/// <summary>Turns the C# type strings the emitters write (<c>global::</c>-qualified, keywords, <c>?</c>, arrays, generics, tuples) into symbols.</summary>
internal sealed class TypeResolver
{
    private readonly Compilation _c;
    private readonly Dictionary<string, ITypeSymbol?> _cache = new();

    public TypeResolver(Compilation c) { _c = c; }

    public ITypeSymbol? Resolve(string type)
    {
        if (_cache.TryGetValue(type, out var t)) return t;
        return _cache[type] = Resolve(SyntaxFactory.ParseTypeName(type));
    }

    private ITypeSymbol? Resolve(TypeSyntax t)
    {
        switch (t)
        {
            case PredefinedTypeSyntax p:
                return _c.GetSpecialType(p.Keyword.Text switch
                {
                    "int" => SpecialType.System_Int32, "long" => SpecialType.System_Int64, "double" => SpecialType.System_Double,
                    "bool" => SpecialType.System_Boolean, "string" => SpecialType.System_String, "object" => SpecialType.System_Object,
                    _ => SpecialType.System_Void,
                });
            case NullableTypeSyntax n:
                var inner = Resolve(n.ElementType);
                if (inner is null) return null;
                return inner.IsValueType
                    ? _c.GetSpecialType(SpecialType.System_Nullable_T).Construct(inner)
                    : inner.WithNullableAnnotation(NullableAnnotation.Annotated);
            case ArrayTypeSyntax a:
                var element = Resolve(a.ElementType);
                return element is null ? null : _c.CreateArrayTypeSymbol(element).WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            case TupleTypeSyntax tu:
                var parts = tu.Elements.Select(e => Resolve(e.Type)).ToList();
                if (parts.Any(x => x is null)) return null;
                return _c.CreateTupleTypeSymbol(System.Collections.Immutable.ImmutableArray.CreateRange(parts!),
                    System.Collections.Immutable.ImmutableArray.CreateRange(tu.Elements.Select(e => (string?)e.Identifier.Text)));
            case NameSyntax name:
                var last = name switch { QualifiedNameSyntax q => q.Right, AliasQualifiedNameSyntax a => a.Name, SimpleNameSyntax s => s, _ => null };
                var type = _c.GetTypeByMetadataName(Dotted(name));
                if (type is null) return null;
                if (last is GenericNameSyntax g)
                {
                    var args = g.TypeArgumentList.Arguments.Select(Resolve).ToList();
                    if (args.Any(x => x is null)) return null;
                    type = type.Construct(args.ToArray()!);
                }
                return type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        }
        return null;
    }

    private static string Dotted(NameSyntax n) => n switch
    {
        AliasQualifiedNameSyntax a => Dotted(a.Name),
        QualifiedNameSyntax q => Dotted(q.Left) + "." + Dotted(q.Right),
        GenericNameSyntax g => g.Identifier.Text + "`" + g.TypeArgumentList.Arguments.Count,
        SimpleNameSyntax s => s.Identifier.Text,
        _ => n.ToString(),
    };
}
