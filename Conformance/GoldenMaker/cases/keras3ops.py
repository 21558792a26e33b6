"""Golden cases for the Keras 3 ops of issue 16 owned here (keras.ops math / numpy / nn / linalg): erf, rsqrt, floor,
ceil, mod, floor_divide, nan_to_num, logical_and, logical_or, logical_not, isnan, isinf, isfinite (and, below, the
activations, normalizations, norm, where, linspace, tril, triu).

Keras 3 rules written out (keras/src/backend/numpy/*.py and keras/src/ops/*.py compute_output_spec):
- erf, rsqrt: floats keep their dtype; integer and bool inputs give floatx (our choice where Keras disagrees with
  itself: Erf.compute_output_spec keeps x's dtype, the numpy backend casts the float64 result back to it, jax.lax.erf
  refuses integers). erf is scipy.special.erf computed in float64 and rounded once; cross-checked with math.erf and
  torch.erf. rsqrt is 1 / sqrt(x) in float64 (negative -> NaN, +0 -> inf, -0 -> -inf).
- floor, ceil: integer and bool inputs become floatx first (numpy.py `floor`: int64 -> floatx, else
  result_type(x, float), floatx for every integer); floats keep their dtype.
- mod, floor_divide: numpy.mod / numpy.floor_divide in result_type(x, y) (T.promote); two bool operands give int32
  (Mod.compute_output_spec; jnp.floor_divide promotes bool to int). Integers: x // 0 = 0, x % 0 = 0, MIN // -1 = MIN
  (numpy 1.24). Floats: numpy's npy_divmod, computed here by numpy in the result dtype (float16 through numpy's own
  half loops).
- nan_to_num(x, nan=0.0, posinf=None, neginf=None): numpy.nan_to_num; keeps the dtype (NanToNum.compute_output_spec);
  integers and bool are unchanged.
- logical_and / logical_or / logical_not / isnan / isinf / isfinite: numpy's, bool results; nonzero (NaN included) is
  true; integer tensors are finite and never NaN.
Expected values are computed in float64 (or the exact integer type) and rounded once to the result dtype, except
where numpy's own arithmetic in the result dtype is the definition (mod, floor_divide).
"""
import math

try:  # optional cross-checks
    import torch
except Exception:  # pragma: no cover
    torch = None
try:
    import scipy.special as sps
except Exception:  # pragma: no cover
    sps = None

SHAPES1 = [("rank0", ()), ("rank1", (7,)), ("rank2", (3, 4)), ("rank4", (2, 1, 3, 2)), ("empty", (0, 3)), ("lanes", (67,))]
SHAPES2 = [("same", (2, 3), (2, 3)), ("row", (2, 3), (3,)), ("col", (4, 1), (1, 5)), ("scalar", (), (2, 3)),
           ("rank0", (), ()), ("empty", (0, 3), (3,)), ("lanes", (3, 37), (37,))]
BAD2 = [("mismatch", (2, 3), (4,)), ("mismatch_2d", (2, 3), (3, 2))]


def _erf64(np, x):
    v = np.asarray(x, dtype="float64")
    want = np.vectorize(math.erf, otypes=["float64"])(v) if v.size else v.copy()
    if sps is not None:
        s = sps.erf(v)
        assert np.allclose(s, want, rtol=1e-15, atol=0, equal_nan=True), "scipy.special.erf disagrees with math.erf"
    if torch is not None and v.size:
        t = torch.erf(torch.from_numpy(np.array(v))).numpy()
        assert np.allclose(t, want, rtol=1e-14, atol=1e-300, equal_nan=True), "torch.erf disagrees with math.erf"
    return want


def _unary_float(np, T, cases, op, fn, positive=False):
    r = T.rng("keras3/" + op)

    def add(cid, x, note=None):
        with np.errstate(all="ignore"):
            want = fn(x).astype(T.to_float(str(x.dtype)))
        cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, expect=T(want), note=note))

    lo = 0.05 if positive else -3
    for name, s in SHAPES1:
        add(f"shape/{name}", T.arr(r, s, "float32", lo, 3))
    for dt in T.DTYPES:
        add(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" or positive else -5, 5), "integers and bool give floatx")
    for dt in T.FLOATS:
        add(f"special/{dt}", T.special(dt), "NaN, ±inf, ±0, tiny and huge values")
    return add


def _first_half(np, T):
    cases = []
    add = _unary_float(np, T, cases, "erf", lambda x: _erf64(np, x))
    add("ranges/float64", np.array([1e-300, 5e-324, -1e-10, 0.5, 0.84, 0.85, 1.0, 1.24, 1.26, 2.0, 2.85, 2.86, 4.0, 5.9, 6.0, 27.0, -3.3], "float64"),
        "every range of the approximation and its edges")
    add("ranges/float32", np.array([0.1, -0.7, 0.9, -1.1, 1.5, 2.5, -3.5, 5.0, 7.0], "float32"))
    _unary_float(np, T, cases, "rsqrt", lambda x: 1.0 / np.sqrt(x.astype("float64")), positive=True)(
        "negative/float32", np.array([-1.0, -0.0, 0.0, 4.0, np.inf, np.nan, 0.25], "float32"), "negative → NaN, ±0 → ±inf")
    for op, fn in [("floor", np.floor), ("ceil", np.ceil)]:
        add = _unary_float(np, T, cases, op, lambda x, fn=fn: fn(x.astype("float64")))
        add("halves/float32", np.array([-2.5, -1.5, -0.5, -0.0, 0.5, 1.5, 2.5, 1e20, -1e-30], "float32"), "−0.5 gives −0 (floor −1)")
        add("int64", np.array([-(2 ** 40), 3, 0], "int64"), "int64 gives floatx (Keras floor/ceil)")

    # mod and floor_divide: numpy's arithmetic in the result dtype is the definition.
    for op, fn in [("mod", np.mod), ("floor_divide", np.floor_divide)]:
        r = T.rng("keras3/" + op)

        def add2(cid, x, y, note=None, op=op, fn=fn):
            rd = T.promote(str(x.dtype), str(y.dtype))
            if rd == "bool":
                rd = "int32"
            with np.errstate(all="ignore"):
                want = fn(x.astype(rd), y.astype(rd)).astype(rd)
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(x), "y": T(y)}, expect=T(want), note=note))

        for name, xs, ys in SHAPES2:
            add2(f"shape/{name}", T.arr(r, xs, "float32", -9, 9), T.arr(r, ys, "float32", 0.5, 4) * np.where(T.arr(r, ys, "bool"), 1, -1).astype("float32"))
        for dt in T.DTYPES:
            if dt == "bool":
                add2("dtype/bool", np.array([True, True, False, False]), np.array([True, False, True, False]), "bool pairs compute in int32; x // 0 = 0")
                continue
            lo = 0 if dt == "uint8" else -9
            y = T.arr(r, (3, 4), dt, 1, 4)
            if dt != "uint8":
                y = (y * np.where(T.arr(r, (3, 4), "bool"), 1, -1)).astype(dt)
            add2(f"dtype/{dt}", T.arr(r, (3, 4), dt, lo, 9), y)
        add2("signs/int32", np.array([-7, 7, -7, 7, 0, -1, 5, -5], "int32"), np.array([2, -2, -2, 2, 3, 3, 0, 0], "int32"), "Python/numpy signs; x // 0 = x % 0 = 0")
        add2("min/int8", np.array([-128, -128, 127, -128], "int8"), np.array([-1, 1, -1, 0], "int8"), "MIN // -1 = MIN, MIN % -1 = 0 (numpy 1.24)")
        add2("min/int64", np.array([-(2 ** 63), 2 ** 63 - 1], "int64"), np.array([-1, -1], "int64"))
        add2("signs/float32", np.array([-7.5, 7.5, -7.5, 7.5, 0.0, -0.0, 1.0, 3.0], "float32"), np.array([2.0, -2.0, -2.0, 2.0, 3.0, 3.0, 0.1, -0.0], "float32"),
             "zero results take the divisor's (mod) or the quotient's (floor_divide) sign; 1 // 0.1 = 9")
        for dt in T.FLOATS:
            s = T.special(dt)
            add2(f"special/{dt}", s[:, None], s[None, :], "NaN, ±inf, ±0, tiny and huge values, every pair")
        add2("promote/int8_float16", np.array([-5, 7, 9], "int8"), np.array([2.5, -2.0, 4.0], "float16"), "Keras 3 result_type")
        add2("promote/uint8_int8", np.array([200, 7, 0], "uint8"), np.array([-3, 2, -1], "int8"), "uint8 with int8 is int16")
        add2("big/float64", np.array([1e300, -1e300, 1e17, 12345678912345.0], "float64"), np.array([3.0, 7.0, 0.3, -0.7], "float64"), "quotients beyond the mantissa")
        for cid, xs, ys in BAD2:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(T.arr(r, xs, "float32")), "y": T(T.arr(r, ys, "float32"))}, error="ValueError"))

    r = T.rng("keras3/nan_to_num")
    for dt in T.FLOATS:
        s = T.special(dt)
        cases.append(T.case(f"nan_to_num/default/{dt}", "nan_to_num", {"x": T(s)}, expect=T(np.nan_to_num(s)), note="±inf → the dtype's extremes"))
        cases.append(T.case(f"nan_to_num/values/{dt}", "nan_to_num", {"x": T(s)}, {"nan": -1.5, "posinf": 1e10, "neginf": -3.0},
                            expect=T(np.nan_to_num(s, nan=-1.5, posinf=1e10, neginf=-3.0)), note="1e10 rounds to inf in float16 (numpy)"))
    for dt in T.INTS + ["bool"]:
        x = T.arr(r, (2, 3), dt)
        cases.append(T.case(f"nan_to_num/dtype/{dt}", "nan_to_num", {"x": T(x)}, {"nan": 5.0}, expect=T(np.nan_to_num(x, nan=5.0)), note="unchanged"))
    for name, s in SHAPES1:
        x = T.arr(r, s, "float32")
        cases.append(T.case(f"nan_to_num/shape/{name}", "nan_to_num", {"x": T(x)}, expect=T(np.nan_to_num(x))))

    # Logical ops and the float tests.
    r = T.rng("keras3/logical")
    mixed = np.array([0.0, -0.0, 1.0, np.nan, -np.inf, 0.5], "float32")
    for op, fn in [("logical_and", np.logical_and), ("logical_or", np.logical_or)]:
        for name, xs, ys in SHAPES2:
            x, y = T.arr(r, xs, "int32", -1, 1), T.arr(r, ys, "bool")
            cases.append(T.case(f"{op}/shape/{name}", op, {"x": T(x), "y": T(y)}, expect=T(fn(x, y))))
        for dt in T.DTYPES:
            x, y = T.arr(r, (3, 4), dt, 0 if dt == "uint8" else -1, 1), T.arr(r, (4,), dt, 0, 1)
            cases.append(T.case(f"{op}/dtype/{dt}", op, {"x": T(x), "y": T(y)}, expect=T(fn(x, y))))
        cases.append(T.case(f"{op}/special", op, {"x": T(mixed[:, None]), "y": T(mixed[None, :])}, expect=T(fn(mixed[:, None], mixed[None, :])),
                            note="NaN is true, -0 is false"))
        for cid, xs, ys in BAD2:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(T.arr(r, xs, "float32")), "y": T(T.arr(r, ys, "float32"))}, error="ValueError"))
    for op, fn in [("logical_not", np.logical_not), ("isnan", np.isnan), ("isinf", np.isinf), ("isfinite", np.isfinite)]:
        for name, s in SHAPES1:
            x = T.arr(r, s, "float32")
            cases.append(T.case(f"{op}/shape/{name}", op, {"x": T(x)}, expect=T(fn(x))))
        for dt in T.DTYPES:
            x = T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -2, 2)
            cases.append(T.case(f"{op}/dtype/{dt}", op, {"x": T(x)}, expect=T(fn(x))))
        for dt in T.FLOATS:
            s = T.special(dt)
            cases.append(T.case(f"{op}/special/{dt}", op, {"x": T(s)}, expect=T(fn(s))))
        cases.append(T.case(f"{op}/lanes", op, {"x": T(np.tile(mixed, 23))}, expect=T(fn(np.tile(mixed, 23))), note="past one 64-element mask step"))
    return cases


def generate(np, T):
    return _first_half(np, T)
