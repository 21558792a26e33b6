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



def _logsumexp(np, x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    return np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m


def _second_half(np, T):
    cases = []
    # ---- activations ------------------------------------------------------------------------------------------
    c_tanh = math.sqrt(2 / math.pi)

    def gelu(x, approximate):
        v = np.asarray(x, dtype="float64")
        with np.errstate(all="ignore"):
            if approximate:
                # 0.5·x·(1 + tanh(u)) written as x / (1 + e^(-2u)): the same function, without 1 + tanh's cancellation
                # for negative x (which would cost float64 results their last digits); -inf still gives NaN.
                want = v / (1 + np.exp(-2 * c_tanh * (v + 0.044715 * v ** 3)))
                lit = 0.5 * v * (1 + np.tanh(c_tanh * (v + 0.044715 * v ** 3)))
                ok = np.isfinite(v) & (np.abs(v) < 5)
                assert np.allclose(lit[ok], want[ok], rtol=1e-9, atol=1e-300), "Keras' tanh formula disagrees"
            else:
                want = v * (_erf64(np, v / math.sqrt(2)) + 1) / 2
        if torch is not None and v.size:
            ok = np.isfinite(v) & (np.abs(v) < 5)
            t = torch.nn.functional.gelu(torch.from_numpy(np.array(v)), approximate="tanh" if approximate else "none").numpy()
            assert np.allclose(t[ok], want[ok], rtol=1e-9, atol=1e-300), "torch gelu disagrees"
        return want

    for approx in (True, False):
        tag = "tanh" if approx else "erf"
        r = T.rng("keras3/gelu/" + tag)
        args = {} if approx else {"approximate": False}

        def addg(cid, x, note=None):
            with np.errstate(all="ignore"):
                want = gelu(x, approx).astype(T.to_float(str(np.asarray(x).dtype)))
            cases.append(T.case(f"gelu/{tag}/{cid}", "gelu", {"x": T(x)}, dict(args), expect=T(want), note=note))

        for name, s in SHAPES1:
            addg(f"shape/{name}", T.arr(r, s, "float32", -4, 4))
        for dt in T.DTYPES:
            addg(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -4, 4), "integers and bool give floatx")
        for dt in T.FLOATS:
            addg(f"special/{dt}", T.special(dt), "gelu(-inf) is NaN (-inf · 0) as Keras' formula gives")
        addg("tails/float64", np.array([-40.0, -12.0, -6.0, -3.0, -0.5, 1e-8, 3.0, 12.0, 40.0], "float64"), "far tails")

    r = T.rng("keras3/silu")
    for name, s in SHAPES1 + [("dtype_int32", (2, 3))]:
        x = T.arr(r, s, "int32" if name == "dtype_int32" else "float32", -5, 5)
        v = np.asarray(x, dtype="float64")
        with np.errstate(all="ignore"):
            want = v / (1 + np.exp(-v))
        if torch is not None and v.size:
            assert np.allclose(torch.nn.functional.silu(torch.from_numpy(np.array(v))).numpy(), want, rtol=1e-12), "torch silu disagrees"
        cases.append(T.case(f"silu/{name}", "silu", {"x": T(x)}, expect=T(want.astype(T.to_float(str(np.asarray(x).dtype))))))
    for dt in T.FLOATS:
        s = T.special(dt).astype("float64")
        with np.errstate(all="ignore"):
            want = s * (1 / (1 + np.exp(-s)))
        cases.append(T.case(f"silu/special/{dt}", "silu", {"x": T(T.special(dt))}, expect=T(want.astype(dt)), note="silu(-inf) = -inf · 0 = NaN"))

    r = T.rng("keras3/leaky_relu")
    for slope in (None, 0.5, 1.5, 0.0):
        args = {} if slope is None else {"negative_slope": slope}
        s_ = 0.2 if slope is None else slope
        for dt in ["float32", "float64", "float16", "int32"]:
            x = T.arr(r, (3, 4), dt, -5, 5)
            v = np.asarray(x, dtype="float64")
            want = np.where(v >= 0, v, s_ * v).astype(T.to_float(dt))
            cases.append(T.case(f"leaky_relu/slope_{s_}/{dt}", "leaky_relu", {"x": T(x)}, args, expect=T(want),
                                note="where(x >= 0, x, slope · x) (jax.nn.leaky_relu)"))
    s = T.special("float32")
    cases.append(T.case("leaky_relu/special", "leaky_relu", {"x": T(s)}, expect=T(np.where(s >= 0, s, np.float32(0.2) * s.astype("float64")).astype("float32"))))

    r = T.rng("keras3/log_softmax")
    for name, shape, axis in [("row", (7,), None), ("2d", (3, 5), None), ("axis0", (4, 3), 0), ("3d_mid", (2, 5, 3), 1), ("3d_neg", (2, 3, 4), -2),
                              ("empty", (0, 4), None), ("one", (3, 1), None)]:
        x = T.arr(r, shape, "float32", -6, 6)
        v = x.astype("float64")
        ax = -1 if axis is None else axis
        want = v - _logsumexp(np, v, ax)
        if sps is not None and v.size:
            assert np.allclose(sps.log_softmax(v, axis=ax), want, rtol=1e-12, atol=1e-12)
        if torch is not None and v.size:
            assert np.allclose(torch.log_softmax(torch.from_numpy(v), dim=ax).numpy(), want, rtol=1e-12, atol=1e-12)
        cases.append(T.case(f"log_softmax/{name}", "log_softmax", {"x": T(x)}, {} if axis is None else {"axis": axis}, expect=T(want.astype("float32"))))
    for dt in ["float64", "float16", "int32", "bool"]:
        x = T.arr(r, (2, 4), dt, -3, 3)
        v = np.asarray(x, dtype="float64")
        cases.append(T.case(f"log_softmax/dtype/{dt}", "log_softmax", {"x": T(x)}, expect=T((v - _logsumexp(np, v, -1)).astype(T.to_float(dt)))))
    sp = np.array([[0.0, -np.inf, 1.0], [-np.inf, -np.inf, -np.inf], [np.inf, 0.0, 1.0], [np.nan, 0.0, 1.0], [1e30, -1e30, 0.0]], "float64")
    with np.errstate(all="ignore"):
        cases.append(T.case("log_softmax/special", "log_softmax", {"x": T(sp)}, expect=T(sp - _logsumexp(np, sp, -1)),
                            note="-inf entries give -inf; an all -inf row and +inf give NaN, as x - max - log(sum(exp(x - max))) does"))
    cases.append(T.case("log_softmax/error/axis", "log_softmax", {"x": T(T.arr(r, (2, 3), "float32"))}, {"axis": 2}, error="ValueError"))
    cases.append(T.case("log_softmax/error/rank0", "log_softmax", {"x": T(np.float32(1.0))}, error="ValueError"))

    # ---- normalizations ---------------------------------------------------------------------------------------
    r = T.rng("keras3/moments")
    for name, shape, axes, keep in [("all", (3, 4), None, False), ("axis0", (5, 3), [0], False), ("keep", (2, 3, 4), [0, 2], True),
                                    ("neg", (2, 3, 4), [-1], False), ("empty_out", (0, 3), [1], False)]:
        x = T.arr(r, shape, "float32", -4, 8)
        v = x.astype("float64")
        ax = None if axes is None else tuple(axes)
        args = {"axes": axes, "keepdims": keep} if keep else {"axes": axes}
        cases.append(T.case(f"moments/{name}", "moments", {"x": T(x)}, args,
                            expect=[T(np.mean(v, axis=ax, keepdims=keep).astype("float32")), T(np.var(v, axis=ax, keepdims=keep).astype("float32"))]))
    for dt in ["float64", "float16", "int32", "bool"]:
        x = T.arr(r, (4, 3), dt, -5, 5)
        v = np.asarray(x, dtype="float64")
        od = T.to_float(dt)
        cases.append(T.case(f"moments/dtype/{dt}", "moments", {"x": T(x)}, {"axes": [0]},
                            expect=[T(np.mean(v, axis=0).astype(od)), T(np.var(v, axis=0).astype(od))], note="float16 in float32, cast back; integers give floatx"))
    x = np.array([60000.0, -60000.0, 1000.0], "float16")
    cases.append(T.case("moments/float16_range", "moments", {"x": T(x)}, {"axes": [0]},
                        expect=[T(np.float16(np.mean(x.astype("float64")))), T(np.float16(65504.0))], note="the variance clipped to float16's largest value (Keras)"))
    x = np.array([1e4 + 1, 1e4 + 2, 1e4 + 3], "float32")
    cases.append(T.case("moments/offset", "moments", {"x": T(x)}, {"axes": [0]}, expect=[T(np.float32(1e4 + 2)), T(np.float32(2.0 / 3))],
                        note="two-pass variance: exact where E[x²] - E[x]² would lose every digit in float32"))
    cases.append(T.case("moments/error/axes", "moments", {"x": T(T.arr(r, (2, 3), "float32"))}, {"axes": [2]}, error="ValueError"))

    def layer_norm(v, gamma, beta, axes, eps):
        mean = v.mean(axis=axes, keepdims=True)
        var = ((v - mean) ** 2).mean(axis=axes, keepdims=True)
        y = (v - mean) / np.sqrt(var + eps)
        bshape = [v.shape[d] if d in axes else 1 for d in range(v.ndim)]

        def lay(p):
            p = np.asarray(p, dtype="float64")
            if p.ndim != v.ndim and list(axes) != [v.ndim - 1]:
                p = p.reshape(bshape)
            return p
        if gamma is not None:
            y = y * lay(gamma)
        if beta is not None:
            y = y + lay(beta)
        return y

    r = T.rng("keras3/layer_normalization")
    specs = [("last", (4, 8), None, True, True, None), ("last_plain", (3, 5), None, False, False, None), ("eps", (2, 6), None, True, False, 1e-3),
             ("axes12", (2, 3, 4), [1, 2], True, True, None), ("axis0", (5, 3), [0], True, True, None), ("axes02", (3, 2, 4), [0, 2], True, False, None),
             ("rank1", (9,), None, True, True, None), ("lanes", (3, 70), None, True, True, None), ("one", (4, 1), None, False, True, None),
             ("empty_rows", (0, 5), None, True, True, None), ("neg_axes", (2, 3, 4), [-2, -1], False, True, None)]
    for name, shape, axis, g_, b_, eps in specs:
        x = T.arr(r, shape, "float32", -3, 5)
        axes = [a % len(shape) for a in (axis or [-1])]
        n_shape = [shape[a] for a in sorted(axes)]
        gamma = T.arr(r, n_shape, "float32", 0.5, 2) if g_ else None
        beta = T.arr(r, n_shape, "float32", -1, 1) if b_ else None
        inputs = {"x": T(x)}
        if gamma is not None:
            inputs["gamma"] = T(gamma)
        if beta is not None:
            inputs["beta"] = T(beta)
        args = {}
        if axis is not None:
            args["axis"] = axis
        if eps is not None:
            args["epsilon"] = eps
        want = layer_norm(x.astype("float64"), gamma, beta, tuple(sorted(axes)), 1e-7 if eps is None else eps)
        if torch is not None and x.size and sorted(axes) == list(range(len(shape) - len(axes), len(shape))):
            tw = torch.nn.functional.layer_norm(torch.from_numpy(x.astype("float64")), n_shape,
                                                None if gamma is None else torch.from_numpy(gamma.astype("float64")),
                                                None if beta is None else torch.from_numpy(beta.astype("float64")), 1e-7 if eps is None else eps).numpy()
            assert np.allclose(tw, want, rtol=1e-12, atol=1e-12), "torch layer_norm disagrees"
        rt, at = T.tol("float32", 8)
        cases.append(T.case(f"layer_normalization/{name}", "layer_normalization", inputs, args, expect=T(want.astype("float32")), rtol=rt, atol=at))
    # gamma laid out as Keras does: x's rank with 1s, a rank-1 reshaped over two axes, a broadcast scalar on the last axis.
    x = T.arr(r, (2, 3, 4), "float32", -2, 2)
    for name, gshape, axis in [("gamma_full_rank", (1, 3, 4), [1, 2]), ("gamma_reshaped", (12,), [1, 2]), ("gamma_scalar", (), None), ("gamma_ones_axis", (1, 1, 4), None)]:
        gamma = T.arr(r, gshape, "float32", 0.5, 2)
        axes = (1, 2) if axis else (2,)
        want = layer_norm(x.astype("float64"), gamma, None, axes, 1e-7)
        rt, at = T.tol("float32", 8)
        cases.append(T.case(f"layer_normalization/{name}", "layer_normalization", {"x": T(x), "gamma": T(gamma)}, {} if axis is None else {"axis": axis},
                            expect=T(want.astype("float32")), rtol=rt, atol=at))
    for dt, lo, hi in [("float64", -3, 3), ("float16", -3, 3)]:
        x = T.arr(r, (3, 6), dt, lo, hi)
        want = layer_norm(x.astype("float64"), None, None, (1,), 1e-7)
        cases.append(T.case(f"layer_normalization/dtype/{dt}", "layer_normalization", {"x": T(x)}, expect=T(want.astype(dt)), note="float16 computes in float32"))
    xi = np.array([[0, 1, 5], [7, -2, 4]], "int32")
    want = np.trunc(layer_norm(xi.astype("float64"), None, None, (1,), 1e-7)).astype("int32")
    cases.append(T.case("layer_normalization/dtype/int32", "layer_normalization", {"x": T(xi)}, expect=T(want),
                        note="Keras casts the float32 result back to x's dtype: truncated toward zero"))
    xb = np.array([[True, False, True, True]])
    cases.append(T.case("layer_normalization/dtype/bool", "layer_normalization", {"x": T(xb)}, expect=T(np.array([[True, True, True, True]])),
                        note="cast back to bool: x != mean"))
    xo = np.array([[1e4 + 1, 1e4 + 2, 1e4 + 3, 1e4 + 4]], "float32")
    cases.append(T.case("layer_normalization/offset", "layer_normalization", {"x": T(xo)}, expect=T(layer_norm(xo.astype("float64"), None, None, (1,), 1e-7).astype("float32")),
                        rtol=1e-4, atol=1e-4, note="two-pass variance keeps the digits a large offset would cancel"))
    xc = np.full((2, 3), 7.0, "float32")
    cases.append(T.case("layer_normalization/constant", "layer_normalization", {"x": T(xc)}, {"epsilon": 1e-3}, expect=T(np.zeros((2, 3), "float32")),
                        note="zero variance: 0 · rsqrt(epsilon)"))
    xe = T.arr(r, (2, 3), "float32")
    for cid, inputs, args in [("rank0", {"x": T(np.float32(1))}, {}), ("axis", {"x": T(xe)}, {"axis": [2]}),
                              ("gamma_shape", {"x": T(xe), "gamma": T(T.arr(r, (2,), "float32"))}, {}),
                              ("beta_size", {"x": T(T.arr(r, (2, 3, 4), "float32")), "beta": T(T.arr(r, (5,), "float32"))}, {"axis": [1, 2]}),
                              ("gamma_outside", {"x": T(xe), "gamma": T(T.arr(r, (2, 3), "float32"))}, {})]:
        cases.append(T.case(f"layer_normalization/error/{cid}", "layer_normalization", inputs, args, error="ValueError"))

    r = T.rng("keras3/rms_normalization")

    def rms(v, scale, axes, eps):
        y = v / np.sqrt(np.mean(v * v, axis=axes, keepdims=True) + eps)
        return y if scale is None else y * np.asarray(scale, dtype="float64")

    for name, shape, axis, with_scale, sshape, eps in [("last", (4, 8), None, True, (8,), None), ("plain", (3, 5), None, False, None, None),
                                                       ("axes", (2, 3, 4), [1, 2], True, (3, 4), None), ("axis0", (5, 3), [0], True, (5, 1), 1e-2),
                                                       ("scale_scalar", (3, 4), None, True, (), None), ("empty", (0, 4), None, False, None, None)]:
        x = T.arr(r, shape, "float32", -3, 3)
        ax = tuple(a % len(shape) for a in (axis or [-1]))
        scale = T.arr(r, sshape, "float32", 0.5, 2) if with_scale else None
        inputs = {"x": T(x)}
        if scale is not None:
            inputs["scale"] = T(scale)
        args = {}
        if axis is not None:
            args["axis"] = axis
        if eps is not None:
            args["epsilon"] = eps
        want = rms(x.astype("float64"), scale, ax, 1e-7 if eps is None else eps)
        rt, at = T.tol("float32", 8)
        cases.append(T.case(f"rms_normalization/{name}", "rms_normalization", inputs, args, expect=T(want.astype("float32")), rtol=rt, atol=at))
    xi = np.array([[3, 4], [0, 5]], "int32")
    cases.append(T.case("rms_normalization/dtype/int32", "rms_normalization", {"x": T(xi)},
                        expect=T(np.trunc(rms(xi.astype("float64"), None, (1,), 1e-7)).astype("int32")), note="cast back to int32 (truncation), as Keras"))
    for dt in ["float64", "float16"]:
        x = T.arr(r, (2, 5), dt, -2, 2)
        cases.append(T.case(f"rms_normalization/dtype/{dt}", "rms_normalization", {"x": T(x)}, expect=T(rms(x.astype("float64"), None, (1,), 1e-7).astype(dt))))
    cases.append(T.case("rms_normalization/rank0", "rms_normalization", {"x": T(np.float32(-2.0))}, expect=T(np.float32(-2.0 / math.sqrt(4 + 1e-7)))))
    cases.append(T.case("rms_normalization/error/scale", "rms_normalization", {"x": T(T.arr(r, (2, 3), "float32")), "scale": T(T.arr(r, (4,), "float32"))}, error="ValueError"))
    cases.append(T.case("rms_normalization/error/scale_grows", "rms_normalization", {"x": T(T.arr(r, (3,), "float32")), "scale": T(T.arr(r, (2, 3), "float32"))}, error="ValueError"))
    cases.append(T.case("rms_normalization/error/axis", "rms_normalization", {"x": T(T.arr(r, (2, 3), "float32"))}, {"axis": [3]}, error="ValueError"))

    # ---- norm ---------------------------------------------------------------------------------------------------
    r = T.rng("keras3/norm")

    def ordj(o):
        return "Infinity" if o == np.inf else "-Infinity" if o == -np.inf else o

    v = T.arr(r, (7,), "float32", -3, 3)
    v[2] = 0
    for o in [None, 2, 1, np.inf, -np.inf, 0, 3, 0.5, -1]:
        with np.errstate(all="ignore"):
            want = np.linalg.norm(v.astype("float64"), ord=o)
        cases.append(T.case(f"norm/vector/ord_{o}", "norm", {"x": T(v)}, {} if o is None else {"ord": ordj(o)}, expect=T(np.float32(want))))
    m = T.arr(r, (3, 4), "float32", -3, 3)
    for o in [None, "fro", 1, -1, np.inf, -np.inf]:
        want = np.linalg.norm(m.astype("float64"), ord=o)
        cases.append(T.case(f"norm/matrix/ord_{o}", "norm", {"x": T(m)}, {} if o is None else {"ord": ordj(o)}, expect=T(np.float32(want))))
    x3 = T.arr(r, (2, 3, 4), "float32", -3, 3)
    for name, o, axis, keep in [("axis1", None, [1], False), ("axis_neg_keep", 1, [-1], True), ("rows_cols", 1, [1, 2], False), ("cols_rows", 1, [2, 1], False),
                                ("inf_02", np.inf, [0, 2], True), ("all_rank3", None, None, False), ("all_rank3_keep", None, None, True), ("vec_p", 3, [0], False)]:
        want = np.linalg.norm(x3.astype("float64"), ord=o, axis=None if axis is None else tuple(axis), keepdims=keep)
        args = {"axis": axis} if axis is not None else {}
        if o is not None:
            args["ord"] = ordj(o)
        if keep:
            args["keepdims"] = True
        cases.append(T.case(f"norm/{name}", "norm", {"x": T(x3)}, args, expect=T(np.asarray(want).astype("float32"))))
    for dt in ["float64", "float16", "int32", "bool"]:
        x = T.arr(r, (3, 3), dt, -4, 4)
        want = np.linalg.norm(np.asarray(x, dtype="float64"))
        cases.append(T.case(f"norm/dtype/{dt}", "norm", {"x": T(x)}, expect=T(np.asarray(want).astype(T.to_float(dt))), note="integers and bool give floatx"))
    cases.append(T.case("norm/empty", "norm", {"x": T(np.zeros((0, 3), "float32"))}, {"axis": [1]}, expect=T(np.zeros((0,), "float32"))))
    for cid, x, args in [("string_vector", v, {"ord": "fro"}), ("matrix_ord3", m, {"ord": 3}), ("three_axes", x3, {"axis": [0, 1, 2]}),
                         ("rank3_ord", x3, {"ord": 1}), ("svd_2", m, {"ord": 2}), ("svd_nuc", m, {"ord": "nuc"}), ("svd_m2", m, {"ord": -2, "axis": [0, 1]}),
                         ("bad_string", m, {"ord": "max"}), ("axis", v, {"axis": [1]})]:
        cases.append(T.case(f"norm/error/{cid}", "norm", {"x": T(x)}, args, error="ValueError"))

    # ---- where, linspace, tril, triu ---------------------------------------------------------------------------
    r = T.rng("keras3/where")
    for name, cs, xs, ys in [("same", (2, 3), (2, 3), (2, 3)), ("cond_row", (3,), (2, 3), (2, 3)), ("cond_col", (2, 1), (2, 3), ()),
                             ("all_bcast", (4, 1, 1), (1, 3, 1), (1, 1, 2)), ("cond_higher", (2, 2, 3), (3,), (1,)), ("rank0", (), (), ()),
                             ("empty", (0, 3), (3,), (1, 3)), ("lanes", (3, 70), (70,), (3, 70))]:
        c, x, y = T.arr(r, cs, "bool"), T.arr(r, xs, "float32"), T.arr(r, ys, "float32")
        cases.append(T.case(f"where/{name}", "where", {"condition": T(c), "x1": T(x), "x2": T(y)}, expect=T(np.where(c, x, y).astype("float32"))))
    for a, b in [("int32", "float16"), ("uint8", "int8"), ("bool", "bool"), ("int64", "int64"), ("float64", "float32"), ("bool", "int16")]:
        c = T.arr(r, (2, 4), "bool")
        x, y = T.arr(r, (2, 4), a, 0, 5), T.arr(r, (4,), b, 0, 5)
        rd = T.promote(a, b)
        cases.append(T.case(f"where/dtype/{a}_{b}", "where", {"condition": T(c), "x1": T(x), "x2": T(y)}, expect=T(np.where(c, x.astype(rd), y.astype(rd)))))
    cf = np.array([0.0, -0.0, np.nan, 2.0, -1.0], "float32")
    cases.append(T.case("where/condition_float", "where", {"condition": T(cf), "x1": T(np.arange(5, dtype="int32")), "x2": T(np.int32(-1))},
                        expect=T(np.where(cf, np.arange(5, dtype="int32"), np.int32(-1))), note="a nonzero (NaN included) condition is true"))
    cases.append(T.case("where/error/shapes", "where", {"condition": T(T.arr(r, (2, 3), "bool")), "x1": T(T.arr(r, (4,), "float32")), "x2": T(T.arr(r, (3,), "float32"))}, error="ValueError"))
    cases.append(T.case("where/error/condition", "where", {"condition": T(T.arr(r, (5,), "bool")), "x1": T(T.arr(r, (2, 3), "float32")), "x2": T(T.arr(r, (3,), "float32"))}, error="ValueError"))

    for name, a in [("default", {"start": 0.0, "stop": 1.0}), ("five", {"start": -2.0, "stop": 3.0, "num": 5}), ("noend", {"start": 0.0, "stop": 1.0, "num": 4, "endpoint": False}),
                    ("one", {"start": 2.5, "stop": 9.0, "num": 1}), ("one_noend", {"start": 2.5, "stop": 9.0, "num": 1, "endpoint": False}), ("zero", {"start": 0.0, "stop": 1.0, "num": 0}),
                    ("down", {"start": 10.0, "stop": -10.0, "num": 7}), ("thirds", {"start": 0.0, "stop": 1.0, "num": 4}), ("same", {"start": 3.0, "stop": 3.0, "num": 3}),
                    ("f64", {"start": 0.1, "stop": 0.7, "num": 7, "dtype": "float64"}), ("f16", {"start": -1.0, "stop": 1000.0, "num": 6, "dtype": "float16"}),
                    ("tiny_step", {"start": 1.0, "stop": 1.0 + 1e-300, "num": 3, "dtype": "float64"})]:
        want = np.linspace(a["start"], a["stop"], num=a.get("num", 50), endpoint=a.get("endpoint", True), dtype="float64").astype(a.get("dtype", "float32"))
        cases.append(T.case(f"linspace/{name}", "linspace", args=a, expect=T(want)))
    cases.append(T.case("linspace/error/negative", "linspace", args={"start": 0.0, "stop": 1.0, "num": -1}, error="ValueError"))
    cases.append(T.case("linspace/error/int_dtype", "linspace", args={"start": 0.0, "stop": 1.0, "num": 3, "dtype": "int32"}, error="TypeError"))

    for op, fn in [("tril", np.tril), ("triu", np.triu)]:
        r = T.rng("keras3/" + op)
        for name, shape, k in [("square", (4, 4), None), ("wide", (3, 5), None), ("tall", (5, 3), 1), ("k_neg", (4, 4), -1), ("k_big", (3, 4), 10),
                               ("k_very_neg", (3, 4), -10), ("batch", (2, 3, 4), 2), ("rank4", (2, 1, 3, 3), -2), ("empty", (0, 3, 3), None), ("one_col", (3, 1), None),
                               ("lanes", (2, 40), 3)]:
            x = T.arr(r, shape, "float32")
            cases.append(T.case(f"{op}/{name}", op, {"x": T(x)}, {} if k is None else {"k": k}, expect=T(fn(x, 0 if k is None else k))))
        for dt in T.DTYPES:
            x = T.arr(r, (3, 4), dt, 1, 5)
            cases.append(T.case(f"{op}/dtype/{dt}", op, {"x": T(x)}, expect=T(fn(x))))
        s = T.special("float64")[:9].reshape(3, 3)
        cases.append(T.case(f"{op}/special", op, {"x": T(s)}, expect=T(fn(s)), note="NaN and inf outside the triangle become 0"))
        cases.append(T.case(f"{op}/error/rank1", op, {"x": T(T.arr(r, (4,), "float32"))}, error="ValueError"))
    return cases


def generate(np, T):
    return _first_half(np, T) + _second_half(np, T)
