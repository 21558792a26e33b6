using System.Text;
using KerasBackend.Cases;

namespace KerasBackend.Conformance.Cases;

/// <summary>Replays the numpy-made golden corpus on every built-in backend: one test per op per backend.</summary>
[Collection(GlobalStateCollection.Name)]
public class GoldenReplayTests
{
    public static TheoryData<string, string> OpsAndBackends
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var op in GoldenCorpus.Ops.Order(StringComparer.Ordinal))
                foreach (var b in Backend.BuiltIn) data.Add(op, b);
            return data;
        }
    }

    [Theory, MemberData(nameof(OpsAndBackends))]
    public void Golden_cases_pass(string op, string backend)
    {
        var cases = GoldenCorpus.Cases.Where(c => c.Op == op).ToList();
        Assert.NotEmpty(cases);
        var results = new CaseRunner(Backend.Create(backend)).RunAll(cases);
        var failed = results.Where(r => !r.Passed).ToList();
        Assert.True(failed.Count == 0, Report(op, backend, results.Count, failed));
    }

    [Fact]
    public void The_corpus_is_present_and_well_formed()
    {
        Assert.NotEmpty(GoldenCorpus.Files);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in GoldenCorpus.Cases)
        {
            Assert.Null(c.Problem);
            Assert.True(ids.Add(c.Id), $"duplicate case id {c.Id}");
        }
    }

    internal static string Report(string op, string backend, int total, IReadOnlyList<CaseResult> failed)
    {
        var sb = new StringBuilder($"{op} on {backend}: {failed.Count} of {total} golden cases failed.\n");
        foreach (var f in failed.Take(10))
            sb.Append($"- {f.Case.Id}: {f.Reason}\n    inputs:   {f.Inputs}\n    expected: {f.Expected}\n    got:      {f.Got}\n");
        if (failed.Count > 10) sb.Append($"... and {failed.Count - 10} more (`kbackend check --backend {backend}` lists them all)\n");
        return sb.ToString();
    }
}
