using System.Text.RegularExpressions;
using CsCheck;

namespace KerasBackend.Properties;

/// <summary>A violated property: the message says what was called and what came back.</summary>
public sealed class PropertyFailure(string message) : Exception(message);

/// <summary>
/// The seed and iteration count every property samples with, for the current async flow: the defaults of each
/// property unless a caller (<c>kbackend check --properties --seed S --iterations N</c>) sets them with <see cref="Use"/>.
/// </summary>
public static class Sampling
{
    private sealed record Settings(string? Seed, int? Iterations);

    private static readonly AsyncLocal<Settings?> s_current = new();

    /// <summary>The CsCheck seed of the first sample (a failure prints the seed that reproduces it), or null for a random one.</summary>
    public static string? Seed => s_current.Value?.Seed;

    /// <summary>The iterations to run: <paramref name="byDefault"/> unless a caller set a count.</summary>
    public static int Iter(int byDefault) => s_current.Value?.Iterations ?? byDefault;

    /// <summary>Sets the seed and iteration count until the returned scope is disposed.</summary>
    public static IDisposable Use(string? seed, int? iterations)
    {
        var previous = s_current.Value;
        s_current.Value = new Settings(seed, iterations);
        return new Scope(() => s_current.Value = previous);
    }

    private sealed class Scope(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}

/// <summary>
/// The properties generated from the spec, each checking one backend: agreement with the <c>numpy</c> reference backend
/// over generated shapes, dtypes and arguments (<see cref="SpecGen.Valid"/>), the declared error kind for every
/// generated violation of a check (<see cref="SpecGen.Invalid"/>), a TypeError for a missing or mistyped tensor, and
/// the algebraic laws (<see cref="Laws"/>). Each throws (CsCheck's shrunk failure, or <see cref="PropertyFailure"/>)
/// when the property does not hold.
/// </summary>
public static class SpecProperties
{
    /// <summary>Iterations of the agreement property per op (the error properties run half as many).</summary>
    public const int DefaultIterations = 60;

    /// <summary>Every valid generated call gives on <paramref name="backend"/> what it gives on numpy: same dtype and shape, values within tolerance, or the same error kind.</summary>
    public static void AgreesWithNumpy(OpInfo op, string backend)
    {
        // Random ops draw from each backend's own generator: only dtype and shape must agree (their laws check the values).
        bool random = op.Params.Any(p => p.Type == "seed");
        SpecGen.Valid(op).Sample(plan =>
        {
            var reference = Outcome.Run(plan, "numpy");
            if (reference.Error is not null && reference.ErrorKind is null)
                throw new PropertyFailure($"numpy backend crashed on {plan}: {reference}");
            int terms = plan.Tensors.Select(t => t.Shape.Aggregate(1, (a, b) => a * b)).DefaultIfEmpty(1).Max();
            var got = Outcome.Run(plan, backend);
            if (got.ErrorKind != reference.ErrorKind || (got.Error is not null && got.ErrorKind is null))
                throw new PropertyFailure($"{backend} gave {got}, numpy gave {reference}, for {plan}");
            if (random && reference.Result is Tensor rw && got.Result is Tensor rh && (rw.DType != rh.DType || rw.Shape != rh.Shape))
                throw new PropertyFailure($"{backend} gave {Outcome.Describe(rh)}, numpy {Outcome.Describe(rw)}, for {plan}");
            if (!random && reference.Result is Tensor want && got.Result is Tensor have && Compare.Tensors(want, have, terms) is { } diff)
                throw new PropertyFailure($"{backend} differs from numpy: {diff}, for {plan}\n  numpy: {Outcome.Describe(want)}\n  {backend}: {Outcome.Describe(have)}");
        }, seed: Sampling.Seed, iter: Sampling.Iter(DefaultIterations), threads: 1, print: p => p.ToString());
    }

    /// <summary>Every generated call violating <paramref name="check"/> raises the error kind the spec declares for it, naming the op.</summary>
    public static void RaisesDeclaredError(OpInfo op, string check, string backend)
    {
        string kind = SpecGen.KindOf(op, check);
        SpecGen.Invalid(op).First(g => g.Check == check).Gen.Sample(plan =>
        {
            var got = Outcome.Run(plan, backend);
            if (got.ErrorKind != kind)
                throw new PropertyFailure($"{op.Name} violating {check} should raise {kind}; on {backend} it gave {got}, for {plan}");
            if (got.Error is KerasValueException { Op: var o } && o != op.Name)
                throw new PropertyFailure($"the error names op '{o}', not '{op.Name}': {got.Error.Message}");
        }, seed: Sampling.Seed, iter: Sampling.Iter(DefaultIterations / 2), threads: 1, print: p => p.ToString());
    }

    /// <summary>A null, a string, an object that is not a tensor, and no value at all for the first required tensor are each a TypeError.</summary>
    public static void RejectsNonTensors(OpInfo op, string backend)
    {
        var first = op.Params.First(p => p.Type == "tensor" && p.Default is null);
        foreach (var bad in new object?[] { null, "not a tensor", new object() })
            ExpectTypeError(op.Name, new Dictionary<string, object?> { [first.Name] = bad }, $"{first.Name}={Format.Py(bad)}", backend);
        ExpectTypeError(op.Name, new Dictionary<string, object?>(), $"no {first.Name}", backend);
    }

    private static void ExpectTypeError(string name, Dictionary<string, object?> args, string what, string backend)
    {
        using var _ = Backend.Use(backend);
        try
        {
            OpRegistry.Invoke(name, args);
        }
        catch (KerasValueException k) when (k.KerasKind == "TypeError") { return; }
        catch (Exception e)
        {
            throw new PropertyFailure($"{name}({what}) on {backend}: expected TypeError, got {(e is KerasValueException k ? k.KerasKind : e.GetType().Name)}: {e.Message}");
        }
        throw new PropertyFailure($"{name}({what}) on {backend}: expected TypeError, the call succeeded");
    }

    /// <summary>Ops whose first required parameter is a tensor (<see cref="RejectsNonTensors"/> applies).</summary>
    public static bool TakesTensors(OpInfo op) => op.Params.Any(p => p.Type == "tensor" && p.Default is null);
}

/// <summary>One property for one backend: a name, the op it concerns, and the check.</summary>
public sealed record Property(string Name, string Op, Action<string> Check);

/// <summary>The outcome of one property: passed, or the failure (shrunk by CsCheck) with the seed that reproduces it.</summary>
public sealed record PropertyResult(Property Property, bool Passed, string? Failure, string? Seed, TimeSpan Elapsed);

/// <summary>Lists every property of the spec and runs them against a backend (what <c>kbackend check --properties</c> does).</summary>
public static class PropertyRunner
{
    /// <summary>Every property: agreement with numpy, declared errors, non-tensor arguments, laws; in a stable order.</summary>
    public static IReadOnlyList<Property> All()
    {
        var list = new List<Property>();
        foreach (var op in OpRegistry.All)
        {
            if (SpecGen.Supports(op)) list.Add(new($"agrees with numpy: {op.Name}", op.Name, b => SpecProperties.AgreesWithNumpy(op, b)));
            if (op.IsKernel)
                foreach (var (check, _) in SpecGen.Invalid(op))
                    list.Add(new($"raises {SpecGen.KindOf(op, check)} ({check}): {op.Name}", op.Name, b => SpecProperties.RaisesDeclaredError(op, check, b)));
            if (SpecProperties.TakesTensors(op)) list.Add(new($"TypeError for a non-tensor: {op.Name}", op.Name, b => SpecProperties.RejectsNonTensors(op, b)));
        }
        foreach (var law in Laws.All)
            list.Add(new($"law: {law.Name}", string.Join(",", law.Ops), _ => law.Check()));
        return list;
    }

    /// <summary>
    /// Runs <paramref name="properties"/> on <paramref name="backend"/> (a built-in name or an external reference), each
    /// from <paramref name="seed"/> (null: random) with <paramref name="iterations"/> samples (null: each property's default).
    /// The configuration is restored to Keras' defaults before each property, as the laws expect.
    /// </summary>
    public static IEnumerable<PropertyResult> Run(IEnumerable<Property> properties, string backend, string? seed, int? iterations)
    {
        foreach (var p in properties)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            PropertyResult result;
            using (Sampling.Use(seed, iterations))
            using (Backend.Use(backend))
            {
                try
                {
                    KerasBackend.Cases.CaseRunner.RestoreDefaults();
                    p.Check(backend);
                    result = new PropertyResult(p, true, null, null, watch.Elapsed);
                }
                catch (Exception e)
                {
                    result = new PropertyResult(p, false, Describe(e), SeedOf(e), watch.Elapsed);
                }
            }
            yield return result;
        }
    }

    /// <summary>CsCheck's report (the shrunk input and the seed) with the failure under it; any other exception as type and message.</summary>
    private static string Describe(Exception e) => e switch
    {
        CsCheckException c when c.InnerException is { } inner => $"{c.Message.Trim()}\n{Describe(inner)}",
        CsCheckException c => c.Message.Trim(),
        PropertyFailure f => f.Message,
        KerasValueException k => $"{k.KerasKind}: {k.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    /// <summary>The seed CsCheck prints for a failure (<c>Set seed: "..."</c>), or null.</summary>
    internal static string? SeedOf(Exception e) =>
        e is CsCheckException && Regex.Match(e.Message, "seed: \"([^\"]+)\"", RegexOptions.IgnoreCase) is { Success: true } m ? m.Groups[1].Value : null;
}
