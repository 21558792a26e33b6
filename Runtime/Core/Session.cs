using System.Collections.Concurrent;

namespace KerasBackend;

/// <summary>How ops run inside a <see cref="Session.Symbolic{T}"/> or <see cref="Session.Eager{T}"/> scope.</summary>
public enum ExecutionMode { Default, Symbolic, Eager }

/// <summary>
/// Session state: per-prefix uids, the learning phase, the manual-variable-initialization flag and the
/// symbolic/eager scopes. <see cref="ClearSession"/> resets it.
/// </summary>
/// <remarks>
/// Thread safety: every member may be called from any thread. Process-wide: <see cref="SetLearningPhase"/>,
/// <see cref="ResetUids"/>, <see cref="ClearSession"/>, <see cref="SetManualVariableInitialization"/>.
/// Scoped to the current async flow (an <see cref="AsyncLocal{T}"/>, so parallel tests or requests do not see each
/// other; tasks started inside inherit it): <see cref="LearningPhaseScope"/>, <see cref="Symbolic{T}"/>,
/// <see cref="Eager{T}"/>, and the phase a K.Function call is fed.
/// </remarks>
public static class Session
{
    private static KerasSession s_current = new();
    private static readonly AsyncLocal<int?> s_phaseScope = new();
    private static readonly AsyncLocal<ExecutionMode> s_mode = new();

    /// <summary>Raised by <see cref="ClearSession"/> after the session state is reset, so that other parts (graphs, caches) drop what they hold.</summary>
    public static event Action? Cleared;

    /// <summary>Next uid for <paramref name="prefix"/>: 1 on the first call, then 2, ... (Keras' get_uid).</summary>
    public static int GetUid(string prefix = "") => Current.Uids.AddOrUpdate(prefix ?? "", 1, static (_, v) => v + 1);

    /// <summary>Resets every uid counter: the next <see cref="GetUid"/> of any prefix returns 1.</summary>
    public static void ResetUids() => Current.Uids = new ConcurrentDictionary<string, int>();

    /// <summary>Number of prefixes with a uid counter (tests: clear_session keeps this flat).</summary>
    internal static int UidPrefixCount => Current.Uids.Count;

    /// <summary>
    /// The session whose state (uid counters, the global learning phase, the manual-initialization flag) the members of
    /// this class read and write: Keras' <c>get_session()</c>. <see cref="ClearSession"/> starts a new one.
    /// </summary>
    public static KerasSession Current => Volatile.Read(ref s_current);

    /// <summary>Makes <paramref name="session"/> the current session (Keras' <c>set_session</c>): its uids, learning phase and flag apply from now on, process-wide.</summary>
    public static void SetCurrent(KerasSession session) =>
        Volatile.Write(ref s_current, session ?? throw Errors.Null("set_session", "session"));

    /// <summary>
    /// The learning phase for this evaluation: 0 (test) or 1 (train). Precedence: the value a running
    /// <c>K.Function</c> was fed (<see cref="Graph.LearningPhaseScope.Override"/>), then the innermost
    /// <see cref="LearningPhaseScope"/>, then <see cref="SetLearningPhase"/>, else 0 as in Keras' eager mode.
    /// </summary>
    public static int LearningPhase => Graph.LearningPhaseScope.Override ?? PhaseWithoutFeed();

    /// <summary>The phase when no K.Function feeds one: the innermost scope, else the process-wide value, else 0.</summary>
    internal static int PhaseWithoutFeed() => s_phaseScope.Value ?? Math.Max(Current.LearningPhase, 0);

    /// <summary>True once <see cref="SetLearningPhase"/> was called (and not cleared): Keras' <c>global_learning_phase_is_set</c>.</summary>
    public static bool IsLearningPhaseSet => Current.LearningPhase >= 0;

    /// <summary>Sets the learning phase process-wide (Keras <c>set_learning_phase</c>): 0 or 1, else a ValueError.</summary>
    public static void SetLearningPhase(int value) => Current.LearningPhase = CheckPhase("set_learning_phase", value);

    /// <summary>Uses <paramref name="value"/> as the learning phase until the scope is disposed, in the current async flow only (tf-keras <c>learning_phase_scope</c>).</summary>
    /// <remarks>The previous value comes back when the scope is disposed, also when the body throws (<c>using</c> disposes in a <c>finally</c>).</remarks>
    public static IDisposable LearningPhaseScope(int value)
    {
        CheckPhase("learning_phase_scope", value);
        var previous = s_phaseScope.Value;
        s_phaseScope.Value = value;
        return new Backend.Scope(() => s_phaseScope.Value = previous);
    }

    private static int CheckPhase(string op, int value) => value is 0 or 1 ? value
        : throw new KerasValueException(op, "value", $"Expected learning phase to be 0 or 1. Received: value={value}");

    /// <summary>
    /// Keras <c>manual_variable_initialization</c>: true means the caller initializes variables itself. Variables here
    /// always hold their value from creation (there is no deferred initializer), so this flag is recorded and readable
    /// (<see cref="ManualVariableInitialization"/>) for code that consults it, and changes nothing else.
    /// </summary>
    public static void SetManualVariableInitialization(bool value) => Current.ManualInit = value;

    /// <summary>The flag set by <see cref="SetManualVariableInitialization"/> (false by default and after <see cref="ClearSession"/>).</summary>
    public static bool ManualVariableInitialization => Current.ManualInit;

    /// <summary>
    /// Resets the session (Keras <c>clear_session</c>): uids, the learning phase set by <see cref="SetLearningPhase"/>,
    /// the manual-initialization flag, then raises <see cref="Cleared"/>; with <paramref name="freeMemory"/> (the default,
    /// as in Keras 3) it also runs a full garbage collection. Configuration (floatx, epsilon, image_data_format) and
    /// the backend are kept, as in Keras.
    /// </summary>
    public static void ClearSession(bool freeMemory = true)
    {
        Volatile.Write(ref s_current, new KerasSession());
        Cleared?.Invoke();
        if (freeMemory) GC.Collect();
    }

    /// <summary>The mode of the innermost <see cref="Symbolic{T}"/> / <see cref="Eager{T}"/> scope in this async flow.</summary>
    public static ExecutionMode Mode => s_mode.Value;

    /// <summary>
    /// Where <c>K.PrintTensor</c> writes in this async flow: the writer of the innermost <see cref="PrintTo"/> scope,
    /// else <see cref="PrintOutput"/>, else <see cref="Console.Out"/> (tf.print's default, sys.stdout).
    /// </summary>
    public static TextWriter PrintWriter => s_printScope.Value ?? Volatile.Read(ref s_printOutput) ?? Console.Out;

    /// <summary>The process-wide writer of <c>K.PrintTensor</c> (null: <see cref="Console.Out"/>).</summary>
    public static TextWriter? PrintOutput
    {
        get => Volatile.Read(ref s_printOutput);
        set => Volatile.Write(ref s_printOutput, value);
    }

    /// <summary>Sends what <c>K.PrintTensor</c> prints in this async flow (eagerly or while a K.Function runs) to <paramref name="writer"/> until the scope is disposed.</summary>
    public static IDisposable PrintTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var previous = s_printScope.Value;
        s_printScope.Value = writer;
        return new Backend.Scope(() => s_printScope.Value = previous);
    }

    private static TextWriter? s_printOutput;
    private static readonly AsyncLocal<TextWriter?> s_printScope = new();

    /// <summary>True unless inside a <see cref="Symbolic{T}"/> scope (TensorFlow's <c>executing_eagerly()</c>).</summary>
    public static bool ExecutingEagerly => s_mode.Value != ExecutionMode.Symbolic;

    /// <summary>Keras' <c>@symbolic</c> decorator in C# form: runs <paramref name="body"/> with <see cref="Mode"/> = Symbolic.</summary>
    public static T Symbolic<T>(Func<T> body) => Run(ExecutionMode.Symbolic, body);

    /// <summary>Keras' <c>@eager</c> decorator in C# form: runs <paramref name="body"/> with <see cref="Mode"/> = Eager.</summary>
    public static T Eager<T>(Func<T> body) => Run(ExecutionMode.Eager, body);

    /// <summary>Wraps <paramref name="f"/> so that every call runs symbolically (the decorator applied to a function).</summary>
    public static Func<TIn, TOut> Symbolic<TIn, TOut>(Func<TIn, TOut> f) => x => Run(ExecutionMode.Symbolic, () => f(x));

    /// <summary>Wraps <paramref name="f"/> so that every call runs eagerly (the decorator applied to a function).</summary>
    public static Func<TIn, TOut> Eager<TIn, TOut>(Func<TIn, TOut> f) => x => Run(ExecutionMode.Eager, () => f(x));

    internal static T RunIn<T>(ExecutionMode mode, Func<T> body) => Run(mode, body);

    internal static void RunIn(ExecutionMode mode, Action body) => Run(mode, () => { body(); return 0; });

    private static T Run<T>(ExecutionMode mode, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var previous = s_mode.Value;
        s_mode.Value = mode;
        try { return body(); }
        finally { s_mode.Value = previous; }
    }
}
