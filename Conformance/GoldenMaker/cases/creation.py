"""Golden cases for tensor creation and casting (family `creation`).

Keras rules written out (numpy differs):
- zeros, ones, constant and variable with dtype None use floatx() (float32 by default), even for integer values
  (keras-api.md §1.14 and §3 "Dtype defaults"; tf_keras/backend.py 1123-1124, 1285-1288); numpy would infer
  int64 from [1, 2]. A negative dimension is a ValueError.
- constant(value, dtype, shape): a scalar value with a shape fills it; otherwise a value with as many elements
  is reshaped to it; any other count is a ValueError (tf.constant's rule).
- variable's expected result is the variable's value; an unknown dtype name is a TypeError (Keras 2.3
  backend_test: variable('', dtype='unsupported') raises TypeError).
- cast is numpy's astype: floats to ints truncate toward zero, ints wrap modulo the width, any nonzero (also
  NaN) becomes True, float narrowing rounds to nearest and overflows to ±inf. Float-to-int casts of NaN, inf or
  out-of-range values are platform-defined in C and numpy, so they are not cases.
- eye(size): an int n gives numpy.eye(n), a pair (n, m) numpy.eye(n, m) (Keras 2.3 accepts both,
  keras/backend/tensorflow_backend.py 1028-1033); dtype None is floatx. Anything else is a ValueError.
- zeros_like/ones_like(x, dtype=None) keep x's dtype (tf_keras/backend.py 1773, 1800; Keras 2.3 used floatx).
- identity(x) is a copy of x.
- random_uniform / random_normal (and the _variable forms) have no numpy counterpart: their expected values
  come from philox_uniform / philox_normal below, a plain-Python Philox4x32-10 (Salmon et al. 2011) with the
  SplitMix64 seed-to-key mapping documented in Runtime/Core/RandomStream.cs. This pins "a seed gives the same
  values on every backend" to an implementation written independently of the C# one.
"""

M32 = 0xFFFFFFFF


def _key(seed):
    z = ((seed & M32) + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    z ^= z >> 31
    return z & M32, z >> 32


def _block(counter, k0, k1):
    c0, c1, c2, c3 = counter & M32, counter >> 32, 0, 0
    for _ in range(10):
        p0, p1 = 0xD2511F53 * c0, 0xCD9E8D57 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c3 ^ k1) & M32, p0 & M32
        k0, k1 = (k0 + 0x9E3779B9) & M32, (k1 + 0xBB67AE85) & M32
    return c0, c1, c2, c3


def philox_uniform(np, seed, n, lo, hi, dtype):
    """Element i: lo + (hi - lo) * u_i in float64, u_i from 53 bits (float64) or 24 bits (narrower), rounded once to dtype."""
    k0, k1 = _key(seed)
    out = []
    for i in range(n):
        a, b, _, _ = _block(i, k0, k1)
        u = (((a << 32) | b) >> 11) / 2.0 ** 53 if dtype == "float64" else (a >> 8) / 2.0 ** 24
        out.append(lo + (hi - lo) * u)
    return np.array(out, "float64").astype(dtype)


def philox_normal(np, seed, n, mean, std, dtype):
    """Element i: Box-Muller on block i // 2 (u1 in (0, 1], u2 in [0, 1)); even i cosine, odd i sine."""
    import math
    k0, k1 = _key(seed)
    out = []
    for i in range(n):
        a, b, c, d = _block(i >> 1, k0, k1)
        u1 = ((((a << 32) | b) >> 11) + 1) / 2.0 ** 53
        u2 = (((c << 32) | d) >> 11) / 2.0 ** 53
        r, t = math.sqrt(-2.0 * math.log(u1)), 2.0 * math.pi * u2
        out.append(mean + std * (r * math.cos(t) if i % 2 == 0 else r * math.sin(t)))
    return np.array(out, "float64").astype(dtype)


def generate(np, T):
    cases = []
    r = T.rng("creation")
    for op, fill in [("zeros", np.zeros), ("ones", np.ones)]:
        for cid, shape in [("rank0", []), ("rank1", [3]), ("rank2", [2, 3]), ("rank5", [1, 2, 1, 2, 1]),
                           ("empty", [2, 0]), ("empty_rank1", [0]), ("large", [7, 130])]:
            cases.append(T.case(f"{op}/shape/{cid}", op, args={"shape": shape}, expect=T(fill(shape, T.floatx)), note="dtype None is floatx"))
        for dt in T.DTYPES:
            cases.append(T.case(f"{op}/dtype/{dt}", op, args={"shape": [2, 3], "dtype": dt}, expect=T(fill([2, 3], dt))))
        cases.append(T.case(f"{op}/error/negative", op, args={"shape": [2, -1]}, error="ValueError"))
        cases.append(T.case(f"{op}/error/bad_dtype", op, args={"shape": [2], "dtype": "float8"}, error="TypeError"))

    def const(cid, value, want, **args):
        a = {"value": value}
        a.update(args)
        cases.append(T.case(f"constant/{cid}", "constant", args=a, expect=T(want)))

    const("list2d_floatx", [[1, 2], [3, 4]], np.array([[1, 2], [3, 4]], "float32"))
    const("scalar", 3.5, np.array(3.5, "float32"))
    const("int_scalar_floatx", 7, np.array(7, "float32"))
    const("rank1", [0.1, 0.2, 0.3], np.array([0.1, 0.2, 0.3], "float32"))
    const("rank5", np.arange(12).reshape(1, 2, 3, 2, 1).tolist(), np.arange(12, dtype="float32").reshape(1, 2, 3, 2, 1))
    const("empty", [], np.zeros((0,), "float32"))
    for dt in T.DTYPES:
        v = [[1, 0], [3, 4]] if dt != "bool" else [[True, False], [True, True]]
        const(f"dtype/{dt}", v, np.array(v).astype(dt), dtype=dt)
    const("float64_precision", [0.1, 1e-300], np.array([0.1, 1e-300], "float64"), dtype="float64")
    const("float16_rounding", [0.1, 70000.0], np.array([0.1, 70000.0]).astype("float16"), dtype="float16")
    const("special", ["NaN", "Infinity", "-Infinity", -0.0], np.array([np.nan, np.inf, -np.inf, -0.0], "float32"))
    const("fill_scalar", 2, np.full((2, 3), 2, "float32"), shape=[2, 3])
    const("fill_int32", 5, np.full((3,), 5, "int32"), dtype="int32", shape=[3])
    const("reshape", [1, 2, 3, 4, 5, 6], np.arange(1, 7, dtype="float32").reshape(2, 3), shape=[2, 3])
    const("fill_empty", 1, np.ones((0, 4), "float32"), shape=[0, 4])
    for cid, args in [("shape_mismatch", {"value": [1, 2, 3], "shape": [2, 2]}), ("negative_shape", {"value": 1, "shape": [-2]}),
                      ("ragged", {"value": [[1, 2], [3]]})]:
        cases.append(T.case(f"constant/error/{cid}", "constant", args=args, error="ValueError"))
    cases.append(T.case("constant/error/bad_dtype", "constant", args={"value": [1], "dtype": "complex64"}, error="TypeError"))

    def var(cid, value, want, **args):
        a = {"value": value}
        a.update(args)
        cases.append(T.case(f"variable/{cid}", "variable", args=a, expect=T(want)))

    var("ints_floatx", [1, 2, 3], np.array([1, 2, 3], "float32"), )
    var("scalar", 10, np.array(10, "float32"))
    var("matrix", [[1.5, -2], [0, 4]], np.array([[1.5, -2], [0, 4]], "float32"))
    var("rank5", np.ones((1, 2, 1, 2, 1)).tolist(), np.ones((1, 2, 1, 2, 1), "float32"))
    for dt in T.DTYPES:
        v = [1, 0, 2] if dt != "bool" else [True, False, True]
        var(f"dtype/{dt}", v, np.array(v).astype(dt), dtype=dt)
    var("special", ["NaN", "-Infinity"], np.array([np.nan, -np.inf], "float64"), dtype="float64")
    cases.append(T.case("variable/error/bad_dtype", "variable", args={"value": [1], "dtype": "unsupported"}, error="TypeError",
                        note="Keras 2.3 backend_test"))
    cases.append(T.case("variable/error/ragged", "variable", args={"value": [[1], [2, 3]]}, error="ValueError"))

    # cast: a grid over source and target dtypes, with values each pair can represent
    for src in T.DTYPES:
        if src in T.FLOATS:
            x = np.array([[0.0, 1.5, -2.7], [3.9, -0.5, 100.25]], src)
        elif src == "bool":
            x = np.array([[True, False, True], [False, False, True]])
        elif src == "uint8":
            x = np.array([[0, 1, 200], [255, 128, 7]], src)
        else:
            x = np.array([[0, -1, 100], [-128, 127, 3]], src)
        for dst in T.DTYPES:
            xv = x
            if src in T.FLOATS and dst == "uint8":
                xv = np.abs(x)  # negative float -> unsigned is platform-defined
            cases.append(T.case(f"cast/{src}_to_{dst}", "cast", {"x": T(xv)}, {"dtype": dst}, expect=T(xv.astype(dst)), rtol=0, atol=0))
    wide = np.array([300, -300, 65537, -1, 2**40], "int64")
    for dst in ["int8", "int16", "int32", "uint8", "bool"]:
        cases.append(T.case(f"cast/wrap/int64_to_{dst}", "cast", {"x": T(wide)}, {"dtype": dst}, expect=T(wide.astype(dst)), note="integers wrap"))
    f64 = np.array([1e6, -1e6, 1e-8, 0.1, 65519.0, 65520.0, np.nan, np.inf, -0.0], "float64")
    for dst in ["float16", "float32"]:
        cases.append(T.case(f"cast/narrow/float64_to_{dst}", "cast", {"x": T(f64)}, {"dtype": dst}, expect=T(f64.astype(dst)), rtol=0, atol=0,
                            note="round to nearest even, overflow to inf"))
    sp = T.special("float32")
    cases.append(T.case("cast/special/float32_to_bool", "cast", {"x": T(sp)}, {"dtype": "bool"}, expect=T(sp.astype("bool")), note="NaN is truthy"))
    cases.append(T.case("cast/special/float32_to_float64", "cast", {"x": T(sp)}, {"dtype": "float64"}, expect=T(sp.astype("float64"))))
    for cid, shape in [("rank0", ()), ("rank5", (2, 1, 2, 1, 2)), ("empty", (0, 3))]:
        x = T.arr(r, shape, "float32")
        cases.append(T.case(f"cast/shape/{cid}", "cast", {"x": T(x)}, {"dtype": "float64"}, expect=T(x.astype("float64"))))
    cases.append(T.case("cast/error/bad_dtype", "cast", {"x": T(np.ones(2, "float32"))}, {"dtype": "string"}, error="TypeError"))

    # eye
    for cid, size, want in [("int3", 3, np.eye(3)), ("pair_3x2", [3, 2], np.eye(3, 2)), ("pair_3x4", [3, 4], np.eye(3, 4)),
                            ("one", 1, np.eye(1)), ("zero", 0, np.eye(0)), ("pair_0x2", [0, 2], np.eye(0, 2)), ("list1", [4], np.eye(4))]:
        cases.append(T.case(f"eye/{cid}", "eye", args={"size": size}, expect=T(want.astype(T.floatx)), note="Keras 2.3 backend_test: eye(3), eye((3,2)), eye((3,4))"))
    for dt in T.DTYPES:
        cases.append(T.case(f"eye/dtype/{dt}", "eye", args={"size": [2, 3], "dtype": dt}, expect=T(np.eye(2, 3).astype(dt))))
    for cid, size in [("negative", -1), ("three", [2, 2, 2]), ("empty", []), ("negative_m", [2, -3])]:
        cases.append(T.case(f"eye/error/{cid}", "eye", args={"size": size}, error="ValueError"))

    # zeros_like / ones_like / identity
    for op, fill in [("zeros_like", np.zeros_like), ("ones_like", np.ones_like)]:
        for dt in T.DTYPES:
            x = T.arr(r, (2, 3), dt)
            cases.append(T.case(f"{op}/keep_dtype/{dt}", op, {"x": T(x)}, expect=T(fill(x)), note="dtype None keeps x's dtype (tf-keras)"))
        for dt in ["float16", "float64", "int32", "bool"]:
            x = T.arr(r, (3,), "float32")
            cases.append(T.case(f"{op}/dtype/{dt}", op, {"x": T(x)}, {"dtype": dt}, expect=T(fill(x, dtype=dt))))
        for cid, shape in [("rank0", ()), ("rank5", (1, 2, 1, 2, 2)), ("empty", (0, 4))]:
            x = T.arr(r, shape, "float32")
            cases.append(T.case(f"{op}/shape/{cid}", op, {"x": T(x)}, expect=T(fill(x))))
        cases.append(T.case(f"{op}/special", op, {"x": T(T.special("float32"))}, expect=T(fill(T.special("float32")))))
    for dt in T.DTYPES:
        x = T.arr(r, (2, 2), dt)
        cases.append(T.case(f"identity/dtype/{dt}", "identity", {"x": T(x)}, expect=T(x.copy())))
    for cid, shape in [("rank0", ()), ("rank5", (2, 1, 2, 1, 3)), ("empty", (3, 0))]:
        x = T.arr(r, shape, "float64")
        cases.append(T.case(f"identity/shape/{cid}", "identity", {"x": T(x)}, expect=T(x.copy())))
    for dt in T.FLOATS:
        cases.append(T.case(f"identity/special/{dt}", "identity", {"x": T(T.special(dt))}, expect=T(T.special(dt)), rtol=0, atol=0))

    # seeded random ops: the independent Philox twin above
    for seed in [0, 1, 42, -7, 2**31 - 1]:
        for dt in T.FLOATS:
            n = 37
            cases.append(T.case(f"random_uniform/seed{seed}/{dt}", "random_uniform", args={"shape": [n], "minval": -2.0, "maxval": 3.0, "dtype": dt, "seed": seed},
                                expect=T(philox_uniform(np, seed, n, -2.0, 3.0, dt))))
            cases.append(T.case(f"random_normal/seed{seed}/{dt}", "random_normal", args={"shape": [n], "mean": 1.0, "stddev": 0.5, "dtype": dt, "seed": seed},
                                expect=T(philox_normal(np, seed, n, 1.0, 0.5, dt)), rtol=T.tol(dt)[0] * 4, atol=T.tol(dt)[1] * 4,
                                note="log/cos/sin may differ by an ulp between libms"))
    cases.append(T.case("random_uniform/default_floatx", "random_uniform", args={"shape": [2, 3, 2], "seed": 5},
                        expect=T(philox_uniform(np, 5, 12, 0.0, 1.0, "float32").reshape(2, 3, 2))))
    cases.append(T.case("random_normal/default_floatx", "random_normal", args={"shape": [3, 1, 2, 1, 2], "seed": 5},
                        expect=T(philox_normal(np, 5, 12, 0.0, 1.0, "float32").reshape(3, 1, 2, 1, 2)), rtol=1e-5, atol=1e-5))
    for op in ["random_uniform", "random_normal"]:
        cases.append(T.case(f"{op}/empty", op, args={"shape": [0, 3], "seed": 1}, expect=T(np.zeros((0, 3), "float32"))))
        cases.append(T.case(f"{op}/rank0", op, args={"shape": [], "seed": 3},
                            expect=T((philox_uniform(np, 3, 1, 0.0, 1.0, "float32") if op == "random_uniform" else philox_normal(np, 3, 1, 0.0, 1.0, "float32")).reshape(())),
                            rtol=1e-5, atol=1e-5))
        cases.append(T.case(f"{op}/error/int_dtype", op, args={"shape": [2], "dtype": "int32", "seed": 1}, error="ValueError"))
        cases.append(T.case(f"{op}/error/negative", op, args={"shape": [-2], "seed": 1}, error="ValueError"))
    cases.append(T.case("random_uniform_variable/seed11", "random_uniform_variable", args={"shape": [4, 5], "low": -1.0, "high": 1.0, "seed": 11},
                        expect=T(philox_uniform(np, 11, 20, -1.0, 1.0, "float32").reshape(4, 5))))
    cases.append(T.case("random_uniform_variable/float64", "random_uniform_variable", args={"shape": [6], "low": 0.0, "high": 10.0, "dtype": "float64", "seed": 3},
                        expect=T(philox_uniform(np, 3, 6, 0.0, 10.0, "float64"))))
    cases.append(T.case("random_normal_variable/seed11", "random_normal_variable", args={"shape": [3, 3], "mean": 2.0, "scale": 3.0, "seed": 11},
                        expect=T(philox_normal(np, 11, 9, 2.0, 3.0, "float32").reshape(3, 3)), rtol=1e-5, atol=1e-5))
    cases.append(T.case("random_normal_variable/float16", "random_normal_variable", args={"shape": [5], "mean": 0.0, "scale": 1.0, "dtype": "float16", "seed": 8},
                        expect=T(philox_normal(np, 8, 5, 0.0, 1.0, "float16")), rtol=4e-3, atol=4e-3))
    cases.append(T.case("random_uniform_variable/error/negative", "random_uniform_variable", args={"shape": [-1], "low": 0.0, "high": 1.0}, error="ValueError"))
    cases.append(T.case("random_normal_variable/error/int_dtype", "random_normal_variable", args={"shape": [2], "mean": 0.0, "scale": 1.0, "dtype": "int32"}, error="ValueError"))
    return cases
