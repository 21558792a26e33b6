namespace KerasBackend;

// Typed forms of generated functions whose spec type is a plain Delegate: the result has the argument's own delegate type.
public static partial class K
{
    /// <summary>As <see cref="Symbolic(Delegate)"/>, returning func's own delegate type: <c>K.Symbolic&lt;Func&lt;Tensor, Tensor&gt;&gt;(f)</c>.</summary>
    public static TDelegate Symbolic<TDelegate>(TDelegate func) where TDelegate : Delegate => (TDelegate)Symbolic((Delegate)func);

    /// <summary>As <see cref="Eager(Delegate)"/>, returning func's own delegate type.</summary>
    public static TDelegate Eager<TDelegate>(TDelegate func) where TDelegate : Delegate => (TDelegate)Eager((Delegate)func);
}
