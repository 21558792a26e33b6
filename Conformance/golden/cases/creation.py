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
"""


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
    return cases
