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
    /// <summary>A backend with the name it was chosen by, swapped as one reference so that readers never see a mismatched pair.</summary>
    private sealed record Active(IBackend Instance, string Name);

    private static Active? s_global;
    private static readonly AsyncLocal<Active?> s_scoped = new();
    private static readonly Lock s_lock = new();

    /// <summary>Built-in backend names.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = ["cpu", "numpy"];

    /// <summary>
    /// Backend names this library resolves from an optional assembly the application references: <c>onnx</c> (every op on
    /// ONNX Runtime) comes from KerasBackend.OnnxRuntime; without it, choosing it is a <see cref="KerasConfigException"/> naming the package.
    /// </summary>
    public static IReadOnlyList<string> Optional { get; } = ["onnx"];

    /// <summary>Names Python Keras knows but .NET does not run; seeing one in keras.json or KERAS_BACKEND warns and uses the default.</summary>
    public static IReadOnlyList<string> PythonOnly { get; } = ["tensorflow", "theano", "cntk", "jax", "torch", "openvino", "mxnet", "plaidml.keras.backend"];

    /// <summary>The default backend.</summary>
    public const string Default = "cpu";

    private static Active CurrentActive
    {
        get
        {
            var a = s_scoped.Value ?? Volatile.Read(ref s_global);
            if (a is not null) return a;
            lock (s_lock)
            {
                if (s_global is null)
                {
                    var name = Config.Current.Backend;
                    var b = BackendLoader.Resolve(name, BackendOrigin.Config);
                    Volatile.Write(ref s_global, new Active(b, NameFor(name, b)));
                }
                return s_global!;
            }
        }
    }

    /// <summary>The backend ops dispatch to right now.</summary>
    public static IBackend Current => CurrentActive.Instance;

    /// <summary>
    /// The name of the active backend as the user wrote it: <c>cpu</c>, <c>numpy</c>, or an external reference
    /// string verbatim (as Keras' <c>backend()</c> returns it). A Python-only name from the configuration reads as the
    /// default it was replaced by.
    /// </summary>
    public static string CurrentName => CurrentActive.Name;

    /// <summary>External references keep their text; built-ins (and Python-only names replaced by the default) report the backend's own name.</summary>
    private static string NameFor(string requested, IBackend b) =>
        !BuiltIn.Contains(requested) && BackendLoader.SplitReference(requested) is not null ? requested : b.Name;

    /// <summary>Makes <paramref name="name"/> (a built-in name or an external reference) the process-wide backend.</summary>
    public static void Set(string name)
    {
        var b = BackendLoader.Resolve(name, BackendOrigin.Code);
        SetCore(new Active(b, NameFor(name, b)));
    }

    /// <summary>Makes <paramref name="backend"/> the process-wide backend.</summary>
    public static void Set(IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        SetCore(new Active(backend, backend.Name));
    }

    private static void SetCore(Active a)
    {
        lock (s_lock) Volatile.Write(ref s_global, a);
        Config.NoteBackendSetInCode(a.Name);
    }

    /// <summary>Forgets the process-wide backend so that the next use resolves it again from <see cref="Config"/> (tests).</summary>
    internal static void Reset()
    {
        lock (s_lock) Volatile.Write(ref s_global, null);
    }

    /// <summary>Uses <paramref name="name"/> until the returned scope is disposed, in the current async flow only (tasks started inside inherit it).</summary>
    public static IDisposable Use(string name)
    {
        var b = BackendLoader.Resolve(name, BackendOrigin.Code);
        return Push(new Active(b, NameFor(name, b)));
    }

    /// <inheritdoc cref="Use(string)"/>
    public static IDisposable Use(IBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return Push(new Active(backend, backend.Name));
    }

    private static IDisposable Push(Active a)
    {
        var previous = s_scoped.Value;
        s_scoped.Value = a;
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
