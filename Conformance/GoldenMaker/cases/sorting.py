"""Golden cases for sort, argsort, top_k and top_k_indices (family `sorting`).

Keras 3 rules (keras/src/backend/numpy/numpy.py sort and argsort, keras/src/backend/numpy/math.py top_k):
- sort is numpy.sort(x, axis): ascending, NaN last; axis None sorts the flattened x.
- argsort is numpy.argsort(x, axis).astype("int32"), here stable (kind="stable", as JAX): ties keep their order.
- top_k(x, k, sorted=True) is Keras' stable reverse-argsort-reverse: values descending, ties by lower index, NaN
  first (largest); indices int32. top_k_indices is its index half.
Values cross-checked with torch.sort (stable) and torch.topk where values are distinct.
"""


def generate(np, T):
    import torch
    cases = []
    r = T.rng("sorting/sort")
    f = "float32"

    def sort(cid, x, axis="default", note=None):
        args = {} if axis == "default" else {"axis": axis}
        ax = -1 if axis == "default" else axis
        want = np.sort(x, axis=ax)
        idx = np.argsort(x, axis=ax, kind="stable").astype("int32")
        if x.dtype != np.bool_ and x.size and str(x.dtype) != "uint8" and str(x.dtype) != "float16":
            tx = torch.tensor(x.reshape(-1) if ax is None else x)
            tv, ti = torch.sort(tx, dim=0 if ax is None else ax, stable=True)
            assert np.array_equal(tv.numpy(), want, equal_nan=True) and np.array_equal(ti.numpy(), idx), "torch disagrees on sort"
        cases.append(T.case(f"sort/{cid}", "sort", {"x": T(x)}, args, expect=T(want), note=note))
        cases.append(T.case(f"argsort/{cid}", "argsort", {"x": T(x)}, args, expect=T(idx), note=note))

    sort("1d", T.arr(r, (7,), f))
    sort("2d_default", T.arr(r, (3, 5), f))
    sort("2d_axis0", T.arr(r, (3, 5), f), 0)
    sort("3d_axis1", T.arr(r, (2, 4, 3), f), 1)
    sort("3d_axis-3", T.arr(r, (3, 2, 2), f), -3)
    sort("none", T.arr(r, (2, 3), f), None, "axis None sorts the flattened x")
    sort("ties", np.array([[2, 1, 2, 1, 0, 2]], f), -1, "stable: equal values keep their order")
    sort("nan_last", np.array([np.nan, 1, -np.inf, np.nan, np.inf, -0.0, 0.0, -1], f), -1, "NaN after +inf")
    sort("special", T.special("float64"))
    sort("long", T.arr(r, (3, 300), f, -50, 50), -1)
    sort("empty", np.zeros((2, 0), f))
    sort("empty_rows", np.zeros((0, 3), f), 0)
    sort("rank0_none", np.array(3.0, f), None)
    for dt in T.DTYPES:
        sort(f"dtype/{dt}", T.arr(r, (2, 6), dt, -3, 3))

    def err(cid, x, axis):
        for op in ["sort", "argsort"]:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(x)}, {"axis": axis}, error="ValueError"))

    err("axis_too_big", T.arr(r, (2, 3), f), 2)
    err("axis_too_small", T.arr(r, (2, 3), f), -3)
    err("rank0_axis", np.array(1.0, f), -1)

    # top_k
    r = T.rng("sorting/top_k")

    def top_k(cid, x, k, sorted_=None, note=None):
        n = x.shape[-1]
        xr = np.flip(x, axis=-1)
        rev = np.argsort(xr, axis=-1, kind="stable")[..., ::-1]
        idx = (n - 1 - rev)[..., :k].astype("int32")
        vals = np.take_along_axis(x, idx, axis=-1)
        if x.dtype.kind == "f" and x.size and len(np.unique(x)) == x.size and not np.isnan(x).any() and str(x.dtype) != "float16":
            tv, ti = torch.topk(torch.tensor(x), k, dim=-1)
            assert np.array_equal(tv.numpy(), vals) and np.array_equal(ti.numpy(), idx), "torch disagrees on top_k"
        args = {"k": k}
        if sorted_ is not None:
            args["sorted"] = sorted_
        cases.append(T.case(f"top_k/{cid}", "top_k", {"x": T(x)}, args, expect=[T(vals), T(idx)], note=note))
        cases.append(T.case(f"top_k_indices/{cid}", "top_k_indices", {"x": T(x)}, args, expect=T(idx), note=note))

    top_k("1d", T.arr(r, (8,), f), 3)
    top_k("2d", T.arr(r, (4, 10), f), 4)
    top_k("3d", T.arr(r, (2, 3, 6), f), 2)
    top_k("k_all", T.arr(r, (2, 5), f), 5)
    top_k("k0", T.arr(r, (2, 5), f), 0)
    top_k("ties", np.array([[1, 3, 3, 2, 3, 1]], f), 4, note="equal values by lower index (tf.math.top_k, jax.lax.top_k)")
    top_k("nan_largest", np.array([[1, np.nan, 5, np.nan, -np.inf, 2]], f), 3, note="Keras' numpy top_k ranks NaN first")
    top_k("long_row", T.arr(r, (3, 1000), f, -100, 100), 5, note="longer than the vector pre-filter's vectors")
    top_k("long_row_k_big", T.arr(r, (2, 300), f, -100, 100), 100, note="k above the heap limit: a full sort")
    top_k("sorted_false", T.arr(r, (2, 7), f), 3, False, "sorted=False: the same (descending) order")
    top_k("empty_rows", np.zeros((0, 4), f), 2)
    for dt in T.DTYPES:
        top_k(f"dtype/{dt}", T.arr(r, (2, 9), dt, -4, 4), 3)

    def tk_err(cid, x, k):
        for op in ["top_k", "top_k_indices"]:
            cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(x)}, {"k": k}, error="ValueError"))

    tk_err("k_too_big", T.arr(r, (2, 3), f), 4)
    tk_err("k_negative", T.arr(r, (2, 3), f), -1)
    tk_err("rank0", np.array(1.0, f), 1)
    return cases
