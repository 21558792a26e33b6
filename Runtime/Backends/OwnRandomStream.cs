namespace KerasBackend;

/// <summary>
/// A backend whose random ops draw from a generator of their own (the <c>onnx</c> backend: ONNX Runtime's), so a seed
/// gives other values than the Philox stream the cpu and numpy backends and the golden corpus share. Case replay
/// (<c>kbackend check</c>, the corpus tests) does not compare those ops' values on such a backend and says so; their
/// error cases still run.
/// </summary>
internal interface IOwnRandomStream
{
    /// <summary>Why <paramref name="op"/>'s seeded values differ from the shared stream on this backend, or null when they do not.</summary>
    string? OwnRandomStream(string op);
}
