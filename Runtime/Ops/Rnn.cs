namespace KerasBackend;

/// <summary>What <see cref="K.Rnn"/> returns: Keras' <c>(last_output, outputs, new_states)</c> triple.</summary>
/// <param name="LastOutput">The output of the last step, (samples, ...).</param>
/// <param name="Outputs">Every step's output stacked along the time axis, (samples, time, ...) or (time, samples, ...) with time_major.</param>
/// <param name="States">The states after the last step.</param>
/// <remarks>Enumerates as <c>[LastOutput, Outputs, States...]</c>, the flat form case files use.</remarks>
public sealed record RnnResult(Tensor LastOutput, Tensor Outputs, IReadOnlyList<Tensor> States) : IEnumerable<Tensor>
{
    public IEnumerator<Tensor> GetEnumerator()
    {
        yield return LastOutput;
        yield return Outputs;
        foreach (var s in States) yield return s;
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Step functions known by name, so that case files and the CLI (which cannot carry C# code) can call rnn:
/// pass the name as <c>step_function</c>. Each has a numpy twin in Conformance/GoldenMaker/cases/nn.py.
/// </summary>
public static class RnnSteps
{
    /// <summary>Names and steps.</summary>
    public static IReadOnlyDictionary<string, Func<Tensor, IReadOnlyList<Tensor>, (Tensor output, IReadOnlyList<Tensor> states)>> ByName { get; } =
        new Dictionary<string, Func<Tensor, IReadOnlyList<Tensor>, (Tensor output, IReadOnlyList<Tensor> states)>>(StringComparer.Ordinal)
        {
            // Keras 2.3 backend_test: output = input_t, every state + 1.
            ["identity_count"] = (x, s) => (K.Identity(x), s.Select(t => t + 1.0).ToList()),
            // output = input_t + states[0]; states = [output] (a running sum; input and state of one shape).
            ["accumulate"] = (x, s) => { Need("accumulate", s, 1, "one state"); var o = x + s[0]; return (o, [o]); },
            // Linear RNN with constants [W, U]: output = x·W + h·U; states = [output].
            ["linear_rnn"] = (x, s) => { Need("linear_rnn", s, 3, "one state and the constants [W, U]"); var o = K.Dot(x, s[^2]) + K.Dot(s[0], s[^1]); return (o, [o]); },
        };

    // A named step is library code: a wrong number of states or constants is the caller's ValueError, not an IndexOutOfRangeException.
    private static void Need(string step, IReadOnlyList<Tensor> states, int count, string what)
    {
        if (states.Count < count)
            throw new KerasValueException("rnn", "step_function",
                $"rnn: the step '{step}' needs {what} ({count} tensors in states + constants). Received: {states.Count}");
    }
}

/// <summary>The composite behind <c>rnn</c>: the time loop written with K ops, so it runs on every backend and in graphs.</summary>
internal static class RnnOps
{
    public static RnnResult Run(
        Func<Tensor, IReadOnlyList<Tensor>, (Tensor output, IReadOnlyList<Tensor> states)> stepFunction,
        Tensor inputs, IReadOnlyList<Tensor> initialStates, bool goBackwards, Tensor? mask, IReadOnlyList<Tensor>? constants,
        bool unroll, int? inputLength, bool timeMajor, bool zeroOutputForMask)
    {
        const string op = "rnn";
        constants ??= [];
        if (initialStates.Any(s => s is null) || constants.Any(c => c is null))
            throw new KerasTypeException(op, "initial_states", "rnn: initial_states and constants must not contain null tensors.");

        // Work time-major: step t is then gather(x, t) along axis 0.
        var x = timeMajor ? inputs : K.PermuteDimensions(inputs, SwapFirstTwo(inputs.Rank));
        int steps = x.Shape[0];
        Tensor? maskTm = null;
        if (mask is not null)
        {
            var m = K.Cast(mask, DType.Bool);
            if (m.Rank == 3) m = K.Squeeze(m, 2);
            maskTm = timeMajor ? m : K.Transpose(m);
        }

        var outputs = new List<Tensor>(steps);
        IReadOnlyList<Tensor> states = initialStates;
        Tensor? previous = null;
        Tensor? lastMask = null;
        for (int i = 0; i < steps; i++)
        {
            int t = goBackwards ? steps - 1 - i : i;
            var index = K.Constant(t, DType.Int32);
            var input = K.Gather(x, index);
            var (output, newStates) = stepFunction(input, [.. states, .. constants]);
            if (output is null || newStates is null || newStates.Any(s => s is null))
                throw new KerasValueException(op, "step_function", $"rnn: the step function returned a null output or state at timestep {t}.");
            if (newStates.Count != states.Count)
                throw new KerasValueException(op, "step_function",
                    $"rnn: the step function must return as many states as it receives (without constants). Received: {newStates.Count} new states at timestep {t}, expected {states.Count}.");
            if (maskTm is not null)
            {
                // Masked samples keep the previous output (zeros before the first step) and their previous states.
                var maskT = K.Gather(maskTm, index);
                output = K.Switch(maskT, output, previous ?? K.ZerosLike(output));
                newStates = newStates.Select((s, j) => K.Switch(maskT, s, states[j])).ToList();
                lastMask = maskT;
            }
            outputs.Add(output);
            previous = output;
            states = newStates;
        }

        var last = outputs[^1];
        var stacked = K.Stack(outputs, timeMajor ? 0 : 1);
        if (zeroOutputForMask && maskTm is not null)
        {
            last = K.Switch(lastMask!, last, K.ZerosLike(last));
            // The mask in iteration order and in the outputs' layout: (time, samples) or (samples, time).
            var ordered = goBackwards ? K.Reverse(maskTm, 0) : maskTm;
            var layout = timeMajor ? ordered : K.Transpose(ordered);
            stacked = K.Switch(layout, stacked, K.ZerosLike(stacked));
        }
        return new RnnResult(last, stacked, states);
    }

    private static int[] SwapFirstTwo(int rank) => [1, 0, .. Enumerable.Range(2, rank - 2)];
}
