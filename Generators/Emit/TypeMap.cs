using System.Linq;
using KerasBackend.Generators.Model;

namespace KerasBackend.Generators.Emit;

/// <summary>How each spec type appears in the public facade, in the kernel contract and in the registry.</summary>
internal static class TypeMap
{
    public const string Tensor = "global::KerasBackend.Tensor";
    public const string TensorList = "global::System.Collections.Generic.IReadOnlyList<global::KerasBackend.Tensor>";
    /// <summary>An rnn step: (input_t, states + constants) → (output_t, new_states).</summary>
    public const string StepFunction = "global::System.Func<global::KerasBackend.Tensor, " + TensorList + ", (global::KerasBackend.Tensor output, " + TensorList + " states)>";

    public static string Public(string type) => type switch
    {
        "tensor" => Tensor,
        "tensor?" => Tensor + "?",
        "tensors" => TensorList,
        "int" or "axis" => "int",
        "int?" or "seed" => "int?",
        "float" => "double",
        "float?" => "double?",
        "bool" => "bool",
        "axes" or "pair" => "int[]?",
        "shape" => "int[]",
        "dtype" => "global::KerasBackend.DType?",
        "string" => "string",
        "value" => "object",
        "object" => "object?",
        "function" => "global::System.Delegate",
        "int_shape" => "int?[]?",
        "updates" => "global::System.Collections.Generic.IEnumerable<object>?",
        "ints" => "int[]",
        "ints?" => "int[]?",
        "tensors?" => TensorList + "?",
        "step_function" => StepFunction,
        _ => "string?",
    };

    /// <summary>Kernel parameter type, or null when the parameter is not passed to kernels (the output carries it).</summary>
    public static string? Kernel(ParamModel p) => p.Name == "name" ? null : p.Type switch
    {
        "shape" or "dtype" => null,
        "axes" or "pair" => "int[]",
        _ => Public(p.Type),
    };

    public static string Result(string type) => type switch
    {
        "tensor" => Tensor,
        "variable" => "global::KerasBackend.Variable",
        "tensors" => TensorList,
        "object" => "object?",
        "function" => "global::KerasBackend.KFunction",
        "void" => "void",
        "int" => "int",
        "long" => "long",
        "float" => "double",
        "bool" => "bool",
        "string" => "string",
        "rnn_result" => "global::KerasBackend.RnnResult",
        _ => "int?[]",
    };

    /// <summary>The registry's converter from a loose value (JSON-like: numbers, lists, strings, tensors) to the type.</summary>
    public static string Converter(string type) => type switch
    {
        "tensor" => "Tensor",
        "tensor?" => "TensorOrNull",
        "tensors" => "Tensors",
        "int" or "axis" => "Int",
        "int?" or "seed" => "IntOrNull",
        "float" => "Double",
        "float?" => "DoubleOrNull",
        "bool" => "Bool",
        "axes" or "pair" => "AxesOrNull",
        "shape" => "Shape",
        "dtype" => "DTypeOrNull",
        "string" => "String",
        "value" or "object" => "Value",
        "function" => "Function",
        "int_shape" => "IntShapeOrNull",
        "updates" => "UpdatesOrNull",
        "ints" => "Shape",
        "ints?" => "IntsOrNull",
        "tensors?" => "TensorsOrNull",
        "step_function" => "StepFunction",
        _ => "StringOrNull",
    };

    public static bool IsTensorLike(ParamModel p) => p.Type is "tensor" or "tensor?" or "tensors";

    public static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string Literal(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    public static string ParamList(OpModel op, bool withDefaults) => string.Join(", ", op.Params.Select(p =>
        Public(p.Type) + " " + p.CSharpName + (withDefaults && p.Default is not null ? " = " + p.Default : "")));
}
