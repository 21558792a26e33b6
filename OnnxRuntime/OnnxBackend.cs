using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using KerasBackend.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace KerasBackend.OnnxRuntime;

/// <summary>
/// The <c>onnx</c> backend: every kernel runs on ONNX Runtime as a session built from the op's ONNX lowering (the spec's
/// <c>onnx</c> field, the same lowerings <c>ExportOnnx</c> writes), cached by op, input dtypes and shapes, arguments and
/// result; a <see cref="KFunction"/> runs as one session compiled from its whole graph (gradients and updates included).
/// Chosen by name (<c>Backend.Set("onnx")</c>, <c>KERAS_BACKEND=onnx</c>) when the application references this assembly.
/// </summary>
/// <remarks>
/// Composite ops never reach a backend: their definitions record or run other ops, so on this backend they run on ONNX
/// Runtime through those. Kernel ops whose lowering the spec marks inexact (ONNX Runtime does not compute them as numpy
/// does) never run on another backend's kernels: <c>print_tensor</c> runs its Identity on ONNX Runtime and prints on the
/// host; the random ops draw from ONNX Runtime's own generator (seeded: the same distributions, other values than the
/// Philox stream of <c>cpu</c> and <c>numpy</c>); any other inexact op raises a <see cref="KerasValueException"/> naming it.
/// </remarks>
public sealed class OnnxBackend : OpCallBackend, IFunctionBackend
{
    private static readonly ConcurrentDictionary<string, Lazy<OnnxModel>> s_ops = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<KFunction, ConcurrentDictionary<string, Lazy<CompiledFunction?>>> s_functions = new();

    /// <inheritdoc/>
    public override string Name => "onnx";

    /// <summary>Sessions cached for single op calls (one per op, dtypes, shapes and arguments).</summary>
    public static int CachedOpSessions => s_ops.Count;

    private static int s_compiled;

    /// <summary>Functions compiled into one session so far (each function once per learning phase and input shapes).</summary>
    public static int CompiledFunctions => Volatile.Read(ref s_compiled);

    /// <inheritdoc/>
    protected override void RunOp(string op, Tensor?[] inputs, object?[] attrs, Tensor output)
    {
        var lowering = OnnxRuntimeModels.Lowering(op)
            ?? throw new KerasValueException(op, null, $"{op}: the op has no ONNX lowering yet (see `kbackend ops`, column onnx), so the onnx backend cannot run it.");
        if (lowering.Inexact is not null && !RunDespiteInexact.Contains(op))
            throw new KerasValueException(op, null, $"{op}: the onnx backend cannot run this op: ONNX Runtime does not compute it as numpy does ({lowering.Inexact}) and it has no composite definition.");
        if (output.Size == 0) return;
        // A seeded random op gets a session of its own: ONNX Runtime's generator advances with each run of a session, and
        // the same seed must give the same values at every call.
        bool fresh = IsSeededRandom(op, attrs);
        var model = fresh ? Build(op, inputs, attrs, output)
            : s_ops.GetOrAdd(Key(op, inputs, attrs, output), _ => new Lazy<OnnxModel>(() => Build(op, inputs, attrs, output))).Value;
        var present = inputs.OfType<Tensor>().ToArray();
        Tensor result;
        try
        {
            result = model.Run(present)[0];
        }
        catch (OnnxRuntimeException e)
        {
            throw Failure(op, e);
        }
        finally
        {
            if (fresh) model.Dispose();
        }
        using (result)
        {
            if (result.DType != output.DType || result.Shape != output.Shape)
                throw new KerasValueException(op, null, $"{op}: ONNX Runtime returned {result.DType.Name()}{result.Shape} where {output.DType.Name()}{output.Shape} was inferred (a lowering bug).");
            output.CopyFrom(result);
        }
        if (op == "print_tensor") TensorPrint.Print(inputs[0]!, (string)attrs[0]!, (int)attrs[1]!);
    }

    /// <summary>
    /// Inexact ops (the spec's <c>inexact</c> note) that this backend still runs on ONNX Runtime, and why that is right:
    /// print_tensor's value is an Identity (the printing is done here, on the host); the random ops draw from ONNX Runtime's
    /// own generator (the same distributions as the Philox stream of cpu and numpy, other values). Any other inexact kernel op
    /// has no definition ONNX Runtime computes as numpy does, and raises instead of running on another backend.
    /// </summary>
    internal static readonly IReadOnlySet<string> RunDespiteInexact = new HashSet<string>(StringComparer.Ordinal)
    {
        "print_tensor", "random_uniform", "random_normal", "random_bernoulli", "random_binomial", "truncated_normal",
    };

    /// <summary>A random op called with a seed (its last non-tensor parameter in the spec).</summary>
    private static bool IsSeededRandom(string op, object?[] attrs) =>
        (op.StartsWith("random_", StringComparison.Ordinal) || op == "truncated_normal") && attrs.Length > 0 && attrs[^1] is int;

    private static OnnxModel Build(string op, Tensor?[] inputs, object?[] attrs, Tensor output)
    {
        byte[] bytes;
        try
        {
            bytes = OnnxRuntimeModels.ForOp(op, inputs, attrs, output);
        }
        catch (OnnxExportException e)
        {
            throw new KerasValueException(op, null, $"{op}: the onnx backend cannot lower this call: {e.Reason}");
        }
        catch (Exception e) when (e is not (KerasValueException or KerasTypeException or KerasIndexException))
        {
            throw new KerasValueException(op, null, $"{op}: the onnx backend could not lower this call (a lowering bug): {e.GetType().Name}: {e.Message}");
        }
        try
        {
            return OnnxModel.Load(bytes, threads: 1);
        }
        catch (OnnxRuntimeException e)
        {
            throw Failure(op, e);
        }
    }

    private static KerasValueException Failure(string op, OnnxRuntimeException e) =>
        new(op, null, $"{op}: ONNX Runtime failed on the onnx backend: {e.Message}");

    /// <summary>The cache key of a call: op, each input's dtype, shape and weakness, the arguments, the result's dtype and shape.</summary>
    private static string Key(string op, Tensor?[] inputs, object?[] attrs, Tensor output)
    {
        var sb = new StringBuilder(op);
        foreach (var t in inputs)
        {
            sb.Append('|');
            if (t is null) sb.Append('-');
            else sb.Append(t.DType.Name()).Append(t.Shape).Append(t.IsWeak ? "w" : "");
        }
        foreach (var a in attrs)
        {
            sb.Append('#');
            Append(sb, a);
        }
        return sb.Append("->").Append(output.DType.Name()).Append(output.Shape).ToString();
    }

    private static void Append(StringBuilder sb, object? a)
    {
        switch (a)
        {
            case null: sb.Append("null"); break;
            case double d: sb.Append(BitConverter.DoubleToInt64Bits(d)); break;
            case string s: sb.Append('"').Append(s).Append('"'); break;
            case System.Collections.IEnumerable list:
                sb.Append('[');
                foreach (var e in list) { Append(sb, e); sb.Append(','); }
                sb.Append(']');
                break;
            default: sb.Append(a); break;
        }
    }

    /// <inheritdoc/>
    Tensor[]? IFunctionBackend.TryCall(KFunction f, Tensor[] fed, int learningPhase)
    {
        var byShape = s_functions.GetValue(f, _ => new ConcurrentDictionary<string, Lazy<CompiledFunction?>>(StringComparer.Ordinal));
        var key = learningPhase + ":" + string.Join(";", fed.Select(t => t.DType.Name() + t.Shape));
        var compiled = byShape.GetOrAdd(key, _ => new Lazy<CompiledFunction?>(() => CompiledFunction.TryCompile(f, learningPhase))).Value;
        return compiled?.Call(f, fed);
    }

    /// <summary>A function compiled into one session: its inputs (placeholders, then variables), its outputs, then the updated variables' new values.</summary>
    private sealed class CompiledFunction
    {
        private readonly OnnxModel _model;
        private readonly Variable?[] _variableInputs;  // per model input after the placeholders: its variable
        private readonly Variable[] _updated;
        private readonly string[] _updateOps;

        private CompiledFunction(OnnxModel model, Variable?[] variableInputs, Variable[] updated, string[] updateOps)
        {
            _model = model; _variableInputs = variableInputs; _updated = updated; _updateOps = updateOps;
        }

        /// <summary>
        /// The function as one model, or null when it runs node by node instead: its graph uses an inexact op that must not run
        /// inside a graph (print_tensor, or one this backend refuses) or an op without lowering, or an update that
        /// is not an assignment, or two updates of one variable (which apply one after the other).
        /// </summary>
        public static CompiledFunction? TryCompile(KFunction f, int learningPhase)
        {
            // Random ops draw from ONNX Runtime's generator in the compiled graph too (a seeded one advances with each call, so
            // a dropout mask is new at each training step); print_tensor must print at each call, which a graph cannot.
            foreach (var op in OnnxRuntimeModels.GraphOps(f))
                if (OnnxRuntimeModels.Lowering(op) is { Inexact: not null } && (op == "print_tensor" || !RunDespiteInexact.Contains(op))) return null;
            var updated = OnnxRuntimeModels.UpdatedVariables(f);
            if (updated.Distinct(ReferenceEqualityComparer.Instance).Count() != updated.Length) return null;
            byte[] bytes;
            Dictionary<string, Variable> variables;
            try
            {
                bytes = OnnxRuntimeModels.ForFunction(f, learningPhase, out variables);
            }
            catch (OnnxExportException)
            {
                return null;
            }
            var model = OnnxModel.Load(bytes);
            Interlocked.Increment(ref s_compiled);
            var inputs = model.InputNames.Select(n => variables.GetValueOrDefault(n)).ToArray();
            return new CompiledFunction(model, inputs, updated, f.UpdateOperands.Select(u => u.Op).ToArray());
        }

        public Tensor[] Call(KFunction f, Tensor[] fed)
        {
            var ins = new Tensor[_variableInputs.Length];
            int k = 0;
            for (int i = 0; i < ins.Length; i++) ins[i] = _variableInputs[i] ?? fed[k++];
            Tensor[] all;
            try
            {
                all = _model.Run(ins);
            }
            catch (OnnxRuntimeException e)
            {
                throw new KerasValueException("function", null, $"{f.Name}: ONNX Runtime failed on the onnx backend: {e.Message}");
            }
            int n = f.Outputs.Count;
            for (int u = 0; u < _updated.Length; u++)
            {
                using var value = all[n + u];
                var v = _updated[u];
                lock (v.UpdateLock) v.Assign(value, _updateOps[u]);
            }
            return all[..n];
        }
    }
}
