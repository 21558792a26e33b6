"""Golden cases for the losses (family `losses`): categorical_crossentropy, sparse_categorical_crossentropy,
binary_crossentropy, categorical_focal_crossentropy, binary_focal_crossentropy.

Each expected value is written from tf-keras's code (tf_keras/backend.py), in float64, rounded once to the
result dtype, with epsilon() = 1e-7:
- categorical_crossentropy: logits -> -sum(t * log_softmax(x, axis), axis) with log_softmax = x - m - log(sum(exp(x - m)))
  (tf.nn.softmax_cross_entropy_with_logits); probabilities -> o / sum(o, axis), clipped to [eps, 1 - eps],
  -sum(t * log(p), axis).
- sparse_categorical_crossentropy: labels cast to int; probabilities -> log(clip(o)) taken as logits, so
  log(sum(clip(o))) - log(clip(o)[label]) with no renormalization; logits -> logsumexp(x) - x[label].
  ignore_class positions are 0. A label out of range is a ValueError here (TF's CPU kernel raises).
- binary_crossentropy: logits -> max(x, 0) - x * t + log1p(exp(-|x|)); probabilities -> c = clip(o),
  -(t * log(c + eps) + (1 - t) * log(1 - c + eps)) (epsilon twice, as the code does).
- the focal losses as tf-keras composes them.
Cross-checked (when torch is importable) against torch 1.13: F.cross_entropy with class-probability targets
(= categorical with logits), F.cross_entropy with class indices and ignore_index (= sparse with logits; torch
gives 0 at ignored positions too), F.binary_cross_entropy_with_logits (= binary with logits). The probability
paths have no torch twin (torch's binary_cross_entropy clamps log at -100 instead of clipping by epsilon).
"""
EPS = 1e-7


def _bounds(np, o):
    """tf.clip_by_value(o, eps, 1 - eps) bounds in o's dtype (float32 unless float64): TF makes epsilon_ a tensor of
    the output's dtype, numpy a weak scalar; 1 - eps in float32 is 1 - 1.19e-7."""
    if str(o.dtype) == "float64":
        return EPS, 1 - EPS
    return float(np.float32(EPS)), float(np.float32(1 - EPS))


def _move_last(np, a, axis):
    return np.moveaxis(a, axis, -1)


def cce(np, t, o, from_logits=False, axis=-1):
    lo, hi = _bounds(np, o)
    t = t.astype("float64")
    o = o.astype("float64")
    with np.errstate(all="ignore"):
        if from_logits:
            m = np.max(o, axis=axis, keepdims=True)
            lsm = (o - m) - np.log(np.sum(np.exp(o - m), axis=axis, keepdims=True))
            return -np.sum(t * lsm, axis=axis)
        p = o / np.sum(o, axis=axis, keepdims=True)
        p = np.clip(p, lo, hi)
        return -np.sum(t * np.log(p), axis=axis)


def scce(np, t, o, from_logits=False, axis=-1, ignore_class=None):
    lo, hi = _bounds(np, o)
    o = _move_last(np, o.astype("float64"), axis)
    rows = o.reshape(-1, o.shape[-1]) if o.ndim > 0 else o
    lab = np.trunc(t.astype("float64")).astype("int64").reshape(-1)
    out = np.zeros(lab.shape[0])
    with np.errstate(all="ignore"):
        for i, l in enumerate(lab):
            if ignore_class is not None and l == ignore_class:
                continue
            x = rows[i]
            if from_logits:
                m = np.max(x)
                out[i] = m + np.log(np.sum(np.exp(x - m))) - x[l]
            else:
                c = np.clip(x, lo, hi)
                out[i] = np.log(np.sum(c)) - np.log(c[l])
    shape = (1,) if o.ndim == 1 and t.ndim != 0 else o.shape[:-1]
    return out.reshape(shape)


def bce(np, t, o, from_logits=False):
    lo, hi = _bounds(np, o)
    t = t.astype("float64")
    o = o.astype("float64")
    with np.errstate(all="ignore"):
        if from_logits:
            return np.maximum(o, 0) - o * t + np.log1p(np.exp(-np.abs(o)))
        c = np.clip(o, lo, hi)
        return -(t * np.log(c + EPS) + (1 - t) * np.log(1 - c + EPS))


def cfce(np, t, o, alpha=0.25, gamma=2.0, from_logits=False, axis=-1):
    lo, hi = _bounds(np, o)
    t = t.astype("float64")
    o = o.astype("float64")
    if from_logits:
        e = np.exp(o - np.max(o, axis=axis, keepdims=True))
        o = e / np.sum(e, axis=axis, keepdims=True)
    p = o / np.sum(o, axis=axis, keepdims=True)
    p = np.clip(p, lo, hi)
    return np.sum(alpha * (1 - p) ** gamma * (-t * np.log(p)), axis=axis)


def bfce(np, t, o, balancing=False, alpha=0.25, gamma=2.0, from_logits=False):
    tf = t.astype("float64")
    of = o.astype("float64")
    p = 1 / (1 + np.exp(-of)) if from_logits else of
    pt = tf * p + (1 - tf) * (1 - p)
    r = (1 - pt) ** gamma * bce(np, t, o, from_logits)
    if balancing:
        r = (tf * alpha + (1 - tf) * (1 - alpha)) * r
    return r


def _torch_check(np, cases_checked):
    try:
        import torch
        import torch.nn.functional as F
    except Exception:
        return
    r = np.random.default_rng(7)
    x = r.normal(size=(6, 5)) * 3
    soft = r.random((6, 5))
    soft /= soft.sum(1, keepdims=True)
    lab = r.integers(0, 5, 6)
    lab[2] = 3
    tx = torch.tensor(x)
    want = F.cross_entropy(tx, torch.tensor(soft), reduction="none").numpy()
    assert np.allclose(cce(np, soft, x, True), want, rtol=1e-12, atol=1e-12), "categorical vs torch"
    want = F.cross_entropy(tx, torch.tensor(lab), reduction="none", ignore_index=3).numpy()
    assert np.allclose(scce(np, lab, x, True, ignore_class=3), want, rtol=1e-12, atol=1e-12), "sparse vs torch"
    x3 = r.normal(size=(2, 4, 3))
    lab3 = r.integers(0, 4, (2, 3))
    want = F.cross_entropy(torch.tensor(x3), torch.tensor(lab3), reduction="none").numpy()
    assert np.allclose(scce(np, lab3, x3, True, axis=1), want, rtol=1e-12, atol=1e-12), "sparse axis=1 vs torch"
    t01 = (r.random((4, 3)) < 0.5).astype("float64")
    xb = r.normal(size=(4, 3)) * 10
    want = F.binary_cross_entropy_with_logits(torch.tensor(xb), torch.tensor(t01), reduction="none").numpy()
    assert np.allclose(bce(np, t01, xb, True), want, rtol=1e-12, atol=1e-12), "binary vs torch"
    cases_checked.append("torch")


def generate(np, T):
    cases = []
    _torch_check(np, [])

    def add(cid, op, inputs, args, want, dtype, scale=4.0, note=None):
        rt, at = T.tol(dtype, scale)
        cases.append(T.case(f"{op}/{cid}", op, {k: T(v) for k, v in inputs.items()}, args,
                            expect=T(np.asarray(want).astype(dtype)), rtol=rt, atol=at, note=note))

    def err(cid, op, inputs, args, kind="ValueError", note=None):
        cases.append(T.case(f"{op}/{cid}", op, {k: T(v) for k, v in inputs.items()}, args, error=kind, note=note))

    def probs(r, shape, axis=-1):
        p = r.random(shape) + 0.05
        return p / p.sum(axis=axis, keepdims=True)

    def onehot(r, shape, axis=-1):
        n = shape[axis]
        lab = r.integers(0, n, tuple(d for i, d in enumerate(shape) if i != (axis % len(shape))))
        return np.moveaxis(np.eye(n)[lab], -1, axis % len(shape)), lab

    # ---- categorical_crossentropy -----------------------------------------------------------------------
    op = "categorical_crossentropy"
    r = T.rng(op)
    a = np.eye(3, dtype="float32")
    b = np.array([[.9, .05, .05], [.05, .89, .06], [.05, .01, .94]], "float32")
    add("docstring", op, {"target": a, "output": b}, {}, cce(np, a, b), "float32",
        note="tf-keras docstring: [0.10536, 0.11653, 0.06188]")
    add("docstring/self", op, {"target": a, "output": a}, {}, cce(np, a, a), "float32",
        note="output == target: the clip keeps log finite; loss ~ 1e-7")
    for dt in T.FLOATS:
        t, _ = onehot(r, (4, 6))
        x = (r.normal(size=(4, 6)) * 3).astype(dt)
        add(f"logits/{dt}", op, {"target": t.astype(dt), "output": x}, {"from_logits": True}, cce(np, t, x, True), dt)
        p = probs(r, (4, 6)).astype(dt)
        add(f"probs/{dt}", op, {"target": t.astype(dt), "output": p}, {}, cce(np, t, p), dt)
    for ax, shape in [(1, (2, 5, 3)), (0, (4, 3)), (-2, (3, 4, 2)), (2, (2, 3, 4))]:
        t, _ = onehot(r, shape, ax)
        x = (r.normal(size=shape) * 2).astype("float32")
        add(f"axis{ax}/logits", op, {"target": t.astype("float32"), "output": x}, {"from_logits": True, "axis": ax},
            cce(np, t, x, True, ax), "float32")
        p = probs(r, shape, ax).astype("float32")
        add(f"axis{ax}/probs", op, {"target": t.astype("float32"), "output": p}, {"axis": ax}, cce(np, t, p, False, ax), "float32")
    soft = probs(r, (3, 5)).astype("float32")
    x = (r.normal(size=(3, 5)) * 4).astype("float32")
    add("soft_labels/logits", op, {"target": soft, "output": x}, {"from_logits": True}, cce(np, soft, x, True), "float32")
    unnorm = (r.random((3, 5)) * 4).astype("float32")
    add("unnormalized_probs", op, {"target": soft, "output": unnorm}, {}, cce(np, soft, unnorm), "float32",
        note="tf-keras renormalizes output / sum(output) before clipping")
    zeros = np.array([[0.0, 0.3, 0.7], [1.0, 0.0, 0.0]], "float32")
    tz = np.array([[1, 0, 0], [0, 1, 0]], "float32")
    add("clip/zero_probability", op, {"target": tz, "output": zeros}, {}, cce(np, tz, zeros), "float32",
        note="a zero probability is clipped to epsilon: -log(1e-7) = 16.118")
    big = np.array([[1000.0, -1000.0, 0.0], [-50.0, 50.0, 49.0]], "float32")
    tb = np.array([[0, 1, 0], [0, 0, 1]], "float32")
    add("logits/large", op, {"target": tb, "output": big}, {"from_logits": True}, cce(np, tb, big, True), "float32",
        note="stable log-softmax: no overflow for |x| = 1000")
    wide = (r.normal(size=(5, 1000)) * 2).astype("float32")
    tw, _ = onehot(r, (5, 1000))
    add("logits/1000_classes", op, {"target": tw.astype("float32"), "output": wide}, {"from_logits": True},
        cce(np, tw, wide, True), "float32", scale=64)
    rank1 = np.array([0.5, 1.5, -1.0], "float32")
    t1 = np.array([0, 1, 0], "float32")
    add("rank1", op, {"target": t1, "output": rank1}, {"from_logits": True}, cce(np, t1, rank1, True), "float32")
    ti = np.array([[0, 1, 0], [1, 0, 0]], "int32")
    xi = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]], "float32")
    add("int_target", op, {"target": ti, "output": xi}, {}, cce(np, ti, xi), "float32")
    x64 = (r.normal(size=(2, 3))).astype("float64")
    t32 = np.array([[0, 0, 1], [1, 0, 0]], "float32")
    add("promote/float32_float64", op, {"target": t32, "output": x64}, {"from_logits": True}, cce(np, t32, x64, True), "float64")
    add("empty_batch", op, {"target": np.zeros((0, 3), "float32"), "output": np.zeros((0, 3), "float32")}, {"from_logits": True},
        np.zeros((0,)), "float32")
    nan = np.array([[np.nan, 1.0, 2.0], [0.0, 1.0, 2.0]], "float32")
    add("nan", op, {"target": tz, "output": nan}, {"from_logits": True}, cce(np, tz, nan, True), "float32",
        note="a NaN logit makes its row NaN")
    err("shape_mismatch", op, {"target": np.zeros((2, 3), "float32"), "output": np.zeros((2, 4), "float32")}, {})
    err("bad_axis", op, {"target": np.zeros((2, 3), "float32"), "output": np.zeros((2, 3), "float32")}, {"axis": 2})
    err("scalar_output", op, {"target": np.zeros((), "float32"), "output": np.zeros((), "float32")}, {})

    # ---- sparse_categorical_crossentropy -----------------------------------------------------------------
    op = "sparse_categorical_crossentropy"
    r = T.rng(op)
    for dt in T.FLOATS:
        lab = r.integers(0, 6, 5).astype("int32")
        x = (r.normal(size=(5, 6)) * 3).astype(dt)
        add(f"logits/{dt}", op, {"target": lab, "output": x}, {"from_logits": True}, scce(np, lab, x, True), dt)
        p = probs(r, (5, 6)).astype(dt)
        add(f"probs/{dt}", op, {"target": lab, "output": p}, {}, scce(np, lab, p), dt)
    for ldt in ["int64", "uint8", "int8", "float32"]:
        lab = r.integers(0, 4, 3).astype(ldt)
        x = r.normal(size=(3, 4)).astype("float32")
        add(f"label_dtype/{ldt}", op, {"target": lab, "output": x}, {"from_logits": True}, scce(np, lab, x, True), "float32")
    lab = np.array([0.0, 2.9, 1.5], "float32")
    x = r.normal(size=(3, 4)).astype("float32")
    add("float_labels_truncate", op, {"target": lab, "output": x}, {"from_logits": True}, scce(np, lab, x, True), "float32",
        note="tf-keras casts the target to int64: 2.9 -> 2")
    lab = r.integers(0, 4, (2, 3)).astype("int32")
    x = r.normal(size=(2, 4, 3)).astype("float32")
    add("axis1/logits", op, {"target": lab, "output": x}, {"from_logits": True, "axis": 1}, scce(np, lab, x, True, 1), "float32")
    p = probs(r, (2, 4, 3), 1).astype("float32")
    add("axis1/probs", op, {"target": lab, "output": p}, {"axis": 1}, scce(np, lab, p, False, 1), "float32")
    lab = r.integers(0, 5, (4, 1)).astype("int32")
    x = r.normal(size=(4, 5)).astype("float32")
    add("target_column", op, {"target": lab, "output": x}, {"from_logits": True}, scce(np, lab, x, True), "float32",
        note="a (batch, 1) target is flattened, as tf-keras does")
    lab = r.integers(0, 5, (2, 3)).astype("int32")
    x = r.normal(size=(2, 3, 5)).astype("float32")
    add("rank3", op, {"target": lab, "output": x}, {"from_logits": True}, scce(np, lab, x, True), "float32")
    lab = np.array([0, 3, 1, 3], "int32")
    x = r.normal(size=(4, 3)).astype("float32")
    add("ignore_class", op, {"target": lab, "output": x}, {"from_logits": True, "ignore_class": 3},
        scce(np, lab, x, True, ignore_class=3), "float32", note="label 3 is out of range but ignored: loss 0")
    pz = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]], "float32")
    lz = np.array([0, 2], "int32")
    add("clip/zero_probability", op, {"target": lz, "output": pz}, {}, scce(np, lz, pz), "float32",
        note="log(clip(o)) as logits: log(1 + 2e-7) - log(1e-7)")
    lab = np.array([1], "int32")
    x = np.array([0.3, -0.2, 1.0], "float32")
    add("rank1_output", op, {"target": lab, "output": x}, {"from_logits": True}, scce(np, lab, x, True), "float32",
        note="rank-1 output with a (1,) target: reshaped to one row, result (1,)")
    add("rank1_output/scalar_target", op, {"target": np.array(2, "int32"), "output": x}, {"from_logits": True},
        scce(np, np.array(2, "int32"), x, True), "float32")
    big = np.array([[1000.0, -1000.0, 0.0]], "float32")
    add("logits/large", op, {"target": np.array([1], "int32"), "output": big}, {"from_logits": True},
        scce(np, np.array([1]), big, True), "float32")
    err("label_out_of_range", op, {"target": np.array([0, 3], "int32"), "output": np.zeros((2, 3), "float32")}, {})
    err("label_negative", op, {"target": np.array([0, -1], "int32"), "output": np.zeros((2, 3), "float32")}, {"from_logits": True})
    err("target_shape", op, {"target": np.array([0, 1, 2], "int32"), "output": np.zeros((2, 3), "float32")}, {})
    err("bad_axis", op, {"target": np.array([0, 1], "int32"), "output": np.zeros((2, 3), "float32")}, {"axis": -3})

    # ---- binary_crossentropy -------------------------------------------------------------------------------
    op = "binary_crossentropy"
    r = T.rng(op)
    for dt in T.FLOATS:
        t = (r.random((3, 4)) < 0.5).astype(dt)
        x = (r.normal(size=(3, 4)) * 4).astype(dt)
        add(f"logits/{dt}", op, {"target": t, "output": x}, {"from_logits": True}, bce(np, t, x, True), dt)
        p = r.random((3, 4)).astype(dt)
        add(f"probs/{dt}", op, {"target": t, "output": p}, {}, bce(np, t, p), dt)
    x = np.array([-100.0, -30.0, -1.0, 0.0, 1.0, 30.0, 100.0], "float32")
    t = np.array([1.0, 1.0, 0.0, 0.5, 1.0, 0.0, 0.0], "float32")
    add("logits/extreme", op, {"target": t, "output": x}, {"from_logits": True}, bce(np, t, x, True), "float32",
        note="max(x, 0) - x t + log1p(exp(-|x|)) is finite for any x")
    p = np.array([0.0, 1.0, 1e-9, 0.5, 1 - 1e-9, 0.25], "float64")
    t = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.3], "float64")
    add("probs/clip", op, {"target": t, "output": p}, {}, bce(np, t, p), "float64",
        note="clipped to [eps, 1 - eps], then epsilon added again inside both logs (tf-keras code); float64, since in "
             "float32 1 - eps rounds to 1 - 1.19e-7 and -log(1 - c + eps) moves from 15.42 to 15.33 (what TF computes in float32)")
    t = (r.random((2, 3)) < 0.5).astype("float32")
    p = r.random((3,)).astype("float32")
    add("broadcast/probs", op, {"target": t, "output": p}, {}, bce(np, t, p), "float32")
    ti = np.array([[1, 0, 1]], "int32")
    xi = np.array([[2.0, -1.0, 0.5]], "float32")
    add("int_target", op, {"target": ti, "output": xi}, {"from_logits": True}, bce(np, ti, xi, True), "float32")
    add("rank0", op, {"target": np.array(1.0, "float64"), "output": np.array(0.3, "float64")}, {}, bce(np, np.array(1.0), np.array(0.3)), "float64")
    nan = np.array([np.nan, 0.5], "float32")
    add("nan", op, {"target": np.array([1.0, 1.0], "float32"), "output": nan}, {}, bce(np, np.array([1.0, 1.0]), nan), "float32")
    err("logits_shape_mismatch", op, {"target": np.zeros((2, 3), "float32"), "output": np.zeros((3,), "float32")}, {"from_logits": True},
        note="tf.nn.sigmoid_cross_entropy_with_logits needs equal shapes")
    err("not_broadcastable", op, {"target": np.zeros((2, 3), "float32"), "output": np.zeros((2,), "float32")}, {})

    # ---- categorical_focal_crossentropy --------------------------------------------------------------------
    op = "categorical_focal_crossentropy"
    r = T.rng(op)
    for dt in ["float32", "float64"]:
        t, _ = onehot(r, (4, 5))
        p = probs(r, (4, 5)).astype(dt)
        add(f"probs/{dt}", op, {"target": t.astype(dt), "output": p}, {}, cfce(np, t, p), dt)
        x = (r.normal(size=(4, 5)) * 2).astype(dt)
        add(f"logits/{dt}", op, {"target": t.astype(dt), "output": x}, {"from_logits": True}, cfce(np, t, x, from_logits=True), dt)
    t, _ = onehot(r, (2, 3, 4), 1)
    x = r.normal(size=(2, 3, 4)).astype("float32")
    add("axis1/alpha_gamma", op, {"target": t.astype("float32"), "output": x}, {"from_logits": True, "axis": 1, "alpha": 0.5, "gamma": 3.0},
        cfce(np, t, x, 0.5, 3.0, True, 1), "float32")
    t, _ = onehot(r, (3, 4))
    p = probs(r, (3, 4)).astype("float32")
    add("gamma0", op, {"target": t.astype("float32"), "output": p}, {"gamma": 0.0, "alpha": 1.0}, cfce(np, t, p, 1.0, 0.0), "float32",
        note="gamma 0, alpha 1: the categorical crossentropy")
    err("shape_mismatch", op, {"target": np.zeros((2, 3), "float32"), "output": np.zeros((3, 2), "float32")}, {})

    # ---- binary_focal_crossentropy -------------------------------------------------------------------------
    op = "binary_focal_crossentropy"
    r = T.rng(op)
    for dt in ["float32", "float64"]:
        t = (r.random((3, 4)) < 0.5).astype(dt)
        p = r.random((3, 4)).astype(dt)
        add(f"probs/{dt}", op, {"target": t, "output": p}, {}, bfce(np, t, p), dt)
        x = (r.normal(size=(3, 4)) * 3).astype(dt)
        add(f"logits/{dt}", op, {"target": t, "output": x}, {"from_logits": True}, bfce(np, t, x, from_logits=True), dt)
        add(f"balanced/{dt}", op, {"target": t, "output": x}, {"from_logits": True, "apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5},
            bfce(np, t, x, True, 0.4, 1.5, True), dt)
    p = np.array([0.0, 1.0, 0.5], "float32")
    t = np.array([1.0, 1.0, 0.0], "float32")
    add("probs/edges", op, {"target": t, "output": p}, {}, bfce(np, t, p), "float32",
        note="p_t uses the unclipped output, the crossentropy the clipped one (tf-keras)")
    err("logits_shape_mismatch", op, {"target": np.zeros((2, 3), "float32"), "output": np.zeros((3,), "float32")}, {"from_logits": True})
    return [c for c in cases if c is not None]
