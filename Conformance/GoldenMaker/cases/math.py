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
- sqrt follows tf-keras backend.py `sqrt`: `x = tf.maximum(x, 0)` before `tf.sqrt`, so negative inputs give 0, not NaN.
- abs and square keep the dtype (square of bool is int32: Keras 3 Square.compute_output_spec); integers wrap (abs(int8 -128) is -128, numpy's result); log and sqrt of an
  integer or bool tensor are floatx (Keras 3 `log`/`sqrt`: result_type(x.dtype, float)).
- pow(x, a) takes a number a (tf-keras backend.py `pow(x, a)`, keras-api.md §1.4). A float x keeps its dtype. An
  integer x with a whole a >= 0 stays integer and wraps; bool x gives int32 (Keras 3 result_type(bool, int));
  any other exponent gives floatx; an integer x with a negative whole a is a ValueError (numpy and TensorFlow
  both refuse "integers to negative integer powers").
- maximum/minimum: result_type(x, y) like the arithmetic ops; NaN in either operand gives NaN (numpy.maximum).
- round(x) is tf.round: half to even (numpy.round agrees); integers and bool are returned unchanged.
- sign(x) keeps the dtype; NaN stays NaN, ±0 give 0; bool is a TypeError (numpy and TensorFlow have none).
- clip(x, min_value, max_value) follows tf-keras backend.py `clip`: both numbers and max < min -> max = min; None ->
  ∓inf; then tf.clip_by_value = maximum(minimum(x, max), min). Integers: numpy.clip(...).astype(x.dtype) (fractional
  bounds truncate toward zero); bool gives int32 (Keras 3).
- sin, cos: floatx for integers and bool, float16 computed in float32.
- logsumexp(x, axis=None, keepdims=False) is tf.reduce_logsumexp (tf-keras backend.py `logsumexp`): m + log(sum(exp(x - m)))
  with m the max over the axes, replaced by 0 when not finite: all -inf -> -inf, any +inf -> +inf, NaN -> NaN, empty -> -inf.
  Integers give floatx. Cross-checked with scipy.special.logsumexp on finite inputs.
Cross-check: round, sign, clip, sin and cos are recomputed with torch (when importable) and must agree.
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
    cases += _unary_more(np, T) + _pow_cases(np, T) + _extremes(np, T) + _elementary(np, T) + _logsumexp(np, T)
    return cases


def _unary_more(np, T):
    cases = []
    for op in ["abs", "log", "sqrt", "square"]:
        r = T.rng("math/" + op)

        def expect(x):
            dt = str(x.dtype)
            if op == "abs":
                return np.abs(x)
            if op == "square":
                if dt == "bool":
                    return np.square(x.astype("int32"))  # Keras 3: square of bool is int32 (numpy says int8)
                return np.square(x) if dt not in T.FLOATS else np.square(x.astype("float64")).astype(dt)
            with np.errstate(all="ignore"):
                if op == "log":
                    return np.log(x.astype("float64")).astype(T.to_float(dt))
                # tf-keras backend.py sqrt: x = tf.maximum(x, 0) first (NaN and -0 pass unchanged)
                return np.sqrt(np.maximum(x.astype("float64"), 0.0)).astype(T.to_float(dt))

        def add(cid, x, note=None):
            with np.errstate(all="ignore"):
                want = expect(x)
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, expect=T(want), note=note))

        positive = op in ("log", "sqrt")
        for name, xs, _ in SHAPES:
            add(f"shape/{name}", T.arr(r, xs, "float32", 0.1 if positive else -3, 3))
        for dt in T.DTYPES:
            add(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" or positive else -5, 5))
        for dt in T.FLOATS:
            add(f"special/{dt}", T.special(dt), "NaN, ±inf, ±0, subnormal and huge values")
        if op == "abs":
            add("wrap/int8", np.array([-128, -127, 0, 127], "int8"), "abs(-128) wraps to -128 as in numpy")
            add("wrap/int32", np.array([-2**31, -5, 2**31 - 1], "int32"))
            add("wrap/int64", np.array([-2**63, -1, 3], "int64"))
        if op == "square":
            add("wrap/int8", np.array([16, -12, 11, 3], "int8"), "integers wrap")
            add("overflow/float16", np.array([255.0, 256.0, -300.0], "float16"), "256² overflows float16")
        if op in ("log", "sqrt"):
            add("negative/float32", np.array([-1.0, -0.0, 0.0, 4.0, -np.inf, np.nan], "float32"),
                "log: negative → NaN, log(±0) = -inf; sqrt (tf-keras backend.py sqrt clips at 0 first): negative → 0, sqrt(-0) = -0")
            add("int_zero", np.array([0, 1, 4, 9], "int32"), "integers give floatx")
    return cases


def _pow_cases(np, T):
    cases = []
    r = T.rng("math/pow")

    def add(cid, x, a, note=None):
        dt = str(x.dtype)
        with np.errstate(all="ignore"):
            if dt in T.FLOATS:
                want = np.power(x.astype("float64"), float(a)).astype(dt)
            elif float(a) >= 0 and float(a) == int(a):
                rd = "int32" if dt == "bool" else dt
                want = np.power(x.astype("int64"), int(a)).astype(rd)
            else:
                want = np.power(x.astype("float64"), float(a)).astype(T.floatx)
        cases.append(T.case(f"pow/{cid}", "pow", {"x": T(x)}, {"a": a}, expect=T(want), note=note))

    for name, xs, _ in SHAPES:
        add(f"shape/{name}", T.arr(r, xs, "float32", 0.1, 3), 2.5)
    for a in [3, 2, 0, 1, -1, 0.5, -2.5]:
        for dt in T.FLOATS:
            add(f"float/{dt}/a={a}", T.arr(r, (2, 4), dt, -3, 3), a, "negative bases to fractional powers are NaN")
    for dt in T.INTS + ["bool"]:
        for a in [0, 1, 3]:
            add(f"int/{dt}/a={a}", T.arr(r, (3, 4), dt, 0 if dt == "uint8" else -5, 5), a, "whole exponents keep integers (bool → int32)")
        add(f"int/{dt}/a=0.5", T.arr(r, (2, 3), dt, 0, 9), 0.5, "a fractional exponent gives floatx")
    add("wrap/int8", np.array([2, 3, -2, 5], "int8"), 7, "integers wrap: 3**7 = 2187 → -117 in int8")
    add("wrap/int64", np.array([3, 2, -1], "int64"), 63, "2**63 wraps to the int64 minimum")
    for dt in T.FLOATS:
        for a in [2, 0, -1, 0.5]:
            add(f"special/{dt}/a={a}", T.special(dt), a, "C pow: 0**-1 = inf, x**0 = 1 even for NaN")
    for dt in ["int32", "int8", "bool"]:
        cases.append(T.case(f"pow/error/{dt}_negative", "pow", {"x": T(T.arr(r, (3,), dt, 1, 4))}, {"a": -2},
                            error="ValueError", note="integers to negative integer powers are not allowed"))
    return cases


def _extremes(np, T):
    cases = []
    for op in ["maximum", "minimum"]:
        r = T.rng("math/" + op)
        f = np.maximum if op == "maximum" else np.minimum

        def add(cid, x, y, note=None):
            rd = T.promote(str(x.dtype), str(y.dtype))
            if rd in T.FLOATS:
                want = f(x.astype("float64"), y.astype("float64")).astype(rd)
            else:
                want = f(x.astype(rd), y.astype(rd))
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x), "y": T(y)}, expect=T(want), note=note))

        for name, xs, ys in SHAPES:
            add(f"shape/{name}", T.arr(r, xs, "float32"), T.arr(r, ys, "float32"))
        for dt in T.DTYPES:
            add(f"dtype/{dt}", T.arr(r, (3, 4), dt, 0 if dt == "uint8" else -5, 5), T.arr(r, (4,), dt, 0 if dt == "uint8" else -5, 5))
        for a, b in [("int32", "float16"), ("uint8", "int8"), ("int64", "float32"), ("bool", "int8"), ("float16", "float64")]:
            add(f"promote/{a}_{b}", T.arr(r, (2, 3), a, 0, 4), T.arr(r, (3,), b, 1, 4), "Keras 3 result_type")
        for dt in T.FLOATS:
            s = T.special(dt)
            add(f"special/{dt}", s[:, None], s[None, :], "NaN in either operand gives NaN; every pair")
        add("wrap/int8_extremes", np.array([-128, 127, 0], "int8"), np.array([127, -128, 0], "int8"))
        for cid, xs, ys in [("mismatch", (2, 3), (4,)), ("mismatch_rank5", (2, 1, 3, 1, 2), (1, 4, 2, 2, 1))]:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(T.arr(r, xs, "float32")), "y": T(T.arr(r, ys, "float32"))},
                                error="ValueError", note="shapes that do not broadcast"))
    return cases


def _torch_agrees(np, T, want, fn, dtype):
    """Asserts that torch computes the same values (within the case's tolerances), when torch is importable."""
    try:
        import torch
    except Exception:  # torch is optional
        return
    got = fn(torch).numpy().astype("float64")
    w = np.asarray(want, dtype="float64")
    rtol, atol = T.tol(dtype)
    if got.shape != w.shape or not np.allclose(got, w, rtol=max(rtol, 1e-12), atol=max(atol, 1e-12), equal_nan=True):
        raise AssertionError(f"torch disagrees with numpy: {got} vs {w}")


def _elementary(np, T):
    cases = []
    for op in ["round", "sign", "sin", "cos"]:
        r = T.rng("math/" + op)

        def expect(x):
            dt = str(x.dtype)
            if op == "round":
                return np.round(x) if dt in T.FLOATS else x
            if op == "sign":
                return np.sign(x.astype("float64")).astype(dt) if dt in T.FLOATS else np.sign(x)
            f = np.sin if op == "sin" else np.cos
            return f(x.astype("float64")).astype(T.to_float(dt))

        def add(cid, x, note=None):
            with np.errstate(all="ignore"):
                want = expect(x)
            # torch 1.13's sign(NaN) is 0 where numpy and TensorFlow (Eigen's sign_impl) give NaN: NaN inputs skip it.
            if str(x.dtype) not in ("uint8", "bool") and x.dtype != np.float16 and not (op == "sign" and np.isnan(x).any()):
                xs = x.astype("float64")
                _torch_agrees(np, T, want, lambda t: getattr(t, op)(t.from_numpy(np.array(xs, copy=True))), str(want.dtype))
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, expect=T(want), note=note))

        for name, xs, _ in SHAPES:
            add(f"shape/{name}", T.arr(r, xs, "float32", -4, 4))
        for dt in T.DTYPES:
            if op == "sign" and dt == "bool":
                continue
            add(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -5, 5))
        for dt in T.FLOATS:
            add(f"special/{dt}", T.special(dt), "NaN, ±inf, ±0, tiny and huge values")
        add("lanes/float32", T.arr(r, (37,), "float32", -4, 4), "two 16-lane vectors and a tail")
        if op == "round":
            for dt in T.FLOATS:
                add(f"halves/{dt}", np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5, -3.5, 0.49999997, 1e6 + 0.5], dt),
                    "half to even (tf.round): 0.5 -> 0, 1.5 -> 2, 2.5 -> 2")
            add("halves/int32", np.array([-3, 0, 7], "int32"), "integers are returned unchanged")
            add("halves/bool", np.array([True, False]), "bool is returned unchanged")
            add("large/float32", np.array([8388607.5, 8388608.0, -8388609.0, 1.5e10], "float32"), "above 2^23 every float32 is whole")
        if op == "sign":
            add("wrap/int8", np.array([-128, 127, 0], "int8"))
            add("uint8", np.array([0, 1, 255], "uint8"), "uint8 gives 0 or 1")
            add("zeros/float64", np.array([-0.0, 0.0, -1e-300, 5e-324], "float64"), "±0 give 0; subnormals keep their sign")
        if op in ("sin", "cos"):
            add("range/float32", np.linspace(-50, 50, 201).astype("float32"), "several periods")
            add("large/float64", np.array([1e6, -1e9, 1e15, 3.14159265358979], "float64"), "argument reduction")
            add("int64", np.array([0, 1, -7, 100000], "int64"), "int64 gives floatx")
    cases.append(T.case("sign/error/bool", "sign", {"x": T(np.array([True, False]))}, error="TypeError",
                        note="numpy and TensorFlow define no sign of bool"))

    r = T.rng("math/clip")

    def clip(cid, x, lo, hi, note=None):
        dt = str(x.dtype)
        a, b = (-np.inf if lo is None else lo), (np.inf if hi is None else hi)
        if lo is not None and hi is not None and hi < lo:
            b = a  # tf-keras: max_value = min_value
        rd = "int32" if dt == "bool" else dt
        whole = all(np.isinf(v) or v == np.floor(v) for v in (a, b))
        with np.errstate(all="ignore"):
            if dt in T.FLOATS:
                want = np.maximum(np.minimum(x.astype("float64"), b), a).astype(dt)
            elif whole:
                # Whole bounds: exact in the integer dtype, the bounds saturated to its range (no float64 round trip).
                info = np.iinfo(rd)
                lo_i, hi_i = (max(info.min, min(info.max, int(v))) if np.isfinite(v) else (info.min if v < 0 else info.max) for v in (a, b))
                want = np.minimum(np.maximum(x.astype(rd), np.array(lo_i, rd)), np.array(hi_i, rd))
            else:
                want = np.trunc(np.maximum(np.minimum(x.astype("float64"), b), a)).astype(rd)
        if dt not in ("bool", "uint8", "float16", "int64"):
            xs = x.astype("float64")
            _torch_agrees(np, T, want, lambda t: t.clamp(t.from_numpy(np.array(xs, copy=True)), min=float(a), max=float(b)).trunc()
                          if dt not in T.FLOATS else t.clamp(t.from_numpy(np.array(xs, copy=True)), min=float(a), max=float(b)), rd)
        cases.append(T.case(f"clip/{cid}", "clip", {"x": T(x)}, {"min_value": lo, "max_value": hi}, expect=T(want), note=note))

    for name, xs, _ in SHAPES:
        clip(f"shape/{name}", T.arr(r, xs, "float32"), -1.0, 1.5)
    for dt in T.DTYPES:
        clip(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -5, 5), 1.0, 3.0)
    for dt in T.FLOATS:
        clip(f"special/{dt}", T.special(dt), -1.0, 2.0, "NaN stays NaN; ±inf clip to the bounds")
    x = np.linspace(-3, 3, 25).astype("float32")
    clip("max_below_min", x, 1.0, -1.0, "tf-keras: max_value < min_value -> max_value = min_value (everything becomes 1)")
    clip("equal_bounds", x, 0.5, 0.5)
    clip("no_min", x, None, 1.0, "None is -inf")
    clip("no_max", x, -0.5, None, "None is +inf")
    clip("no_bounds", x, None, None)
    clip("none_max_below", x, 2.0, None)
    clip("fractional/int32", np.arange(-4, 5, dtype="int32"), -2.5, 1.5, "integers: bounds apply in float64, then truncation")
    clip("fractional/uint8", np.array([0, 1, 2, 200, 255], "uint8"), 0.5, 100.7)
    clip("huge/int64", np.array([-2**63, 2**62, 2**63 - 1, 5], "int64"), -1e30, 1e30, "whole bounds beyond the dtype saturate (exact, no float64 round trip)")
    clip("whole/int8", np.array([-128, -5, 0, 5, 127], "int8"), -3.0, 100.0)
    clip("bool", np.array([True, False, True]), 0.0, 0.5, "bool gives int32")
    clip("lanes/float64", T.arr(r, (70,), "float64"), -0.25, 0.75)
    clip("float16_bounds", T.arr(r, (10,), "float16"), -0.1, 0.3)
    return cases


def _lse(np, x, axis, keepdims):
    v = x.astype("float64")
    ax = tuple(axis) if isinstance(axis, list) else axis
    with np.errstate(all="ignore"):
        m = np.max(v, axis=ax, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, 0.0)
        r = np.log(np.sum(np.exp(v - m), axis=ax, keepdims=True)) + m
    if not keepdims:
        r = np.squeeze(r, axis=ax) if ax is not None else r.reshape(())
    return r


def _logsumexp(np, T):
    cases = []
    r = T.rng("math/logsumexp")
    try:
        from scipy.special import logsumexp as sp_lse
    except Exception:  # scipy is optional
        sp_lse = None

    def add(cid, x, axis=None, keepdims=False, note=None):
        want = _lse(np, x, axis, keepdims)
        if sp_lse is not None and x.size > 0 and np.isfinite(x.astype("float64")).all():
            ax = tuple(axis) if isinstance(axis, list) else axis
            got = sp_lse(x.astype("float64"), axis=ax, keepdims=keepdims)
            if not np.allclose(got, want, rtol=1e-12, atol=1e-12):
                raise AssertionError(f"logsumexp/{cid}: scipy disagrees: {got} vs {want}")
        args = {}
        if axis is not None:
            args["axis"] = axis
        if keepdims:
            args["keepdims"] = True
        rd = T.to_float(str(x.dtype))
        n = x.size if axis is None else int(np.prod([x.shape[a] for a in (axis if isinstance(axis, list) else [axis])]))
        rt, at = T.tol(rd, max(1.0, n / 8.0))
        cases.append(T.case(f"logsumexp/{cid}", "logsumexp", {"x": T(x)}, args, expect=T(np.asarray(want).astype(rd)), note=note, rtol=rt, atol=at))

    # Keras 2.3's shapes and axes (keras-api.md: (3,), (1,3), (2,1), (4,2), (4,2,3); axis None/0/-1/1/[1,-1]; both keepdims)
    for shape in [(3,), (1, 3), (2, 1), (4, 2), (4, 2, 3)]:
        x = T.arr(r, shape, "float32", -5, 5)
        for axis in [None, 0, -1, 1, [1, -1]]:
            rank = len(shape)
            axes = [] if axis is None else (axis if isinstance(axis, list) else [axis])
            if any(a >= rank or a < -rank for a in axes) or len({a % rank for a in axes}) != len(axes):
                continue
            for kd in (False, True):
                add(f"k23/{'x'.join(map(str, shape))}/axis={axis}/keepdims={kd}", x, axis, kd)
    add("stability", np.array([1e4, 1e-4], "float32"), None, False, "Keras 2.3: logsumexp([1e4, 1e-4]) == 1e4")
    add("stability/float64", np.array([[800.0, 799.0, -800.0], [-800.0, -801.0, -1e4]], "float64"), -1)
    add("rows/long", T.arr(r, (3, 5000), "float32", -20, 20), -1, False, "rows longer than one 4096-element chunk")
    add("rows/1000", T.arr(r, (16, 1000), "float32", -10, 10), 1)
    add("cols", T.arr(r, (40, 7), "float32", -10, 10), 0, False, "reduction over a leading axis (columns)")
    add("middle", T.arr(r, (3, 6, 5), "float64", -10, 10), 1, True)
    add("split_axes", T.arr(r, (3, 4, 5), "float32", -10, 10), [0, 2], False, "axes that are not adjacent")
    add("all_axes", T.arr(r, (2, 3, 4), "float32", -10, 10))
    add("rank0", np.array(2.5, "float32"), None, False, "a scalar is its own logsumexp")
    add("empty_axis", np.zeros((2, 0), "float32"), 1, False, "an empty axis gives -inf")
    add("empty_rows", np.zeros((0, 3), "float32"), 1)
    add("special/rows", np.array([[-np.inf, -np.inf], [np.inf, 1.0], [np.nan, 1.0], [-np.inf, 2.0], [np.inf, -np.inf], [np.inf, np.nan]], "float32"), -1,
        False, "all -inf -> -inf, +inf -> +inf, NaN -> NaN")
    add("special/cols", np.array([[-np.inf, np.inf, np.nan, -np.inf, 3.0], [-np.inf, 1.0, 1.0, 2.0, 3.0]], "float64"), 0)
    for dt in T.DTYPES:
        add(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -5, 5), -1, False, "integers and bool give floatx")
    for cid, shape, axis in [("axis_out", (2, 3), 2), ("axis_dup", (2, 3), [1, -1])]:
        cases.append(T.case(f"logsumexp/error/{cid}", "logsumexp", {"x": T(T.arr(r, shape, "float32"))}, {"axis": axis}, error="ValueError"))
    return cases
