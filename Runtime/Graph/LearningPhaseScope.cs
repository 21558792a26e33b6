namespace KerasBackend.Graph;

/// <summary>
/// The hook between the learning-phase state (owned by the configuration code: <c>K.LearningPhase</c>,
/// <c>K.SetLearningPhase</c>) and graph evaluation. <see cref="KFunction"/> feeds the phase for one call by
/// entering a scope; whoever reads the phase must look at <see cref="Override"/> first.
/// </summary>
internal static class LearningPhaseScope
{
    private static readonly AsyncLocal<int?> s_override = new();
    private static readonly Lazy<Tensor> s_placeholder = new(() =>
        GraphBuilder.Placeholder(Shape.Scalar, DType.Int32, "keras_learning_phase"));

    /// <summary>The phase fed to the K.Function call running on this async flow, or null outside one.</summary>
    public static int? Override => s_override.Value;

    /// <summary>The global phase when nothing is fed; the configuration code replaces it with its own state (Keras' default is 0).</summary>
    public static Func<int> Default { get; set; } = Session.PhaseWithoutFeed;

    /// <summary>The phase an evaluation sees now: the fed one, else the global one.</summary>
    public static int Current => s_override.Value ?? Default();

    /// <summary>
    /// The symbolic scalar int32 tensor named <c>keras_learning_phase</c> (tf-keras' graph-mode learning phase):
    /// graphs may use it as a value; a K.Function that lists it among its inputs feeds it, otherwise it takes <see cref="Current"/>.
    /// </summary>
    public static Tensor Placeholder => s_placeholder.Value;

    /// <summary>Makes <paramref name="phase"/> the phase of this async flow until the result is disposed.</summary>
    public static IDisposable Enter(int phase)
    {
        if (phase is not (0 or 1))
            throw new KerasValueException("function", "learning_phase", $"Expected learning phase to be 0 or 1. Received: learning_phase={phase}");
        var previous = s_override.Value;
        s_override.Value = phase;
        return new Restore(previous);
    }

    private sealed class Restore(int? previous) : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            s_override.Value = previous;
        }
    }
}
