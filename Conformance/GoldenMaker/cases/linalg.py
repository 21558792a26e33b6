"""Golden cases for linear algebra (family `linalg`).

Keras rules written out (numpy differs or is silent):
- dot(x, y) is numpy.dot, the Theano nD rule: it sums over the last axis of x and the second-to-last axis of y
  (the only axis of a rank-1 y); the result has shape x.shape[:-1] + y.shape[:-2] + y.shape[-1:]
  (keras-api.md §3 "dot"; tf_keras/backend.py dot, lines 2438-2461; keras/backend/numpy_backend.py 535-536).
  It is not a batched matmul: (8,7,4,2)·(8,7,2,5) has shape (8,7,4,8,7,5).
- the result dtype is Keras 3's result_type(x, y) (T.promote), so int32·float16 is float16.
- a rank-0 operand, or mismatched contracted sizes, is a ValueError (the spec's dot_compatible check; Keras 3
  raises ValueError from its shape inference, numpy from its own check).
Expected float values are exact float64 products rounded once to the result dtype; tolerances grow with the
contracted length because backends may add in any order.
- batch_dot(x, y, axes) is, per sample i, numpy.tensordot(x[i], y[i], axes=(a0 - 1, a1 - 1)), stacked; a rank-1
  result becomes (batch, 1) (keras-api.md §3 "batch_dot"; keras/backend/numpy_backend.py 539-589). axes None is
  (x.ndim - 1, y.ndim - 1) when y.ndim == 2, else (x.ndim - 1, y.ndim - 2); an int a is (a, a); negatives wrap.
  Rank < 2, different batch sizes, more than two axes, an axis out of range, a contracted axis 0, or
  mismatched contracted sizes are ValueErrors (tf_keras/backend.py 2522-2595).
"""


def batch_dot_ref(np, x, y, axes):
    a0, a1 = (x.ndim - 1, y.ndim - 1 if y.ndim == 2 else y.ndim - 2) if axes is None else (axes, axes) if isinstance(axes, int) else tuple(axes)
    a0, a1 = a0 % x.ndim, a1 % y.ndim
    out = np.stack([np.tensordot(x[i], y[i], axes=(a0 - 1, a1 - 1)) for i in range(x.shape[0])]) if x.shape[0] else None
    if out is None:
        shape = [0] + [d for j, d in enumerate(x.shape) if j not in (0, a0)] + [d for j, d in enumerate(y.shape) if j not in (0, a1)]
        out = np.zeros(shape, x.dtype)
    if out.ndim == 1:
        out = out[:, None]
    return out


def generate(np, T):
    cases = []
    r = T.rng("linalg/dot")

    def add(cid, x, y, note=None):
        rd = T.promote(str(x.dtype), str(y.dtype))
        if rd in T.FLOATS:
            want = np.asarray(np.dot(x.astype("float64"), y.astype("float64"))).astype(rd)
        else:
            want = np.asarray(np.dot(x.astype("int64"), y.astype("int64"))).astype(rd)
        rtol, atol = T.tol(rd)
        if rd in T.FLOATS:
            k = x.shape[-1] if x.ndim else 1
            fx, fy = x[np.isfinite(x)] if x.size else x, y[np.isfinite(y)] if y.size else y
            big = (float(np.max(np.abs(fx))) if fx.size else 1.0) * (float(np.max(np.abs(fy))) if fy.size else 1.0)
            eps = {"float16": 1e-3, "float32": 2e-7, "float64": 1e-15}[rd]
            atol = max(atol, 4 * eps * max(k, 1) * big)
            rtol = max(rtol, 4 * eps)
        cases.append(T.case(f"dot/{cid}", "dot", {"x": T(x), "y": T(y)}, expect=T(want), rtol=rtol, atol=atol, note=note))

    shapes = [
        ("2d_2d", (2, 3), (3, 4)),
        ("4x2_2x4", (4, 2), (2, 4)),
        ("2d_3d_theano", (2, 3), (4, 3, 5), ),
        ("4x2_5x2x3", (4, 2), (5, 2, 3)),
        ("3d_2d", (6, 5, 3), (3, 4)),
        ("3d_3d", (2, 3, 4), (5, 4, 2)),
        ("4d_4d_not_batched", (2, 1, 3, 2), (2, 1, 2, 3)),
        ("1d_1d", (5,), (5,)),
        ("1d_2d", (3,), (3, 4)),
        ("2d_1d", (4, 3), (3,)),
        ("3d_1d", (2, 4, 3), (3,)),
        ("1d_3d", (3,), (2, 3, 4)),
        ("rank5_2d", (2, 1, 2, 3, 2), (2, 4)),
        ("2d_rank5", (2, 3), (1, 2, 1, 3, 2)),
        ("gemm_large", (33, 65), (65, 17)),
        ("gemm_tall", (130, 8), (8, 70)),
        ("vec_long", (1000,), (1000,)),
        ("empty_rows", (0, 3), (3, 4)),
        ("empty_contracted", (2, 0), (0, 3)),
        ("empty_cols", (2, 3), (3, 0)),
        ("empty_batch_y", (2, 3), (0, 3, 4)),
        ("ones_1x1", (1, 1), (1, 1)),
    ]
    for cid, xs, ys in shapes:
        add(f"shape/{cid}", T.arr(r, xs, "float32"), T.arr(r, ys, "float32"))
    for dt in ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8"]:
        add(f"dtype/{dt}", T.arr(r, (3, 4), dt, 0 if dt == "uint8" else -3, 3), T.arr(r, (4, 2), dt, 0 if dt == "uint8" else -3, 3))
        add(f"dtype/{dt}/3d", T.arr(r, (2, 2, 3), dt, 0, 3), T.arr(r, (2, 3, 2), dt, 0, 3))
    for a, b in [("int32", "float16"), ("int32", "float32"), ("uint8", "int8"), ("float16", "float64"), ("int64", "float32")]:
        add(f"promote/{a}_{b}", T.arr(r, (2, 3), a, 0, 3), T.arr(r, (3, 2), b, 0, 3), "Keras 3 result_type")
    add("special/nan_inf", np.array([[1, np.nan, 2], [np.inf, 1, 0], [1, 2, 3]], "float32"),
        np.array([[1, 0], [0, 1], [1, 1]], "float32"), "NaN and inf propagate; inf·0 is NaN")
    add("special/inf_minus_inf", np.array([[np.inf, 1.0]], "float64"), np.array([[1.0], [-np.inf]], "float64"), "inf + -inf is NaN")
    for cid, xs, ys in [("mismatch_2d", (2, 3), (4, 5)), ("mismatch_1d", (3,), (4,)), ("mismatch_nd", (2, 3), (4, 2, 5)),
                        ("scalar_x", (), (3,)), ("scalar_y", (3, 2), ()), ("mismatch_2d_1d", (2, 3), (2,))]:
        cases.append(T.case(f"dot/error/{cid}", "dot", {"x": T(T.arr(r, xs, "float32")), "y": T(T.arr(r, ys, "float32"))}, error="ValueError"))
    # batch_dot
    r = T.rng("linalg/batch_dot")

    def bd(cid, xs, ys, axes, dtype="float32", note=None, lo=-1, hi=1):
        x, y = T.arr(r, xs, dtype, lo, hi), T.arr(r, ys, dtype, lo, hi)
        rd = T.promote(dtype, dtype)
        work = "float64" if rd in T.FLOATS else "int64"
        args = {} if axes == "default" else {"axes": axes}
        want = batch_dot_ref(np, x.astype(work), y.astype(work), None if axes == "default" else axes).astype(rd)
        k = x.shape[(x.ndim - 1) if axes in ("default", None) else (axes if isinstance(axes, int) else axes[0]) % x.ndim]
        rtol, atol = T.tol(rd, max(1, k))
        cases.append(T.case(f"batch_dot/{cid}", "batch_dot", {"x": T(x), "y": T(y)}, args, expect=T(want), rtol=rtol, atol=atol, note=note))

    for xs, ys, axes in [((2, 3, 4, 5), (2, 5, 6, 7), [3, 1]), ((2, 20, 1), (2, 30, 20), [1, 2]), ((4, 2, 3), (4, 5, 3), [2, 2]),
                         ((4, 2), (4, 2, 3), [1, 1]), ((4, 2), (4, 2, 3), 1), ((4, 2, 3), (4, 3), [2, 1])]:
        bd(f"tf_keras/{'x'.join(map(str, xs))}_{'x'.join(map(str, ys))}_{'int' if isinstance(axes, int) else 'pair'}", xs, ys, axes,
           note="tf_keras backend_test shape cases")
    bd("seed_example_32x20x1_32x30x20", (32, 20, 1), (32, 30, 20), [1, 2], note="the seed's example: (32, 1, 30)")
    bd("keras2/3x3x4x5_3x2x3x4", (3, 3, 4, 5), (3, 2, 3, 4), [2, 3])
    bd("keras2/3x3x4x5_3x2x4", (3, 3, 4, 5), (3, 2, 4), 2)
    bd("keras2/3x4x3_3x3x5", (3, 4, 3), (3, 3, 5), [2, 1])
    bd("keras2/3x4_3x3x4", (3, 4), (3, 3, 4), [1, 2])
    bd("default/rank2", (3, 4), (3, 4), "default", note="(batch, 1) rule")
    bd("default/rank3", (2, 3, 4), (2, 4, 5), "default")
    bd("none/rank2_rank3", (2, 4), (2, 4, 3), None, note="y rank 3: (x.ndim-1, y.ndim-2)")
    bd("negative_axes", (2, 3, 4), (2, 5, 4), [-1, -1])
    bd("rank5", (2, 1, 3, 2, 2), (2, 2, 1, 3), [2, 3])
    bd("large", (4, 40, 50), (4, 50, 30), [2, 1])
    bd("empty_batch", (0, 3, 4), (0, 4, 2), [2, 1])
    bd("empty_free", (2, 0, 4), (2, 4, 3), [2, 1])
    bd("empty_contracted", (2, 3, 0), (2, 0, 5), [2, 1], note="sum over nothing is 0")
    for dt in T.DTYPES:
        if dt == "bool":
            continue
        bd(f"dtype/{dt}", (2, 3, 4), (2, 4, 2), [2, 1], dt, lo=0 if dt == "uint8" else -3, hi=3)
    x = np.array([[1, 2], [3, 4]], "float32")
    y = np.array([[5, 6], [7, 8]], "float32")
    cases.append(T.case("batch_dot/docstring_17_53", "batch_dot", {"x": T(x), "y": T(y)}, {"axes": 1}, expect=T(np.array([[17], [53]], "float32")),
                        note="Keras 2.3 docstring example"))
    xs = T.special("float32").reshape(2, 5, 1)
    cases.append(T.case("batch_dot/special", "batch_dot", {"x": T(xs), "y": T(np.ones((2, 1, 3), "float32"))}, {"axes": [2, 1]},
                        expect=T(batch_dot_ref(np, xs.astype("float64"), np.ones((2, 1, 3)), [2, 1]).astype("float32")), note="NaN and inf propagate"))

    def bde(cid, xs, ys, axes, note=None):
        args = {} if axes == "default" else {"axes": axes}
        cases.append(T.case(f"batch_dot/error/{cid}", "batch_dot", {"x": T(np.ones(xs, "float32")), "y": T(np.ones(ys, "float32"))}, args, error="ValueError", note=note))

    bde("rank1", (3,), (3, 2), "default")
    bde("batch_mismatch", (3, 2), (4, 2), "default")
    bde("three_axes", (3, 2, 2), (3, 2, 2), [1, 1, 1], note="Multiple target dimensions are not supported")
    bde("axis0", (3, 2), (3, 2), 0, note="Cannot perform batch_dot over axis 0")
    bde("axis0_negative", (3, 2, 4), (3, 2), [-3, 1])
    bde("axis_out_of_range", (3, 2), (3, 2), [1, 5])
    bde("size_mismatch", (3, 2, 4), (3, 3, 2), [2, 1])
    return cases
