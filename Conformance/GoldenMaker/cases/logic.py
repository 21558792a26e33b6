"""Golden cases for the comparison and logic ops (family `logic`): equal, not_equal, greater, greater_equal,
less, less_equal, any, all, argmax, argmin, in_top_k.

Keras rules written out (tf-keras backend.py is the reference; numpy computes the values):
- The comparisons return bool (tf-keras `equal` ... `less_equal` return `tf.equal(x, y)` ...). Both operands are
  first converted to their promoted dtype (Keras 3 result_type, T.promote): int32 vs float16 compares in float16,
  so 2049 equals 2048. NaN compares unequal to everything; -0 == 0.
- any / all cast to bool first (`x = tf.cast(x, tf.bool)`): nonzero and NaN are true. The result is bool (the
  tf-keras docstring says uint8; the code returns bool). Empty groups: any -> False, all -> True.
- argmax / argmin(x, axis=-1) return int64 (`tf.argmax(x, axis)`, output_type int64). Ties: the first index.
  NaN counts as the extreme (first NaN wins) as in numpy; -0 ties with 0. Rank 0 or an empty axis: ValueError.
- in_top_k(predictions, targets, k): TensorFlow's InTopK kernel (tensorflow/core/kernels/in_topk_op.h): true when
  fewer than k predictions of the row are strictly greater than predictions[i, targets[i]]; false when the target
  is out of range or any prediction of the row is non-finite. Written here from that definition.
Cross-check: when torch is importable, the comparisons, any/all and argmax/argmin (NaN-free inputs) are also
computed with torch and must agree with numpy; in_top_k is checked against torch.topk on tie-free rows.
"""

try:  # optional cross-check
    import torch
except Exception:  # pragma: no cover - torch is optional
    torch = None

CMP = {
    "equal": ("__eq__", "eq"),
    "not_equal": ("__ne__", "ne"),
    "greater": ("__gt__", "gt"),
    "greater_equal": ("__ge__", "ge"),
    "less": ("__lt__", "lt"),
    "less_equal": ("__le__", "le"),
}

SHAPES = [  # (name, x shape, y shape)
    ("same_2d", (2, 3), (2, 3)),
    ("row", (2, 3), (3,)),
    ("col", (4, 1), (1, 5)),
    ("outer3d", (4, 1, 3), (1, 5, 1)),
    ("scalar_left", (), (2, 3)),
    ("scalar_right", (3, 2), ()),
    ("rank0", (), ()),
    ("rank5", (2, 1, 3, 1, 2), (1, 4, 1, 2, 1)),
    ("empty_rows", (0, 3), (3,)),
    ("empty_bcast", (2, 0), (2, 1)),
    ("lanes", (131,), (131,)),
    ("lanes_bcast", (3, 70), (70,)),
    ("long", (33, 17), (17,)),
]


def _c(np, a):
    # A C-ordered copy that keeps rank 0 (numpy.ascontiguousarray would make it rank 1).
    return np.array(a, copy=True, order="C")


def _torch_check(np, got, fn):
    if torch is None:
        return
    want = fn()
    if not np.array_equal(np.asarray(want), got):
        raise AssertionError(f"torch disagrees: {want} vs numpy {got}")


def _compare_cases(np, T):
    cases = []
    for op, (method, tname) in CMP.items():
        r = T.rng("logic/" + op)

        def add(cid, x, y, note=None):
            p = T.promote(str(x.dtype), str(y.dtype))
            xa, ya = x.astype(p), y.astype(p)
            want = getattr(xa, method)(ya)
            want = np.asarray(want, dtype=bool)
            _torch_check(np, want, lambda: getattr(torch, tname)(torch.from_numpy(_c(np, xa)),
                                                                torch.from_numpy(_c(np, ya))).numpy())
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x), "y": T(y)}, expect=T(want), note=note))

        for name, xs, ys in SHAPES:
            # Small integers as floats: ties happen, so equal/greater_equal/less_equal are exercised both ways.
            add(f"shape/{name}", np.round(T.arr(r, xs, "float32")), np.round(T.arr(r, ys, "float32")))
        for dt in T.DTYPES:
            add(f"dtype/{dt}", T.arr(r, (3, 4), dt, 0 if dt == "uint8" else -3, 3), T.arr(r, (4,), dt, 0 if dt == "uint8" else -3, 3))
        for a, b in [("int32", "float16"), ("uint8", "int8"), ("int64", "float32"), ("bool", "int8"), ("float16", "float64"),
                     ("bool", "float32"), ("uint8", "int64")]:
            add(f"promote/{a}_{b}", T.arr(r, (2, 3), a, 0, 4), T.arr(r, (3,), b, 0, 4), "compared in Keras 3's result_type")
        add("promote/rounding", np.array([2049, 2048, 4097, 1], "int32"), np.array([2048, 2049, 4096, 1], "float16"),
            "int32 vs float16 compares in float16: 2049 becomes 2048")
        add("promote/uint8_int8_extremes", np.array([255, 0, 128], "uint8"), np.array([-1, 0, -128], "int8"),
            "uint8 vs int8 compares in int16 (no wrap-around)")
        for dt in T.FLOATS:
            s = T.special(dt)
            add(f"special/{dt}", s[:, None], s[None, :], "NaN, ±inf, ±0, tiny and huge values, every pair")
        add("int64_extremes", np.array([-2**63, 2**63 - 1, 2**53 + 1], "int64"), np.array([-2**63, 2**63 - 2, 2**53], "int64"),
            "int64 compares exactly")
        for cid, xs, ys in [("mismatch", (2, 3), (4,)), ("mismatch_rank5", (2, 1, 3, 1, 2), (1, 4, 2, 2, 1))]:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(T.arr(r, xs, "float32")), "y": T(T.arr(r, ys, "float32"))},
                                error="ValueError", note="shapes that do not broadcast"))
    return cases


def _truth_cases(np, T):
    cases = []
    for op in ["any", "all"]:
        r = T.rng("logic/" + op)
        f = np.any if op == "any" else np.all

        def add(cid, x, axis=None, keepdims=False, note=None):
            ax = tuple(axis) if isinstance(axis, list) else axis
            nz = _c(np, x != 0)  # NaN != 0: NaN is true
            want = np.asarray(f(nz, axis=ax, keepdims=keepdims), dtype=bool)
            if torch is not None and (isinstance(ax, int) or (ax is None and not keepdims)):
                tfn = getattr(torch, op)
                _torch_check(np, want, lambda: (tfn(torch.from_numpy(nz), dim=ax, keepdim=keepdims) if isinstance(ax, int)
                                                else tfn(torch.from_numpy(nz))).numpy())
            args = {}
            if axis is not None:
                args["axis"] = axis
            if keepdims:
                args["keepdims"] = True
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, args, expect=T(want), note=note))

        def sparse(shape, dt="float32", p=0.3):
            # Mostly zeros (any) or mostly nonzero (all), so both answers occur.
            m = r.random(shape) < (p if op == "any" else 1 - p)
            return (m * r.integers(1, 4, size=shape)).astype(dt)

        for name, shape in [("2d", (3, 4)), ("rank0", ()), ("rank1", (7,)), ("rank5", (2, 1, 3, 1, 2)), ("empty", (0, 3)), ("long", (33, 70))]:
            add(f"shape/{name}/all_axes", sparse(shape))
        x = sparse((4, 2, 3))
        for i, (axis, kd) in enumerate([(0, False), (1, False), (-1, False), ([1, -1], False), ([0, 2], False), (1, True), ([0, 1, 2], True), (None, True)]):
            add(f"axes/{i}", x, axis, kd)
        for dt in T.DTYPES:
            add(f"dtype/{dt}", sparse((4, 5), dt), 1)
        for dt in T.FLOATS:
            add(f"special/{dt}", T.special(dt), None, False, "NaN is true; -0 and 0 are false")
            add(f"nan_only/{dt}", np.array([[np.nan, 0], [0, 0]], dt), 1, False, "NaN alone makes any true")
        add("empty_axis", np.zeros((2, 0), "float32"), 1, False, "any over nothing is False, all is True")
        add("empty_axis_keep", np.zeros((0, 3), "int32"), 0, True)
        add("long_rows", sparse((5, 300)), -1, False, "rows longer than a vector")
        add("long_cols", sparse((300, 5)), 0, False)
        for cid, shape, axis in [("axis_out", (2, 3), 2), ("axis_neg", (2, 3), -3), ("axis_dup", (2, 3), [0, -2])]:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(T.arr(r, shape, "float32"))}, {"axis": axis}, error="ValueError"))
    return cases


def _arg_cases(np, T):
    cases = []
    for op in ["argmax", "argmin"]:
        r = T.rng("logic/" + op)
        f = np.argmax if op == "argmax" else np.argmin

        def add(cid, x, axis=None, note=None):
            ax = -1 if axis is None else axis
            want = f(x, axis=ax).astype("int64")
            if torch is not None and x.dtype.kind != "b" and not (x.dtype.kind == "f" and np.isnan(x).any()) and x.dtype != np.float16:
                # torch returns the first index among ties too (for NaN-free inputs)
                tf_ = torch.argmax if op == "argmax" else torch.argmin
                xt = torch.from_numpy(_c(np, x)).to(torch.float64 if x.dtype.kind == "f" else torch.int64)
                _torch_check(np, want, lambda: tf_(xt, dim=ax).numpy())
            args = {} if axis is None else {"axis": axis}
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, args, expect=T(want), note=note))

        for name, shape in [("rank1", (7,)), ("2d", (3, 4)), ("rank5", (2, 1, 3, 1, 2)), ("empty_rows", (0, 3)), ("long", (33, 70))]:
            add(f"shape/{name}", T.arr(r, shape, "float32", -5, 5))
        x = T.arr(r, (4, 5, 6), "float32", -5, 5)
        for axis in [0, 1, 2, -1, -2, -3]:
            add(f"axis/{axis}", x, axis)
        for dt in T.DTYPES:
            add(f"dtype/{dt}", T.arr(r, (4, 6), dt, 0 if dt == "uint8" else -3, 3), None, "small integers: many ties, the first wins")
            add(f"dtype/{dt}/axis0", T.arr(r, (6, 4), dt, 0 if dt == "uint8" else -3, 3), 0)
        for dt in T.FLOATS:
            add(f"special/{dt}", T.special(dt), None, "the first NaN wins")
            add(f"special/{dt}/axis0", T.special(dt)[:, None] * np.ones((1, 3), dt), 0)
        add("zeros_signed", np.array([[-0.0, 0.0, -1.0], [0.0, -0.0, -3.0]], "float32"), None, "-0 ties with 0: the first wins")
        add("zeros_signed/axis0", np.array([[-0.0, 0.0], [0.0, -0.0], [-1.0, -2.0]], "float32"), 0)
        add("inf", np.array([[-np.inf, -np.inf, -np.inf], [np.inf, 1, np.inf]], "float64"))
        add("nan_late", np.array([1.0, 5.0, np.nan, 7.0, np.nan], "float32"), None, "NaN beats every number")
        add("long_rows", T.arr(r, (3, 1000), "float32", -100, 100), -1, "rows longer than a vector")
        add("long_rows/int8", T.arr(r, (3, 300), "int8", -100, 100), -1)
        add("extremes/int64", np.array([[-2**63, 2**63 - 1, 2**63 - 1], [5, -2**63, 0]], "int64"))
        add("single", np.array([[3.5], [-1.0]], "float32"), -1, "an axis of length 1 gives 0")
        for cid, x, axis in [("rank0", np.array(2.0, "float32"), None), ("axis_out", T.arr(r, (2, 3), "float32"), 2),
                             ("axis_neg", T.arr(r, (2, 3), "float32"), -3), ("empty_axis", np.zeros((3, 0), "float32"), -1),
                             ("empty_axis0", np.zeros((0, 2), "float32"), 0)]:
            args = {} if axis is None else {"axis": axis}
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(x)}, args, error="ValueError",
                                note="rank 0, an axis out of range, or an empty axis (numpy: attempt to get argmax of an empty sequence)"))
    return cases


def _in_top_k(np, p, t, k):
    out = np.zeros(p.shape[0], dtype=bool)
    for i in range(p.shape[0]):
        c = int(t[i])
        if c < 0 or c >= p.shape[1] or not np.isfinite(p[i]).all():
            continue
        out[i] = int((p[i] > p[i, c]).sum()) < k
    return out


def _in_top_k_cases(np, T):
    cases = []
    r = T.rng("logic/in_top_k")

    def add(cid, p, t, k, note=None):
        want = _in_top_k(np, p, t, k)
        if torch is not None and np.isfinite(p).all() and 0 < k <= p.shape[1] and all(0 <= c < p.shape[1] for c in t) \
                and all(len(set(row.tolist())) == len(row) for row in p):
            top = torch.topk(torch.from_numpy(p.astype("float64")), k, dim=1).indices.numpy()
            _torch_check(np, want, lambda: np.array([int(t[i]) in top[i] for i in range(len(t))], dtype=bool))
        cases.append(T.case(f"in_top_k/{cid}", "in_top_k", {"predictions": T(p), "targets": T(t)}, {"k": k},
                            expect=T(want), note=note))

    p = r.permuted(np.tile(np.arange(10, dtype="float32"), (8, 1)), axis=1) / 10
    t = r.integers(0, 10, size=8).astype("int32")
    for k in [1, 3, 5, 10]:
        add(f"k={k}", p, t, k)
    add("int64_targets", p, t.astype("int64"), 2)
    add("float64", p.astype("float64"), t, 4)
    add("float16", p.astype("float16"), t, 4)
    ties = np.array([[0.5, 0.5, 0.5, 0.1], [0.9, 0.2, 0.2, 0.2], [0.3, 0.3, 0.7, 0.7]], "float32")
    add("ties", ties, np.array([1, 3, 0], "int32"), 1, "ties at the boundary count as inside the top k")
    add("ties_k2", ties, np.array([3, 3, 1], "int32"), 2)
    add("out_of_range", p[:4], np.array([10, -1, 3, 100], "int32"), 10, "a target that is not a class gives false")
    nf = p[:4].copy()
    nf[0, 3] = np.nan
    nf[1, 0] = np.inf
    nf[2, 5] = -np.inf
    add("non_finite", nf, np.array([3, 5, 1, 2], "int32"), 5, "any non-finite prediction in the row gives false")
    add("k_zero", p[:3], t[:3], 0, "k = 0: nothing is in the top 0")
    add("k_negative", p[:3], t[:3], -2)
    add("k_beyond", p[:3], t[:3], 50, "k above the number of classes: every valid target")
    add("empty_batch", np.zeros((0, 4), "float32"), np.zeros((0,), "int32"), 1)
    add("wide", T.arr(r, (3, 1000), "float32", -1, 1), np.array([0, 500, 999], "int64"), 100)
    for cid, pp, tt, kind in [("rank1_predictions", np.zeros((4,), "float32"), np.zeros((4,), "int32"), "ValueError"),
                              ("rank2_targets", np.zeros((2, 3), "float32"), np.zeros((2, 1), "int32"), "ValueError"),
                              ("batch_mismatch", np.zeros((2, 3), "float32"), np.zeros((3,), "int32"), "ValueError"),
                              ("float_targets", np.zeros((2, 3), "float32"), np.zeros((2,), "float32"), "TypeError")]:
        cases.append(T.case(f"in_top_k/error/{cid}", "in_top_k", {"predictions": T(pp), "targets": T(tt)}, {"k": 1}, error=kind))
    return cases


def generate(np, T):
    return _compare_cases(np, T) + _truth_cases(np, T) + _arg_cases(np, T) + _in_top_k_cases(np, T)
