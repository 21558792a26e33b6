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
        "Op '{0}' lacks the required field '{1}': add it (Spec/README.md, 'Fields of an op', says what it holds)", Category, DiagnosticSeverity.Error,
        "See Spec/README.md for the fields every op entry must declare.");

    public static readonly DiagnosticDescriptor InvalidField = Make(
        "KB0003", "Spec field has an invalid value",
        "Op '{0}': field '{1}' is invalid: {2}", Category, DiagnosticSeverity.Error,
        "The value does not match what the spec format allows (see Spec/op.schema.json).");

    public static readonly DiagnosticDescriptor UnknownRule = Make(
        "KB0004", "Unknown rule",
        "Op '{0}': unknown {1} rule '{2}': use one of {3}, or add the method (PascalCase of the name) to {4} in Runtime/Core/Rules*.cs", Category, DiagnosticSeverity.Error,
        "Shape rules, dtype rules and checks are named; use one of the listed names or 'custom' with a method.");

    public static readonly DiagnosticDescriptor UnknownArgument = Make(
        "KB0005", "Rule argument names no parameter",
        "Op '{0}': {1} '{2}' refers to '{3}', which is not a parameter of the op (or not a tensor parameter, for 'of'): name one of the op's parameters", Category, DiagnosticSeverity.Error,
        "Rule arguments are parameter names of the op (or literal numbers).");

    public static readonly DiagnosticDescriptor DuplicateOp = Make(
        "KB0006", "Duplicate op",
        "Op '{0}' is declared more than once (also in {1}): delete one entry or rename the new op (both 'name' and 'csharp')", Category, DiagnosticSeverity.Error,
        "Each Keras name and each C# name may be declared once across all spec files.");

    public static readonly DiagnosticDescriptor InvalidName = Make(
        "KB0007", "Invalid op or parameter name",
        "'{0}' is not a valid {1} name: {2}", Category, DiagnosticSeverity.Error,
        "Keras names are snake_case; C# names are PascalCase identifiers.");

    public static readonly DiagnosticDescriptor MissingGradient = Make(
        "KB0008", "Differentiable op has no gradient method",
        "differentiable op '{0}' has no gradient method Gradients.{1}: add 'public static Tensor?[] {1}(GradContext g)' to the partial class KerasBackend.Autodiff.Gradients (Runtime/Autodiff/Gradients.<Family>.cs), or remove \"differentiable\" if no gradient flows", Category, DiagnosticSeverity.Error,
        "Add 'static Tensor?[] {1}(GradContext g)' to the partial class KerasBackend.Autodiff.Gradients (Runtime/Autodiff/Gradients.<Family>.cs), or set \"differentiable\": false in the spec.");

    public static readonly DiagnosticDescriptor UnknownCompositeMethod = Make(
        "KB0009", "Composite method not found",
        "Op '{0}': composite method '{1}' not found ({2}): add '{3}' (composites live in 'internal static class <Family>Ops' in namespace KerasBackend.Composites, Runtime/Ops/<Family>Ops.cs, named in the spec as \"Composites.<Family>Ops.<CSharp>\")", Category, DiagnosticSeverity.Error,
        "A composite op's 'method' names a static method relative to namespace KerasBackend; the generated facade calls it with the op's arguments.");

    public static readonly DiagnosticDescriptor CompositeSignature = Make(
        "KB0010", "Composite method has the wrong signature",
        "Op '{0}': {1} does not take the op's arguments (found: {2}): declare it as '{3}' (the parameters' C# types in spec order; a result convertible to the op's result type)", Category, DiagnosticSeverity.Error,
        "The generated facade passes every parameter of the op, in spec order, with the types of Spec/README.md's parameter table, and returns the method's result.");

    public static readonly DiagnosticDescriptor GradientSignature = Make(
        "KB0011", "Gradient method has the wrong signature",
        "differentiable op '{0}': gradient method {1} has the wrong signature: declare it as 'public static Tensor?[] {2}(GradContext g)'", Category, DiagnosticSeverity.Error,
        "The gradient table binds each differentiable kernel op to a GradientFunction: one GradContext parameter, one gradient per input back.");

    public static readonly DiagnosticDescriptor RuleArguments = Make(
        "KB0012", "Rule arguments do not fit the rule's method",
        "Op '{0}': the {1} rule '{2}' cannot take the arguments {3}: its method is {4}; pass arguments of those types in that order", Category, DiagnosticSeverity.Error,
        "A rule's arity and argument types are its method's. Shape and dtype rules receive axes absolute (axis as int, axes and pair as int[]); checks receive the arguments as the user passed them.");

    public static readonly DiagnosticDescriptor InvalidPlaceholder = Make(
        "KB0013", "Invalid message placeholder",
        "Op '{0}': the error message placeholder {1} is invalid: {2}", Category, DiagnosticSeverity.Error,
        "Error messages may use {op}, {p}, {p.shape}, {p.ndim}, {p.dtype}, {p.shapes} and {p.values}, where p is a parameter of the op.");

    public static readonly DiagnosticDescriptor UnknownField = Make(
        "KB0014", "Unknown field",
        "Op '{0}': unknown field '{1}' in {2}: the fields are {3} (a typo, or a field the format does not have)", Category, DiagnosticSeverity.Error,
        "The generator would otherwise ignore the field silently (a misspelt \"differentiable\" would make the op non-differentiable).");

    public static readonly DiagnosticDescriptor MissingLowering = Make(
        "KB0015", "Op has no ONNX lowering",
        "Op '{0}' has no ONNX lowering: add an \"onnx\" field to its spec entry (Spec/README.md, 'ONNX lowering': one ONNX op with its attributes, \"subgraph\", or \"composite\" for a composite op)", Category, DiagnosticSeverity.Error,
        "Every op declares how it lowers to ONNX, so that any graph can be exported and the onnx backend can run it: an op without a lowering does not build, as a differentiable op without its gradient does not (KB0008).");

    public static readonly DiagnosticDescriptor MissingLoweringMethod = Make(
        "KB0016", "Subgraph lowering method not found",
        "Op '{0}' lowers to an ONNX subgraph but has no lowering method: add 'public static void {1}(LoweringContext c)' to the partial class KerasBackend.Onnx.Lowerings (Runtime/Onnx/Lowerings.<Family>.cs)", Category, DiagnosticSeverity.Error,
        "\"onnx\": \"subgraph\" names a C# method by the op's C# name that emits the op's ONNX nodes; without it the op has no lowering, which does not build (KB0015).");

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
        "KB0009" => UnknownCompositeMethod,
        "KB0010" => CompositeSignature,
        "KB0011" => GradientSignature,
        "KB0012" => RuleArguments,
        "KB0013" => InvalidPlaceholder,
        "KB0014" => UnknownField,
        "KB0015" => MissingLowering,
        "KB0016" => MissingLoweringMethod,
        "KB0100" => MissingKernels,
        _ => throw new System.ArgumentException($"No diagnostic descriptor has the id '{id}' (a generator bug: add the descriptor, its test and its page docs/diagnostics/{id}.md).", nameof(id)),
    };
}
