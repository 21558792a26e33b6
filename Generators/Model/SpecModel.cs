namespace KerasBackend.Generators.Model;

// Every type in this file is part of the incremental pipeline's cache key: keep each one immutable and
// equatable (records of strings, numbers, enums, other such records and EquatableArray). Never store a
// Roslyn symbol, SyntaxNode, Compilation or Location here, and never a line or column in OpModel (positions
// live in OpPositions, beside the ops).

/// <summary>One parameter of an op.</summary>
/// <param name="Name">Keras name (snake_case), used in case files and messages.</param>
/// <param name="CSharpName">camelCase C# parameter name.</param>
/// <param name="Type">A spec type: a name of <c>TypeMap.ParamTypes</c>.</param>
/// <param name="Default">The default as a C# expression, or null when required.</param>
/// <param name="DefaultJson">The default as written in the spec (JSON text), or null.</param>
/// <param name="Of">For axis/axes: the tensor parameter whose rank bounds the axis.</param>
internal sealed record ParamModel(string Name, string CSharpName, string Type, string? Default, string? DefaultJson, string Doc, string? Of);

/// <summary>A named rule (shape, dtype or check) and its arguments: parameter names or literal JSON values.</summary>
internal sealed record RuleModel(string Rule, EquatableArray<string> Args, string? Method);

/// <summary>
/// An error an op can raise: a named check, the Keras error kind, the parameter it blames, the message template.
/// <paramref name="ReadsValues"/>: the check's method is marked [ReadsValues] (set when the op is bound to the compilation),
/// so a K.Function runs it on every call, not only when input shapes change.
/// </summary>
internal sealed record ErrorModel(RuleModel Check, string Kind, string Param, string Message, bool ReadsValues = false);

/// <summary>One op of the spec.</summary>
/// <param name="SpecFile">The spec file's name (<c>math.json</c>), without folder: the registry shows it.</param>
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
    OnnxSpec? Onnx = null);

/// <summary>
/// How an op lowers to ONNX (the spec's <c>onnx</c> field): <paramref name="Kind"/> is <c>op</c> (one ONNX node
/// <paramref name="OnnxOp"/> with <paramref name="Attrs"/>, its tensor inputs cast as <paramref name="Inputs"/> says),
/// <c>subgraph</c> (the C# method <c>KerasBackend.Onnx.Lowerings.&lt;CSharp&gt;</c> emits the nodes) or
/// <c>composite</c> (a composite op: its definition records other ops, which lower themselves).
/// <paramref name="Inexact"/>: ONNX Runtime does not compute the op exactly as numpy does (the reason); the
/// <c>onnx</c> backend then runs the op's definition instead.
/// </summary>
internal sealed record OnnxSpec(string Kind, string? OnnxOp, EquatableArray<OnnxAttrSpec> Attrs, string Inputs, string? Inexact);

/// <summary>One attribute of an <c>op</c> lowering: from a parameter of the op (<paramref name="Param"/>) or a literal (JSON text).</summary>
internal sealed record OnnxAttrSpec(string Name, string? Param, string? Literal);

/// <summary>
/// All ops of one spec file, and where each op and its fields sit in the file. Positions are kept beside the ops,
/// never in them: an op's equality (the cache key of every emitting step) ignores where it is written, so inserting
/// lines above an op regenerates nothing; only the cheap step that locates diagnostics sees the new positions.
/// </summary>
internal sealed record SpecFileModel(string Path, EquatableArray<OpModel> Ops, EquatableArray<OpPositions> Positions);

/// <summary>A position in a spec file: 1-based line and column, and the character span.</summary>
internal sealed record SpecLocation(string File, int Line, int Column, int Offset, int Length);

/// <summary>A named place in an op's entry ("op", "name", "method", "dtype", "shape", "differentiable", "errors[2]", ...).</summary>
internal sealed record Anchor(string Key, SpecLocation Location);

/// <summary>
/// Where the <paramref name="Occurrence"/>-th op named <paramref name="Op"/> of a spec file (0 unless the file
/// declares the name twice) and its fields are written.
/// </summary>
internal sealed record OpPositions(string SpecFile, string Op, int Occurrence, EquatableArray<Anchor> Anchors);

/// <summary>
/// A diagnostic about an op found after parsing (merging files, binding to the compilation), before it is located:
/// it names the op and the anchor it points at; <see cref="Related"/> optionally names another op whose line is
/// appended to the last message argument. Located by <c>SpecGenerator</c> against the current positions.
/// </summary>
internal sealed record PendingDiagnostic(string Id, OpRef Op, string Anchor, EquatableArray<string> Args, OpRef? Related = null);

/// <summary>An op by spec file name, Keras name and occurrence in that file.</summary>
internal sealed record OpRef(string SpecFile, string Op, int Occurrence);
