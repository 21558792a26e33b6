using KerasBackend.Conformance.Cases;
using KerasBackend.Properties;

namespace KerasBackend.Conformance.Properties;

/// <summary>Runs every algebraic law of <see cref="Laws"/> on every built-in backend (some laws change process-wide state).</summary>
[Collection(GlobalStateCollection.Name)]
public class LawTests
{
    public static TheoryData<string, string> LawsAndBackends
    {
        get
        {
            var d = new TheoryData<string, string>();
            foreach (var law in Laws.All) foreach (var b in Backend.BuiltIn) d.Add(law.Name, b);
            return d;
        }
    }

    [Theory, MemberData(nameof(LawsAndBackends))]
    public void Law_holds(string law, string backend)
    {
        using var _ = Backend.Use(backend);
        Laws.All.Single(l => l.Name == law).Check();
    }
}
