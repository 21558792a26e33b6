using System.Globalization;
using KerasBackend.Interop;
using KerasBackend.OnnxRuntime;

namespace KerasBackend.Tool.Commands;

/// <summary>
/// <c>kbackend run MODEL.onnx --input [NAME=]FILE.npy ...</c>: runs an ONNX model (an exported K.Function, or any model
/// whose inputs and outputs are tensors of KerasBackend's dtypes) with ONNX Runtime on .npy inputs; prints each output's
/// dtype and shape, saves them with --output, and with --labels prints the accuracy of the first output's argmax.
/// </summary>
internal sealed class RunCommand : ICommand
{
    public string Name => "run";
    public string Summary => "run an ONNX model (e.g. an exported K.Function) on .npy inputs with ONNX Runtime";
    public string Usage => """
        usage: kbackend run MODEL.onnx --input [NAME=]FILE.npy ... [--output PREFIX] [--labels FILE.npy] [--threads N]

        Runs MODEL with ONNX Runtime. Inputs are matched by name (NAME=FILE) or, without names, in the model's input order.
        Prints each output's name, dtype and shape. --output PREFIX saves output i as PREFIX<name>.npy. --labels FILE (integer
        class labels, one per row) prints the accuracy of argmax over the last axis of the first output, as a classifier's
        test accuracy is computed.
        """;

    public int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? model = null, output = null, labels = null;
        int threads = 0;
        var inputs = new List<(string? Name, string Path)>();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            switch (args[i])
            {
                case "--input":
                    var v = Value();
                    int eq = v.IndexOf('=');
                    inputs.Add(eq > 0 ? (v[..eq], v[(eq + 1)..]) : (null, v));
                    break;
                case "--output": output = Value(); break;
                case "--labels": labels = Value(); break;
                case "--threads": threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                default:
                    if (args[i].StartsWith('-') || model is not null) { stderr.WriteLine($"kbackend run: unknown argument '{args[i]}'.\n{Usage}"); return 2; }
                    model = args[i];
                    break;
            }
        }
        if (model is null) { stderr.WriteLine($"kbackend run: no model given.\n{Usage}"); return 2; }
        using var m = OnnxModel.Load(model, threads);
        var feeds = new Tensor[m.InputNames.Count];
        for (int k = 0; k < inputs.Count; k++)
        {
            int at = inputs[k].Name is { } name ? IndexOf(m.InputNames, name) : k;
            if (at < 0 || at >= feeds.Length)
                throw new ArgumentException($"the model has no input {(inputs[k].Name is { } n ? $"named '{n}'" : $"number {k + 1}")}; its inputs: {Describe(m)}");
            feeds[at] = Npy.Load(inputs[k].Path);
        }
        for (int k = 0; k < feeds.Length; k++)
        {
            if (feeds[k] is null) throw new ArgumentException($"no value for the model's input '{m.InputNames[k]}'; its inputs: {Describe(m)}");
            var (dtype, _) = m.InputSpec(k);
            if (feeds[k].DType != dtype)
            {
                if (DTypes.Promote(feeds[k].DType, dtype) != dtype)
                    throw new ArgumentException($"input '{m.InputNames[k]}' is {dtype.Name()}; the file holds {feeds[k].DType.Name()}, which does not convert without loss.");
                feeds[k] = K.Cast(feeds[k], dtype);
            }
        }
        var results = m.Run(feeds);
        for (int k = 0; k < results.Length; k++)
        {
            stdout.WriteLine($"{m.OutputNames[k]}: {results[k].DType.Name()} {results[k].Shape}");
            if (output is not null) Npy.Save(output + m.OutputNames[k] + ".npy", results[k]);
        }
        if (labels is not null)
        {
            using var y = Npy.Load(labels);
            var first = results[0];
            if (first.Rank < 1 || y.Size != first.Size / Math.Max(1, first.Shape[^1]))
                throw new ArgumentException($"--labels holds {y.Size} labels; the first output has shape {first.Shape} (one row of scores per label expected).");
            using var predicted = K.Argmax(first, axis: -1);
            int correct = 0;
            for (int r = 0; r < y.Size; r++) if (predicted.GetLong(r) == y.GetLong(r)) correct++;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {(double)correct / y.Size:F4} ({correct} of {y.Size})"));
        }
        foreach (var r in results) r.Dispose();
        return 0;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    private static string Describe(OnnxModel m) =>
        string.Join(", ", m.InputNames.Select((n, i) => { var (d, s) = m.InputSpec(i); return $"{n} ({d.Name()} [{string.Join(", ", s)}])"; }));
}
