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
/// <remarks>
/// Tensors belong to no backend: their storage is plain .NET arrays shared by every backend, so a tensor made while
/// one backend was active is a valid input to any other, with no conversion (the kernel contract only reads and
/// fills tensors). Switching backends therefore never invalidates existing tensors or variables.
/// </remarks>
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
                    s_global = BackendLoader.Resolve(name, BackendOrigin.Config);
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

    /// <summary>Makes <paramref name="name"/> (a built-in name or an external reference) the process-wide backend.</summary>
    public static void Set(string name)
    {
        var b = BackendLoader.Resolve(name, BackendOrigin.Code);
        SetCore(b, IsExternal(name) ? name : b.Name);
    }

    private static bool IsExternal(string name) => name.Contains(':') && !BuiltIn.Contains(name);

    /// <summary>Makes <paramref name="backend"/> the process-wide backend.</summary>
    public static void Set(IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        SetCore(backend, backend.Name);
    }

    private static void SetCore(IBackend backend, string name)
    {
        lock (s_lock) { s_global = backend; s_globalName = name; }
        Config.NoteBackendSetInCode(name);
    }

    /// <summary>Forgets the process-wide backend so that the next use resolves it again from <see cref="Config"/> (tests).</summary>
    internal static void Reset()
    {
        lock (s_lock) { s_global = null; s_globalName = null; }
    }

    /// <summary>Uses <paramref name="name"/> until the returned scope is disposed, in the current async flow only.</summary>
    public static IDisposable Use(string name)
    {
        var scope = Use(BackendLoader.Resolve(name, BackendOrigin.Code));
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

    /// <summary>A backend by name or external reference (a new instance of a built-in each call; backends hold no state).</summary>
    public static IBackend Create(string name) => BackendLoader.Resolve(name, BackendOrigin.Code);

    internal sealed class Scope(Action undo) : IDisposable
    {
        private Action? _undo = undo;
        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}
