using System.Text;
using KerasBackend.Cases;
using KerasBackend.Conformance.Cases;
using KerasBackend.Graph;
using KerasBackend.Onnx;
using KerasBackend.OnnxRuntime;
using Xunit.Abstractions;

namespace KerasBackend.Conformance.Onnx;

/// <summary>
/// Every golden case round-trips through ONNX: its tensor inputs become placeholders, the op is recorded as a one-op
/// K.Function, exported (opset 17), loaded by ONNX Runtime, run on the case's inputs and compared with numpy's value
/// exactly as `kbackend check` compares (same dtype, shape, tolerances). Cases that cannot go through ONNX are counted
/// per reason and printed, never dropped silently: error cases (the facade's checks, which run before anything is
/// recorded), ops that record no node (no tensor input: their value is a constant of the graph), ops that change
/// variables, random ops (ONNX Runtime has its own generator), and ops without a lowering (KB0015).
/// </summary>
[Collection(GlobalStateCollection.Name)]
public class OnnxRoundTripTests(ITestOutputHelper output)
{
    /// <summary>Ops that change variables or the configuration: their effect is not a value of the graph.</summary>
    private static readonly HashSet<string> StateOps = new(StringComparer.Ordinal)
    {
        "update", "update_add", "update_sub", "moving_average_update", "set_value", "batch_set_value", "variable",
        "set_floatx", "set_epsilon", "set_image_data_format", "set_learning_phase", "clear_session", "reset_uids",
        "manual_variable_initialization", "random_uniform_variable", "random_normal_variable", "get_uid",
    };

    /// <summary>Why a case does not go through ONNX Runtime, or null when it does.</summary>
    private static string? NotExported(Case c)
    {
        if (c.Problem is not null) return null;
        if (c.ExpectError is not null) return "error case (raised by the facade's checks before any node is recorded)";
        var info = OpRegistry.Find(c.Op);
        if (info is null) return null;
        if (OnnxExport.LoweringOf(c.Op) is null) return "no ONNX lowering (KB0015)";
        if (StateOps.Contains(c.Op)) return "changes a variable or the configuration";
        if (c.Op is "eval" or "get_value" or "batch_get_value") return "evaluates its argument at once (never a graph node)";
        if (info.ResultType is not ("tensor" or "tensors" or "ctc_decode_result")) return $"result is a {info.ResultType}, not a tensor";
        if (!info.Params.Any(p => p.Type is "tensor" or "tensor?" or "tensors")) return "no tensor input: the value is a constant of any graph";
        if (c.Inputs.Count == 0) return "no tensor input: the value is a constant of any graph";
        return null;
    }

    /// <summary>The op recorded on placeholders, exported, and run by ONNX Runtime on the case's values.</summary>
    private static object? RoundTrip(string op, Dictionary<string, object?> args)
    {
        var placeholders = new List<Tensor>();
        var values = new List<Tensor>();
        Tensor Stand(Tensor t, string name)
        {
            if (t is Variable || t.IsSparse) return t;
            var p = K.Placeholder(t.Shape.Dims.ToArray().Select(d => (int?)d).ToArray(), dtype: t.DType, name: name);
            placeholders.Add(p);
            values.Add(t);
            return p;
        }
        var symbolic = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in args)
            symbolic[k] = v switch
            {
                Tensor t => Stand(t, k),
                List<Tensor> list => list.Select((t, i) => Stand(t, $"{k}_{i}")).ToList(),
                _ => v,
            };
        var result = OpRegistry.Invoke(op, symbolic);
        var outputs = result switch
        {
            Tensor t => [t],
            IEnumerable<Tensor> ts => ts.ToList(),
            _ => throw new InvalidOperationException($"{op} returned {result?.GetType().Name ?? "null"}"),
        };
        var nodes = GraphBuilder.TopologicalOrder(outputs).Select(t => t.Node!.Op).ToList();
        if (nodes.Any(n => n.StartsWith("random", StringComparison.Ordinal) || n == "_dropout_mask"))
            throw new RandomGraphException();
        // An op whose spec marks its lowering inexact (ONNX Runtime differs from numpy, the spec says how): compared, listed, not failed.
        if (nodes.FirstOrDefault(n => OnnxExport.LoweringOf(n)?.EndsWith('*') == true) is { } inexactOp) Inexact.Add($"{op} ({inexactOp})");
        var f = K.Function(placeholders, outputs);
        using var model = OnnxModel.Load(f.ToOnnx());
        var got = model.Run(values.ToArray());
        return result is Tensor ? got[0] : got;
    }

    private sealed class RandomGraphException() : Exception("random");

    /// <summary>Case ops whose graph uses an op with an inexact lowering, and that op.</summary>
    private static readonly SortedSet<string> Inexact = new(StringComparer.Ordinal);

    [Fact]
    public void Every_golden_case_round_trips_through_onnx_runtime()
    {
        var skipped = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var run = new List<Case>();
        foreach (var c in GoldenCorpus.Cases)
        {
            var why = NotExported(c);
            if (why is null) { run.Add(c); continue; }
            if (!skipped.TryGetValue(why, out var ops)) skipped[why] = ops = new SortedSet<string>(StringComparer.Ordinal);
            ops.Add(c.Op);
        }
        var random = new SortedSet<string>(StringComparer.Ordinal);
        var unlowered = new SortedSet<string>(StringComparer.Ordinal);
        var unrecorded = new SortedSet<string>(StringComparer.Ordinal);
        var refused = new SortedSet<string>(StringComparer.Ordinal);
        var runner = new CaseRunner(Backend.Create("cpu")) { Invoke = (op, args) =>
        {
            try { return RoundTrip(op, args); }
            catch (RandomGraphException) { random.Add(op); return null; }
            catch (KerasValueException e) when (e is not OnnxExportException)
            {
                // The op refuses symbolic inputs with a Keras error (a loop that must be unrolled): it cannot be recorded here.
                unrecorded.Add(op);
                return null;
            }
            catch (OnnxExportException e) when (e.GraphOp == "ctc_decode")
            {
                // The lowering refuses a form ONNX cannot express (beam search); the spec marks the op inexact for it.
                refused.Add($"{op} ({e.Message})");
                return null;
            }
            catch (OnnxExportException e) when (e.Message.Contains("has no ONNX lowering", StringComparison.Ordinal))
            {
                // A composite whose definition uses an op without a lowering (KB0015): listed, not compared.
                unlowered.Add($"{op} (uses {e.GraphOp})");
                return null;
            }
        } };
        var results = runner.RunAll(run);
        var failures = results.Where(r => !r.Passed && !random.Contains(r.Case.Op) && !unrecorded.Contains(r.Case.Op) && !refused.Any(u => u.StartsWith(r.Case.Op + " (", StringComparison.Ordinal)) && !Inexact.Any(u => u.StartsWith(r.Case.Op + " (", StringComparison.Ordinal)) && !unlowered.Any(u => u.StartsWith(r.Case.Op + " (", StringComparison.Ordinal))).ToList();
        var report = new StringBuilder();
        report.AppendLine($"{results.Count(r => r.Passed)} of {run.Count} cases round-trip through ONNX Runtime ({results.Select(r => r.Case.Op).Distinct().Count()} ops).");
        foreach (var (why, ops) in skipped) report.AppendLine($"not exported: {why}: {string.Join(", ", ops)}");
        var inexactFailed = results.Where(r => !r.Passed && Inexact.Any(u => u.StartsWith(r.Case.Op + " (", StringComparison.Ordinal))).Select(r => r.Case.Id).ToList();
        if (Inexact.Count > 0) report.AppendLine($"inexact lowering (the spec says why), differences listed, not failed: {string.Join(", ", Inexact)}; differing cases: {string.Join(", ", inexactFailed)}");
        if (unrecorded.Count > 0) report.AppendLine($"not exported: raises a Keras error on symbolic inputs (cannot be recorded this way): {string.Join(", ", unrecorded)}");
        if (refused.Count > 0) report.AppendLine($"not exported: the lowering refuses the case's form: {string.Join("; ", refused)}");
        if (unlowered.Count > 0) report.AppendLine($"not exported: the definition uses an op without ONNX lowering: {string.Join(", ", unlowered)}");
        if (random.Count > 0) report.AppendLine($"not compared: the graph draws random numbers (ONNX Runtime's own generator): {string.Join(", ", random)}");
        foreach (var f in failures.Take(40)) report.AppendLine($"FAIL {f.Case.Id}: {f.Reason} | inputs {f.Inputs} | want {f.Expected} | got {f.Got}");
        output.WriteLine(report.ToString());
        Assert.True(failures.Count == 0, $"{failures.Count} case(s) differ after the ONNX round trip:\n{report}");
    }
}
