namespace KerasBackend;

public partial interface IBackend
{
    /// <summary>The name this backend is chosen by (<c>cpu</c>, <c>numpy</c>, or an external reference).</summary>
    string Name { get; }
}

/// <summary>Marks a class as a backend: the generator then checks it implements every kernel of the spec (KB0100).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BackendImplementationAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// The active backend. Chosen once per process from <c>KERAS_BACKEND</c> or keras.json (see <see cref="Config"/>),
/// changeable in code with <see cref="Set(string)"/> (process-wide) or <see cref="Use(string)"/> (scoped to the
/// current async flow, e.g. one test).
/// </summary>
public static class Backend
{
    private static IBackend? s_global;
    private static readonly AsyncLocal<IBackend?> s_scoped = new();
    private static readonly Lock s_lock = new();

    /// <summary>Built-in backend names.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = ["cpu", "numpy"];

    /// <summary>Names Python Keras knows but .NET does not run; seeing one in keras.json warns and uses the default.</summary>
    public static IReadOnlyList<string> PythonOnly { get; } = ["tensorflow", "theano", "cntk", "jax", "torch", "openvino", "mxnet", "plaidml.keras.backend"];

    /// <summary>The default backend.</summary>
    public const string Default = "cpu";

    /// <summary>The backend ops dispatch to right now.</summary>
    public static IBackend Current
    {
        get
        {
            var scoped = s_scoped.Value;
            if (scoped is not null) return scoped;
            var g = Volatile.Read(ref s_global);
            if (g is not null) return g;
            lock (s_lock)
            {
                if (s_global is null)
                {
                    var name = Config.Current.Backend;
                    s_global = BackendLoader.Resolve(name, fromConfig: true);
                    s_globalName = IsExternal(name) ? name : s_global.Name;
                }
                return s_global;
            }
        }
    }

    /// <summary>
    /// The name of the active backend as the user wrote it: <c>cpu</c>, <c>numpy</c>, or an external reference
    /// string verbatim (as Keras' <c>backend()</c> returns it).
    /// </summary>
    public static string CurrentName
    {
        get
        {
            var b = Current;
            return s_scopedName.Value is { } n && ReferenceEquals(s_scoped.Value, b) ? n
                : ReferenceEquals(b, s_global) && s_globalName is not null ? s_globalName : b.Name;
        }
    }

    private static string? s_globalName;
    private static readonly AsyncLocal<string?> s_scopedName = new();

    /// <summary>Makes <paramref name="name"/> the process-wide backend.</summary>
    public static void Set(string name)
    {
        var b = BackendLoader.Resolve(name, fromConfig: false);
        Set(b);
        s_globalName = IsExternal(name) ? name : b.Name;
    }

    private static bool IsExternal(string name) => name.Contains(':') && !BuiltIn.Contains(name);

    /// <summary>Makes <paramref name="backend"/> the process-wide backend.</summary>
    public static void Set(IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        lock (s_lock) { s_global = backend; s_globalName = backend.Name; }
        Config.NoteBackendSetInCode(backend.Name);
    }

    /// <summary>Uses <paramref name="name"/> until the returned scope is disposed, in the current async flow only.</summary>
    public static IDisposable Use(string name)
    {
        var scope = Use(BackendLoader.Resolve(name, fromConfig: false));
        var previousName = s_scopedName.Value;
        s_scopedName.Value = name;
        return new Scope(() => { scope.Dispose(); s_scopedName.Value = previousName; });
    }

    /// <inheritdoc cref="Use(string)"/>
    public static IDisposable Use(IBackend backend)
    {
        var previous = s_scoped.Value;
        s_scoped.Value = backend;
        return new Scope(() => s_scoped.Value = previous);
    }

    /// <summary>A built-in backend by name (a new instance each call; backends hold no state).</summary>
    public static IBackend Create(string name) => BackendLoader.Resolve(name, fromConfig: false);

    internal sealed class Scope(Action undo) : IDisposable
    {
        private Action? _undo = undo;
        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}
