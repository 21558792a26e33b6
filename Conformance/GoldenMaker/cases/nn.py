"""Golden cases for rnn (family `nn`).

rnn takes a step function, which a case file cannot carry: cases name one of the step functions in
Runtime/Ops/Rnn.cs (RnnSteps.ByName), each written again in numpy here (STEPS). The expected result is the list
[last_output, outputs, *new_states].

Keras rules written out (the Keras 2.3 numpy reference, keras/backend/numpy_backend.py rnn, keras-api.md §3
"rnn(...)", plus tf-keras' extra options):
- step_function(input_t, states + constants) -> (output_t, new_states); constants are appended at every step.
- outputs stacks the step outputs along the time axis in iteration order (go_backwards iterates from the last
  step, so outputs come out reversed).
- mask (samples, time), cast to bool: at a masked step both the output and every state keep their previous
  values; the "previous output" before the first step is zeros.
- zero_output_for_mask (tf_keras/backend.py 4778-4780 and the unrolled path): masked entries of outputs are
  zeros, and last_output is zeros for samples whose last iterated step is masked; states still carry over.
- time_major: inputs, mask and outputs are (time, samples, ...).
- inputs of rank < 3, a mask without states, a mask of the wrong shape, input_length that disagrees with the
  number of timesteps are ValueErrors.
"""


def _steps(np):
    return {
        "identity_count": lambda x, s: (x.copy(), [v + 1 for v in s]),
        "accumulate": lambda x, s: (x + s[0], [x + s[0]]),
        "linear_rnn": lambda x, s: (np.dot(x, s[-2]) + np.dot(s[0], s[-1]), [np.dot(x, s[-2]) + np.dot(s[0], s[-1])]),
    }


def rnn_ref(np, step, inputs, states, go_backwards=False, mask=None, constants=None, time_major=False, zero_output_for_mask=False):
    constants = constants or []
    if time_major:
        inputs = np.swapaxes(inputs, 0, 1)
        mask = None if mask is None else np.swapaxes(mask, 0, 1)
    if mask is not None and mask.ndim == 3:
        mask = mask[..., 0]
    if mask is not None:
        mask = (mask[..., 0] if mask.ndim == 3 else mask).astype(bool)
    t_len = inputs.shape[1]
    order = range(t_len - 1, -1, -1) if go_backwards else range(t_len)
    outputs, kept = [], []
    prev = None
    for t in order:
        out, new = step(inputs[:, t], list(states) + list(constants))
        if mask is not None:
            m = mask[:, t]
            if prev is None:
                prev = np.zeros_like(out)
            out = np.where(m.reshape(m.shape + (1,) * (out.ndim - 1)), out, prev)
            new = [np.where(m.reshape(m.shape + (1,) * (n.ndim - 1)), n, s) for n, s in zip(new, states)]
            kept.append(m)
        outputs.append(out)
        prev = out
        states = new
    last = outputs[-1]
    stacked = np.stack(outputs, axis=1)
    if zero_output_for_mask and mask is not None:
        last = np.where(kept[-1].reshape(kept[-1].shape + (1,) * (last.ndim - 1)), last, 0)
        km = np.stack(kept, axis=1)
        stacked = np.where(km.reshape(km.shape + (1,) * (stacked.ndim - 2)), stacked, 0)
    if time_major:
        stacked = np.swapaxes(stacked, 0, 1)
    return [last, stacked] + list(states)


def generate(np, T):
    cases = []
    steps = _steps(np)
    r = T.rng("nn/rnn")

    def add(cid, step, x, states, note=None, mask=None, constants=None, tol=None, **args):
        want = rnn_ref(np, steps[step], x, states, args.get("go_backwards", False), mask, constants, args.get("time_major", False),
                       args.get("zero_output_for_mask", False))
        dt = str(x.dtype)
        inputs = {"inputs": T(x), "initial_states": [T(s) for s in states]}
        if mask is not None:
            inputs["mask"] = T(mask)
        if constants is not None:
            inputs["constants"] = [T(c) for c in constants]
        a = {"step_function": step}
        a.update(args)
        rt, at = tol or T.tol(dt, 8)
        cases.append(T.case(f"rnn/{cid}", "rnn", inputs, a, expect=[T(np.asarray(w).astype(dt)) for w in want], rtol=rt, atol=at, note=note))

    f = "float32"
    # Keras 2.3 backend_test: identity step, states + 1, last two of four steps masked for the second sample.
    x = T.arr(r, (2, 4, 3), f)
    m = np.array([[1, 1, 1, 1], [1, 1, 0, 0]], "float32")
    add("keras2/identity_masked", "identity_count", x, [np.zeros((2, 5), f)], "Keras 2.3 backend_test: state +4 vs +2", mask=m)
    add("keras2/identity_masked_unroll", "identity_count", x, [np.zeros((2, 5), f)], mask=m, unroll=True, input_length=4)
    x36 = T.arr(r, (3, 6, 7), f)
    m36 = np.ones((3, 6), f)
    m36[0, -2:] = 0
    add("keras2/3x6x7_masked", "identity_count", x36, [np.zeros((3, 7), f), np.ones((3, 2), f)], "mask[0, -2:] = 0", mask=m36)
    add("keras2/no_states", "identity_count", x36, [])
    add("keras2/4d", "accumulate", T.arr(r, (2, 3, 4, 2), f), [np.zeros((2, 4, 2), f)], "4-D inputs and outputs")
    for gb in [False, True]:
        for tm in [False, True]:
            for zo in [False, True]:
                xx = T.arr(r, (3, 5, 2), f)
                mm = (T.arr(r, (3, 5), "bool")).astype("int32")
                xin, min_ = (np.swapaxes(xx, 0, 1).copy(), mm.T.copy()) if tm else (xx, mm)
                add(f"accumulate/gb{int(gb)}_tm{int(tm)}_zo{int(zo)}", "accumulate", xin, [T.arr(r, (3, 2), f)], mask=min_,
                    go_backwards=gb, time_major=tm, zero_output_for_mask=zo)
    for gb in [False, True]:
        xx = T.arr(r, (2, 4, 3), "float64", -1, 1)
        w, u = T.arr(r, (3, 2), "float64", -1, 1), T.arr(r, (2, 2), "float64", -0.5, 0.5)
        add(f"linear_rnn/constants_gb{int(gb)}", "linear_rnn", xx, [np.zeros((2, 2))], "constants [W, U] appended to the states", constants=[w, u], go_backwards=gb)
        add(f"linear_rnn/masked_gb{int(gb)}", "linear_rnn", xx, [np.ones((2, 2))], constants=[w, u], mask=np.array([[0, 1, 1, 0], [1, 0, 0, 1]], bool), go_backwards=gb)
    add("one_step", "accumulate", T.arr(r, (2, 1, 3), f), [np.zeros((2, 3), f)])
    add("float16", "accumulate", T.arr(r, (2, 3, 2), "float16"), [np.zeros((2, 2), "float16")], mask=np.array([[1, 0, 1], [1, 1, 1]], "float16"),
        tol=(4e-3, 4e-3))
    add("float64", "identity_count", T.arr(r, (2, 3, 2), "float64"), [np.zeros((2,), "float64")])
    add("mask_3d", "accumulate", T.arr(r, (2, 3, 2), f), [np.zeros((2, 2), f)], "mask (samples, time, 1)", mask=np.array([[[1], [0], [1]], [[0], [1], [1]]], f))
    add("empty_batch", "accumulate", np.zeros((0, 3, 2), f), [np.zeros((0, 2), f)])

    def err(cid, x, states, note=None, mask=None, **args):
        inputs = {"inputs": T(x), "initial_states": [T(s) for s in states]}
        if mask is not None:
            inputs["mask"] = T(mask)
        a = {"step_function": "identity_count"}
        a.update(args)
        cases.append(T.case(f"rnn/error/{cid}", "rnn", inputs, a, error="ValueError", note=note))

    err("rank2", np.ones((2, 3), f), [np.zeros((2, 1), f)], "input should be at least 3D")
    err("mask_without_states", np.ones((2, 3, 1), f), [], mask=np.ones((2, 3), f))
    err("mask_shape", np.ones((2, 3, 1), f), [np.zeros((2, 1), f)], mask=np.ones((2, 4), f))
    err("input_length", np.ones((2, 3, 1), f), [np.zeros((2, 1), f)], input_length=5)
    err("no_timesteps", np.ones((2, 0, 1), f), [np.zeros((2, 1), f)], unroll=True)
    return cases
