"""Golden cases for scatter and scatter_update (family `scatter`).

Keras 3 rules (keras/src/backend/numpy/core.py scatter and scatter_update, keras/src/ops/core.py Scatter and
ScatterUpdate):
- scatter(indices, values, shape): zeros(shape, values.dtype); indices reshaped to (-1, k) and values to
  (-1,) + shape[k:]; zeros[tuple(indices[i])] += values[i] for every row i, so repeated indices ADD. We require
  values.shape = indices.shape[:-1] + shape[k:] (tf.scatter_nd's rule, Keras' tensorflow backend).
- scatter_update(inputs, indices, updates): inputs[tuple(indices.T)] = updates on a copy; repeated indices: the
  last row wins (numpy's sequential assignment); updates are cast to inputs' dtype.
- negative indices count from the end (numpy item assignment); out of range is an IndexError.

Expected values come from the definition: np.add.at for scatter (unbuffered, so repeats accumulate) and a row by
row assignment loop for scatter_update, checked against numpy's fancy assignment and against torch's index_put_
(accumulate=True for scatter) where torch has the dtype.
"""


def _rows(np, idx, target):
    k = idx.shape[-1]
    return idx.reshape(-1, k), tuple(target[k:])


def _scatter(np, idx, values, shape):
    flat, rest = _rows(np, idx, shape)
    out = np.zeros(shape, values.dtype)
    v = values.reshape((flat.shape[0],) + rest)
    if values.dtype == np.bool_:
        # numpy's bool += is logical or; np.add.at on bool does the same.
        np.logical_or.at(out, tuple(flat.T), v)
    else:
        np.add.at(out, tuple(flat.T), v)
    _torch_check_scatter(np, flat, v, shape, out)
    return out


def _torch_check_scatter(np, flat, v, shape, out):
    try:
        import torch
    except ImportError:
        return
    if v.dtype.name not in ("float32", "float64", "int32", "int64") or flat.shape[1] == 0:
        return
    t = torch.zeros(tuple(shape), dtype=getattr(torch, v.dtype.name))
    t.index_put_(tuple(torch.from_numpy(flat.T.astype("int64").copy())), torch.from_numpy(v.copy()), accumulate=True)
    want = t.numpy()
    assert np.allclose(want, out, rtol=1e-5, atol=1e-6, equal_nan=True), (want, out)


def _scatter_update(np, inputs, idx, updates):
    flat, rest = _rows(np, idx, inputs.shape)
    out = inputs.copy()
    u = updates.reshape((flat.shape[0],) + rest)
    for i in range(flat.shape[0]):
        out[tuple(flat[i])] = u[i]
    if flat.shape[1] > 0:
        fancy = inputs.copy()
        fancy[tuple(flat.T)] = u
        assert np.array_equal(fancy, out, equal_nan=True), "numpy's fancy assignment disagrees with the row loop"
    return out


def generate(np, T):
    cases = []
    f = "float32"
    r = T.rng("scatter/scatter")

    def sc(cid, idx, values, shape, note=None):
        want = _scatter(np, idx, values, shape)
        cases.append(T.case(f"scatter/{cid}", "scatter", {"indices": T(idx), "values": T(values)}, {"shape": list(shape)}, expect=T(want), note=note))

    sc("docstring", np.array([[0, 1], [1, 1]], "int32"), np.array([1.0, 1.0], f), (2, 2), "keras.ops.scatter's docstring example")
    sc("rank1_points", np.array([[0], [2], [5]], "int32"), np.array([1.5, -2.0, 3.0], f), (6,))
    sc("duplicates_add", np.array([[1], [3], [1], [1]], "int64"), np.array([1.0, 2.0, 3.0, 4.0], f), (5,), "repeated indices add (1 + 3 + 4 at 1)")
    sc("negative", np.array([[-1, 0], [0, -3], [-2, -2]], "int32"), np.array([1.0, 2.0, 3.0], f), (3, 3), "negative indices count from the end")
    sc("slices", np.array([[1], [0], [1]], "int32"), T.arr(r, (3, 4), f), (3, 4), "k = 1 < len(shape): whole rows, repeats add")
    sc("slices_rank3", np.array([[0, 2], [1, 0]], "int32"), T.arr(r, (2, 4), f), (2, 3, 4))
    sc("batched_indices", np.array([[[0, 1], [2, 2]], [[0, 1], [1, 0]]], "int32"), T.arr(r, (2, 2), f), (3, 3), "indices (2, 2, 2): values (2, 2)")
    sc("full_depth_rank3", np.array([[0, 1, 2], [1, 1, 1], [0, 1, 2]], "int16"), np.array([1.0, 2.0, 4.0], "float64"), (2, 2, 3))
    sc("empty_indices", np.zeros((0, 2), "int32"), np.zeros((0,), f), (2, 3), "no rows: zeros")
    sc("empty_slice", np.array([[1], [0]], "int32"), np.zeros((2, 0), f), (2, 0))
    for it in T.INTS:
        sc(f"indices_dtype/{it}", np.array([[1], [0], [1]], it), np.array([1.0, 2.0, 3.0], f), (3,))
    for dt in T.DTYPES:
        sc(f"dtype/{dt}", np.array([[0], [2], [0], [1]], "int32"), T.arr(r, (4, 2), dt, 0, 9), (3, 2), "values' dtype; repeats add in it (bool: or)")
    sc("int8_wraps", np.array([[0], [0]], "int32"), np.array([100, 100], "int8"), (2,), "int8 += wraps as numpy's does")
    sc("special", np.arange(10, dtype="int32").reshape(10, 1) % 4, T.special("float64"), (4,), "NaN and inf propagate through the sums")

    def sc_err(cid, idx, values, shape, kind):
        cases.append(T.case(f"scatter/error/{cid}", "scatter", {"indices": T(idx), "values": T(values)}, {"shape": list(shape)}, error=kind))

    sc_err("index_too_big", np.array([[0], [4]], "int32"), np.array([1.0, 2.0], f), (4,), "IndexError")
    sc_err("index_too_small", np.array([[0, -4]], "int32"), np.array([1.0], f), (2, 3), "IndexError")
    sc_err("float_indices", np.array([[0.0]], f), np.array([1.0], f), (2,), "TypeError")
    sc_err("bool_indices", np.array([[True]], "bool"), np.array([1.0], f), (2,), "TypeError")
    sc_err("scalar_indices", np.array(0, "int32"), np.array(1.0, f), (2,), "ValueError")
    sc_err("index_too_deep", np.array([[0, 1, 0]], "int32"), np.array([1.0], f), (2, 2), "ValueError")
    sc_err("values_shape", np.array([[0], [1]], "int32"), np.array([1.0, 2.0, 3.0], f), (3,), "ValueError")
    sc_err("values_slice_shape", np.array([[0], [1]], "int32"), np.ones((2, 3), f), (2, 4), "ValueError")
    sc_err("negative_shape", np.array([[0]], "int32"), np.array([1.0], f), (-1,), "ValueError")

    # scatter_update
    r = T.rng("scatter/scatter_update")

    def su(cid, inputs, idx, updates, note=None):
        want = _scatter_update(np, inputs, idx, updates)
        cases.append(T.case(f"scatter_update/{cid}", "scatter_update", {"inputs": T(inputs), "indices": T(idx), "updates": T(updates)}, expect=T(want), note=note))

    su("docstring_points", np.zeros((4, 4, 4), f), np.array([[1, 2, 3], [0, 1, 3]], "int32"), np.array([1.0, 1.0], f), "keras.ops.scatter_update's first docstring example")
    su("docstring_slices", np.zeros((4, 4, 4), f), np.array([[1, 2], [2, 3]], "int32"), np.ones((2, 4), f), "the second: k = 2 < ndim replaces inputs[1, 2, :] and inputs[2, 3, :]")
    x = T.arr(r, (3, 4), f)
    su("points", x, np.array([[0, 0], [2, 3], [1, -1]], "int64"), np.array([9.0, 8.0, 7.0], f))
    su("rows", x, np.array([[2], [-3]], "int32"), T.arr(r, (2, 4), f))
    su("duplicates_last_wins", x, np.array([[1, 1], [0, 2], [1, 1]], "int32"), np.array([5.0, 6.0, 7.0], f), "a repeated index: the last row wins (7 at [1, 1])")
    su("duplicate_rows_last_wins", x, np.array([[0], [0]], "int32"), np.stack([np.full(4, 1.0, f), np.full(4, 2.0, f)]), "row 0 written twice: the second update stays")
    su("batched_indices", x, np.array([[[0, 1]], [[2, 0]]], "int32"), np.array([[3.0], [4.0]], f), "indices (2, 1, 2): updates (2, 1), tf.tensor_scatter_nd_update's layout")
    su("empty_indices", x, np.zeros((0, 2), "int32"), np.zeros((0,), f), "no rows: inputs unchanged")
    su("cast_updates", np.arange(6, dtype="int32").reshape(2, 3), np.array([[1, 2], [0, 0]], "int32"), np.array([-7.9, 8.6], "float64"), "updates cast to inputs' dtype (float to int truncates)")
    for it in T.INTS:
        su(f"indices_dtype/{it}", x, np.array([[2, 1], [0, 3]], it), np.array([-1.0, 1.0], f))
    for dt in T.DTYPES:
        su(f"dtype/{dt}", T.arr(r, (3, 2), dt, 0, 9), np.array([[2], [0]], "int32"), T.arr(r, (2, 2), dt, 0, 9))
    su("special", T.special("float64").reshape(2, 5), np.array([[0, 1], [1, 4]], "int32"), np.array([np.nan, -np.inf], "float64"))

    def su_err(cid, inputs, idx, updates, kind):
        cases.append(T.case(f"scatter_update/error/{cid}", "scatter_update", {"inputs": T(inputs), "indices": T(idx), "updates": T(updates)}, error=kind))

    su_err("index_too_big", x, np.array([[3, 0]], "int32"), np.array([1.0], f), "IndexError")
    su_err("index_too_small", x, np.array([[0, -5]], "int32"), np.array([1.0], f), "IndexError")
    su_err("float_indices", x, np.array([[0.0, 1.0]], f), np.array([1.0], f), "TypeError")
    su_err("scalar_indices", x, np.array(0, "int32"), np.array(1.0, f), "ValueError")
    su_err("index_too_deep", x, np.array([[0, 1, 0]], "int32"), np.array([1.0], f), "ValueError")
    su_err("updates_count", x, np.array([[0, 1], [1, 1]], "int32"), np.array([1.0], f), "ValueError")
    su_err("updates_slice_shape", x, np.array([[0]], "int32"), np.ones((1, 3), f), "ValueError")
    return cases
