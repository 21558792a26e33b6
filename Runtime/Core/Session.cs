using System.Collections.Concurrent;

namespace KerasBackend;

/// <summary>Session state: per-prefix uids and the learning phase. Cleared by <c>K.ClearSession</c>.</summary>
internal static class Session
{
    private static ConcurrentDictionary<string, int> s_uids = new();

    /// <summary>Next uid for <paramref name="prefix"/>: 1 on the first call, then 2, ... (Keras' get_uid).</summary>
    public static int GetUid(string prefix) => s_uids.AddOrUpdate(prefix ?? "", 1, (_, v) => v + 1);

    public static void ResetUids() => s_uids = new();
}
