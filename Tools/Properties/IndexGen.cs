namespace KerasBackend.Properties;

/// <summary>Random numpy basic indexes for a shape: integers in range, slices with any ends and steps (clamping,
/// negative steps), new axes and at most one ellipsis — what the laws and gradient properties of indexing draw.</summary>
public static class IndexGen
{
    public static TensorIndex[] Draw(Random rnd, int[] shape)
    {
        var items = new List<TensorIndex>();
        int explicitAxes = rnd.Next(0, shape.Length + 1);
        bool ellipsis = rnd.Next(3) == 0;
        int ellipsisAt = rnd.Next(0, explicitAxes + 1);
        // With an ellipsis, the explicit items index the first `ellipsisAt` axes and the last ones.
        var axes = Enumerable.Range(0, ellipsisAt).Concat(Enumerable.Range(shape.Length - (explicitAxes - ellipsisAt), explicitAxes - ellipsisAt)).ToList();
        if (!ellipsis) axes = Enumerable.Range(0, explicitAxes).ToList();
        for (int k = 0; k <= axes.Count; k++)
        {
            if (ellipsis && k == ellipsisAt) items.Add(TensorIndex.Ellipsis);
            if (rnd.Next(5) == 0) items.Add(TensorIndex.NewAxis);
            if (k == axes.Count) break;
            int n = shape[axes[k]];
            if (n > 0 && rnd.Next(3) == 0) items.Add(rnd.Next(-n, n));
            else
            {
                int? End() => rnd.Next(3) == 0 ? null : rnd.Next(-n - 2, n + 3);
                int step = rnd.Next(4) switch { 0 => 1, 1 => -1, 2 => 2, _ => -2 - rnd.Next(2) };
                items.Add(TensorIndex.Step(End(), End(), step));
            }
        }
        return items.ToArray();
    }
}
