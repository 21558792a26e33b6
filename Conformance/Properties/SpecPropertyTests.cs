using CsCheck;

namespace KerasBackend.Conformance.Properties;

/// <summary>
/// Properties generated from the spec for every op whose shape rule the generators know (<see cref="SpecGen"/>):
/// every built-in backend agrees with the <c>numpy</c> reference backend, and every invalid call raises exactly
/// the error kind the spec declares. A failure prints the call (op, dtypes, shapes, args) and the CsCheck seed.
/// </summary>
public class SpecPropertyTests
{
    private const int Iterations = 60;

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
            foreach (var op in OpRegistry.All.Where(o => o.Params.Any(p => p.Type == "tensor" && p.Default is null))) d.Add(op.Name);
            return d;
        }
    }

    [Theory, MemberData(nameof(GeneratedOps))]
    public void Every_backend_agrees_with_numpy(string name)
    {
        var op = OpRegistry.Find(name)!;
        // Random ops draw from each backend's own generator: only dtype and shape must agree (their laws check the values).
        bool random = op.Params.Any(p => p.Type == "seed");
        SpecGen.Valid(op).Sample(plan =>
        {
            var reference = Outcome.Run(plan, "numpy");
            if (reference.Error is not null && reference.ErrorKind is null)
                throw new Xunit.Sdk.XunitException($"numpy backend crashed on {plan}: {reference}");
            int terms = plan.Tensors.Select(t => t.Shape.Aggregate(1, (a, b) => a * b)).DefaultIfEmpty(1).Max();
            foreach (var b in Backend.BuiltIn.Where(b => b != "numpy"))
            {
                var got = Outcome.Run(plan, b);
                if (got.ErrorKind != reference.ErrorKind || (got.Error is not null && got.ErrorKind is null))
                    throw new Xunit.Sdk.XunitException($"{b} gave {got}, numpy gave {reference}, for {plan}");
                if (random && reference.Result is Tensor rw && got.Result is Tensor rh && (rw.DType != rh.DType || rw.Shape != rh.Shape))
                    throw new Xunit.Sdk.XunitException($"{b} gave {Outcome.Describe(rh)}, numpy {Outcome.Describe(rw)}, for {plan}");
                if (!random && reference.Result is Tensor want && got.Result is Tensor have && Compare.Tensors(want, have, terms) is { } diff)
                    throw new Xunit.Sdk.XunitException($"{b} differs from numpy: {diff}, for {plan}\n  numpy: {Outcome.Describe(want)}\n  {b}: {Outcome.Describe(have)}");
            }
        }, iter: Iterations, threads: 1, print: p => p.ToString());
    }

    [Theory, MemberData(nameof(InvalidChecks))]
    public void Invalid_arguments_raise_the_declared_error(string name, string check)
    {
        var op = OpRegistry.Find(name)!;
        string kind = SpecGen.KindOf(op, check);
        var gen = SpecGen.Invalid(op).First(g => g.Check == check).Gen;
        gen.Sample(plan =>
        {
            foreach (var b in Backend.BuiltIn)
            {
                var got = Outcome.Run(plan, b);
                if (got.ErrorKind != kind)
                    throw new Xunit.Sdk.XunitException($"{name} violating {check} should raise {kind}; on {b} it gave {got}, for {plan}");
                if (got.Error is KerasValueException { Op: var o } && o != name)
                    throw new Xunit.Sdk.XunitException($"the error names op '{o}', not '{name}': {got.Error.Message}");
            }
        }, iter: Iterations / 2, threads: 1, print: p => p.ToString());
    }

    [Theory, MemberData(nameof(OpsWithTensorParams))]
    public void A_missing_null_or_mistyped_tensor_is_a_TypeError(string name)
    {
        var op = OpRegistry.Find(name)!;
        var first = op.Params.First(p => p.Type == "tensor" && p.Default is null);
        foreach (var bad in new object?[] { null, "not a tensor", new object() })
        {
            var args = new Dictionary<string, object?>();
            if (bad is not null || true) args[first.Name] = bad;
            AssertTypeError(name, args, $"{first.Name}={Format.Py(bad)}");
        }
        AssertTypeError(name, new Dictionary<string, object?>(), $"no {first.Name}");
    }

    private static void AssertTypeError(string name, Dictionary<string, object?> args, string what)
    {
        foreach (var b in Backend.BuiltIn)
        {
            using var _ = Backend.Use(b);
            var e = Record.Exception(() => OpRegistry.Invoke(name, args));
            var k = Assert.IsAssignableFrom<KerasValueException>(e);
            Assert.True(k.KerasKind == "TypeError", $"{name}({what}) on {b}: expected TypeError, got {k.KerasKind}: {k.Message}");
        }
    }
}
