namespace KerasBackend;

/// <summary>
/// A backend that can run a whole <see cref="KFunction"/> itself instead of node by node (the <c>onnx</c> backend compiles
/// the function's graph, gradients and updates included, into one ONNX Runtime session).
/// </summary>
internal interface IFunctionBackend
{
    /// <summary>
    /// The outputs of <paramref name="f"/> for the fed values (one per <see cref="KFunction.Inputs"/>, already checked and
    /// converted), as new tensors the caller owns, with the function's updates applied; null when the backend does not run
    /// this function as one graph (then the function runs node by node on the backend's kernels).
    /// </summary>
    Tensor[]? TryCall(KFunction f, Tensor[] fed, int learningPhase);
}
