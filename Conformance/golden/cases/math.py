"""Golden cases for the element-wise math ops (family `math`).

Keras rules written out (numpy differs):
- The result dtype of a binary op is Keras 3's result_type(x.dtype, y.dtype) (T.promote; keras/src/ops/numpy.py
  `add`/`subtract`/`multiply` call dtypes.result_type; keras-api.md §3 "Dtype defaults"), not numpy's table:
  int32 + float16 is float16, uint8 + int8 is int16, int64 + float32 is float32.
- divide is true division in result_type(x, y, float): integer or bool operands give floatx
  (keras/src/backend/numpy/numpy.py `divide`); x / 0 is ±inf, 0 / 0 is NaN (IEEE 754).
- exp of an integer or bool tensor is floatx; float16 is computed in float32 and rounded
  (keras/src/backend/numpy/numpy.py `exp`: `x = x.astype(ori_dtype if float else backend.floatx())`).
- Integer arithmetic wraps modulo the width, as numpy does (int8: 100 + 100 = -56; -(-128) = -128).
Expected values are computed in float64 (or the exact integer type) and rounded once to the result dtype.
"""

BINARY = {"add": lambda a, b: a + b, "subtract": lambda a, b: a - b, "multiply": lambda a, b: a * b}

SHAPES = [  # (name, x shape, y shape): typical, broadcasting, rank 0, rank 5, empty dimensions
    ("same_2d", (2, 3), (2, 3)),
    ("row", (2, 3), (3,)),
    ("col", (4, 1), (1, 5)),
    ("outer3d", (4, 1, 3), (1, 5, 1)),
    ("scalar_left", (), (2, 3)),
    ("scalar_right", (3, 2), ()),
    ("rank0", (), ()),
    ("rank1", (7,), (7,)),
    ("rank5", (2, 1, 3, 1, 2), (1, 4, 1, 2, 1)),
    ("rank5_same", (1, 2, 1, 2, 3), (1, 2, 1, 2, 3)),
    ("empty_rows", (0, 3), (3,)),
    ("empty_bcast", (2, 0), (2, 1)),
    ("empty_rank1", (0,), ()),
    ("long", (33, 17), (17,)),
]


def _binary_expect(np, T, op, x, y):
    rd = T.promote(str(x.dtype), str(y.dtype))
    if rd in T.FLOATS:
        r = BINARY[op](x.astype("float64"), y.astype("float64")).astype(rd)
    elif rd == "bool":
        r = (x | y) if op == "add" else (x & y)
    else:
        r = BINARY[op](x.astype(rd), y.astype(rd))
    return r


def _divide_expect(np, T, x, y):
    rd = T.to_float(T.promote(str(x.dtype), str(y.dtype)))
    return (x.astype("float64") / y.astype("float64")).astype(rd)


def generate(np, T):
    cases = []
    for op in ["add", "subtract", "multiply", "divide"]:
        r = T.rng("math/" + op)

        def expect(x, y):
            return _divide_expect(np, T, x, y) if op == "divide" else _binary_expect(np, T, op, x, y)

        def add(cid, x, y, note=None):
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x), "y": T(y)}, expect=T(expect(x, y)), note=note))

        for name, xs, ys in SHAPES:
            x = T.arr(r, xs, "float32")
            y = T.arr(r, ys, "float32", 0.5, 3) if op == "divide" else T.arr(r, ys, "float32")
            add(f"shape/{name}", x, y)
        for dt in T.DTYPES:
            if dt == "bool" and op in ("subtract", "divide"):
                continue  # numpy rejects boolean subtraction; bool / bool is covered below
            x = T.arr(r, (3, 4), dt, 0 if dt == "uint8" else -5, 5)
            y = T.arr(r, (4,), dt, 1, 5) if op == "divide" else T.arr(r, (4,), dt, 0 if dt == "uint8" else -5, 5)
            add(f"dtype/{dt}", x, y)
        if op == "divide":
            add("dtype/bool_by_true", np.array([True, False, True]), np.array([True, True, True]), "bool / bool is floatx")
        for a, b in [("int32", "float16"), ("uint8", "int8"), ("int64", "float32"), ("bool", "int8"),
                     ("float16", "float64"), ("uint8", "int64"), ("int16", "int32"), ("float32", "float64"),
                     ("bool", "float32"), ("uint8", "int16")]:
            x = T.arr(r, (2, 3), a, 0, 4)
            y = T.arr(r, (3,), b, 1, 4)
            add(f"promote/{a}_{b}", x, y, "Keras 3 result_type, not numpy's")
        for dt in T.FLOATS:
            s = T.special(dt)
            add(f"special/{dt}", s[:, None], s[None, :], "NaN, ±inf, ±0, tiny and huge values, every pair")
        if op in ("add", "subtract", "multiply"):
            add("wrap/int8", np.array([100, -100, 127, -128], "int8"), np.array([100, 100, 1, 2], "int8"), "integers wrap")
            add("wrap/uint8", np.array([200, 0, 255, 3], "uint8"), np.array([100, 1, 1, 200], "uint8"), "integers wrap")
        else:
            add("zero/float32", np.array([1, -1, 0, 2.5], "float32"), np.array([0, 0, 0, -0.0], "float32"), "±inf and NaN from division by ±0")
            add("zero/int32", np.array([1, -1, 0, 7], "int32"), np.array([0, 0, 0, 2], "int32"), "integers give floatx, x/0 is ±inf or NaN")
        for cid, xs, ys in [("mismatch", (2, 3), (4,)), ("mismatch_2d", (2, 3), (3, 2)), ("mismatch_rank5", (2, 1, 3, 1, 2), (1, 4, 2, 2, 1))]:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(T.arr(r, xs, "float32")), "y": T(T.arr(r, ys, "float32"))},
                                error="ValueError", note="shapes that do not broadcast"))

    for op, fn in [("negative", None), ("exp", None)]:
        r = T.rng("math/" + op)

        def expect(x):
            if op == "negative":
                return -x
            return np.exp(x.astype("float64")).astype(T.to_float(str(x.dtype)))

        def add(cid, x, note=None):
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, expect=T(expect(x)), note=note))

        for name, xs, _ in SHAPES:
            add(f"shape/{name}", T.arr(r, xs, "float32"))
        for dt in T.DTYPES:
            if dt == "bool" and op == "negative":
                continue  # numpy rejects boolean negation; the spec declares no error for it
            add(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -5, 5))
        for dt in T.FLOATS:
            add(f"special/{dt}", T.special(dt))
        if op == "negative":
            add("wrap/int8", np.array([-128, 127, 0, -1], "int8"), "-(-128) wraps to -128")
            add("wrap/uint8", np.array([0, 1, 255, 128], "uint8"), "uint8 negation wraps modulo 256")
            add("wrap/int64", np.array([-2**63, 2**63 - 1, 0], "int64"))
        else:
            add("overflow/float16", np.array([11.0, 12.0, -20.0, 0.5], "float16"), "exp(12) overflows float16")
            add("overflow/float32", np.array([88.0, 89.0, -104.0, -110.0], "float32"), "overflow to inf, underflow to 0")
            add("overflow/float64", np.array([709.0, 710.0, -745.0, 1e-300], "float64"))
    return cases
