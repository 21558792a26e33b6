using KerasBackend.Samples.Training;

namespace KerasBackend.Samples.Sequence;

/// <summary>
/// A synthetic sequence task: is a noisy series falling (0), flat (1) or rising (2)? Each series is
/// <c>x_t = level + slope·(t/(T−1) − ½) + noise</c> with a random level in [−1, 1], slope −1, 0 or +1 and
/// Gaussian noise (σ = 0.25), so no single step tells the class: the network has to integrate over time.
/// </summary>
public static class TrendData
{
    public const int Classes = 3;
    public static readonly string[] ClassNames = ["falling", "flat", "rising"];

    public static Dataset Make(int count, int steps, ulong seed, double noise = 0.25)
    {
        var rng = new SeededRandom(seed);
        var x = new float[count * steps];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = rng.Next(Classes);
            double slope = c - 1, level = rng.Uniform(-1, 1);
            for (int t = 0; t < steps; t++)
                x[i * steps + t] = (float)(level + slope * ((double)t / (steps - 1) - 0.5) + noise * rng.Normal());
            labels[i] = c;
        }
        return new Dataset(x, [steps, 1], labels, Classes);
    }
}
