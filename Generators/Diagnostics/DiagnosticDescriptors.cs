using Microsoft.CodeAnalysis;

namespace KerasBackend.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. Ids are stable; tests exist for each.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "KerasBackend.Spec";

    public static readonly DiagnosticDescriptor InvalidJson = new(
        "KB0001", "Spec file is not valid JSON",
        "Spec file is not valid JSON: {0}", Category, DiagnosticSeverity.Error, true,
        "Each file in Spec/ops must be one strict JSON object. Fix the syntax at the position shown.");

    public static readonly DiagnosticDescriptor MissingField = new(
        "KB0002", "Spec entry lacks a required field",
        "Op '{0}' lacks the required field '{1}'", Category, DiagnosticSeverity.Error, true,
        "See Spec/README.md for the fields every op entry must declare.");

    public static readonly DiagnosticDescriptor InvalidField = new(
        "KB0003", "Spec field has an invalid value",
        "Op '{0}': field '{1}' is invalid: {2}", Category, DiagnosticSeverity.Error, true,
        "The value does not match what the spec format allows (see Spec/op.schema.json).");

    public static readonly DiagnosticDescriptor UnknownRule = new(
        "KB0004", "Unknown rule",
        "Op '{0}': unknown {1} rule '{2}'; known: {3}", Category, DiagnosticSeverity.Error, true,
        "Shape rules, dtype rules and checks are named; use one of the listed names or 'custom' with a method.");

    public static readonly DiagnosticDescriptor UnknownArgument = new(
        "KB0005", "Rule argument names no parameter",
        "Op '{0}': {1} rule '{2}' refers to '{3}', which is not a parameter of the op", Category, DiagnosticSeverity.Error, true,
        "Rule arguments are parameter names of the op (or literal numbers).");

    public static readonly DiagnosticDescriptor DuplicateOp = new(
        "KB0006", "Duplicate op",
        "Op '{0}' is declared more than once (also in {1})", Category, DiagnosticSeverity.Error, true,
        "Each Keras name and each C# name may be declared once across all spec files.");

    public static readonly DiagnosticDescriptor InvalidName = new(
        "KB0007", "Invalid op or parameter name",
        "'{0}' is not a valid {1} name: {2}", Category, DiagnosticSeverity.Error, true,
        "Keras names are snake_case; C# names are PascalCase identifiers.");

    public static readonly DiagnosticDescriptor MissingGradient = new(
        "KB0008", "Differentiable op has no gradient method",
        "differentiable op '{0}' has no gradient method Gradients.{1}", Category, DiagnosticSeverity.Warning, true,
        "Add 'static Tensor?[] {1}(GradContext g)' to the partial class KerasBackend.Autodiff.Gradients (Runtime/Autodiff/Gradients.<Family>.cs), or set \"differentiable\": false in the spec.");

    public static readonly DiagnosticDescriptor MissingKernels = new(
        "KB0100", "Backend lacks kernels",
        "Backend '{0}' lacks {1} kernel(s) of the spec contract: {2}", "KerasBackend.Backend", DiagnosticSeverity.Error, true,
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
        _ => MissingKernels,
    };
}
