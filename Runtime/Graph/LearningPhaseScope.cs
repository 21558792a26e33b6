namespace KerasBackend.Graph;

/// <summary>
/// The hook between the learning-phase state (owned by the configuration code: <c>K.LearningPhase</c>,
/// <c>K.SetLearningPhase</c>) and graph evaluation. <see cref="KFunction"/> feeds the phase for one call by
/// entering a scope; whoever reads the phase must look at <see cref="Override"/> first.
/// </summary>
internal static class LearningPhaseScope
{
    // Per thread, not per async flow: a K.Function call runs synchronously on its caller's thread, and setting an
    // AsyncLocal would allocate a new execution context at every call that feeds the phase.
    [ThreadStatic] private static int? t_override;
    private static readonly Lazy<Tensor> s_placeholder = new(() =>
        GraphBuilder.Placeholder(Shape.Scalar, DType.Int32, "keras_learning_phase"));

    /// <summary>The phase fed to the K.Function call running on this thread, or null outside one.</summary>
    public static int? Override => t_override;

    /// <summary>The global phase when nothing is fed; the configuration code replaces it with its own state (Keras' default is 0).</summary>
    public static Func<int> Default { get; set; } = Session.PhaseWithoutFeed;

    /// <summary>The phase an evaluation sees now: the fed one, else the global one.</summary>
    public static int Current => t_override ?? Default();

    /// <summary>
    /// The symbolic scalar int32 tensor named <c>keras_learning_phase</c> (tf-keras' graph-mode learning phase):
    /// graphs may use it as a value; a K.Function that lists it among its inputs feeds it, otherwise it takes <see cref="Current"/>.
    /// </summary>
    public static Tensor Placeholder => s_placeholder.Value;

    /// <summary>Makes <paramref name="phase"/> the phase of this thread until the result is disposed.</summary>
    public static Scope Enter(int phase)
    {
        if (phase is not (0 or 1))
            throw new KerasValueException("function", "learning_phase", $"Expected learning phase to be 0 or 1. Received: learning_phase={phase}");
        var previous = t_override;
        t_override = phase;
        return new Scope(previous);
    }

    /// <summary>Restores the phase that was in effect before <see cref="Enter"/> (a struct: entering allocates nothing).</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int? _previous;
        private readonly bool _active;

        internal Scope(int? previous)
        {
            _previous = previous;
            _active = true;
        }

        public void Dispose()
        {
            if (_active) t_override = _previous;
        }
    }
}
