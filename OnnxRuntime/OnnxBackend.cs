using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
public sealed class OnnxBackend : OpCallBackend, IFunctionBackend, IOwnRandomStream
{
    private static readonly ConcurrentDictionary<string, Lazy<OpSession>> s_ops = new(StringComparer.Ordinal);
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
        var session = fresh ? Build(op, inputs, attrs, output)
            : s_ops.GetOrAdd(Key(op, inputs, attrs, output), _ => new Lazy<OpSession>(() => Build(op, inputs, attrs, output))).Value;
        try
        {
            session.Run(inputs, output);
        }
        catch (OnnxRuntimeException e)
        {
            throw Failure(op, e);
        }
        finally
        {
            if (fresh) session.Dispose();
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

    /// <summary>The random kernels and the composites that draw from them: their values come from ONNX Runtime's generator here.</summary>
    private static readonly IReadOnlySet<string> s_ownRandom = new HashSet<string>(StringComparer.Ordinal)
    {
        "random_uniform", "random_normal", "random_bernoulli", "random_binomial", "truncated_normal",
        "dropout", "random_uniform_variable", "random_normal_variable",
    };

    /// <inheritdoc/>
    string? IOwnRandomStream.OwnRandomStream(string op) => s_ownRandom.Contains(op)
        ? "ONNX Runtime's random generator: the same distribution, other values than the Philox stream of cpu and numpy"
        : null;

    /// <summary>A random op called with a seed (its last non-tensor parameter in the spec).</summary>
    private static bool IsSeededRandom(string op, object?[] attrs) =>
        (op.StartsWith("random_", StringComparison.Ordinal) || op == "truncated_normal") && attrs.Length > 0 && attrs[^1] is int;

    private static OpSession Build(string op, Tensor?[] inputs, object?[] attrs, Tensor output)
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
            return new OpSession(bytes);
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

    /// <summary>
    /// The session of one op call: the inputs are read and the output written in place (ONNX Runtime values over the
    /// tensors' pinned buffers), so a call copies nothing.
    /// </summary>
    private sealed class OpSession : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly string[] _inputs, _outputs;
        private readonly RunOptions _run = new();

        public OpSession(byte[] model)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            _session = new InferenceSession(model, options);
            _inputs = _session.InputNames.ToArray();
            _outputs = _session.OutputNames.ToArray();
        }

        public void Run(Tensor?[] inputs, Tensor output)
        {
            int n = 0;
            foreach (var t in inputs) if (t is not null) n++;
            var handles = new GCHandle[n + 1];
            var values = new OrtValue[n];
            OrtValue? result = null;
            try
            {
                int k = 0;
                foreach (var t in inputs)
                    if (t is not null) { values[k] = Over(t, ref handles[k]); k++; }
                result = Over(output, ref handles[n]);
                _session.Run(_run, _inputs, values, _outputs, [result]);
            }
            finally
            {
                result?.Dispose();
                foreach (var v in values) v?.Dispose();
                foreach (var h in handles) if (h.IsAllocated) h.Free();
            }
        }

        /// <summary>An ONNX Runtime value over <paramref name="t"/>'s buffer, pinned by <paramref name="handle"/>.</summary>
        private static OrtValue Over(Tensor t, ref GCHandle handle)
        {
            var shape = new long[t.Rank];
            for (int i = 0; i < shape.Length; i++) shape[i] = t.Shape[i];
            handle = GCHandle.Alloc(t.Data, GCHandleType.Pinned);
            return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, OnnxModel.ToElementType(t.DType), shape,
                handle.AddrOfPinnedObject(), (long)t.Size * t.DType.ItemSize());
        }

        public void Dispose()
        {
            _run.Dispose();
            _session.Dispose();
        }
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
