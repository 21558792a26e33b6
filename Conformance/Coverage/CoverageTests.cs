using KerasBackend.Conformance.Cases;
using KerasBackend.Properties;

namespace KerasBackend.Conformance.Coverage;

/// <summary>
/// Coverage cannot fall behind silently: every op of the spec must have golden cases (Conformance/Golden) and
/// property coverage (a spec-driven generator in <see cref="SpecGen"/> or a law in <see cref="Laws"/>).
/// </summary>
public class CoverageTests
{
    /// <summary>
    /// Ops that reached main before their golden cases, with the module that should hold them. This list may only
    /// shrink: a new op cannot be added here without review, so its cases come with it. An op that gains cases is
    /// covered whether or not its entry is removed (so adding cases never breaks a merge); the entry is then dead.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> PendingGolden = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["backend"] = "state: the result is the name of whichever backend runs the cases",
        ["batch_set_value"] = "graph: takes (variable, value) pairs, and a case has at most one variable input",
        ["control_dependencies"] = "session: returns a scope whose effect shows only in graphs built inside it (Conformance/Graph/SessionFunctionTests)",
        ["eager"] = "session: takes and returns a delegate (Conformance/Graph/SessionFunctionTests)",
        ["get_session"] = "session: returns the session object, which a case cannot describe (Conformance/Graph/SessionFunctionTests)",
        ["symbolic"] = "session: takes and returns a delegate (Conformance/Graph/SessionFunctionTests)",
        ["clear_session"] = "state: resets session state (uids, learning phase) that no getter returns as a case result",
        ["function"] = "graph: needs placeholders (symbolic inputs) and returns a callable",
        ["get_uid"] = "state: the result depends on the uids handed out earlier in the process",
        ["gradients"] = "autodiff: needs symbolic inputs (a loss recorded from placeholders or variables)",
        ["input"] = "graph: returns a symbolic Keras tensor, which a case cannot describe",
        ["is_keras_tensor"] = "graph: the true case needs a symbolic input (K.Input)",
        ["is_placeholder"] = "graph: the true case needs a symbolic input (a placeholder)",
        ["manual_variable_initialization"] = "state: sets a session flag that no getter returns as a case result",
        ["placeholder"] = "graph: returns a symbolic tensor, which a case cannot describe",
        ["reset_uids"] = "state: its effect shows only through get_uid's session-dependent counters",
        ["sparse_dot"] = "graph: needs a sparse input, which the case format cannot encode",
        ["stop_gradient"] = "autodiff: cases/autodiff.py (autodiff)",
    };

    [Fact]
    public void Every_op_has_golden_cases()
    {
        var have = GoldenCorpus.Ops;
        var missing = OpRegistry.All.Where(o => !have.Contains(o.Name) && !PendingGolden.ContainsKey(o.Name)).Select(o => $"{o.Name} ({o.Category})").ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} op(s) have no golden cases: {string.Join(", ", missing)}. Add them to Conformance/GoldenMaker/cases/<family>.py and run ./build.sh golden.");
    }

    [Fact]
    public void The_pending_list_only_names_ops_of_the_spec()
    {
        var unknown = PendingGolden.Keys.Where(k => OpRegistry.Find(k) is null).ToList();
        Assert.True(unknown.Count == 0, $"PendingGolden names ops that are not in the spec: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_golden_case_names_an_op_of_the_spec()
    {
        var unknown = GoldenCorpus.Cases.Where(c => OpRegistry.Find(c.Op) is null).Select(c => c.Id).ToList();
        Assert.True(unknown.Count == 0, $"golden cases for ops missing from the spec: {string.Join(", ", unknown.Take(20))}");
    }

    [Fact]
    public void Every_op_has_property_coverage()
    {
        var laws = Laws.CoveredOps;
        var missing = OpRegistry.All.Where(o => !SpecGen.Supports(o) && !laws.Contains(o.Name)).Select(o => $"{o.Name} ({o.Category}, shape rule '{o.ShapeRule}')").ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} op(s) have no property coverage: {string.Join(", ", missing)}. Teach SpecGen the op's shape rule or add a law to Tools/Properties/Laws.cs.");
    }

    [Fact]
    public void Every_kernel_op_with_declared_errors_has_invalid_call_properties_or_golden_error_cases()
    {
        var errorCases = GoldenCorpus.Cases.Where(c => c.ExpectError is not null).Select(c => c.Op).ToHashSet(StringComparer.Ordinal);
        var missing = OpRegistry.All
            .Where(o => o.Errors.Count > 0 && !PendingGolden.ContainsKey(o.Name))
            .Where(o => SpecGen.Invalid(o).Count == 0 && !errorCases.Contains(o.Name))
            .Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, $"ops whose declared errors nothing exercises: {string.Join(", ", missing)}");
    }
}
