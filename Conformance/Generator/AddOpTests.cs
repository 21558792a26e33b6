using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KerasBackend.Conformance.Generator;

/// <summary>
/// "Adding an op touches one spec entry and one kernel per backend, nothing else": the whole runtime is
/// compiled from source with the real spec plus a fixture entry for a new op, its two kernels and its ONNX lowering, and
/// the op then exists in K, in the registry (which `kbackend ops` prints) and on both backends.
/// </summary>
public class AddOpTests
{
    private const string NewOpSpec = """
        { "ops": [ {
          "name": "twice", "csharp": "Twice", "category": "math", "origin": "ours",
          "onnx": "subgraph",
          "summary": "Doubles every element.", "remarks": "Effectively computes 2 * x.",
          "params": [ { "name": "x", "type": "tensor", "doc": "Input." } ],
          "result": { "doc": "2 * x." },
          "dtype": { "rule": "same", "args": ["x"] }, "shape": { "rule": "same", "args": ["x"] }
        } ] }
        """;

    private const string CpuKernel = """
        namespace KerasBackend.Backends.Cpu;
        public sealed partial class CpuBackend
        {
            public void Twice(Tensor x, Tensor output) => System.Numerics.Tensors.TensorPrimitives.Multiply(x.ReadOnlySpan<float>(), 2f, output.Span<float>());
        }
        """;

    private const string NumpyKernel = """
        namespace KerasBackend.Backends.Numpy;
        public sealed partial class NumpyBackend
        {
            public void Twice(Tensor x, Tensor output) { for (int i = 0; i < output.Size; i++) output.SetDouble(i, 2 * x.GetDouble(i)); }
        }
        """;

    // Its ONNX lowering (without one the op would not build: KB0015): x + x in the compute dtype.
    private const string Lowering = """
        namespace KerasBackend.Onnx;
        internal static partial class Lowerings
        {
            public static void Twice(LoweringContext c)
            {
                var t = LoweringContext.ComputeOf(c.OutDType);
                var x = c.InAs(0, t);
                c.Return(c.Node("Add", [x, x]), t);
            }
        }
        """;

    private const string GlobalUsings = """
        global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;
        global using System.Threading; global using System.Threading.Tasks; global using System.Net.Http;
        """;

    private static (ImmutableDiagnostics diags, Compilation output) CompileRuntime(bool withNumpyKernel)
    {
        var root = GeneratorHarness.RepoRoot;
        var sources = Directory.EnumerateFiles(Path.Combine(root, "Runtime"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "Backends"), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText)
            .Append(GlobalUsings).Append(CpuKernel).Append(Lowering)
            // The ONNX schema's C#, which the runtime's build makes with protoc (Grpc.Tools) from Runtime/Onnx/Schema/onnx.proto3.
            .Append(File.ReadAllText(OnnxSchemaSource(root)));
        if (withNumpyKernel) sources = sources.Append(NumpyKernel);
        var specs = Directory.EnumerateFiles(Path.Combine(root, "Spec", "ops"), "*.json")
            .Select(p => GeneratorHarness.Spec(Path.GetFileName(p), File.ReadAllText(p)))
            .Append(GeneratorHarness.Spec("zz_fixture_twice.json", NewOpSpec));
        var refs = GeneratorHarness.FrameworkReferences.Add(
            MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "System.Numerics.Tensors.dll")))
            .Add(MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "Google.Protobuf.dll")));
        var (result, output, _) = GeneratorHarness.Run(specs, sources, refs);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)
            .Concat(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)).ToList();
        return (new ImmutableDiagnostics(errors), output);
    }

    /// <summary>The C# protoc made from the ONNX schema in the runtime's latest build (obj/&lt;configuration&gt;/&lt;framework&gt;/Onnx/Schema/Onnx.cs).</summary>
    private static string OnnxSchemaSource(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "Runtime", "obj"), "Onnx.cs", SearchOption.AllDirectories)
            .Where(p => p.Replace('\\', '/').EndsWith("/Onnx/Schema/Onnx.cs"))
            .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
        ?? throw new InvalidOperationException("Runtime/obj holds no Onnx/Schema/Onnx.cs: build the runtime first (./build.sh build).");

    internal sealed record ImmutableDiagnostics(IReadOnlyList<Diagnostic> Errors);

    [Fact]
    public void A_spec_entry_and_two_kernels_make_a_working_op()
    {
        var (diags, output) = CompileRuntime(withNumpyKernel: true);
        Assert.True(diags.Errors.Count == 0, string.Join("\n", diags.Errors.Take(10)));

        using var ms = new MemoryStream();
        var emit = output.Emit(ms);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10)));
        var alc = new AssemblyLoadContext("fixture-runtime", isCollectible: true);
        try
        {
            ms.Position = 0;
            var asm = alc.LoadFromStream(ms);
            var k = asm.GetType("KerasBackend.K")!;
            Assert.NotNull(k.GetMethod("Twice"));

            var registry = asm.GetType("KerasBackend.OpRegistry")!;
            var all = (System.Collections.IEnumerable)registry.GetProperty("All")!.GetValue(null)!;
            var names = all.Cast<object>().Select(o => (string)o.GetType().GetProperty("Name")!.GetValue(o)!).ToList();
            Assert.Contains("twice", names);

            var backendType = asm.GetType("KerasBackend.Backend")!;
            var ones = k.GetMethods().First(m => m.Name == "Ones" && m.GetParameters()[0].ParameterType == typeof(int[]));
            foreach (var backend in new[] { "cpu", "numpy" })
            {
                var scope = (IDisposable)backendType.GetMethod("Use", [typeof(string)])!.Invoke(null, [backend])!;
                using (scope)
                {
                    var x = ones.Invoke(null, [new[] { 3 }, null, null]);
                    var y = registry.GetMethod("Invoke")!.Invoke(null, ["twice", new Dictionary<string, object?> { ["x"] = x }]);
                    var values = (float[])y!.GetType().GetMethod("ToArray")!.MakeGenericMethod(typeof(float)).Invoke(y, null)!;
                    Assert.Equal(new[] { 2f, 2f, 2f }, values);
                }
            }
        }
        finally { alc.Unload(); }
    }

    [Fact]
    public void A_backend_without_the_new_kernel_does_not_compile()
    {
        var (diags, _) = CompileRuntime(withNumpyKernel: false);
        var kb = diags.Errors.Where(d => d.Id == "KB0100").ToList();
        var d = Assert.Single(kb);
        Assert.Contains("'NumpyBackend' lacks 1 kernel(s)", d.GetMessage());
        Assert.Contains("Twice", d.GetMessage());
    }
}
