using Microsoft.CodeAnalysis;

namespace KerasBackend.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. Ids are stable; tests exist for each.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "KerasBackend.Spec";

    /// <summary>
    /// Where each id's page lives, relative to the repository root: <c>docs/diagnostics/KB0001.md</c> (what the
    /// diagnostic means, a wrong and a fixed spec entry). The docs site publishes the same folder.
    /// </summary>
    public const string HelpBase = "docs/diagnostics/";

    private static DiagnosticDescriptor Make(string id, string title, string message, string category,
        DiagnosticSeverity severity, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description,
            helpLinkUri: HelpBase + id + ".md");

    public static readonly DiagnosticDescriptor InvalidJson = Make(
        "KB0001", "Spec file is not valid JSON",
        "Spec file is not valid JSON: {0}", Category, DiagnosticSeverity.Error,
        "Each file in Spec/ops must be one strict JSON object. Fix the syntax at the position shown.");

    public static readonly DiagnosticDescriptor MissingField = Make(
        "KB0002", "Spec entry lacks a required field",
        "Op '{0}' lacks the required field '{1}'", Category, DiagnosticSeverity.Error,
        "See Spec/README.md for the fields every op entry must declare.");

    public static readonly DiagnosticDescriptor InvalidField = Make(
        "KB0003", "Spec field has an invalid value",
        "Op '{0}': field '{1}' is invalid: {2}", Category, DiagnosticSeverity.Error,
        "The value does not match what the spec format allows (see Spec/op.schema.json).");

    public static readonly DiagnosticDescriptor UnknownRule = Make(
        "KB0004", "Unknown rule",
        "Op '{0}': unknown {1} rule '{2}'; known: {3}", Category, DiagnosticSeverity.Error,
        "Shape rules, dtype rules and checks are named; use one of the listed names or 'custom' with a method.");

    public static readonly DiagnosticDescriptor UnknownArgument = Make(
        "KB0005", "Rule argument names no parameter",
        "Op '{0}': {1} rule '{2}' refers to '{3}', which is not a parameter of the op", Category, DiagnosticSeverity.Error,
        "Rule arguments are parameter names of the op (or literal numbers).");

    public static readonly DiagnosticDescriptor DuplicateOp = Make(
        "KB0006", "Duplicate op",
        "Op '{0}' is declared more than once (also in {1})", Category, DiagnosticSeverity.Error,
        "Each Keras name and each C# name may be declared once across all spec files.");

    public static readonly DiagnosticDescriptor InvalidName = Make(
        "KB0007", "Invalid op or parameter name",
        "'{0}' is not a valid {1} name: {2}", Category, DiagnosticSeverity.Error,
        "Keras names are snake_case; C# names are PascalCase identifiers.");

    public static readonly DiagnosticDescriptor MissingGradient = Make(
        "KB0008", "Differentiable op has no gradient method",
        "differentiable op '{0}' has no gradient method Gradients.{1}: add 'public static Tensor?[] {1}(GradContext g)' to the partial class KerasBackend.Autodiff.Gradients (Runtime/Autodiff/Gradients.<Family>.cs), or remove \"differentiable\" if no gradient flows", Category, DiagnosticSeverity.Error,
        "Add 'static Tensor?[] {1}(GradContext g)' to the partial class KerasBackend.Autodiff.Gradients (Runtime/Autodiff/Gradients.<Family>.cs), or set \"differentiable\": false in the spec.");

    public static readonly DiagnosticDescriptor MissingKernels = Make(
        "KB0100", "Backend lacks kernels",
        "Backend '{0}' lacks {1} kernel(s) of the spec contract: {2}", "KerasBackend.Backend", DiagnosticSeverity.Error,
        "A class marked [BackendImplementation] must implement a kernel for every op of the spec.");

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "KB0001" => InvalidJson,
        "KB0002" => MissingField,
        "KB0003" => InvalidField,
        "KB0004" => UnknownRule,
        "KB0005" => UnknownArgument,
        "KB0006" => DuplicateOp,
        "KB0007" => InvalidName,
        "KB0008" => MissingGradient,
        "KB0100" => MissingKernels,
        _ => throw new System.ArgumentException($"No diagnostic descriptor has the id '{id}' (a generator bug: add the descriptor, its test and its page docs/diagnostics/{id}.md).", nameof(id)),
    };
}
