"""Golden cases for shape manipulation (family `manipulation`).

Keras rules written out:
- transpose(x) reverses every axis (numpy.transpose without axes; tf_keras/backend.py transpose).
- concatenate(tensors, axis=-1): a negative axis counts from the end (tf_keras normalizes with axis %= rank);
  dtypes are promoted together with Keras 3's result_type (keras/src/ops/numpy.py concatenate), not numpy's.
  No tensors, tensors of different ranks, an axis out of range, other dimensions that differ, or rank-0 tensors
  (numpy: "zero-dimensional arrays cannot be concatenated") are ValueErrors.
- reshape(x, shape) is numpy.reshape; one -1 is inferred; sizes that disagree, two -1s, or a -1 beside a 0
  (ambiguous, numpy refuses) are ValueErrors.
- expand_dims(x, axis=-1): axis in [-(ndim+1), ndim] (numpy.expand_dims); squeeze(x, axis) needs an existing
  axis of size 1 (numpy.squeeze; tf-keras squeeze takes one axis); both raise ValueError otherwise.
- tile(x, n) is numpy.tile: an int n is [n]; x or n is padded with leading 1s (tf.tile would demand equal
  lengths; the Keras 2.3 numpy reference is np.tile, keras/backend/numpy_backend.py 472-473).
- stack(x, axis=0) is numpy.stack with Keras 3 dtype promotion; reverse(x, axes) is numpy.flip (an int is one
  axis, None every axis: keras-api.md §1.14); permute_dimensions(x, pattern) is numpy.transpose(x, pattern)
  (a pattern that is not a permutation is a ValueError; negative entries are rejected as tf.transpose does).
- gather(reference, indices) is reference[indices] along axis 0 (keras/backend/numpy_backend.py 488-489);
  negative indices count from the end as in numpy (tf.gather on CPU would raise instead: a documented
  choice); an index outside [-n, n) is an IndexError; non-integer indices a TypeError.
- switch(condition, then, else) is numpy.where after padding a lower-rank condition with trailing 1-dims
  (tf_keras/backend.py 5225-5275 tiles it along the trailing axes); nonzero (also NaN) is true; the result
  dtype is Keras 3's result_type(then, else). A condition of higher rank than the expressions is a ValueError.
- one_hot(indices, num_classes) is tf.one_hot(indices, depth, axis=-1): float32 always; an index outside
  [0, num_classes) (negative too) gives a zero row (TensorFlow's rule, unlike numpy's eye(n)[i]).
- slice(x, start, size) is x[start_i : start_i + size_i] per axis (Keras 2.3's numpy reference); size -1 takes the
  rest (tf.slice); a slice leaving x is a ValueError (tf.slice raises; numpy would shorten it).
- arange(start, stop=None, step=1, dtype='int32') is numpy.arange(start, stop, step) in float64 cast to dtype
  (integer dtypes truncate), with Theano's one-argument form and `stop is None and start < 0 -> empty`
  (tf_keras/backend.py arange); step 0 is a ValueError.
- flatten is x.reshape(-1); batch_flatten x.reshape(-1, prod(shape[1:])) (so (n,) -> (n, 1), () -> (1, 1));
  repeat(x, n) is numpy.repeat(x[:, None, :], n, axis=1) for 2-D x (other ranks are ValueErrors: tf-keras asserts);
  repeat_elements(x, rep, axis) is numpy.repeat(x, rep, axis).
"""


def generate(np, T):
    cases = []
    r = T.rng("manipulation/transpose")
    for cid, shape in [("rank0", ()), ("rank1", (5,)), ("rank2", (2, 3)), ("rank3", (2, 3, 4)), ("rank4", (2, 1, 3, 2)),
                       ("rank5", (2, 3, 1, 2, 2)), ("square", (4, 4)), ("large", (33, 65)), ("empty", (0, 3)),
                       ("empty_mid", (2, 0, 3)), ("ones", (1, 1, 1))]:
        x = T.arr(r, shape, "float32")
        cases.append(T.case(f"transpose/shape/{cid}", "transpose", {"x": T(x)}, expect=T(np.transpose(x))))
    for dt in T.DTYPES:
        x = T.arr(r, (3, 2, 4), dt, 0 if dt == "uint8" else -9, 9)
        cases.append(T.case(f"transpose/dtype/{dt}", "transpose", {"x": T(x)}, expect=T(np.transpose(x))))
    for dt in T.FLOATS:
        x = T.special(dt).reshape(2, 5)
        cases.append(T.case(f"transpose/special/{dt}", "transpose", {"x": T(x)}, expect=T(np.transpose(x)), note="values move bit for bit"))

    r = T.rng("manipulation/concatenate")

    def cat(cid, xs, axis="default", note=None):
        args = {} if axis == "default" else {"axis": axis}
        a = -1 if axis == "default" else axis
        rd = T.promote(*[str(x.dtype) for x in xs])
        want = np.concatenate([x.astype(rd) for x in xs], axis=a)
        cases.append(T.case(f"concatenate/{cid}", "concatenate", {"tensors": [T(x) for x in xs]}, args, expect=T(want), note=note))

    f = "float32"
    cat("default_axis", [T.arr(r, (2, 3), f), T.arr(r, (2, 2), f)])
    cat("axis0", [T.arr(r, (2, 3), f), T.arr(r, (1, 3), f)], 0)
    cat("axis1", [T.arr(r, (2, 3), f), T.arr(r, (2, 1), f)], 1)
    cat("axis-2", [T.arr(r, (2, 3), f), T.arr(r, (4, 3), f)], -2)
    cat("single", [T.arr(r, (2, 3), f)], 0)
    cat("three", [T.arr(r, (2, 3), f), T.arr(r, (2, 1), f), T.arr(r, (2, 4), f)], -1)
    cat("rank1", [T.arr(r, (3,), f), T.arr(r, (4,), f)])
    cat("keras_1x2x3_1x2x2", [np.ones((1, 2, 3), f), np.ones((1, 2, 2), f)], -1, "tf_keras backend_test")
    for shape, shape2, axis in [((5, 2), (7, 2), 0), ((5, 4, 6), (5, 3, 6), 1), ((5, 4, 6, 10), (5, 4, 6, 2), 3), ((5, 4, 6, 3), (5, 4, 6, 2), -1)]:
        cat(f"keras2/{len(shape)}d_axis{axis}", [T.arr(r, shape, f), T.arr(r, shape2, f)], axis, "Keras 2.3 backend_test shapes")
    for ax in [0, 1, 2, 3, 4, -1, -3, -5]:
        s1, s2 = [2, 1, 3, 2, 2], [2, 1, 3, 2, 2]
        s2[ax] = 3
        cat(f"rank5/axis{ax}", [T.arr(r, s1, f), T.arr(r, s2, f)], ax)
    cat("empty/axis0", [np.zeros((0, 3), f), T.arr(r, (2, 3), f)], 0, "an empty piece adds nothing")
    cat("empty/all", [np.zeros((0, 3), f), np.zeros((0, 3), f)], 0)
    cat("empty/other_axis", [np.zeros((2, 0), f), np.zeros((2, 0), f)], 0)
    for dt in T.DTYPES:
        cat(f"dtype/{dt}", [T.arr(r, (2, 2), dt, 0, 9), T.arr(r, (2, 3), dt, 0, 9)])
    for a, b in [("int32", "float16"), ("uint8", "int8"), ("bool", "int32"), ("float32", "float64"), ("int64", "float32")]:
        cat(f"promote/{a}_{b}", [T.arr(r, (2, 2), a, 0, 5), T.arr(r, (2, 1), b, 0, 5)], -1, "Keras 3 result_type")
    cat("promote/three", [T.arr(r, (1, 2), "uint8", 0, 5), T.arr(r, (1, 2), "int8", 0, 5), T.arr(r, (1, 2), "float16", 0, 5)], 0)
    cat("special/float32", [T.special("float32")[None, :], T.special("float32")[None, :]], 0)

    def err(cid, xs, axis="default", note=None):
        args = {} if axis == "default" else {"axis": axis}
        cases.append(T.case(f"concatenate/error/{cid}", "concatenate", {"tensors": [T(x) for x in xs]}, args, error="ValueError", note=note))

    err("no_tensors", [], 0)
    err("ranks_differ", [T.arr(r, (2, 3), f), T.arr(r, (3,), f)], 0)
    err("axis_too_big", [T.arr(r, (2, 3), f), T.arr(r, (2, 3), f)], 2)
    err("axis_too_small", [T.arr(r, (2, 3), f), T.arr(r, (2, 3), f)], -3)
    err("dims_differ", [T.arr(r, (2, 3), f), T.arr(r, (3, 2), f)], 1)
    err("rank0", [np.array(1, f), np.array(2, f)], 0, "numpy: zero-dimensional arrays cannot be concatenated")
    err("dims_differ_rank5", [T.arr(r, (2, 1, 3, 2, 2), f), T.arr(r, (2, 1, 3, 1, 2), f)], 0)
    
    # reshape
    r = T.rng("manipulation/reshape")
    for cid, shape, new in [("flat", (2, 3, 4), [24]), ("infer", (2, 3, 4), [4, -1]), ("infer_first", (2, 3, 4), [-1, 2, 3]),
                            ("to_rank0", (1, 1), []), ("from_rank0", (), [1, 1, 1]), ("rank5", (4, 6), [1, 2, 3, 2, 2]),
                            ("empty", (2, 0), [0, 5]), ("empty_infer", (0, 4), [-1, 2]), ("same", (3, 2), [3, 2])]:
        x = T.arr(r, shape, "float32")
        cases.append(T.case(f"reshape/{cid}", "reshape", {"x": T(x)}, {"shape": new}, expect=T(np.reshape(x, new))))
    for dt in T.DTYPES:
        x = T.arr(r, (2, 6), dt, 0, 9)
        cases.append(T.case(f"reshape/dtype/{dt}", "reshape", {"x": T(x)}, {"shape": [3, 4]}, expect=T(x.reshape(3, 4))))
    cases.append(T.case("reshape/special", "reshape", {"x": T(T.special("float64"))}, {"shape": [5, 2]}, expect=T(T.special("float64").reshape(5, 2))))
    for cid, shape, new in [("size", (2, 3), [4, 2]), ("two_minus_one", (2, 3), [-1, -1]), ("infer_indivisible", (2, 3), [4, -1]),
                            ("zero_infer", (0, 3), [0, -1]), ("negative", (2, 3), [-2, -3])]:
        cases.append(T.case(f"reshape/error/{cid}", "reshape", {"x": T(np.ones(shape, "float32"))}, {"shape": new}, error="ValueError"))

    # expand_dims / squeeze
    r = T.rng("manipulation/expand")
    for shape in [(), (3,), (2, 3), (2, 1, 3, 1)]:
        x = T.arr(r, shape, "float32")
        nd = len(shape)
        for ax in sorted(set([0, nd, -1, -(nd + 1)])):
            cases.append(T.case(f"expand_dims/rank{nd}/axis{ax}", "expand_dims", {"x": T(x)}, {"axis": ax}, expect=T(np.expand_dims(x, ax))))
    x = T.arr(r, (2, 3), "float32")
    cases.append(T.case("expand_dims/default", "expand_dims", {"x": T(x)}, expect=T(np.expand_dims(x, -1)), note="axis defaults to -1"))
    x4 = T.arr(r, (2, 1, 1, 2, 1), "float32")
    cases.append(T.case("expand_dims/rank5_mid", "expand_dims", {"x": T(x4)}, {"axis": 3}, expect=T(np.expand_dims(x4, 3))))
    cases.append(T.case("expand_dims/empty", "expand_dims", {"x": T(np.zeros((0, 2), "int32"))}, {"axis": 1}, expect=T(np.zeros((0, 1, 2), "int32"))))
    for dt in T.DTYPES:
        xd = T.arr(r, (3,), dt)
        cases.append(T.case(f"expand_dims/dtype/{dt}", "expand_dims", {"x": T(xd)}, {"axis": 0}, expect=T(xd[None])))
    for ax in [3, -4]:
        cases.append(T.case(f"expand_dims/error/axis{ax}", "expand_dims", {"x": T(x)}, {"axis": ax}, error="ValueError"))
    for ax in [1, 2, 4, -1, -4]:
        cases.append(T.case(f"squeeze/axis{ax}", "squeeze", {"x": T(x4)}, {"axis": ax}, expect=T(np.squeeze(x4, ax))))
    cases.append(T.case("squeeze/to_rank0", "squeeze", {"x": T(np.array([5.0], "float64"))}, {"axis": 0}, expect=T(np.array(5.0, "float64"))))
    cases.append(T.case("squeeze/empty", "squeeze", {"x": T(np.zeros((0, 1), "int8"))}, {"axis": 1}, expect=T(np.zeros((0,), "int8"))))
    for dt in T.DTYPES:
        xd = T.arr(r, (2, 1), dt)
        cases.append(T.case(f"squeeze/dtype/{dt}", "squeeze", {"x": T(xd)}, {"axis": -1}, expect=T(xd[:, 0])))
    for cid, shape, ax in [("not_one", (2, 3), 0), ("out_of_range", (2, 1), 2), ("rank0", (), 0), ("negative_out", (2, 1), -3)]:
        cases.append(T.case(f"squeeze/error/{cid}", "squeeze", {"x": T(np.ones(shape, "float32"))}, {"axis": ax}, error="ValueError"))

    # tile
    r = T.rng("manipulation/tile")
    for cid, shape, n in [("int", (2, 3), 2), ("rank2", (2, 3), [2, 2]), ("rows", (2, 3), [2, 1]), ("cols", (2, 3), [1, 2]),
                          ("longer_n", (2, 3), [3, 1, 2]), ("shorter_n", (2, 3, 2), [2]), ("rank0", (), [3]), ("zero", (2, 3), [0, 2]),
                          ("empty", (0, 3), [2, 2]), ("rank5", (1, 2, 1, 2, 1), [2, 1, 3, 1, 2]), ("ones", (2, 2), [1, 1])]:
        x = T.arr(r, shape, "float32")
        cases.append(T.case(f"tile/{cid}", "tile", {"x": T(x)}, {"n": n}, expect=T(np.tile(x, n)), note="numpy.tile"))
    for dt in T.DTYPES:
        xd = T.arr(r, (2, 2), dt)
        cases.append(T.case(f"tile/dtype/{dt}", "tile", {"x": T(xd)}, {"n": [2, 3]}, expect=T(np.tile(xd, [2, 3]))))
    cases.append(T.case("tile/special", "tile", {"x": T(T.special("float32"))}, {"n": 2}, expect=T(np.tile(T.special("float32"), 2))))
    cases.append(T.case("tile/error/negative", "tile", {"x": T(np.ones((2,), "float32"))}, {"n": [-1]}, error="ValueError"))

    # stack
    r = T.rng("manipulation/stack")

    def st(cid, xs, axis="default", note=None):
        args = {} if axis == "default" else {"axis": axis}
        rd = T.promote(*[str(v.dtype) for v in xs])
        want = np.stack([v.astype(rd) for v in xs], axis=0 if axis == "default" else axis)
        cases.append(T.case(f"stack/{cid}", "stack", {"x": [T(v) for v in xs]}, args, expect=T(want), note=note))

    for shape, shape2, axis in [((5, 2), (5, 2), 0), ((5, 4, 6), (5, 4, 6), 1), ((5, 4, 6, 10), (5, 4, 6, 10), 3), ((5, 4, 6, 3), (5, 4, 6, 3), -1)]:
        st(f"keras2/{len(shape)}d_axis{axis}", [T.arr(r, shape, "float32"), T.arr(r, shape2, "float32")], axis, "Keras 2.3 backend_test shapes")
    st("default_axis", [T.arr(r, (2, 3), "float32") for _ in range(3)])
    st("rank0", [np.array(1.0, "float32"), np.array(2.0, "float32")])
    st("single", [T.arr(r, (3,), "float32")], -1)
    for ax in [0, 1, 2, 3, 4, 5, -1, -6]:
        st(f"rank5/axis{ax}", [T.arr(r, (2, 1, 3, 1, 2), "float32") for _ in range(2)], ax)
    st("empty", [np.zeros((0, 2), "float32"), np.zeros((0, 2), "float32")], 1)
    for dt in T.DTYPES:
        st(f"dtype/{dt}", [T.arr(r, (2,), dt), T.arr(r, (2,), dt)])
    for a, b in [("int32", "float16"), ("uint8", "int8"), ("bool", "int32")]:
        st(f"promote/{a}_{b}", [T.arr(r, (2,), a, 0, 5), T.arr(r, (2,), b, 0, 5)], 0, "Keras 3 result_type")
    st("special", [T.special("float64"), T.special("float64")], 1)
    for cid, xs, axis in [("no_tensors", [], 0), ("shapes_differ", [np.ones((2, 3), "float32"), np.ones((3, 2), "float32")], 0),
                          ("axis_too_big", [np.ones((2,), "float32")], 2), ("axis_too_small", [np.ones((2,), "float32")], -3)]:
        cases.append(T.case(f"stack/error/{cid}", "stack", {"x": [T(v) for v in xs]}, {"axis": axis}, error="ValueError"))

    # reverse
    r = T.rng("manipulation/reverse")
    x3 = T.arr(r, (2, 3, 4), "float32")
    for axes in [0, 1, 2, -1, [0, 2], [1, -1], [0, 1, 2], None]:
        name = "none" if axes is None else str(axes).replace(" ", "")
        cases.append(T.case(f"reverse/rank3/{name}", "reverse", {"x": T(x3)}, {"axes": axes},
                            expect=T(np.flip(x3, None if axes is None else (axes if isinstance(axes, int) else tuple(axes))))))
    x5 = T.arr(r, (2, 1, 3, 2, 2), "float64")
    cases.append(T.case("reverse/rank5", "reverse", {"x": T(x5)}, {"axes": [0, 2, 4]}, expect=T(np.flip(x5, (0, 2, 4)))))
    cases.append(T.case("reverse/rank0", "reverse", {"x": T(np.array(3.0, "float32"))}, {"axes": []}, expect=T(np.array(3.0, "float32"))))
    cases.append(T.case("reverse/empty", "reverse", {"x": T(np.zeros((0, 3), "float32"))}, {"axes": [1]}, expect=T(np.zeros((0, 3), "float32"))))
    for dt in T.DTYPES:
        xd = T.arr(r, (2, 3), dt)
        cases.append(T.case(f"reverse/dtype/{dt}", "reverse", {"x": T(xd)}, {"axes": -1}, expect=T(np.flip(xd, -1))))
    cases.append(T.case("reverse/special", "reverse", {"x": T(T.special("float16"))}, {"axes": 0}, expect=T(np.flip(T.special("float16"), 0))))
    for cid, axes in [("out_of_range", 3), ("repeated", [0, 0]), ("negative_out", -4)]:
        cases.append(T.case(f"reverse/error/{cid}", "reverse", {"x": T(x3)}, {"axes": axes}, error="ValueError"))

    # permute_dimensions
    r = T.rng("manipulation/permute")
    for cid, shape, pattern in [("rank2", (2, 3), [1, 0]), ("identity", (2, 3, 4), [0, 1, 2]), ("cycle", (2, 3, 4), [2, 0, 1]),
                                ("swap_last", (2, 3, 4), [0, 2, 1]), ("rank5", (2, 1, 3, 2, 2), [4, 2, 0, 3, 1]), ("rank1", (5,), [0]),
                                ("rank0", (), []), ("empty", (2, 0, 3), [2, 1, 0]), ("large", (33, 17, 9), [1, 2, 0])]:
        x = T.arr(r, shape, "float32")
        cases.append(T.case(f"permute_dimensions/{cid}", "permute_dimensions", {"x": T(x)}, {"pattern": pattern}, expect=T(np.transpose(x, pattern))))
    for dt in T.DTYPES:
        xd = T.arr(r, (2, 3, 2), dt)
        cases.append(T.case(f"permute_dimensions/dtype/{dt}", "permute_dimensions", {"x": T(xd)}, {"pattern": [2, 0, 1]}, expect=T(np.transpose(xd, [2, 0, 1]))))
    for cid, pattern in [("short", [0, 1]), ("repeated", [0, 1, 1]), ("out_of_range", [0, 1, 3]), ("negative", [0, 1, -1])]:
        cases.append(T.case(f"permute_dimensions/error/{cid}", "permute_dimensions", {"x": T(x3)}, {"pattern": pattern}, error="ValueError"))

    # gather
    r = T.rng("manipulation/gather")
    ref = T.arr(r, (5, 3, 2), "float32")
    for cid, idx in [("vector", np.array([0, 4, 2, 2], "int32")), ("scalar", np.array(3, "int32")), ("matrix", np.array([[0, 1], [4, 3], [2, 2]], "int64")),
                     ("negative", np.array([-1, -5, 0], "int32")), ("empty", np.zeros((0,), "int32")), ("rank4", np.zeros((1, 2, 1, 2), "int8"))]:
        cases.append(T.case(f"gather/{cid}", "gather", {"reference": T(ref), "indices": T(idx)}, expect=T(ref[idx]), note="reference[indices]"))
    cases.append(T.case("gather/docstring", "gather", {"reference": T(np.array([[1, 2, 3], [4, 5, 6]], "float32")), "indices": T(np.array([0, 1, 0], "int32"))},
                        expect=T(np.array([[1, 2, 3], [4, 5, 6], [1, 2, 3]], "float32")), note="tf-keras docstring"))
    cases.append(T.case("gather/rank1_reference", "gather", {"reference": T(np.arange(6, dtype="float64")), "indices": T(np.array([[5, 0]], "int32"))},
                        expect=T(np.array([[5.0, 0.0]]))))
    for dt in T.DTYPES:
        rd = T.arr(r, (4, 2), dt)
        cases.append(T.case(f"gather/dtype/{dt}", "gather", {"reference": T(rd), "indices": T(np.array([3, 0], "int32"))}, expect=T(rd[[3, 0]])))
    for it in ["uint8", "int16"]:
        cases.append(T.case(f"gather/indices_dtype/{it}", "gather", {"reference": T(ref), "indices": T(np.array([1, 4], it))}, expect=T(ref[[1, 4]])))
    sp = T.special("float32").reshape(5, 2)
    cases.append(T.case("gather/special", "gather", {"reference": T(sp), "indices": T(np.array([0, 1], "int32"))}, expect=T(sp[[0, 1]])))
    cases.append(T.case("gather/error/too_big", "gather", {"reference": T(ref), "indices": T(np.array([0, 5], "int32"))}, error="IndexError"))
    cases.append(T.case("gather/error/too_small", "gather", {"reference": T(ref), "indices": T(np.array([-6], "int32"))}, error="IndexError"))
    cases.append(T.case("gather/error/float_indices", "gather", {"reference": T(ref), "indices": T(np.array([0.0], "float32"))}, error="TypeError"))
    cases.append(T.case("gather/error/rank0_reference", "gather", {"reference": T(np.array(1.0, "float32")), "indices": T(np.array(0, "int32"))}, error="ValueError"))

    # switch
    r = T.rng("manipulation/switch")

    def sw(cid, c, a, b, note=None):
        rd = T.promote(str(a.dtype), str(b.dtype))
        nd = max(a.ndim, b.ndim)
        cc = c.reshape(c.shape + (1,) * (nd - c.ndim)) if c.ndim < nd else c
        want = np.where(cc.astype(bool), a.astype(rd), b.astype(rd))
        cases.append(T.case(f"switch/{cid}", "switch", {"condition": T(c), "then_expression": T(a), "else_expression": T(b)}, expect=T(want), note=note))

    a, b = T.arr(r, (3, 4), "float32"), T.arr(r, (3, 4), "float32")
    sw("same_shape", T.arr(r, (3, 4), "bool"), a, b)
    sw("row_condition", T.arr(r, (3,), "bool"), a, b, "a lower-rank condition is padded on the right (Keras tiles it)")
    sw("scalar_true", np.array(True), a, b)
    sw("scalar_false", np.array(0.0, "float32"), a, b)
    sw("numeric_condition", np.array([[1, 0, -2, 0]] * 3, "int32"), a, b, "nonzero is true")
    sw("nan_condition", np.array([np.nan, 0.0, 1.0], "float32"), a, b, "NaN is true")
    sw("broadcast_expr", T.arr(r, (3, 4), "bool"), T.arr(r, (3, 1), "float32"), T.arr(r, (4,), "float32"))
    sw("rank5", T.arr(r, (2, 1, 3), "bool"), T.arr(r, (2, 2, 3, 1, 2), "float32"), T.arr(r, (2, 2, 3, 1, 2), "float32"))
    sw("rank0", np.array(False), np.array(8.0, "float32"), np.array(9.0, "float32"), "tf-keras: switch(greater(2,3), 8, 9) → 9")
    sw("empty", np.zeros((0,), bool), np.zeros((0, 2), "float32"), np.zeros((0, 2), "float32"))
    for dt in T.DTYPES:
        sw(f"dtype/{dt}", T.arr(r, (2, 3), "bool"), T.arr(r, (2, 3), dt), T.arr(r, (2, 3), dt))
    for x1, x2 in [("int32", "float16"), ("uint8", "int8"), ("float32", "float64")]:
        sw(f"promote/{x1}_{x2}", T.arr(r, (4,), "bool"), T.arr(r, (4,), x1, 0, 5), T.arr(r, (4,), x2, 0, 5))
    sw("special", np.array([True, False] * 5), T.special("float32"), T.special("float32")[::-1].copy())
    cases.append(T.case("switch/error/condition_rank", "switch", {"condition": T(np.ones((2, 2, 2), bool)), "then_expression": T(a), "else_expression": T(b)},
                        error="ValueError", note="rank of condition > rank of the expressions"))
    cases.append(T.case("switch/error/not_broadcastable", "switch", {"condition": T(np.ones((4,), bool)), "then_expression": T(a), "else_expression": T(b)},
                        error="ValueError"))
    cases.append(T.case("switch/error/expressions", "switch", {"condition": T(np.ones((3,), bool)), "then_expression": T(a), "else_expression": T(np.ones((2, 4), "float32"))},
                        error="ValueError"))
    cases += _shape_ops(np, T)
    return cases


def _shape_ops(np, T):
    cases = []
    r = T.rng("manipulation/one_hot")

    def oh(cid, idx, n, note=None):
        want = np.zeros(idx.shape + (n,), "float32")
        flat = want.reshape(-1, n) if n > 0 else want
        for i, v in enumerate(idx.reshape(-1).tolist()):
            if 0 <= v < n:
                flat[i, int(v)] = 1
        cases.append(T.case(f"one_hot/{cid}", "one_hot", {"indices": T(idx)}, {"num_classes": n}, expect=T(want), note=note))

    oh("keras_30x10_20", r.integers(0, 20, (30, 10)).astype("int32"), 20, "Keras 2.3 backend_test: one_hot((30, 10) in [0, 20), 20)")
    oh("rank0", np.array(2, "int32"), 4)
    oh("rank1", np.array([0, 2, 1], "int64"), 3)
    for dt in ["int8", "int16", "uint8", "int64"]:
        oh(f"dtype/{dt}", T.arr(r, (2, 3), dt, 0, 4), 5)
    oh("out_of_range", np.array([-1, 3, 5, 0], "int32"), 4, "negative and >= num_classes give zero rows (tf.one_hot)")
    oh("zero_classes", np.array([0, 1], "int32"), 0)
    oh("empty", np.zeros((0, 2), "int32"), 3)
    cases.append(T.case("one_hot/error/float_indices", "one_hot", {"indices": T(np.array([0.0, 1.0], "float32"))}, {"num_classes": 2}, error="TypeError"))
    cases.append(T.case("one_hot/error/negative_classes", "one_hot", {"indices": T(np.array([0, 1], "int32"))}, {"num_classes": -1}, error="ValueError"))

    r = T.rng("manipulation/slice")

    def sl(cid, x, start, size, note=None):
        idx = tuple(slice(a, x.shape[i] if b == -1 else a + b) for i, (a, b) in enumerate(zip(start, size)))
        cases.append(T.case(f"slice/{cid}", "slice", {"x": T(x)}, {"start": list(start), "size": list(size)}, expect=T(x[idx]), note=note))

    for i, (shape, start, size) in enumerate([((2, 5), (0, 1), (2, 3)), ((2, 5), (1, 0), (1, 4)), ((3, 2, 3), (1, 1, 0), (1, 1, 3)),
                                              ((3, 2, 3), (1, 0, 0), (1, 2, 3)), ((3, 2, 3), (1, 0, 0), (2, 1, 3))]):
        sl(f"keras/{i}", T.arr(r, shape, "float32"), start, size, "Keras 2.3 backend_test slice cases")
    sl("minus_one", T.arr(r, (4, 5), "float32"), (1, 2), (-1, -1), "size -1: to the end (tf.slice)")
    sl("rank0", np.array(3.5, "float32"), (), ())
    sl("empty_size", T.arr(r, (3, 4), "float32"), (1, 4), (2, 0))
    sl("whole", T.arr(r, (2, 3, 4), "float32"), (0, 0, 0), (2, 3, 4))
    sl("inner_run", T.arr(r, (3, 4, 5), "float32"), (1, 1, 0), (2, 2, 5), "trailing axis taken whole: one copy per row")
    for dt in T.DTYPES:
        sl(f"dtype/{dt}", T.arr(r, (3, 4), dt), (1, 1), (2, 2))
    for cid, start, size in [("start_length", (0,), (1, 1)), ("size_length", (0, 0), (1,)), ("past_end", (1, 3), (1, 3)),
                             ("negative_start", (-1, 0), (1, 1)), ("size_below_minus_one", (0, 0), (-2, 1))]:
        cases.append(T.case(f"slice/error/{cid}", "slice", {"x": T(np.zeros((2, 5), "float32"))}, {"start": list(start), "size": list(size)}, error="ValueError"))

    def ar(cid, args, note=None):
        start = args["start"]
        stop = args.get("stop")
        step = args.get("step", 1)
        dtype = args.get("dtype", "int32")
        if stop is None:
            start, stop = 0, max(start, 0)
        want = np.arange(start, stop, step, dtype="float64")
        if dtype in T.INTS:
            want = np.trunc(want)
        cases.append(T.case(f"arange/{cid}", "arange", {}, args, expect=T(want.astype(dtype)), note=note))

    for n in [-20, 0, 1, 10]:
        ar(f"stop/{n}", {"start": n}, "Keras 2.3 backend_test: arange(n) == np.arange(n); a negative lone argument gives []")
    for a, b, c in [(0, 5, 1), (-5, 5, 2), (0, 1, 2), (10, 0, -3), (0, 10, 1.5), (1, 2, 0.25), (5, 1, 1)]:
        ar(f"range/{a}_{b}_{c}", {"start": a, "stop": b, "step": c})
    for dt in ["int32", "int64", "float32", "float64", "int8", "float16"]:
        ar(f"dtype/{dt}", {"start": 0, "stop": 7, "step": 1.5, "dtype": dt}, "integer dtypes truncate the float range")
    cases.append(T.case("arange/error/step0", "arange", {}, {"start": 0, "stop": 5, "step": 0}, error="ValueError"))
    cases.append(T.case("arange/error/huge", "arange", {}, {"start": 0, "stop": 1e300, "step": 1}, error="ValueError", note="longer than 2^31 - 1"))
    cases.append(T.case("arange/error/nan", "arange", {}, {"start": 0, "stop": "NaN"}, error="ValueError"))

    r = T.rng("manipulation/flatten")
    for cid, shape in [("rank0", ()), ("rank1", (4,)), ("rank2", (2, 3)), ("rank4", (2, 1, 3, 2)), ("empty", (0, 3))]:
        x = T.arr(r, shape, "float32")
        cases.append(T.case(f"flatten/{cid}", "flatten", {"x": T(x)}, expect=T(x.reshape(-1))))
    xi = T.arr(r, (2, 2), "int32")
    cases.append(T.case("flatten/int32", "flatten", {"x": T(xi)}, expect=T(xi.reshape(-1))))
    for cid, shape in [("rank0", ()), ("rank1", (4,)), ("rank2", (2, 3)), ("rank4", (2, 3, 4, 5)), ("empty_batch", (0, 3, 2))]:
        x = T.arr(r, shape, "float32")
        rest = int(np.prod(shape[1:])) if len(shape) > 0 else 1
        cases.append(T.case(f"batch_flatten/{cid}", "batch_flatten", {"x": T(x)}, expect=T(x.reshape(-1, rest)),
                            note="tf-keras: reshape(x, [-1, prod(shape(x)[1:])])"))

    r = T.rng("manipulation/repeat")
    for cid, shape, n in [("2x3_by_2", (2, 3), 2), ("n0", (2, 3), 0), ("n1", (4, 1), 1), ("int", (2, 2), 3)]:
        x = T.arr(r, shape, "int32" if cid == "int" else "float32")
        cases.append(T.case(f"repeat/{cid}", "repeat", {"x": T(x)}, {"n": n}, expect=T(np.repeat(x[:, None, :], n, axis=1))))
    cases.append(T.case("repeat/error/rank3", "repeat", {"x": T(np.zeros((2, 3, 4), "float32"))}, {"n": 2}, error="ValueError",
                        note="tf-keras asserts ndim(x) == 2"))
    cases.append(T.case("repeat/error/negative", "repeat", {"x": T(np.zeros((2, 3), "float32"))}, {"n": -1}, error="ValueError"))

    for cid, shape, rep, axis in [("docstring", (3,), 2, 0), ("axis1", (2, 3, 2), 3, 1), ("last", (2, 3), 2, -1), ("first", (2, 3), 2, 0),
                                  ("rep0", (2, 3), 0, 1), ("rep1", (2, 3), 1, 0), ("rank4", (2, 1, 2, 2), 2, 2)]:
        x = T.arr(r, shape, "float32")
        cases.append(T.case(f"repeat_elements/{cid}", "repeat_elements", {"x": T(x)}, {"rep": rep, "axis": axis}, expect=T(np.repeat(x, rep, axis))))
    xb = T.arr(r, (2, 3), "bool")
    cases.append(T.case("repeat_elements/bool", "repeat_elements", {"x": T(xb)}, {"rep": 2, "axis": 1}, expect=T(np.repeat(xb, 2, 1))))
    cases.append(T.case("repeat_elements/error/axis", "repeat_elements", {"x": T(np.zeros((2, 3), "float32"))}, {"rep": 2, "axis": 2}, error="ValueError"))
    cases.append(T.case("repeat_elements/error/rep", "repeat_elements", {"x": T(np.zeros((2, 3), "float32"))}, {"rep": -2, "axis": 0}, error="ValueError"))
    return cases
