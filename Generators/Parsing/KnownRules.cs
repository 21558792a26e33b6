using System.Collections.Generic;

namespace KerasBackend.Generators.Parsing;

/// <summary>
/// The named shape rules, dtype rules and checks the spec may use, with their argument counts.
/// Each maps to a static method of the same name in PascalCase in the runtime's ShapeRules, DTypeRules or
/// Checks class; "custom" names the method itself. Adding a rule: add it here and beside its twins there.
/// </summary>
internal static class KnownRules
{
    public static readonly Dictionary<string, int> Shape = new()
    {
        ["same"] = 1, ["broadcast"] = 2, ["reduce"] = 3, ["dot"] = 2, ["batch_dot"] = 3,
        ["concat"] = 2, ["transpose"] = 1, ["permute"] = 2, ["gather"] = 2, ["from_shape"] = 1,
        ["eye"] = 1, ["scalar"] = 0, ["reduce_axis"] = 2, ["custom"] = -1,
    };

    public static readonly Dictionary<string, int> DType = new()
    {
        ["same"] = 1, ["promote"] = 2, ["to_float"] = 1, ["sum"] = 1, ["param_or_floatx"] = 1,
        ["param_or_same"] = 2, ["param"] = 1, ["fixed"] = 1, ["custom"] = -1,
    };

    public static readonly Dictionary<string, int> Check = new()
    {
        ["rank_at_least"] = 2, ["rank_equals"] = 2, ["broadcastable"] = 2, ["axes_valid"] = 2,
        ["axis_valid"] = 2, ["dot_compatible"] = 2, ["concat_nonempty"] = 1, ["concat_ranks"] = 1,
        ["concat_compatible"] = 2, ["permutation_valid"] = 2, ["shape_valid"] = 1, ["integer_dtype"] = 1,
        ["float_dtype"] = 1, ["same_shape"] = 2, ["is_variable"] = 1, ["broadcasts_to"] = 2, ["nonempty_reduction"] = 2, ["custom"] = -1,
        ["eye_size_valid"] = 1, ["reshape_valid"] = 2, ["expand_axis_valid"] = 2, ["squeezable"] = 2, ["stack_axis_valid"] = 2,
        ["stack_compatible"] = 1, ["switch_ranks"] = 3, ["switch_broadcastable"] = 3, ["gather_indices_in_range"] = 2,
        ["batch_dot_ranks"] = 2, ["batch_dot_batch"] = 2, ["batch_dot_axes_count"] = 1, ["batch_dot_axes_range"] = 3,
        ["batch_dot_not_batch_axis"] = 3, ["batch_dot_sizes"] = 3, ["float_dtype_param"] = 1, ["rnn_unroll_fixed"] = 3,
        ["rnn_mask_states"] = 2, ["rnn_mask_shape"] = 3, ["rnn_input_length"] = 3,
        ["nonempty_axis"] = 2,
    };

    /// <summary>
    /// Checks that read a tensor's values, not only its shape, dtype and type: a K.Function runs them on every call,
    /// also when it skips the others for inputs shaped like those of a call that passed them. A custom check
    /// counts as one (its method is not known here).
    /// </summary>
    public static bool ReadsValues(string check) => check is "gather_indices_in_range" or "custom";

    public static readonly HashSet<string> ParamTypes = new()
    {
        "tensor", "tensor?", "tensors", "int", "int?", "float", "float?", "bool", "axis", "axes", "pair",
        "shape", "dtype", "string", "string?", "seed", "value", "function", "object", "int_shape", "updates",
        "ints", "ints?", "tensors?", "step_function",
    };

    public static readonly HashSet<string> ResultTypes = new()
    {
        "tensor", "variable", "void", "int", "long", "float", "bool", "string", "int_shape", "tensors", "object", "function",
        "rnn_result",
    };

    public static readonly HashSet<string> Origins = new() { "seed", "keras2", "keras3", "ours" };

    public static readonly HashSet<string> ErrorKinds = new() { "ValueError", "TypeError", "IndexError" };
}
