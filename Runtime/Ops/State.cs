namespace KerasBackend;

/// <summary>Composite implementations of the configuration and session functions of Spec/ops/state.json.</summary>
internal static class State
{
    public static string Backend() => KerasBackend.Backend.CurrentName;

    public static double Epsilon() => Config.Epsilon;

    public static void SetEpsilon(double value) => Config.SetEpsilon(value);

    public static string Floatx() => Config.Floatx.Name();

    public static void SetFloatx(string value) => Config.SetFloatx(value);

    /// <summary>numpy.asarray(x, dtype=floatx()): a new tensor, symbolic when x is.</summary>
    public static Tensor CastToFloatx(object x) =>
        x is Tensor t ? K.Cast(t, Config.Floatx) : Creation.ToTensor(x, "cast_to_floatx", Config.Floatx);

    public static string ImageDataFormat() => Config.ImageDataFormat;

    public static void SetImageDataFormat(string dataFormat) => Config.SetImageDataFormat(dataFormat);

    public static int LearningPhase() => Session.LearningPhase;

    public static void SetLearningPhase(int value) => Session.SetLearningPhase(value);

    public static void ClearSession(bool freeMemory) => Session.ClearSession(freeMemory);

    public static int GetUid(string prefix) => Session.GetUid(prefix);

    public static void ResetUids() => Session.ResetUids();

    public static void ManualVariableInitialization(bool value) => Session.SetManualVariableInitialization(value);
}
