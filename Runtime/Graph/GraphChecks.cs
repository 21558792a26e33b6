namespace KerasBackend.Graph;

/// <summary>Shape checks shared by placeholders, K.Function feeds and updates.</summary>
internal static class GraphChecks
{
    /// <summary>Same rank, and every dimension known on both sides is equal (an unknown dimension matches any size).</summary>
    public static bool ShapesCompatible(Shape declared, Shape actual)
    {
        if (declared.Rank != actual.Rank) return false;
        for (int i = 0; i < declared.Rank; i++)
            if (declared[i] >= 0 && actual[i] >= 0 && declared[i] != actual[i]) return false;
        return true;
    }
}
