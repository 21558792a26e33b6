namespace KerasBackend;

// Rules of the Keras 3 ops of issue 16 (keras.ops.math / numpy / nn / linalg): dtype rules and checks the older
// families did not need. The generator reads them like every other rule (Spec/README.md, "Rules").
public static partial class DTypeRules
{
    /// <summary>mod and floor_divide: the promoted dtype, with bool (two bool operands) computed as int32 (Keras 3 Mod.compute_output_spec, jnp.floor_divide).</summary>
    public static DType PromoteNumeric(Tensor x, Tensor y)
    {
        var d = Promote(x, y);
        return d == DType.Bool ? DType.Int32 : d;
    }
}
