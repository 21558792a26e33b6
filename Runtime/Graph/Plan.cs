namespace KerasBackend.Graph;

/// <summary>
/// Evaluates symbolic tensors: a topological plan from the roots back to placeholders and concrete leaves
/// (constants, variables, read when the plan runs). Every symbolic tensor has a slot: placeholders first, then
/// the op nodes in evaluation order. A run works on a <see cref="State"/>, the per-call storage (values by slot,
/// input arrays, the buffers of intermediates), which is rented and returned so that steady-state calls
/// allocate nothing but their outputs.
/// </summary>
/// <remarks>
/// <para>How a node runs. The first time (and whenever an input's shape, dtype or type changes) a node replays
/// its op through the facade: checks and inference on the real shapes. When that succeeds for a kernel op, the
/// state remembers the input signature and the result's shape and dtype; later runs with the same signature
/// call the backend kernel alone (<see cref="Node.Kernel"/>) into a buffer the state keeps for that node.
/// Composite nodes (gradient plumbing, sparse ops) always replay.</para>
/// <para>Ownership. A value is <i>owned by the state</i> when a node made it and it is not an output: it is
/// released when its last reader has run (the slot's last use is known from the plan; a value shared by
/// identity-like replays is counted once per holder). A kernel node's buffer stays with the state across calls;
/// when it is at least <see cref="TensorPool.PoolThresholdBytes"/> it goes back to the pool between uses, so the
/// working set is that of the live values, and is taken again (usually the same, still cached array) when the
/// node next runs. Output values are fresh tensors that belong to the caller. Fed values, constants and
/// variables are never released.</para>
/// <para>Threads. A state is used by one call at a time; a plan keeps a few idle states, so concurrent calls
/// each get their own.</para>
/// </remarks>
internal sealed class Plan
{
    private enum SlotKind : byte { Placeholder, Intermediate, Kept, Output }

    // Owner of a value that the state keeps but must not give away (a specialization's constant): outputs copy it.
    private const int Shared = -2;

    private readonly Node[] _nodes;            // op nodes in evaluation order
    private readonly int[][] _inputSlots;      // per node: the slot of each input, -1 for a concrete input (constant, variable) or null
    private readonly int[][] _dying;           // per node: the slots it reads for the last time (intermediates only)
    private readonly SlotKind[] _kind;         // per slot
    private readonly Dictionary<Tensor, int> _slots = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Tensor> _leaves = new(ReferenceEqualityComparer.Instance);
    private readonly State?[] _idle = new State?[4];

    /// <summary>A plan computing <paramref name="outputs"/> (fresh tensors for the caller) and <paramref name="kept"/> (values the caller reads before <see cref="Return"/>, e.g. update operands; they stay owned by the state).</summary>
    public Plan(IEnumerable<Tensor> outputs, IEnumerable<Tensor>? kept = null)
    {
        var outs = outputs.Where(t => t.IsSymbolic).ToArray();
        var keep = (kept ?? []).Where(t => t.IsSymbolic).ToArray();
        var order = GraphBuilder.TopologicalOrder(outs.Concat(keep));
        Placeholders = order.Where(t => t.Node!.IsPlaceholder).ToArray();
        var ops = order.Where(t => !t.Node!.IsPlaceholder).ToArray();
        int p = Placeholders.Length;
        for (int i = 0; i < p; i++) _slots[Placeholders[i]] = i;
        for (int i = 0; i < ops.Length; i++) _slots[ops[i]] = p + i;
        _kind = new SlotKind[p + ops.Length];
        for (int i = p; i < _kind.Length; i++) _kind[i] = SlotKind.Intermediate;
        foreach (var t in keep) _kind[_slots[t]] = _kind[_slots[t]] == SlotKind.Placeholder ? SlotKind.Placeholder : SlotKind.Kept;
        foreach (var t in outs) if (_kind[_slots[t]] != SlotKind.Placeholder) _kind[_slots[t]] = SlotKind.Output;

        _nodes = new Node[ops.Length];
        _inputSlots = new int[ops.Length][];
        var lastUse = new int[_kind.Length];
        Array.Fill(lastUse, -1);
        for (int i = 0; i < ops.Length; i++)
        {
            var node = _nodes[i] = ops[i].Node!;
            var map = _inputSlots[i] = new int[node.Inputs.Length];
            for (int j = 0; j < map.Length; j++)
            {
                var inp = node.Inputs[j];
                map[j] = inp is { IsSymbolic: true } ? _slots[inp] : -1;
                if (map[j] >= 0) lastUse[map[j]] = i;
                else if (inp is not null) _leaves.Add(inp);
            }
        }
        var dying = new List<int>[ops.Length];
        for (int s = p; s < _kind.Length; s++)
            if (_kind[s] == SlotKind.Intermediate && lastUse[s] >= 0) (dying[lastUse[s]] ??= []).Add(s);
        _dying = Array.ConvertAll(dying, d => d?.ToArray() ?? []);
    }

    /// <summary>Placeholders the roots depend on; placeholder <c>i</c> has slot <c>i</c>.</summary>
    public Tensor[] Placeholders { get; }

    /// <summary>Number of op nodes.</summary>
    public int Count => _nodes.Length;

    /// <summary>The slot of a symbolic tensor of the plan, or -1.</summary>
    public int SlotOf(Tensor t) => _slots.TryGetValue(t, out var s) ? s : -1;

    /// <summary>A state for one run: an idle one when there is one (no allocation), else a new one.</summary>
    public State Rent()
    {
        for (int i = 0; i < _idle.Length; i++)
            if (Interlocked.Exchange(ref _idle[i], null) is { } s) return s;
        return new State(this);
    }

    /// <summary>Ends a run (successful or not): releases what the state still owns, forgets the values, keeps the state for a later run.</summary>
    public void Return(State s)
    {
        Finish(s);
        for (int i = 0; i < _idle.Length; i++)
            if (Interlocked.CompareExchange(ref _idle[i], s, null) is null) return;
        s.DisposeBuffers();
    }

    /// <summary>
    /// Runs every node. The caller has put a value in the slot of every placeholder. Output slots end with fresh
    /// tensors (or aliases: see <see cref="TakeOutput"/>); kept slots with values readable until <see cref="Return"/>.
    /// </summary>
    public void Execute(State s)
    {
        // Replayed ops compute on concrete values; inside a symbolic scope they must compute, not record again.
        if (GraphBuilder.Recording) { ExecuteEagerly(s); return; }
        int p = Placeholders.Length;
        IBackend? backend = null;
        for (int i = 0; i < _nodes.Length; i++)
        {
            var node = _nodes[i];
            int slot = p + i;
            var ins = s.Ins[i];
            var map = _inputSlots[i];
            for (int j = 0; j < ins.Length; j++) ins[j] = map[j] >= 0 ? s.Values[map[j]] : node.Inputs[j];
            var sig = s.Signatures[i];
            if (node.Kernel is null && sig is not null && s.Specialized[i] is { } sp && sig.Matches(ins))
            {
                s.Values[slot] = RunSpecialized(s, slot, sp, ins);
            }
            else if (node.Kernel is not null && sig is not null && sig.Matches(ins))
            {
                Tensor output;
                if (_kind[slot] == SlotKind.Output)
                {
                    output = Tensor.Uninitialized(sig.DType, sig.Shape);
                    s.Owner[slot] = -1;
                }
                else
                {
                    output = s.Owned[slot] ??= Tensor.Uninitialized(sig.DType, sig.Shape);
                    output.AcquireBuffer();
                    s.Cached[slot] = true;
                    s.Owner[slot] = slot;
                    s.Refs[slot] = 1;
                }
                node.Kernel(backend ??= Backend.Current, ins, output);
                s.Values[slot] = output;
            }
            else
            {
                var value = node.Replay!(ins);
                s.Values[slot] = value;
                Adopt(s, i, slot, ins, value);
            }
            Array.Clear(ins);
            foreach (var d in _dying[i]) Drop(s, d);
        }
    }

    // A composite node specialized to its inputs' shapes: its kernel-only subgraph runs on the state's sub-state.
    private Tensor RunSpecialized(State s, int slot, Specialization sp, Tensor?[] ins)
    {
        if (sp.Constant is { } constant)
        {
            s.Owner[slot] = Shared;
            return constant;
        }
        var sub = sp.Plan!;
        var ss = sp.State!;
        for (int k = 0; k < sp.InputOf.Length; k++) ss.Values[k] = ins[sp.InputOf[k]];
        sub.Execute(ss);
        var value = ss.Values[sp.Result]!;
        if (_kind[slot] == SlotKind.Output) s.Owner[slot] = -1;
        else
        {
            // The result is the sub-state's kept tensor for that node: the outer slot owns it from here on.
            ss.Refs[sp.Result] = 0;
            s.Owned[slot] = value;
            s.Cached[slot] = true;
            s.Owner[slot] = slot;
            s.Refs[slot] = 1;
        }
        sub.Finish(ss);
        return value;
    }

    private void ExecuteEagerly(State s) => Session.Eager(() => { Execute(s); return 0; });

    // Decides who owns a replay's result: an input's value (identity-like ops) keeps its owner; a fed value,
    // constant or variable has none; a fresh tensor belongs to the caller (outputs) or to the state.
    private void Adopt(State s, int node, int slot, Tensor?[] ins, Tensor value)
    {
        var map = _inputSlots[node];
        for (int j = 0; j < ins.Length; j++)
            if (ReferenceEquals(ins[j], value))
            {
                int owner = map[j] >= 0 ? s.Owner[map[j]] : -1;
                s.Owner[slot] = owner;
                if (owner >= 0) s.Refs[owner]++;
                s.Signatures[node] = null;
                return;
            }
        s.Owner[slot] = -1;
        if (value is Variable || _leaves.Contains(value) || IsFed(s, value)) { s.Signatures[node] = null; return; }
        bool kernel = _nodes[node].Kernel is not null && value.GetType() == typeof(Tensor);
        if (_nodes[node].Kernel is null && s.Reused && !s.Unspecializable[node])
        {
            s.Specialized[node]?.Dispose();
            s.Specialized[node] = Specialization.Try(_nodes[node], ins, value, _kind[slot] == SlotKind.Output);
            s.Unspecializable[node] = s.Specialized[node] is null;
        }
        s.Signatures[node] = kernel || s.Specialized[node] is not null ? Signature.Of(ins, value, s.Signatures[node]) : null;
        if (_kind[slot] == SlotKind.Output) return;
        var previous = s.Owned[slot];
        if (previous is not null && !ReferenceEquals(previous, value)) previous.Dispose();
        s.Owned[slot] = value;
        s.Cached[slot] = kernel;
        s.Owner[slot] = slot;
        s.Refs[slot] = 1;
    }

    /// <summary>True when <paramref name="value"/> is the value fed to one of the placeholders in this run.</summary>
    public bool IsFed(State s, Tensor value)
    {
        for (int i = 0; i < Placeholders.Length; i++)
            if (ReferenceEquals(s.Values[i], value)) return true;
        return false;
    }

    /// <summary>True for a concrete tensor some node reads (a constant or variable the plan never releases).</summary>
    public bool IsLeaf(Tensor value) => _leaves.Contains(value);

    /// <summary>True when the value of <paramref name="slot"/> stays with the state (a constant the state keeps): an output must be a copy.</summary>
    public bool IsShared(State s, int slot) => s.Owner[slot] == Shared;

    // A slot's value is no longer read: one holder less for its owner.
    private static void Drop(State s, int slot)
    {
        int owner = s.Owner[slot];
        s.Values[slot] = null;
        if (owner >= 0 && --s.Refs[owner] == 0) Release(s, owner);
    }

    private static void Release(State s, int owner)
    {
        var t = s.Owned[owner];
        if (t is null) return;
        if (s.Cached[owner]) t.ReleaseBuffer();
        else { t.Dispose(); s.Owned[owner] = null; }
    }

    /// <summary>
    /// The value of a root for the caller to keep. A fresh output is already the caller's; a value owned by the
    /// state (an output that an identity-like op made an alias of an intermediate) is handed over: the state forgets
    /// it and makes a new buffer for that node next time. Fed values, constants and variables are returned as they
    /// are: the caller copies them when it must.
    /// </summary>
    public Tensor TakeOutput(State s, int slot)
    {
        var v = s.Values[slot]!;
        int owner = s.Owner[slot];
        if (owner < 0) return v;
        if (owner >= Placeholders.Length && s.Specialized[owner - Placeholders.Length] is { } sp) sp.Forget(v);
        s.Owned[owner] = null;
        s.Refs[owner] = 0;
        for (int k = Placeholders.Length; k < s.Owner.Length; k++)
            if (s.Owner[k] == owner) s.Owner[k] = -1;
        return v;
    }

    private void Finish(State s)
    {
        for (int k = Placeholders.Length; k < s.Owner.Length; k++)
            if (s.Refs[k] > 0) Release(s, k);
        Array.Clear(s.Values);
        Array.Fill(s.Owner, -1);
        Array.Clear(s.Refs);
        foreach (var ins in s.Ins) Array.Clear(ins);
    }

    /// <summary>
    /// One-shot evaluation (K.Eval, tests): feeds <paramref name="feed"/>, returns the value of every root and
    /// placeholder; the caller owns the roots' values (those that are fed tensors, constants or variables are
    /// returned as they are).
    /// </summary>
    public Dictionary<Tensor, Tensor> Run(IReadOnlyDictionary<Tensor, Tensor> feed)
    {
        var s = new State(this, reused: false);
        try
        {
            for (int i = 0; i < Placeholders.Length; i++)
            {
                var ph = Placeholders[i];
                if (!feed.TryGetValue(ph, out var v))
                    throw new KerasValueException("function", "inputs",
                        $"The placeholder {ph.Describe()} is needed to compute the outputs but was not fed. Add it to the function's inputs.");
                s.Values[i] = v;
            }
            Execute(s);
            var values = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
            foreach (var (t, slot) in _slots)
                if (_kind[slot] != SlotKind.Intermediate)
                    values[t] = _kind[slot] == SlotKind.Placeholder ? s.Values[slot]! : TakeOutput(s, slot);
            return values;
        }
        finally
        {
            Finish(s);
            s.DisposeBuffers();
        }
    }

    /// <summary>
    /// A composite node (gradient plumbing recorded for unknown dimensions: <c>_sum_like</c>, <c>_broadcast_like</c>,
    /// ...) specialized to fixed input shapes: the graph its replay records on stand-in placeholders of those shapes.
    /// With every dimension known such replays emit ordinary K ops, so the subgraph runs through kernels on a
    /// sub-state without allocating. Kept only when that graph is made of kernel nodes and, run once on the
    /// real inputs, gives exactly the bytes the replay gave.
    /// </summary>
    internal sealed class Specialization
    {
        private Specialization(Plan plan, int[] inputOf, int result)
        {
            Plan = plan;
            State = new State(plan);
            InputOf = inputOf;
            Result = result;
        }

        public Plan? Plan { get; }
        public State? State { get; }
        /// <summary>Per placeholder of <see cref="Plan"/>: the index of the node input it stands for.</summary>
        public int[] InputOf { get; }
        /// <summary>The slot of the result in <see cref="Plan"/>.</summary>
        public int Result { get; }

        private Specialization(Tensor constant)
        {
            Constant = constant;
            InputOf = [];
        }

        /// <summary>Set when the replay on stand-ins computed a value at once: it depends on the input shapes only.</summary>
        public Tensor? Constant { get; }

        public static Specialization? Try(Node node, Tensor?[] ins, Tensor replayed, bool output)
        {
            if (replayed.GetType() != typeof(Tensor)) return null;
            // Every input becomes a stand-in (constants and variables too), so nothing of the replay's result can
            // depend on a value: a result computed at once depends on the shapes alone.
            var standIns = new Tensor?[ins.Length];
            for (int j = 0; j < ins.Length; j++)
            {
                if (ins[j] is not { } t) continue;
                if (t.GetType() != typeof(Tensor) && t is not Variable || t.IsWeak) return null;
                standIns[j] = GraphBuilder.Placeholder(t.Shape, t.DType, "specialized");
            }
            Tensor r;
            try { r = node.Replay!(standIns); }
            catch (KerasValueException) { return null; }
            if (r.Shape != replayed.Shape || r.DType != replayed.DType || r.GetType() != typeof(Tensor)) return null;
            if (!r.IsSymbolic)
                return output || !r.Bytes().SequenceEqual(replayed.Bytes()) ? null : new Specialization(r);
            if (r.Node!.IsPlaceholder) return null;
            var plan = output ? new Plan([r]) : new Plan([], [r]);
            foreach (var n in plan._nodes) if (n.Kernel is null) return null;
            var inputOf = Array.ConvertAll(plan.Placeholders, p => Array.IndexOf(standIns, p));
            if (Array.IndexOf(inputOf, -1) >= 0) return null;
            var sp = new Specialization(plan, inputOf, plan.SlotOf(r));
            if (!sp.Agrees(ins, replayed)) { sp.Dispose(); return null; }
            return sp;
        }

        // Runs the subgraph once on the real inputs (on the replay path, so kernels are checked) and compares bytes.
        private bool Agrees(Tensor?[] ins, Tensor replayed)
        {
            var s = State!;
            for (int k = 0; k < InputOf.Length; k++) s.Values[k] = ins[InputOf[k]];
            try
            {
                Plan!.Execute(s);
                var v = s.Values[Result]!;
                bool same = v.Shape == replayed.Shape && v.DType == replayed.DType && v.Bytes().SequenceEqual(replayed.Bytes());
                if (Plan._kind[Result] == SlotKind.Output) v.Dispose();
                return same;
            }
            catch (KerasValueException) { return false; }
            finally { Plan!.Finish(s); }
        }

        /// <summary>The result tensor <paramref name="given"/> now belongs to the caller: the sub-state must not refill it.</summary>
        public void Forget(Tensor given)
        {
            if (State is not null && ReferenceEquals(State.Owned[Result], given)) State.Owned[Result] = null;
        }

        // A constant is left to the GC: it could be a tensor the replay's closure holds.
        public void Dispose() => State?.DisposeBuffers();
    }

    /// <summary>What a kernel node's last successful replay saw: its inputs' types, dtypes, weak flags and shapes, and the result's shape and dtype.</summary>
    internal sealed class Signature
    {
        private readonly (Type? Type, DType DType, bool Weak, Shape Shape)[] _inputs;

        private Signature(int n) => _inputs = new (Type?, DType, bool, Shape)[n];

        public Shape Shape { get; private set; }
        public DType DType { get; private set; }

        /// <summary>The signature of a successful replay, reusing <paramref name="reuse"/>'s storage when it has room.</summary>
        public static Signature Of(Tensor?[] ins, Tensor result, Signature? reuse)
        {
            var sig = reuse is not null && reuse._inputs.Length == ins.Length ? reuse : new Signature(ins.Length);
            for (int j = 0; j < ins.Length; j++)
                sig._inputs[j] = ins[j] is { } t ? (t.GetType(), t.DType, t.IsWeak, t.Shape) : (null, default, false, default);
            sig.Shape = result.Shape;
            sig.DType = result.DType;
            return sig;
        }

        /// <summary>True when the inputs look like those of the recorded replay, so its checks and inference hold again.</summary>
        public bool Matches(Tensor?[] ins)
        {
            for (int j = 0; j < ins.Length; j++)
            {
                var e = _inputs[j];
                var t = ins[j];
                if (t is null) { if (e.Type is not null) return false; continue; }
                if (t.GetType() != e.Type || t.DType != e.DType || t.IsWeak != e.Weak || t.Shape != e.Shape) return false;
            }
            return true;
        }
    }

    /// <summary>The storage of one run, indexed by slot (and by node for the input arrays and signatures).</summary>
    internal sealed class State
    {
        public State(Plan plan, bool reused = true)
        {
            Reused = reused;
            int n = plan._kind.Length;
            Values = new Tensor?[n];
            Owner = new int[n];
            Array.Fill(Owner, -1);
            Refs = new int[n];
            Owned = new Tensor?[n];
            Cached = new bool[n];
            Ins = Array.ConvertAll(plan._nodes, node => new Tensor?[node.Inputs.Length]);
            Signatures = new Signature?[plan._nodes.Length];
            Specialized = new Specialization?[plan._nodes.Length];
            Unspecializable = new bool[plan._nodes.Length];
        }

        /// <summary>False for a one-shot run: specializing composite nodes would not pay off.</summary>
        public readonly bool Reused;
        /// <summary>This run's value of each slot (placeholders: the fed values).</summary>
        public readonly Tensor?[] Values;
        /// <summary>Per slot: the slot whose owned tensor the value is, or -1 (fed, constant, variable, or the caller's).</summary>
        internal readonly int[] Owner;
        /// <summary>Per owning slot: how many slots hold its tensor in this run.</summary>
        internal readonly int[] Refs;
        /// <summary>Per slot: the tensor the state owns for it (kept across runs for kernel nodes, else until its last use).</summary>
        internal readonly Tensor?[] Owned;
        /// <summary>Per slot: <see cref="Owned"/> is a kernel node's buffer, kept across runs.</summary>
        internal readonly bool[] Cached;
        internal readonly Tensor?[][] Ins;
        internal readonly Signature?[] Signatures;
        /// <summary>Per node: the composite node's replay specialized to the shapes of <see cref="Signatures"/>, or null.</summary>
        internal readonly Specialization?[] Specialized;
        /// <summary>Per node: a composite whose replay does not reduce to kernel nodes; it is not tried again.</summary>
        internal readonly bool[] Unspecializable;

        /// <summary>Scratch for the caller (K.Function): converted feeds to dispose, update operands, the learning phase scalar.</summary>
        internal Tensor?[]? Converted;
        internal Tensor?[][]? UpdateInputs;
        /// <summary>Per update of the caller: a buffer for a variable's new value (update_add, update_sub).</summary>
        internal Tensor?[]? UpdateScratch;
        internal Tensor? Phase;

        /// <summary>Gives every buffer back to the pool (the state is being dropped).</summary>
        public void DisposeBuffers()
        {
            foreach (var t in Owned) t?.Dispose();
            Array.Clear(Owned);
            foreach (var sp in Specialized) sp?.Dispose();
            Array.Clear(Specialized);
            Phase?.Dispose();
            Phase = null;
            if (UpdateScratch is not null)
                foreach (var t in UpdateScratch) t?.Dispose();
            UpdateScratch = null;
        }
    }
}
