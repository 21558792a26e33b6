using System.Reflection;
using System.Runtime.Loader;

namespace KerasBackend;

/// <summary>Turns a backend name into a backend: a built-in, a Python-only name (warns, uses the default), or an external reference <c>AssemblyPathOrName:Namespace.Type</c>.</summary>
internal static class BackendLoader
{
    private static int s_warned;

    public static IBackend Resolve(string name, bool fromConfig)
    {
        switch (name)
        {
            case "cpu": return new Backends.Cpu.CpuBackend();
            case "numpy": return new Backends.Numpy.NumpyBackend();
        }
        if (Backend.PythonOnly.Contains(name))
        {
            if (!fromConfig)
                throw new KerasConfigException($"The backend '{name}' is a Python Keras backend; KerasBackend cannot run it. Available backends: {Available()}.");
            if (Interlocked.Exchange(ref s_warned, 1) == 0)
                Console.Error.WriteLine($"KerasBackend: warning: backend '{name}' (from {Config.Current.Sources.GetValueOrDefault("backend")}) is a Python Keras backend; using '{Backend.Default}' instead. Set KERAS_BACKEND=cpu or numpy to silence this.");
            return Resolve(Backend.Default, fromConfig: false);
        }
        int colon = name.LastIndexOf(':');
        if (colon > 0 && colon < name.Length - 1 && !(colon == 1 && name.Length > 2 && (name[2] == '\\' || name[2] == '/')))
            return LoadExternal(name, name[..colon], name[(colon + 1)..]);
        throw new KerasConfigException(
            $"Unknown backend '{name}'. Available backends: {Available()}, or an external backend written as \"AssemblyPathOrName:Namespace.Type\". " +
            "Choose one with the KERAS_BACKEND environment variable, the \"backend\" field of keras.json, or Backend.Set(name).");
    }

    private static string Available() => string.Join(", ", Backend.BuiltIn);

    private static IBackend LoadExternal(string reference, string assembly, string typeName)
    {
        Assembly asm;
        try
        {
            asm = assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || assembly.Contains('/') || assembly.Contains('\\')
                ? AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(assembly))
                : AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(assembly));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            throw new KerasConfigException($"Unable to load backend '{reference}': the assembly '{assembly}' could not be loaded ({e.Message}).", e);
        }
        var type = asm.GetType(typeName, throwOnError: false);
        if (type is null)
            throw new KerasConfigException($"Unable to load backend '{reference}': the assembly '{asm.GetName().Name}' has no type '{typeName}'.");
        if (!typeof(IBackend).IsAssignableFrom(type))
        {
            // Report every missing kernel at once, as the generator does at compile time.
            var have = type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => m.Name).ToHashSet();
            var missing = BackendContract.KernelNames.Where(k => !have.Contains(k)).ToList();
            throw new KerasConfigException(missing.Count == 0 || missing.Count == BackendContract.KernelNames.Count
                ? $"Invalid backend '{reference}': the type '{typeName}' does not implement KerasBackend.IBackend."
                : $"Invalid backend '{reference}': the type '{typeName}' does not implement KerasBackend.IBackend; missing {missing.Count} required kernel(s): {string.Join(", ", missing)}.");
        }
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new KerasConfigException($"Invalid backend '{reference}': the type '{typeName}' needs a public parameterless constructor.");
        return (IBackend)Activator.CreateInstance(type)!;
    }
}
