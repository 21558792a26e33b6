using KerasBackend.Properties;

namespace KerasBackend.Conformance.Properties;

/// <summary>
/// The properties generated from the spec (<see cref="SpecProperties"/>, shared with <c>kbackend check --properties</c>)
/// on every built-in backend: agreement with the <c>numpy</c> reference backend, the declared error kinds, and a
/// TypeError for a missing or mistyped tensor. A failure prints the call (op, dtypes, shapes, args) and the CsCheck seed.
/// </summary>
public class SpecPropertyTests
{
    public static TheoryData<string> GeneratedOps
    {
        get
        {
            var d = new TheoryData<string>();
            foreach (var op in OpRegistry.All.Where(SpecGen.Supports)) d.Add(op.Name);
            return d;
        }
    }

    public static TheoryData<string, string> InvalidChecks
    {
        get
        {
            var d = new TheoryData<string, string>();
            foreach (var op in OpRegistry.All.Where(o => o.IsKernel))
                foreach (var (check, _) in SpecGen.Invalid(op)) d.Add(op.Name, check);
            return d;
        }
    }

    public static TheoryData<string> OpsWithTensorParams
    {
        get
        {
            var d = new TheoryData<string>();
            foreach (var op in OpRegistry.All.Where(SpecProperties.TakesTensors)) d.Add(op.Name);
            return d;
        }
    }

    [Theory, MemberData(nameof(GeneratedOps))]
    public void Every_backend_agrees_with_numpy(string name)
    {
        foreach (var b in Backend.BuiltIn.Where(b => b != "numpy")) SpecProperties.AgreesWithNumpy(OpRegistry.Find(name)!, b);
    }

    [Theory, MemberData(nameof(InvalidChecks))]
    public void Invalid_arguments_raise_the_declared_error(string name, string check)
    {
        foreach (var b in Backend.BuiltIn) SpecProperties.RaisesDeclaredError(OpRegistry.Find(name)!, check, b);
    }

    [Theory, MemberData(nameof(OpsWithTensorParams))]
    public void A_missing_null_or_mistyped_tensor_is_a_TypeError(string name)
    {
        foreach (var b in Backend.BuiltIn) SpecProperties.RejectsNonTensors(OpRegistry.Find(name)!, b);
    }
}
