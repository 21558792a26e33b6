using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;

namespace KerasBackend;

/// <summary>Where a backend name came from: the configuration (keras.json / KERAS_BACKEND) or code.</summary>
internal enum BackendOrigin { Config, Code }

/// <summary>
/// Turns a backend name into a backend: a built-in, a Python-only name (from the configuration: warns once and uses
/// the default), or an external reference <c>AssemblyPathOrName:Namespace.Type</c> loaded in its own
/// <see cref="AssemblyLoadContext"/> that shares KerasBackend with the host.
/// </summary>
internal static class BackendLoader
{
    private static readonly ConcurrentDictionary<string, Assembly> s_loaded = new(StringComparer.Ordinal);

    public static IBackend Resolve(string name, BackendOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name)
        {
            case "cpu": return new Backends.Cpu.CpuBackend();
            case "numpy": return new Backends.Numpy.NumpyBackend();
            case "onnx": return LoadOnnx();
        }
        if (Backend.PythonOnly.Contains(name))
        {
            if (origin == BackendOrigin.Code)
                throw new KerasConfigException($"The backend '{name}' is a Python Keras backend; KerasBackend cannot run it. {Choices()}");
            Warnings.Once("python-backend",
                $"the backend '{name}' ({Where()}) is a Python Keras backend, which .NET cannot run; using '{Backend.Default}' instead. " +
                "Set KERAS_BACKEND=cpu (or numpy) to choose a .NET backend and silence this warning.");
            return Resolve(Backend.Default, BackendOrigin.Code);
        }
        if (SplitReference(name) is var (assembly, type))
            return LoadExternal(name, assembly, type);
        throw new KerasConfigException($"Unknown backend '{name}'" + (origin == BackendOrigin.Config ? $" ({Where()})" : "") + $". {Choices()}");
    }

    /// <summary>The assembly and type of the <c>onnx</c> backend, which lives outside this library (it carries ONNX Runtime's native binaries).</summary>
    internal const string OnnxAssembly = "KerasBackend.OnnxRuntime", OnnxType = "KerasBackend.OnnxRuntime.OnnxBackend";

    /// <summary>The <c>onnx</c> backend from the KerasBackend.OnnxRuntime assembly when the application references it.</summary>
    private static IBackend LoadOnnx()
    {
        Assembly asm;
        try
        {
            asm = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(OnnxAssembly));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new KerasConfigException(
                $"The backend 'onnx' runs every op on ONNX Runtime, which the KerasBackend library does not carry: add a reference to {OnnxAssembly} " +
                "(the project OnnxRuntime/ of KerasBackend, which brings the Microsoft.ML.OnnxRuntime package) to the application, or choose 'cpu' or 'numpy'.", e);
        }
        var type = asm.GetType(OnnxType, throwOnError: false)
            ?? throw new KerasConfigException($"Unable to load backend 'onnx': the assembly '{asm.FullName}' has no type '{OnnxType}'.");
        return (IBackend)Activator.CreateInstance(type)!;
    }

    private static string Where()
    {
        var c = Config.Current;
        return c.Sources.GetValueOrDefault("backend") switch
        {
            ConfigSource.Environment => "from the KERAS_BACKEND environment variable",
            ConfigSource.File => $"from {c.ConfigFile}",
            _ => "from the configuration",
        };
    }

    private static string Choices() =>
        $"Available backends: {string.Join(", ", Backend.BuiltIn)}, or an external backend written as \"AssemblyPathOrName:Namespace.Type\". " +
        "Choose one with the KERAS_BACKEND environment variable, the \"backend\" field of keras.json, or Backend.Set(name) in code.";

    /// <summary>Splits at the last colon, ignoring a Windows drive letter (<c>C:\dir\a.dll:N.T</c>).</summary>
    internal static (string Assembly, string Type)? SplitReference(string reference)
    {
        int colon = reference.LastIndexOf(':');
        if (colon <= 0 || colon == reference.Length - 1) return null;
        if (colon == 1 && reference.Length > 2 && (reference[2] == '\\' || reference[2] == '/')) return null;
        return (reference[..colon].Trim(), reference[(colon + 1)..].Trim());
    }

    private static bool IsPath(string assembly) =>
        assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || assembly.Contains('/') || assembly.Contains('\\');

    private static IBackend LoadExternal(string reference, string assembly, string typeName)
    {
        var asm = LoadAssembly(reference, assembly);
        Type? type;
        try
        {
            type = asm.GetType(typeName, throwOnError: false);
        }
        catch (TypeLoadException e)
        {
            throw Incomplete(reference, asm, typeName, e);
        }
        if (type is null)
        {
            var candidates = SafeTypes(asm).Where(t => typeof(IBackend).IsAssignableFrom(t) && !t.IsAbstract).Select(t => t.FullName).ToList();
            throw new KerasConfigException($"Unable to load backend '{reference}': the assembly '{asm.GetName().Name}' has no type '{typeName}'." +
                (candidates.Count > 0 ? $" Backends it contains: {string.Join(", ", candidates)}." : " It contains no class implementing KerasBackend.IBackend."));
        }
        if (!typeof(IBackend).IsAssignableFrom(type))
        {
            // A class that looks like a backend but does not implement the contract: list the kernels it lacks.
            var missing = BackendContract.KernelNames.Where(k => !HasKernel(type, k)).ToList();
            throw new KerasConfigException(missing.Count == BackendContract.KernelNames.Count
                ? $"Invalid backend '{reference}': the type '{typeName}' is not a backend (it does not implement KerasBackend.IBackend)."
                : $"Invalid backend '{reference}': the type '{typeName}' does not implement KerasBackend.IBackend" +
                  (missing.Count == 0 ? "; declare it (class : IBackend)." : $"; missing {missing.Count} of {BackendContract.KernelNames.Count} kernels: {string.Join(", ", missing)}."));
        }
        if (type.IsAbstract)
            throw new KerasConfigException($"Invalid backend '{reference}': the type '{typeName}' is abstract.");
        if (type.ContainsGenericParameters)
            throw new KerasConfigException($"Invalid backend '{reference}': the type '{typeName}' is an open generic type; name a closed, non-generic backend class.");
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new KerasConfigException($"Invalid backend '{reference}': the type '{typeName}' needs a public parameterless constructor.");
        try
        {
            return (IBackend)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new KerasConfigException($"Unable to load backend '{reference}': the constructor of '{typeName}' threw {e.InnerException.GetType().Name}: {e.InnerException.Message}", e.InnerException);
        }
    }

    /// <summary>A public instance method with the kernel's name and parameter types.</summary>
    private static bool HasKernel(Type type, string kernel)
    {
        var contract = typeof(IBackend).GetMethod(kernel);
        if (contract is null) return false;
        var m = type.GetMethod(kernel, BindingFlags.Public | BindingFlags.Instance, contract.GetParameters().Select(p => p.ParameterType).ToArray());
        return m is not null && m.ReturnType == contract.ReturnType;
    }

    private static IEnumerable<Type> SafeTypes(Assembly asm)
    {
        try { return asm.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    private static Assembly LoadAssembly(string reference, string assembly)
    {
        try
        {
            if (!IsPath(assembly))
                return AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(assembly));
            var full = Path.GetFullPath(assembly);
            if (!File.Exists(full))
                throw new KerasConfigException($"Unable to load backend '{reference}': the file '{full}' does not exist.");
            // One load context per file: loading the same reference twice gives the same types.
            return s_loaded.GetOrAdd(full, static p => new PluginLoadContext(p).LoadFromAssemblyPath(p));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            throw new KerasConfigException($"Unable to load backend '{reference}': the assembly '{assembly}' could not be loaded ({e.Message}).", e);
        }
    }

    /// <summary>
    /// The type exists but the runtime refused it — typically a backend built against an older contract. Its metadata
    /// still lists the methods it declares, so every missing kernel is named at once.
    /// </summary>
    private static KerasConfigException Incomplete(string reference, Assembly asm, string typeName, TypeLoadException e)
    {
        var declared = DeclaredMethodNames(asm, typeName);
        var missing = declared is null ? [] : BackendContract.KernelNames.Where(k => !declared.Contains(k)).ToList();
        return new KerasConfigException(missing.Count > 0
            ? $"Invalid backend '{reference}': the type '{typeName}' lacks {missing.Count} of the {BackendContract.KernelNames.Count} kernels of the contract: {string.Join(", ", missing)}. " +
              "Rebuild it against this version of KerasBackend (or derive it from KerasBackend.DelegatingBackend)."
            : $"Invalid backend '{reference}': the type '{typeName}' could not be loaded ({e.Message}).", e);
    }

    /// <summary>Public instance methods declared by the type and its base classes in the same assembly, read from metadata; null when it cannot be read.</summary>
    private static HashSet<string>? DeclaredMethodNames(Assembly asm, string typeName)
    {
        if (string.IsNullOrEmpty(asm.Location)) return null;
        try
        {
            using var pe = new PEReader(File.OpenRead(asm.Location));
            var md = pe.GetMetadataReader();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var byName = md.TypeDefinitions.ToDictionary(h => FullName(md, md.GetTypeDefinition(h)), h => h);
            // Walk the base classes defined in this assembly: kernels may be inherited from a local base.
            for (var current = typeName; current is not null && byName.TryGetValue(current, out var h);)
            {
                var def = md.GetTypeDefinition(h);
                foreach (var mh in def.GetMethods())
                {
                    var m = md.GetMethodDefinition(mh);
                    if ((m.Attributes & MethodAttributes.Public) != 0 && (m.Attributes & MethodAttributes.Static) == 0)
                        names.Add(md.GetString(m.Name));
                }
                current = def.BaseType.Kind == HandleKind.TypeDefinition ? FullName(md, md.GetTypeDefinition((TypeDefinitionHandle)def.BaseType)) : null;
            }
            return names;
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string FullName(MetadataReader md, TypeDefinition t)
    {
        var ns = md.GetString(t.Namespace);
        var n = md.GetString(t.Name);
        return ns.Length == 0 ? n : ns + "." + n;
    }

    /// <summary>
    /// Loads a backend's assembly and its private dependencies from its folder; any assembly the host already has
    /// (KerasBackend itself above all) comes from the default context, so the backend's IBackend is the host's.
    /// </summary>
    private sealed class PluginLoadContext(string path) : AssemblyLoadContext("KerasBackend plugin: " + Path.GetFileName(path))
    {
        private readonly AssemblyDependencyResolver? _resolver = TryResolver(path);
        private readonly string _dir = Path.GetDirectoryName(path)!;

        private static AssemblyDependencyResolver? TryResolver(string path)
        {
            try { return new AssemblyDependencyResolver(path); }
            catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or ArgumentException) { return null; }
        }

        protected override Assembly? Load(AssemblyName name)
        {
            if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(name, a.GetName()))) return null;
            try
            {
                if (Default.LoadFromAssemblyName(name) is { } shared) return shared;
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException) { }
            // Without a deps.json (or a host that can read it), dependencies sit beside the backend.
            var p = _resolver?.ResolveAssemblyToPath(name) ?? Path.Combine(_dir, name.Name + ".dll");
            return File.Exists(p) ? LoadFromAssemblyPath(p) : null;
        }
    }
}
