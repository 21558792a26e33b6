using System.Reflection;
using KerasBackend.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KerasBackend.Conformance.Runtime;

/// <summary>Choosing backends in code, tensors across backends, and external backends (the sample in Samples/ExternalBackend).</summary>
[Collection(ConfigCollection.Name)]
public sealed class BackendSelectionTests : IDisposable
{
    private const string SampleType = "KerasBackend.Samples.CountingBackend";
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "KerasBackend.Samples.ExternalBackend.dll");
    private readonly ConfigSandbox _box = new();

    public BackendSelectionTests()
    {
        _box.KerasHome();
        _box.Activate();
    }

    public void Dispose() => _box.Dispose();

    [Fact]
    public void Backend_set_and_use_change_what_K_backend_returns()
    {
        Assert.Equal("cpu", K.Backend());
        using (Backend.Use("numpy"))
        {
            Assert.Equal("numpy", K.Backend());
            Assert.IsType<KerasBackend.Backends.Numpy.NumpyBackend>(Backend.Current);
        }
        Assert.Equal("cpu", K.Backend());
        Backend.Set("numpy");
        Assert.Equal("numpy", K.Backend());
        Assert.Equal("code", Config.Current.SourceOf("backend"));
    }

    [Fact]
    public void Tensors_made_on_one_backend_are_used_by_another_without_conversion()
    {
        Tensor x, v;
        using (Backend.Use("cpu"))
        {
            x = K.Constant(new float[,] { { 1, 2 }, { 3, 4 } });
            v = K.Variable(new[] { 10f, 20f });
        }
        using (Backend.Use("numpy"))
        {
            var y = x + v;
            Assert.Equal(new[] { 11f, 22f, 13f, 24f }, y.ToArray<float>());
            Assert.Equal(new[] { 7f, 10f, 15f, 22f }, K.Dot(x, x).ToArray<float>());
            using (Backend.Use("cpu"))
                Assert.Equal(y.ToArray<float>(), (x + v).ToArray<float>());
        }
    }

    [Fact]
    public void An_external_backend_by_path_runs_ops_and_keeps_its_reference_as_its_name()
    {
        var reference = $"{SamplePath}:{SampleType}";
        Backend.Set(reference);
        Assert.Equal(reference, K.Backend());
        var b = Backend.Current;
        Assert.Equal(SampleType, b.GetType().FullName);
        // Loaded in its own context: a different type from the one this test project references.
        Assert.NotSame(typeof(CountingBackend), b.GetType());

        var z = K.Constant(new[] { 1f, 2f }) + K.Constant(new[] { 3f, 4f });
        Assert.Equal(new[] { 4f, 6f }, z.ToArray<float>());
        var calls = (IReadOnlyDictionary<string, long>)b.GetType().GetProperty("Calls")!.GetValue(null)!;
        Assert.Equal(1, calls["add"]);

        // The same reference again loads the same assembly, not a second copy.
        Assert.Same(b.GetType(), Backend.Create(reference).GetType());

        // Scoped use keeps the reference as the name too, and ends with the scope.
        Backend.Set("cpu");
        using (Backend.Use(reference)) Assert.Equal(reference, K.Backend());
        Assert.Equal("cpu", K.Backend());
    }

    [Fact]
    public void An_external_backend_by_assembly_name_from_KERAS_BACKEND_counts_kernel_calls()
    {
        var reference = $"KerasBackend.Samples.ExternalBackend:{SampleType}";
        _box.Env["KERAS_BACKEND"] = reference;
        _box.Activate();
        CountingBackend.ResetCounts();

        Assert.Equal(reference, K.Backend());
        var b = Assert.IsType<CountingBackend>(Backend.Current);
        Assert.Equal("counting", b.Name);
        var x = K.Ones([2, 3]);
        var s = K.Sum(K.Exp(x * 0.0), axis: 1);
        Assert.All(s.ToArray<float>(), v => Assert.Equal(3f, v, 1e-5f));
        Assert.Equal(1, CountingBackend.Calls["ones"]);
        Assert.Equal(1, CountingBackend.Calls["multiply"]);
        Assert.Equal(1, CountingBackend.Calls["exp"]);
        Assert.Equal(1, CountingBackend.Calls["sum"]);
    }

    [Fact]
    public void The_delegating_backend_forwards_every_kernel_of_the_contract()
    {
        var forwarded = typeof(DelegatingBackend).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.IsVirtual && m.DeclaringType == typeof(DelegatingBackend)).Select(m => m.Name).ToHashSet();
        Assert.All(BackendContract.KernelNames, k => Assert.Contains(k, forwarded));
    }

    [Fact]
    public void A_bad_path_is_a_clear_error()
    {
        var missing = Path.Combine(_box.Root, "nope", "Missing.dll");
        var e = Assert.Throws<KerasConfigException>(() => Backend.Set($"{missing}:{SampleType}"));
        Assert.Equal($"Unable to load backend '{missing}:{SampleType}': the file '{missing}' does not exist.", e.Message);
        Assert.Equal("cpu", K.Backend());
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_a_clear_error()
    {
        var junk = Path.Combine(_box.Root, "junk.dll");
        File.WriteAllText(junk, "not a PE file");
        var e = Assert.Throws<KerasConfigException>(() => Backend.Set($"{junk}:A.B"));
        Assert.StartsWith($"Unable to load backend '{junk}:A.B': the assembly '{junk}' could not be loaded (", e.Message);
    }

    [Fact]
    public void An_unknown_assembly_name_is_a_clear_error()
    {
        var e = Assert.Throws<KerasConfigException>(() => Backend.Set("No.Such.Assembly:A.B"));
        Assert.StartsWith("Unable to load backend 'No.Such.Assembly:A.B': the assembly 'No.Such.Assembly' could not be loaded (", e.Message);
    }

    [Fact]
    public void A_bad_type_name_lists_the_backends_the_assembly_has()
    {
        var e = Assert.Throws<KerasConfigException>(() => Backend.Set($"{SamplePath}:KerasBackend.Samples.Counting"));
        Assert.Equal($"Unable to load backend '{SamplePath}:KerasBackend.Samples.Counting': the assembly 'KerasBackend.Samples.ExternalBackend' " +
            $"has no type 'KerasBackend.Samples.Counting'. Backends it contains: {SampleType}.", e.Message);
    }

    [Fact]
    public void A_type_that_is_not_a_backend_is_a_clear_error()
    {
        var e = Assert.Throws<KerasConfigException>(() => Backend.Set($"{SamplePath}:KerasBackend.Samples.NotABackend"));
        Assert.Equal($"Invalid backend '{SamplePath}:KerasBackend.Samples.NotABackend': the type 'KerasBackend.Samples.NotABackend' " +
            "is not a backend (it does not implement KerasBackend.IBackend).", e.Message);
    }

    [Fact]
    public void A_backend_built_against_an_older_contract_fails_with_every_missing_kernel_listed()
    {
        var dir = Path.Combine(_box.Root, "old");
        Directory.CreateDirectory(dir);
        // The "old" KerasBackend had two kernels; the backend implements both. Today's contract has more.
        var oldContract = Compile("KerasBackend", dir, """
            namespace KerasBackend
            {
                public sealed class Tensor { }
                public partial interface IBackend { string Name { get; } void Add(Tensor x, Tensor y, Tensor output); void Exp(Tensor x, Tensor output); }
            }
            """);
        var pluginPath = Compile("OldBackend", dir, """
            namespace Old
            {
                public class Base { public void Exp(KerasBackend.Tensor x, KerasBackend.Tensor output) { } }
                public sealed class OldBackend : Base, KerasBackend.IBackend
                {
                    public string Name => "old";
                    public void Add(KerasBackend.Tensor x, KerasBackend.Tensor y, KerasBackend.Tensor output) { }
                }
            }
            """, oldContract);

        var e = Assert.Throws<KerasConfigException>(() => Backend.Set($"{pluginPath}:Old.OldBackend"));
        var expected = BackendContract.KernelNames.Where(k => k is not "Add" and not "Exp").ToList();
        Assert.Equal($"Invalid backend '{pluginPath}:Old.OldBackend': the type 'Old.OldBackend' lacks {expected.Count} of the " +
            $"{BackendContract.KernelNames.Count} kernels of the contract: {string.Join(", ", expected)}. " +
            "Rebuild it against this version of KerasBackend (or derive it from KerasBackend.DelegatingBackend).", e.Message);
    }

    [Fact]
    public void A_type_with_some_kernels_but_not_the_interface_lists_the_missing_ones()
    {
        var dir = Path.Combine(_box.Root, "duck");
        Directory.CreateDirectory(dir);
        var real = MetadataReference.CreateFromFile(typeof(Tensor).Assembly.Location);
        var path = Compile("DuckBackend", dir, """
            namespace Duck
            {
                public sealed class Almost
                {
                    public void Add(KerasBackend.Tensor x, KerasBackend.Tensor y, KerasBackend.Tensor output) { }
                }
            }
            """, real);
        var e = Assert.Throws<KerasConfigException>(() => Backend.Set($"{path}:Duck.Almost"));
        var missing = BackendContract.KernelNames.Where(k => k != "Add").ToList();
        Assert.Equal($"Invalid backend '{path}:Duck.Almost': the type 'Duck.Almost' does not implement KerasBackend.IBackend; " +
            $"missing {missing.Count} of {BackendContract.KernelNames.Count} kernels: {string.Join(", ", missing)}.", e.Message);
    }

    [Fact]
    public void Abstract_types_types_without_a_parameterless_constructor_and_failing_constructors_are_clear_errors()
    {
        var dir = Path.Combine(_box.Root, "ctor");
        Directory.CreateDirectory(dir);
        var real = MetadataReference.CreateFromFile(typeof(Tensor).Assembly.Location);
        var path = Compile("CtorBackends", dir, """
            using KerasBackend;
            namespace P
            {
                public abstract class Abstract : DelegatingBackend { protected Abstract() : base(Backend.Create("cpu")) { } }
                public sealed class NeedsArg : DelegatingBackend { public NeedsArg(int device) : base(Backend.Create("cpu")) { } }
                public sealed class Throws : DelegatingBackend
                {
                    public Throws() : base(Backend.Create("cpu")) => throw new System.InvalidOperationException("no device found");
                }
            }
            """, real);
        string Error(string type) => Assert.Throws<KerasConfigException>(() => Backend.Set($"{path}:{type}")).Message;
        Assert.Equal($"Invalid backend '{path}:P.Abstract': the type 'P.Abstract' is abstract.", Error("P.Abstract"));
        Assert.Equal($"Invalid backend '{path}:P.NeedsArg': the type 'P.NeedsArg' needs a public parameterless constructor.", Error("P.NeedsArg"));
        Assert.Equal($"Unable to load backend '{path}:P.Throws': the constructor of 'P.Throws' threw InvalidOperationException: no device found", Error("P.Throws"));
        Assert.Equal("cpu", K.Backend());
    }

    [Theory]
    [InlineData(@"C:\dir\a.dll:N.T", @"C:\dir\a.dll", "N.T")]
    [InlineData("/opt/b/a.dll:N.T", "/opt/b/a.dll", "N.T")]
    [InlineData("Some.Assembly:N.T", "Some.Assembly", "N.T")]
    public void References_split_at_the_last_colon_but_not_a_drive_letter(string reference, string assembly, string type)
    {
        Assert.Equal((assembly, type), BackendLoader.SplitReference(reference));
    }

    [Theory]
    [InlineData(@"C:\dir\a.dll")]
    [InlineData("cuda")]
    [InlineData("a:")]
    public void Names_without_a_type_part_are_not_references(string name) => Assert.Null(BackendLoader.SplitReference(name));

    private static string Compile(string assemblyName, string dir, string source, params MetadataReference[] refs)
    {
        var c = CSharpCompilation.Create(assemblyName, [CSharpSyntaxTree.ParseText(source)],
            Generator.GeneratorHarness.FrameworkReferences.Concat(refs),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(dir, assemblyName + ".dll");
        var r = c.Emit(path);
        Assert.True(r.Success, string.Join("\n", r.Diagnostics));
        return path;
    }

    private static string Compile(string assemblyName, string dir, string source, string reference) =>
        Compile(assemblyName, dir, source, MetadataReference.CreateFromFile(reference));
}
