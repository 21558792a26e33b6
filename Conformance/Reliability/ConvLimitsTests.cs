namespace KerasBackend.Conformance.Reliability;

/// <summary>Window geometry at the int limits (conv, pooling, padding): a Keras error or a result, never a wrapped size.</summary>
public sealed class ConvLimitsTests
{
    private const int Max = int.MaxValue;

    public static TheoryData<string, Func<Tensor>> Calls()
    {
        var x = K.Ones([1, 3, 3, 1]);
        var k = K.Ones([2, 2, 1, 1]);
        var x1 = K.Ones([1, 3, 1]);
        var k1 = K.Ones([2, 1, 1]);
        var x3 = K.Ones([1, 2, 2, 2, 1]);
        var k3 = K.Ones([2, 2, 2, 1, 1]);
        return new()
        {
            { "pool_same_max_window", () => K.Pool2d(x, [Max, Max], [Max, Max], "same") },
            { "pool_valid_max_window", () => K.Pool2d(x, [Max, Max], [1, 1], "valid") },
            { "pool_same_max_stride", () => K.Pool2d(x, [2, 2], [Max, Max], "same", poolMode: "avg") },
            { "conv_same_max_stride", () => K.Conv2d(x, k, [Max, Max], "same") },
            { "conv_max_dilation", () => K.Conv2d(x, k, [1, 1], "same", dilationRate: [Max, Max]) },
            { "conv_valid_max_dilation", () => K.Conv2d(x, k, [1, 1], "valid", dilationRate: [Max, Max]) },
            { "conv1d_max_dilation", () => K.Conv1d(x1, k1, 1, "causal", dilationRate: Max) },
            { "conv1d_max_stride", () => K.Conv1d(x1, k1, Max, "same") },
            { "backprop_input_max_stride", () => K.Conv2dBackpropInput(x, k, K.Ones([1, 1, 1, 1]), [Max, Max], "same") },
            { "spatial_padding_max", () => K.Spatial2dPadding(x, [Max, Max, Max, Max]) },
            { "spatial_padding_half", () => K.Spatial2dPadding(x, [Max / 2, Max / 2, 1, 1]) },
            { "temporal_padding_max", () => K.TemporalPadding(x1, [Max, Max]) },
            { "conv3d_max_dilation", () => K.Conv3d(x3, k3, [1, 1, 1], "same", dilationRate: [Max, Max, Max]) },
            { "conv3d_max_stride", () => K.Conv3d(x3, k3, [Max, Max, Max], "same") },
            { "pool3d_max_window", () => K.Pool3d(x3, [Max, Max, Max], [Max, Max, Max], "same", poolMode: "avg") },
            { "spatial_3d_padding_max", () => K.Spatial3dPadding(x3, [Max, Max, 1, 1, Max, 0]) },
        };
    }

    [Theory, MemberData(nameof(Calls))]
    public void Window_arguments_at_the_int_limit_give_a_keras_error_or_a_result(string name, Func<Tensor> call)
    {
        foreach (var backend in Backend.BuiltIn)
        {
            using var scope = Backend.Use(backend);
            try
            {
                var r = call();
                Assert.True(r.Shape.IsFullyDefined, name);
                Assert.Equal(r.Shape.Size, r.Size);
                _ = r.ToString();
            }
            catch (KerasValueException) { }
        }
    }
}
