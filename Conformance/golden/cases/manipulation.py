"""Golden cases for shape manipulation (family `manipulation`).

Keras rules written out:
- transpose(x) reverses every axis (numpy.transpose without axes; tf_keras/backend.py transpose).
- concatenate(tensors, axis=-1): a negative axis counts from the end (tf_keras normalizes with axis %= rank);
  dtypes are promoted together with Keras 3's result_type (keras/src/ops/numpy.py concatenate), not numpy's.
  No tensors, tensors of different ranks, an axis out of range, other dimensions that differ, or rank-0 tensors
  (numpy: "zero-dimensional arrays cannot be concatenated") are ValueErrors.
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
    return cases
