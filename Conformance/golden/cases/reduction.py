"""Golden cases for the reductions (family `reduction`).

Keras rules written out (numpy differs):
- sum's result dtype: bool, int8, int16 and uint8 accumulate in int32; every other dtype keeps its own
  (Keras 3 keras/src/backend/numpy/numpy.py `sum`: `if dtype in ("bool", "int8", "int16"): dtype = "int32"`,
  uint8 likewise via standardize; numpy would give int64 / uint64). float16 is accumulated in float32 and rounded.
- axis is None (every axis), an int or a list of ints; negative axes count from the end; keepdims keeps the
  reduced axes as size 1 (keras-api.md §3 "Reductions over axis lists"). An axis out of range or named twice is
  a ValueError (numpy raises AxisError, a ValueError subclass).
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
    return cases
