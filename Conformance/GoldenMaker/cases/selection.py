"""Golden cases for take and take_along_axis (family `selection`).

Keras 3 rules (keras/src/backend/numpy/numpy.py take and take_along_axis, keras/src/ops/numpy.py Take and
TakeAlongAxis, keras/src/ops/operation_utils.py compute_take_along_axis_output_shape):
- take(x, indices, axis=None) is numpy.take: a null axis takes from the flattened x; otherwise the result is
  x.shape[:axis] + indices.shape + x.shape[axis+1:]. Negative indices count from the end (numpy's mode='raise');
  an index outside [-n, n) is an IndexError (numpy raises it too).
- take_along_axis(x, indices, axis=None) is numpy.take_along_axis: same rank, broadcasting on the other axes,
  a null axis flattens x (indices 1-D). Out-of-range indices are IndexErrors.
- indices of any integer dtype; float indices are a TypeError; an axis out of range a ValueError.
"""


def generate(np, T):
    cases = []
    r = T.rng("selection/take")
    f = "float32"

    def take(cid, x, idx, axis="none", note=None):
        args = {} if axis == "none" else {"axis": axis}
        want = np.take(x, idx) if axis in ("none", None) else np.take(x, idx, axis=axis)
        cases.append(T.case(f"take/{cid}", "take", {"x": T(x), "indices": T(idx)}, args, expect=T(want), note=note))

    x = T.arr(r, (3, 4), f)
    take("flat_default", x, np.array([0, 5, 11, -1], "int32"), note="a null axis takes from the flattened x")
    take("flat_none", x, np.array([[2, -12], [7, 7]], "int32"), None)
    for ax in [0, 1, -1, -2]:
        take(f"axis{ax}", x, np.array([2, -1, 0, 0], "int32"), ax)
    take("indices_2d/axis1", x, np.array([[0, 3], [-4, 1]], "int32"), 1)
    take("indices_scalar/axis0", x, np.array(1, "int32"), 0, "a scalar index drops the axis")
    take("indices_scalar/none", x, np.array(-3, "int64"), None)
    x3 = T.arr(r, (2, 3, 4), f)
    take("rank3/axis1", x3, np.array([[2, 0], [1, -1], [0, 0]], "int32"), 1)
    take("rank3/axis2", x3, np.array([3, 3, -4], "int64"), 2)
    take("empty_indices", x3, np.zeros((0,), "int32"), 1)
    take("empty_x_empty_indices", np.zeros((2, 0), f), np.zeros((0,), "int32"), 1)
    take("empty_other_axis", np.zeros((0, 3), f), np.array([1, 2], "int32"), 1)
    for it in T.INTS:
        take(f"indices_dtype/{it}", x, np.array([1, 2], it), 1)
    for dt in T.DTYPES:
        xd = T.arr(r, (3, 2), dt, 0, 9)
        take(f"dtype/{dt}", xd, np.array([2, 0, -1], "int32"), 0)
    take("special", T.special("float64"), np.array([0, 1, 2, 3, 9], "int32"), 0)
    take("embedding", T.arr(r, (5, 3), f), np.array([[0, 4, 4], [1, 2, 3]], "int32"), 0, "an embedding lookup: (vocab, d) by (batch, time)")

    def take_err(cid, x, idx, axis, kind):
        args = {} if axis == "none" else {"axis": axis}
        cases.append(T.case(f"take/error/{cid}", "take", {"x": T(x), "indices": T(idx)}, args, error=kind))

    take_err("index_too_big", x, np.array([0, 4], "int32"), 1, "IndexError")
    take_err("index_too_small", x, np.array([-5], "int32"), 1, "IndexError")
    take_err("flat_too_big", x, np.array([12], "int32"), "none", "IndexError")
    take_err("empty_x", np.zeros((0,), f), np.array([0], "int32"), "none", "IndexError")
    take_err("axis_too_big", x, np.array([0], "int32"), 2, "ValueError")
    take_err("axis_scalar_x", np.array(1.0, f), np.array([0], "int32"), 0, "ValueError")
    take_err("float_indices", x, np.array([0.0], f), 0, "TypeError")
    take_err("bool_indices", x, np.array([True], "bool"), 0, "TypeError")

    # take_along_axis
    r = T.rng("selection/take_along_axis")

    def along(cid, x, idx, axis="none", note=None):
        args = {} if axis == "none" else {"axis": axis}
        want = np.take_along_axis(x, idx, axis=None if axis == "none" else axis)
        cases.append(T.case(f"take_along_axis/{cid}", "take_along_axis", {"x": T(x), "indices": T(idx)}, args, expect=T(want), note=note))

    x = T.arr(r, (3, 4), f)
    along("flat_default", x, np.array([11, 0, -1], "int32"), note="a null axis flattens x")
    along("axis1/argsort", x, np.argsort(x, axis=1).astype("int32"), 1, "the sorted rows")
    along("axis0/argsort", x, np.argsort(x, axis=0).astype("int32"), 0)
    along("axis-1/fewer", x, np.array([[0], [3], [-1]], "int64"), -1, "top-1 style indices")
    along("axis1/more", x, np.array([[0, 0, 1, 1, 2, 2]] * 3, "int32"), 1)
    along("broadcast_indices", x, np.array([[2, -1]], "int32"), 1, "indices broadcast on axis 0")
    along("broadcast_x", T.arr(r, (1, 4), f), np.array([[0, 1], [2, 3], [3, 3]], "int32"), 1, "x broadcast on axis 0")
    x3 = T.arr(r, (2, 3, 4), f)
    along("rank3/axis1", x3, T.arr(r, (2, 5, 4), "int32", -3, 2), 1)
    along("rank3/axis2", x3, T.arr(r, (2, 3, 2), "int64", -4, 3), 2)
    along("rank3/axis0", x3, T.arr(r, (1, 3, 4), "int16", -2, 1), 0)
    along("empty_indices", x, np.zeros((3, 0), "int32"), 1)
    for it in T.INTS:
        along(f"indices_dtype/{it}", x, np.array([[1], [2], [0]], it), 1)
    for dt in T.DTYPES:
        xd = T.arr(r, (2, 3), dt, 0, 9)
        along(f"dtype/{dt}", xd, np.array([[2, 0], [1, 1]], "int32"), 1)
    along("special", T.special("float32")[None, :], np.array([[0, 1, 2, 3]], "int32"), 1)

    def along_err(cid, x, idx, axis, kind):
        args = {} if axis == "none" else {"axis": axis}
        cases.append(T.case(f"take_along_axis/error/{cid}", "take_along_axis", {"x": T(x), "indices": T(idx)}, args, error=kind))

    along_err("index_too_big", x, np.array([[4], [0], [0]], "int32"), 1, "IndexError")
    along_err("index_too_small", x, np.array([[-5], [0], [0]], "int32"), 1, "IndexError")
    along_err("flat_too_big", x, np.array([12], "int32"), "none", "IndexError")
    along_err("rank_mismatch", x, np.array([1], "int32"), 1, "ValueError")
    along_err("flat_indices_2d", x, np.array([[1]], "int32"), "none", "ValueError")
    along_err("no_broadcast", x, np.array([[1], [0]], "int32"), 1, "ValueError")
    along_err("axis_too_big", x, np.array([[1]], "int32"), 2, "ValueError")
    along_err("float_indices", x, np.array([[1.0]], f), 1, "TypeError")
    return cases
