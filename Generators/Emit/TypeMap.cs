using System.Collections.Generic;
using System.Linq;
using KerasBackend.Generators.Model;

namespace KerasBackend.Generators.Emit;

/// <summary>
/// One spec parameter type: how it appears in the facade (<see cref="Public"/>), whether and how it reaches the kernel,
/// the registry's converter from a loose value (<c>ArgConvert.&lt;Converter&gt;</c>), and how the facade treats it.
/// </summary>
/// <param name="Name">The spec's name (<c>tensor?</c>).</param>
/// <param name="Public">The facade's C# type.</param>
/// <param name="Kernel">The kernel's C# type: <see cref="Public"/>, another type (axes arrive absolute and non-null), or null when the
/// parameter is not passed (the output carries it).</param>
/// <param name="Converter">The <c>KerasBackend.ArgConvert</c> method the registry converts a loose argument with.</param>
/// <param name="NullChecked">The facade rejects null with a Keras error naming the parameter.</param>
/// <param name="TensorLike">A tensor input of the graph (recorded as a node input, not an attribute).</param>
/// <param name="IntOverload">The facade adds an overload taking a single <c>int</c> (Keras accepts an int or a list).</param>
/// <param name="Doc">What the type is, for Spec/README.md.</param>
internal sealed record ParamType(string Name, string Public, string? Kernel, string Converter, bool NullChecked, bool TensorLike, bool IntOverload, string Doc)
{
    /// <summary>An enum the facade checks against its declared values (a cast such as <c>(DType)9</c> is a TypeError).</summary>
    public bool EnumChecked { get; init; }
}

/// <summary>
/// How each spec type appears in the public facade, in the kernel contract and in the registry. This table is the only
/// list of spec types in the generator: the parser accepts exactly its names, the emitters read their columns, and
/// tests hold <c>Spec/op.schema.json</c> and <c>Spec/README.md</c> to it.
/// </summary>
internal static class TypeMap
{
    public const string Tensor = "global::KerasBackend.Tensor";
    public const string TensorList = "global::System.Collections.Generic.IReadOnlyList<global::KerasBackend.Tensor>";
    /// <summary>An rnn step: (input_t, states + constants) → (output_t, new_states).</summary>
    /// <summary>map_fn's function: an element → its result.</summary>
    public const string MapFunction = "global::System.Func<global::KerasBackend.Tensor, global::KerasBackend.Tensor>";
    /// <summary>foldl's and foldr's function: (accumulator, element) → accumulator.</summary>
    public const string FoldFunction = "global::System.Func<global::KerasBackend.Tensor, global::KerasBackend.Tensor, global::KerasBackend.Tensor>";
    /// <summary>cond's branches: () → result.</summary>
    public const string BranchFunction = "global::System.Func<global::KerasBackend.Tensor>";
    /// <summary>while_loop's cond: loop variables → a one-element truth value.</summary>
    public const string LoopCondition = "global::System.Func<" + TensorList + ", global::KerasBackend.Tensor>";
    /// <summary>while_loop's body: loop variables → the next loop variables.</summary>
    public const string LoopBody = "global::System.Func<" + TensorList + ", " + TensorList + ">";
    /// <summary>scan's f: (carry, x or null) → (carry, y or null).</summary>
    public const string ScanFunction = "global::System.Func<global::KerasBackend.Tensor, global::KerasBackend.Tensor?, (global::KerasBackend.Tensor carry, global::KerasBackend.Tensor? y)>";
    public const string StepFunction = "global::System.Func<global::KerasBackend.Tensor, " + TensorList + ", (global::KerasBackend.Tensor output, " + TensorList + " states)>";

    /// <summary>Every parameter type, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<ParamType> ParamTypes = new[]
    {
        new ParamType("tensor", Tensor, Tensor, "Tensor", true, true, false, "a tensor (or variable)"),
        new ParamType("tensor?", Tensor + "?", Tensor + "?", "TensorOrNull", false, true, false, "an optional tensor"),
        new ParamType("tensors", TensorList, TensorList, "Tensors", true, true, false, "a list of tensors (`concatenate`, `stack`)"),
        new ParamType("tensors?", TensorList + "?", TensorList + "?", "TensorsOrNull", false, false, false, "an optional list of tensors, passed as an attribute (`rnn`'s constants)"),
        new ParamType("int", "int", "int", "Int", false, false, false, "an integer"),
        new ParamType("int?", "int?", "int?", "IntOrNull", false, false, false, "an optional integer"),
        new ParamType("ints", "int[]", "int[]", "Shape", true, false, true, "a list of integers as given (`tile`'s n); an `int` overload"),
        new ParamType("ints?", "int[]?", "int[]?", "IntsOrNull", false, false, false, "an optional list of integers as given (null: the op's default; the registry also flattens nested pairs, ((1, 2), (3, 4)) → [1, 2, 3, 4])"),
        new ParamType("bools", "bool[]", "bool[]", "Bools", true, false, false, "a list of booleans, one per dimension (`pattern_broadcast`'s broadcastable); null check"),
        new ParamType("float", "double", "double", "Double", false, false, false, "a number"),
        new ParamType("float?", "double?", "double?", "DoubleOrNull", false, false, false, "an optional number"),
        new ParamType("bool", "bool", "bool", "Bool", false, false, false, "a boolean"),
        new ParamType("string", "string", "string", "String", true, false, false, "a string"),
        new ParamType("string?", "string?", "string?", "StringOrNull", false, false, false, "an optional string"),
        new ParamType("seed", "int?", "int?", "IntOrNull", false, false, false, "a random seed (null: a fresh one)"),
        new ParamType("axis", "int", "int", "Int", false, false, false, "one axis; the kernel gets it absolute (`of` names the tensor whose rank bounds it; default `x`)"),
        new ParamType("axes", "int[]?", "int[]", "AxesOrNull", false, false, true, "axes; null → every axis; the kernel gets them absolute and sorted; an `int` overload"),
        new ParamType("pair", "int[]?", "int[]", "AxesOrNull", false, false, true, "batch_dot's axis pair; the kernel gets it absolute; an `int` overload"),
        new ParamType("shape", "int[]", null, "Shape", true, false, false, "an output shape; not passed to kernels (the output has it)"),
        new ParamType("dtype", "global::KerasBackend.DType?", null, "DTypeOrNull", false, false, false, "an output dtype; not passed to kernels (the output has it); checked to be a declared DType") { EnumChecked = true },
        new ParamType("value", "object", "object", "Value", true, false, false, "any value (arrays, numbers, tensors); composites only"),
        new ParamType("object", "object?", "object?", "Value", false, false, false, "any value or null; composites only"),
        new ParamType("function", "global::System.Delegate", "global::System.Delegate", "Function", true, false, false, "a delegate; composites only"),
        new ParamType("step_function", StepFunction, StepFunction, "StepFunction", true, false, false, "an rnn step (input_t, states) → (output_t, new_states); composites only"),
        new ParamType("map_function", MapFunction, MapFunction, "MapFunction", true, false, false, "map_fn's function, an element → its result; composites only (case files name one: sum, square, ...)"),
        new ParamType("fold_function", FoldFunction, FoldFunction, "FoldFunction", true, false, false, "foldl's and foldr's function, (accumulator, element) → accumulator; composites only (case files name one: add, multiply, ...)"),
        new ParamType("branch_function", BranchFunction, BranchFunction, "BranchFunction", true, false, false, "cond's branch, () → result; composites only (case files name one: one, zero)"),
        new ParamType("loop_condition", LoopCondition, LoopCondition, "LoopCondition", true, false, false, "while_loop's cond, loop variables → a one-element truth value; composites only (case files name one: sum_below_100, ...)"),
        new ParamType("loop_body", LoopBody, LoopBody, "LoopBody", true, false, false, "while_loop's body, loop variables → the next loop variables; composites only (case files name one: double, ...)"),
        new ParamType("scan_function", ScanFunction, ScanFunction, "ScanFunction", true, false, false, "scan's f, (carry, x or null) → (carry, y or null); composites only (case files name one: cumsum, ...)"),
        new ParamType("int_shape", "int?[]?", "int?[]?", "IntShapeOrNull", false, false, false, "a shape with unknown (null) dimensions (placeholders); composites only"),
        new ParamType("updates", "global::System.Collections.Generic.IEnumerable<object>?", "global::System.Collections.Generic.IEnumerable<object>?", "UpdatesOrNull", false, false, false, "update tensors (`K.Update(...)`) or (variable, value) tuples; composites only"),
    };

    /// <summary>Every result type: spec name → the facade's C# return type.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> ResultTypes = new[]
    {
        new KeyValuePair<string, string>("tensor", Tensor),
        new KeyValuePair<string, string>("variable", "global::KerasBackend.Variable"),
        new KeyValuePair<string, string>("tensors", TensorList),
        new KeyValuePair<string, string>("void", "void"),
        new KeyValuePair<string, string>("int", "int"),
        new KeyValuePair<string, string>("long", "long"),
        new KeyValuePair<string, string>("float", "double"),
        new KeyValuePair<string, string>("bool", "bool"),
        new KeyValuePair<string, string>("string", "string"),
        new KeyValuePair<string, string>("int_shape", "int?[]"),
        new KeyValuePair<string, string>("object", "object?"),
        new KeyValuePair<string, string>("function", "global::KerasBackend.KFunction"),
        new KeyValuePair<string, string>("rnn_result", "global::KerasBackend.RnnResult"),
        new KeyValuePair<string, string>("ctc_decode_result", "global::KerasBackend.CtcDecodeResult"),
        new KeyValuePair<string, string>("scope", "global::System.IDisposable"),
        new KeyValuePair<string, string>("delegate", "global::System.Delegate"),
        new KeyValuePair<string, string>("session", "global::KerasBackend.KerasSession"),
    };

    private static readonly Dictionary<string, ParamType> s_params = ParamTypes.ToDictionary(t => t.Name);
    private static readonly Dictionary<string, string> s_results = ResultTypes.ToDictionary(t => t.Key, t => t.Value);

    public static bool IsParamType(string type) => s_params.ContainsKey(type);
    public static bool IsResultType(string type) => s_results.ContainsKey(type);

    public static ParamType Param(string type) => s_params[type];

    public static string Public(string type) => s_params[type].Public;

    /// <summary>Kernel parameter type, or null when the parameter is not passed to kernels (the output carries it).</summary>
    public static string? Kernel(ParamModel p) => p.Name == "name" ? null : s_params[p.Type].Kernel;

    /// <summary>The type a rule or check receives for the parameter: axes normalized (absolute) for shape and dtype rules.</summary>
    public static string RuleArgument(ParamModel p, bool normalized) =>
        normalized && p.Type is "axis" or "axes" or "pair" ? s_params[p.Type].Kernel! : Public(p.Type);

    public static string Result(string type) => s_results[type];

    /// <summary>The registry's converter from a loose value (JSON-like: numbers, lists, strings, tensors) to the type.</summary>
    public static string Converter(string type) => s_params[type].Converter;

    public static bool IsTensorLike(ParamModel p) => s_params[p.Type].TensorLike;

    public static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string Literal(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    public static string ParamList(OpModel op, bool withDefaults) => string.Join(", ", op.Params.Select(p =>
        Public(p.Type) + " " + p.CSharpName + (withDefaults && p.Default is not null ? " = " + p.Default : "")));
}
