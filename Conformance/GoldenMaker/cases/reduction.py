"""Golden cases for the reductions (family `reduction`).

Keras rules written out (numpy differs):
- sum's result dtype: bool, int8, int16 and uint8 accumulate in int32; every other dtype keeps its own
  (Keras 3 keras/src/backend/numpy/numpy.py `sum`: `if dtype in ("bool", "int8", "int16"): dtype = "int32"`,
  uint8 likewise via standardize; numpy would give int64 / uint64). float16 is accumulated in float32 and rounded.
- axis is None (every axis), an int or a list of ints; negative axes count from the end; keepdims keeps the
  reduced axes as size 1 (keras-api.md §3 "Reductions over axis lists"). An axis out of range or named twice is
  a ValueError (numpy raises AxisError, a ValueError subclass).
- max/min keep the dtype and propagate NaN; reducing an empty axis into a non-empty result is a ValueError
  (numpy: "zero-size array to reduction operation maximum which has no identity"); an empty result is fine.
- prod follows sum's dtype rule; the empty product is 1. mean, var and std give floatx for integer and bool
  inputs (Keras 3 `mean`/`var`: result_type(x.dtype, float)); var and std are the population ones, ddof = 0
  (tf-keras reduce_variance / reduce_std, keras-api.md §3 "var / std"); over an empty axis they are NaN.
- cumsum/cumprod default to axis=0 (tf-keras backend.py `cumsum(x, axis=0)`), not numpy's flattening default,
  and keep x's shape; dtype as sum; a rank-0 x has no axis to scan and is a ValueError (TensorFlow's rule).
- softmax(x, axis=-1) = exp(x - max) / sum(exp(x - max)) along the axis; tf-keras rejects tensors of rank < 2
  (backend.py softmax, keras-api.md §3) with a ValueError; integer inputs give floatx.
Expected float values are exact float64 sums rounded once to the result dtype; tolerances grow with the number
of summed terms because backends may add in any order.
"""
import itertools


def _sum(np, T, x, axis, keepdims):
    dt = str(x.dtype)
    rd = "int32" if dt in ("bool", "int8", "int16", "uint8") else dt
    ax = None if axis is None else tuple(axis) if isinstance(axis, list) else axis
    if rd in T.FLOATS:
        r = np.sum(x.astype("float64"), axis=ax, keepdims=keepdims).astype(rd)
    else:
        r = np.sum(x.astype(rd), axis=ax, keepdims=keepdims, dtype=rd)
    return np.asarray(r, dtype=rd)


def _terms(shape, axis):
    if axis is None:
        n = 1
        for d in shape:
            n *= d
        return max(n, 1)
    axes = axis if isinstance(axis, list) else [axis]
    n = 1
    for a in axes:
        n *= shape[a]
    return max(n, 1)


def generate(np, T):
    cases = []
    r = T.rng("reduction/sum")

    def add(cid, x, axis="default", keepdims=None, note=None):
        args = {}
        if axis != "default":
            args["axis"] = axis
        if keepdims is not None:
            args["keepdims"] = keepdims
        a = None if axis == "default" else axis
        want = _sum(np, T, x, a, bool(keepdims))
        rd = str(want.dtype)
        rtol, atol = T.tol(rd)
        if rd in T.FLOATS:
            n = _terms(x.shape, a)
            big = float(np.max(np.abs(x[np.isfinite(x)]))) if x.size and np.isfinite(x).any() else 1.0
            scale = {"float16": 1e-3, "float32": 2e-7, "float64": 1e-15}[rd] if rd != "float16" else 1e-3
            atol = max(atol, scale * n * big * 2)
            rtol = max(rtol, scale * 4)
        cases.append(T.case(f"sum/{cid}", "sum", {"x": T(x)}, args, expect=T(want), rtol=rtol, atol=atol, note=note))

    # every axis / keepdims combination of a rank-3 tensor, with positive and negative spellings
    x3 = T.arr(r, (2, 3, 4), "float32")
    singles = [0, 1, 2, -1, -2, -3]
    lists = [list(c) for k in (1, 2, 3) for c in itertools.combinations(range(3), k)]
    lists += [[-1, 0], [2, -3], [1, -1], [-3, -2, -1], [2, 0]]
    for kd in (False, True):
        add(f"rank3/none/keepdims={kd}", x3, None, kd)
        for a in singles:
            add(f"rank3/axis={a}/keepdims={kd}", x3, a, kd)
        for a in lists:
            add(f"rank3/axis={a}/keepdims={kd}".replace(" ", ""), x3, a, kd)
    add("rank3/axis=[]", x3, [], False, "an empty axis list reduces nothing")
    add("rank3/defaults", x3)
    # rank 0, 1, 2, 5, long rows, empty dimensions
    add("rank0/none", np.array(2.5, "float32"), None, False)
    add("rank0/keepdims", np.array(-1.5, "float32"), None, True)
    add("rank1/0", T.arr(r, (7,), "float32"), 0, False)
    add("rank1/-1/keepdims", T.arr(r, (7,), "float32"), -1, True)
    x2 = T.arr(r, (5, 6), "float32")
    for a in [0, 1, -1, None, [0, 1]]:
        for kd in (False, True):
            add(f"rank2/axis={a}/keepdims={kd}".replace(" ", ""), x2, a, kd)
    x5 = T.arr(r, (2, 1, 3, 2, 2), "float32")
    for a in [None, 0, 2, -1, [0, 2, 4], [1, 3], [-5, -1], [0, 1, 2, 3, 4]]:
        for kd in (False, True):
            add(f"rank5/axis={a}/keepdims={kd}".replace(" ", ""), x5, a, kd)
    xl = T.arr(r, (3, 1000), "float32")
    add("long/axis=1", xl, 1, False)
    add("long/axis=0", xl, 0, False)
    add("long/none", xl, None, False)
    xe = np.zeros((0, 3), "float32")
    for a in [None, 0, 1, -1]:
        for kd in (False, True):
            add(f"empty/axis={a}/keepdims={kd}", xe, a, kd, "an empty sum is 0")
    add("empty/rank3", np.zeros((2, 0, 4), "float64"), [0, 1], False)
    # dtypes, incl. the int32 accumulator for small ints and bool
    for dt in T.DTYPES:
        x = T.arr(r, (4, 5), dt, 0 if dt == "uint8" else -9, 9)
        add(f"dtype/{dt}/none", x, None, False)
        add(f"dtype/{dt}/axis=0", x, 0, False)
        add(f"dtype/{dt}/axis=-1/keepdims", x, -1, True)
    add("dtype/uint8/large", np.full((300,), 255, "uint8"), None, False, "uint8 accumulates in int32: no wrap at 256")
    add("dtype/int8/large", np.full((3, 200), -128, "int8"), 1, False, "int8 accumulates in int32")
    add("dtype/bool/count", np.array([[True, False, True], [True, True, True]]), 1, False, "bool sums count the true values")
    add("dtype/int32/wrap", np.array([2**31 - 1, 1], "int32"), None, False, "int32 sums wrap")
    # NaN and infinities
    for dt in T.FLOATS:
        s = np.array([[1, np.nan, 2], [np.inf, 3, -np.inf], [np.inf, 1, np.inf], [-0.0, -0.0, -0.0]], dt)
        add(f"special/{dt}/axis=1", s, 1, False, "NaN propagates, inf + -inf is NaN")
        add(f"special/{dt}/axis=0", s, 0, True)
    add("special/float16/overflow", np.full((40,), 2000, "float16"), None, False, "80000 overflows float16 to inf")
    # errors the spec declares
    for cid, a in [("axis_too_big", 3), ("axis_too_small", -4), ("duplicate", [0, 0]), ("duplicate_negative", [1, -2]),
                   ("list_out_of_range", [0, 5])]:
        cases.append(T.case(f"sum/error/{cid}", "sum", {"x": T(x3)}, {"axis": a}, error="ValueError"))
    cases.append(T.case("sum/error/rank1_axis1", "sum", {"x": T(T.arr(r, (4,), "float32"))}, {"axis": 1}, error="ValueError"))
    cases += _folds(np, T) + _scans(np, T) + _softmax(np, T)
    return cases


def _np_axis(axis):
    return None if axis is None else tuple(axis) if isinstance(axis, list) else axis


def _fold_expect(np, T, op, x, axis, keepdims):
    dt = str(x.dtype)
    ax = _np_axis(axis)
    with np.errstate(all="ignore"):
        if op in ("max", "min"):
            f = np.max if op == "max" else np.min
            return np.asarray(f(x, axis=ax, keepdims=keepdims), dtype=dt)
        if op == "prod":
            rd = "int32" if dt in ("bool", "int8", "int16", "uint8") else dt
            if rd in T.FLOATS:
                return np.asarray(np.prod(x.astype("float64"), axis=ax, keepdims=keepdims), dtype=rd)
            return np.asarray(np.prod(x.astype(rd), axis=ax, keepdims=keepdims, dtype=rd), dtype=rd)
        rd = T.to_float(dt)
        f = {"mean": np.mean, "var": np.var, "std": np.std}[op]
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(f(x.astype("float64"), axis=ax, keepdims=keepdims), dtype=rd)


def _folds(np, T):
    cases = []
    for op in ["max", "min", "prod", "mean", "var", "std"]:
        r = T.rng("reduction/" + op)

        def add(cid, x, axis="default", keepdims=None, note=None):
            args = {}
            if axis != "default":
                args["axis"] = axis
            if keepdims is not None:
                args["keepdims"] = keepdims
            a = None if axis == "default" else axis
            want = _fold_expect(np, T, op, x, a, bool(keepdims))
            rd = str(want.dtype)
            rtol, atol = T.tol(rd)
            if rd in T.FLOATS and op != "max" and op != "min":
                n = _terms(x.shape, a)
                scale = {"float16": 1e-3, "float32": 2e-7, "float64": 1e-15}[rd]
                big = float(np.max(np.abs(x[np.isfinite(x)]))) if x.size and np.isfinite(x).any() else 1.0
                if op == "prod":
                    rtol = max(rtol, scale * 4 * n)
                else:
                    atol = max(atol, scale * n * big * big * 4)
                    rtol = max(rtol, scale * 8 * n)
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, args, expect=T(want), rtol=rtol, atol=atol, note=note))

        low, high = (0.5, 1.5) if op == "prod" else (-3, 3)
        x3 = T.arr(r, (2, 3, 4), "float32", low, high)
        for kd in (False, True):
            add(f"rank3/none/keepdims={kd}", x3, None, kd)
            for a in [0, 1, 2, -1, -3, [0, 1], [1, 2], [0, 2], [-1, 0], [0, 1, 2], [2, -3]]:
                add(f"rank3/axis={a}/keepdims={kd}".replace(" ", ""), x3, a, kd)
        add("rank3/defaults", x3)
        add("rank3/axis=[]", x3, [], False, "an empty axis list reduces nothing")
        add("rank0/none", np.array(2.5, "float32"), None, False)
        add("rank0/keepdims", np.array(-1.5, "float64"), None, True)
        add("rank1/0", T.arr(r, (7,), "float32", low, high), 0, False)
        x5 = T.arr(r, (2, 1, 3, 2, 2), "float32", low, high)
        for a in [None, 0, 2, -1, [0, 2, 4], [1, 3], [-5, -1]]:
            for kd in (False, True):
                add(f"rank5/axis={a}/keepdims={kd}".replace(" ", ""), x5, a, kd)
        add("long/axis=1", T.arr(r, (3, 500), "float32", low, high), 1, False)
        add("long/axis=0", T.arr(r, (500, 3), "float32", low, high), 0, False)
        for dt in T.DTYPES:
            x = T.arr(r, (4, 5), dt, 0 if dt == "uint8" else (1 if op == "prod" else -9), 3 if op == "prod" else 9)
            add(f"dtype/{dt}/none", x, None, False)
            add(f"dtype/{dt}/axis=0", x, 0, False)
            add(f"dtype/{dt}/axis=-1/keepdims", x, -1, True)
        for dt in T.FLOATS:
            s = np.array([[1, np.nan, 2], [np.inf, 3, -np.inf], [np.inf, 1, np.inf], [-0.0, 0.5, -0.0]], dt)
            add(f"special/{dt}/axis=1", s, 1, False, "NaN propagates; inf - inf is NaN")
            add(f"special/{dt}/axis=0", s, 0, True)
        xe = np.zeros((0, 3), "float32")
        if op in ("max", "min"):
            add("empty/result_empty", xe, 1, False, "an empty result has nothing to fill: no error")
            add("empty/rank3_result_empty", np.zeros((2, 0, 3), "float32"), [0, 2], False)
            for cid, x, a in [("axis0", xe, 0), ("none", xe, None), ("rank1", np.zeros((0,), "int32"), None), ("keepdims", xe, -2)]:
                args = {} if a is None else {"axis": a}
                cases.append(T.case(f"{op}/error/empty_{cid}", op, {"x": T(x)}, args, error="ValueError",
                                    note="zero-size array to reduction operation which has no identity"))
        else:
            for a in [None, 0, 1]:
                add(f"empty/axis={a}", xe, a, False, "empty sum 0, product 1, mean/var/std NaN")
        if op == "var":
            add("offset/float32", np.array([1e4 + 1, 1e4 + 2, 1e4 + 3, 1e4 + 4], "float32"), None, False,
                "a large common offset must not cancel the variance")
        for cid, a in [("axis_too_big", 3), ("axis_too_small", -4), ("duplicate", [0, 0]), ("duplicate_negative", [1, -2])]:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(x3)}, {"axis": a}, error="ValueError"))
    return cases


def _scans(np, T):
    cases = []
    for op in ["cumsum", "cumprod"]:
        r = T.rng("reduction/" + op)
        f = np.cumsum if op == "cumsum" else np.cumprod
        low, high = (0.5, 1.5) if op == "cumprod" else (-3, 3)

        def add(cid, x, axis="default", note=None):
            dt = str(x.dtype)
            rd = "int32" if dt in ("bool", "int8", "int16", "uint8") else dt
            a = 0 if axis == "default" else axis
            with np.errstate(all="ignore"):
                if rd in T.FLOATS:
                    want = f(x.astype("float64"), axis=a).astype(rd)
                else:
                    want = f(x.astype(rd), axis=a, dtype=rd)
            n = x.shape[a] if x.ndim else 1
            rtol, atol = T.tol(rd, max(1, n))
            args = {} if axis == "default" else {"axis": axis}
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, args, expect=T(want), rtol=rtol, atol=atol * 3, note=note))

        x42 = T.arr(r, (4, 2), "float32", low, high)
        add("keras/default_axis0", x42, "default", "Keras' default is axis=0, not numpy's flatten")
        add("keras/axis1", x42, 1)
        x3 = T.arr(r, (2, 3, 4), "float32", low, high)
        for a in [0, 1, 2, -1, -2, -3]:
            add(f"rank3/axis={a}", x3, a)
        add("rank1", T.arr(r, (9,), "float32", low, high))
        x5 = T.arr(r, (2, 1, 3, 2, 2), "float64", low, high)
        for a in [0, 2, 4, -1]:
            add(f"rank5/axis={a}", x5, a)
        add("long/axis=1", T.arr(r, (3, 300), "float64", low, high), 1)
        add("empty/axis0", np.zeros((0, 3), "float32"))
        add("empty/axis1", np.zeros((2, 0), "float32"), 1)
        for dt in T.DTYPES:
            add(f"dtype/{dt}", T.arr(r, (4, 3), dt, 0 if dt == "uint8" else -3, 3))
            add(f"dtype/{dt}/axis=-1", T.arr(r, (3, 4), dt, 0 if dt == "uint8" else -3, 3), -1)
        for dt in T.FLOATS:
            add(f"special/{dt}", np.array([[1, np.nan], [np.inf, 2], [-np.inf, 3], [0.5, -0.0]], dt), 0, "NaN and inf - inf propagate down the axis")
        add("wrap/int32", np.array([2**31 - 1, 1, 1], "int32"), 0, "int32 wraps")
        # numpy accumulates a float32 scan in float32: a partial result that overflows stays +-inf, where a float64
        # chain would come back into range. Expected straight from numpy in the input's dtype.
        xo = np.array([[-3e38, 2.0], [3e38, 3e38], [1e-38, 3e38], [0.0, 1e-38]], "float32")
        with np.errstate(all="ignore"):
            wo = f(xo, axis=0)
        cases.append(T.case(f"{op}/overflow/float32", op, {"x": T(xo)}, {"axis": 0}, expect=T(wo),
                            note="partial results are float32: overflow to inf is kept (inf * 0 = nan)"))
        # float16 likewise: each partial result is rounded to float16 (numpy computes a float16 add or multiply in
        # float32 and rounds it back), so a float32 chain rounded once at the end differs: past 2048 a float16 sum of
        # ones stays at 2048 (2048 + 1 rounds to even), and a product of 1.01s drifts.
        xh = np.full((3000,), 1.0, "float16") if op == "cumsum" else np.full((300,), 1.01, "float16")
        cases.append(T.case(f"{op}/per_step_rounding/float16", op, {"x": T(xh)}, {"axis": 0}, expect=T(f(xh, axis=0)),
                            rtol=0, atol=0, note="every partial result is float16, as numpy's accumulation in the output dtype"))
        cases.append(T.case(f"{op}/error/rank0", op, {"x": T(np.array(1.5, "float32"))}, {}, error="ValueError",
                            note="a rank-0 tensor has no axis to accumulate along"))
        for a in [2, -3]:
            cases.append(T.case(f"{op}/error/axis={a}", op, {"x": T(x42)}, {"axis": a}, error="ValueError"))
    return cases


def _softmax(np, T):
    cases = []
    r = T.rng("reduction/softmax")

    def add(cid, x, axis="default", note=None):
        dt = str(x.dtype)
        rd = T.to_float(dt)
        a = -1 if axis == "default" else axis
        x64 = x.astype("float64")
        if x.size == 0:
            want = x64.astype(rd)
        else:
            with np.errstate(all="ignore"):
                e = np.exp(x64 - np.max(x64, axis=a, keepdims=True))
                want = (e / np.sum(e, axis=a, keepdims=True)).astype(rd)
        rtol, atol = T.tol(rd, 4)
        args = {} if axis == "default" else {"axis": axis}
        cases.append(T.case(f"softmax/{cid}", "softmax", {"x": T(x)}, args, expect=T(want), rtol=rtol, atol=atol, note=note))

    add("keras/4x10", T.arr(r, (4, 10), "float32"), "default", "tf-keras backend_test: (4, 10)")
    add("keras/4x5x3_axis1", T.arr(r, (4, 5, 3), "float32"), 1)
    add("keras/4x5x3x10_axis2", T.arr(r, (4, 5, 3, 10), "float32"), 2)
    for a in [0, 1, -1, -2]:
        add(f"rank2/axis={a}", T.arr(r, (3, 5), "float64"), a)
    x5 = T.arr(r, (2, 1, 3, 2, 2), "float32")
    for a in [0, 1, 2, 4, -1]:
        add(f"rank5/axis={a}", x5, a)
    add("empty/rows", np.zeros((0, 3), "float32"))
    add("empty/axis", np.zeros((2, 0), "float32"))
    add("large/float32", np.array([[1000, 1001, 1002], [-1e30, 0, 1e30]], "float32"), "default", "max subtraction keeps exp finite")
    add("large/float16", np.array([[60000, 60000, -60000]], "float16"))
    add("large/float64", np.array([[1e300, -1e300], [700, 710]], "float64"))
    for dt in T.FLOATS:
        add(f"special/{dt}", np.array([[1, np.nan, 2], [-np.inf, 0, 1], [np.inf, 1, 2], [-np.inf, -np.inf, -np.inf]], dt),
            "default", "NaN spreads over its slice; +inf gives NaN (inf - inf); an all -inf slice is NaN")
    for dt in T.INTS + ["bool"]:
        add(f"dtype/{dt}", T.arr(r, (2, 3), dt, 0 if dt == "uint8" else -3, 3), "default", "integers give floatx")
    for cid, x, a in [("rank1", T.arr(r, (4,), "float32"), None), ("rank0", np.array(1.0, "float32"), None),
                      ("axis_too_big", T.arr(r, (2, 3), "float32"), 2), ("axis_too_small", T.arr(r, (2, 3), "float32"), -3)]:
        cases.append(T.case(f"softmax/error/{cid}", "softmax", {"x": T(x)}, {} if a is None else {"axis": a}, error="ValueError",
                            note="tf-keras rejects rank < 2" if a is None else "axis out of range"))
    return cases
