using System.Collections.Concurrent;

namespace KerasBackend.Samples;

/// <summary>
/// An external backend that runs every kernel on the built-in <c>cpu</c> backend and counts the calls per op.
/// Deriving from the generated <see cref="DelegatingBackend"/> keeps it complete as ops are added to the spec.
/// </summary>
/// <example>
/// <code>KERAS_BACKEND=path/to/KerasBackend.Samples.ExternalBackend.dll:KerasBackend.Samples.CountingBackend</code>
/// </example>
public sealed class CountingBackend : DelegatingBackend
{
    private static readonly ConcurrentDictionary<string, long> s_calls = new();

    /// <summary>Wraps a new <c>cpu</c> backend.</summary>
    public CountingBackend() : base(Backend.Create("cpu")) { }

    /// <inheritdoc/>
    public override string Name => "counting";

    /// <summary>Kernel calls so far, by Keras op name, across every instance in this load context.</summary>
    public static IReadOnlyDictionary<string, long> Calls => s_calls;

    /// <summary>Forgets the counts.</summary>
    public static void ResetCounts() => s_calls.Clear();

    /// <inheritdoc/>
    protected override void OnKernel(string name) => s_calls.AddOrUpdate(name, 1, static (_, n) => n + 1);
}

/// <summary>A type that is not a backend: loading it must fail with a clear error (used by the tests).</summary>
public sealed class NotABackend
{
    /// <summary>A method with a kernel's name does not make a backend.</summary>
    public void Add() { }
}
