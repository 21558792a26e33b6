namespace KerasBackend.Generators.Model;

// Every type in this file is part of the incremental pipeline's cache key: keep each one immutable and
// equatable (records of strings, numbers, enums, other such records and EquatableArray). Never store a
// Roslyn symbol, SyntaxNode, Compilation or Location here.

/// <summary>One parameter of an op.</summary>
/// <param name="Name">Keras name (snake_case), used in case files and messages.</param>
/// <param name="CSharpName">camelCase C# parameter name.</param>
/// <param name="Type">A spec type: tensor, tensor?, tensors, int, int?, float, float?, bool, axis, axes, pair, shape, dtype, string, string?, seed, function.</param>
/// <param name="Default">The default as a C# expression, or null when required.</param>
/// <param name="DefaultJson">The default as written in the spec (JSON text), or null.</param>
/// <param name="Of">For axis/axes: the tensor parameter whose rank bounds the axis.</param>
internal sealed record ParamModel(string Name, string CSharpName, string Type, string? Default, string? DefaultJson, string Doc, string? Of);

/// <summary>A named rule (shape, dtype or check) and its arguments: parameter names or literal JSON values.</summary>
internal sealed record RuleModel(string Rule, EquatableArray<string> Args, string? Method);

/// <summary>An error an op can raise: a named check, the Keras error kind, the parameter it blames, the message template.</summary>
internal sealed record ErrorModel(RuleModel Check, string Kind, string Param, string Message);

/// <summary>One op of the spec.</summary>
internal sealed record OpModel(
    string Name,
    string CSharpName,
    string Category,
    string Origin,
    string Summary,
    string? Remarks,
    string? Example,
    EquatableArray<ParamModel> Params,
    string ResultType,
    string ResultDoc,
    RuleModel? DType,
    RuleModel? Shape,
    EquatableArray<ErrorModel> Errors,
    string Impl,
    string? Method,
    bool Differentiable,
    string SpecFile,
    int Line);

/// <summary>All ops of one spec file.</summary>
internal sealed record SpecFileModel(string Path, EquatableArray<OpModel> Ops);
