using System.Collections.Concurrent;

namespace KerasBackend;

/// <summary>
/// What <c>K.GetSession()</c> returns: the session state of this library, and a <see cref="Run(Tensor, IReadOnlyDictionary{Tensor, object}?)"/>
/// in the manner of TensorFlow 1's <c>Session.run(fetches, feed_dict)</c>.
/// </summary>
/// <remarks>
/// In TensorFlow 1 a session owns the graph's variable values and runs fetches. Here variables hold their own values and
/// <c>K.Function</c> runs graphs, so a session holds the rest of the per-session state: the uid counters
/// (<c>K.GetUid</c>), the learning phase set by <c>K.SetLearningPhase</c> and the <c>manual_variable_initialization</c> flag.
/// <c>K.SetSession(s)</c> makes that state current; <c>K.ClearSession()</c> starts a new session (as TensorFlow's
/// <c>clear_session</c> does). Variables are not part of it: switching sessions does not change their values.
/// </remarks>
public sealed class KerasSession
{
    private ConcurrentDictionary<string, int> _uids = new();
    private int _learningPhase = -1;   // -1: never set, reads as 0 (Keras' eager default)
    private int _manualInit;

    /// <summary>A session with fresh state: no uid handed out, no learning phase set, manual initialization off.</summary>
    public KerasSession() => Id = Interlocked.Increment(ref s_next);

    private static long s_next;

    /// <summary>A number telling sessions apart (1 for the first one made in the process).</summary>
    public long Id { get; }

    internal ConcurrentDictionary<string, int> Uids
    {
        get => Volatile.Read(ref _uids);
        set => Volatile.Write(ref _uids, value);
    }

    internal int LearningPhase
    {
        get => Volatile.Read(ref _learningPhase);
        set => Volatile.Write(ref _learningPhase, value);
    }

    internal bool ManualInit
    {
        get => Volatile.Read(ref _manualInit) == 1;
        set => Volatile.Write(ref _manualInit, value ? 1 : 0);
    }

    /// <summary>True while this is the session <c>K.GetSession()</c> returns.</summary>
    public bool IsCurrent => ReferenceEquals(Session.Current, this);

    /// <summary>
    /// Computes <paramref name="fetches"/>, feeding each placeholder of <paramref name="feedDict"/> its value (tf.Session.run):
    /// a one-shot <c>K.Function(feeds, fetches)</c>, so the same checks and conversions apply. Runs with this session's state current.
    /// </summary>
    public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> fetches, IReadOnlyDictionary<Tensor, object>? feedDict = null)
    {
        ArgumentNullException.ThrowIfNull(fetches);
        var feeds = feedDict?.ToArray() ?? [];
        var previous = Session.Current;
        Session.SetCurrent(this);
        try
        {
            var f = K.Function(feeds.Select(p => p.Key).ToArray(), fetches, name: "session_run");
            return f.Call(feeds.Select(p => p.Value).ToArray());
        }
        finally
        {
            if (ReferenceEquals(Session.Current, this)) Session.SetCurrent(previous);
        }
    }

    /// <summary>As <see cref="Run(IReadOnlyList{Tensor}, IReadOnlyDictionary{Tensor, object}?)"/> for one fetch.</summary>
    public Tensor Run(Tensor fetch, IReadOnlyDictionary<Tensor, object>? feedDict = null) =>
        Run([fetch ?? throw Errors.Null("session.run", "fetches")], feedDict)[0];

    public override string ToString() => $"<KerasSession {Id}{(IsCurrent ? " (current)" : "")}>";
}
