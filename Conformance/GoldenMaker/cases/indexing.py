"""Golden cases for numpy basic indexing: strided_slice (x[index]) and strided_slice_update (y = x.copy(); y[index] = v).

Every expected value is computed by real numpy on the index written as Python: `x[idx]` and `y[idx] = v`. The case's
arguments are the index in tf.strided_slice's encoding (begin, end, strides and five bit masks), made by `encode`
below exactly as TensorFlow documents it (and as the C# indexer builds it). Cross-check: when torch is importable,
every index without a negative step (torch has none) is recomputed with torch tensors and must agree.
Rules pinned: slices clamp (Python's slice.indices); negative steps walk back; an integer outside [-n, n) is an
IndexError, as are too many indices and two ellipses; a zero step is a ValueError; an assigned value broadcasts to the
region after numpy drops its leading 1s, and is cast to x's dtype (numpy's setitem casts unsafely: floats truncate).
"""


def encode(idx):
    """tf.strided_slice's (begin, end, strides, masks) for a numpy basic index."""
    if not isinstance(idx, tuple):
        idx = (idx,)
    begin, end, strides = [], [], []
    m = {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0, "shrink_axis_mask": 0}
    for i, it in enumerate(idx):
        b, e, s = 0, 0, 1
        if it is Ellipsis:
            m["ellipsis_mask"] |= 1 << i
        elif it is None:
            m["new_axis_mask"] |= 1 << i
        elif isinstance(it, int):
            m["shrink_axis_mask"] |= 1 << i
            b, e = it, it + 1
        else:
            s = 1 if it.step is None else it.step
            if it.start is None:
                m["begin_mask"] |= 1 << i
            else:
                b = it.start
            if it.stop is None:
                m["end_mask"] |= 1 << i
            else:
                e = it.stop
        begin.append(b)
        end.append(e)
        strides.append(s)
    args = {"begin": begin, "end": end, "strides": strides}
    args.update({k: v for k, v in m.items() if v})
    return args


def show(idx):
    if not isinstance(idx, tuple):
        idx = (idx,)

    def one(it):
        if it is Ellipsis:
            return "..."
        if it is None:
            return "None"
        if isinstance(it, int):
            return str(it)
        s = ("" if it.start is None else str(it.start)) + ":" + ("" if it.stop is None else str(it.stop))
        return s + ("" if it.step is None else ":" + str(it.step))
    return "x[" + ", ".join(one(i) for i in idx) + "]"


def _torch_check(np, x, idx, want):
    try:
        import torch
    except Exception:  # torch is optional
        return
    items = idx if isinstance(idx, tuple) else (idx,)
    if any(isinstance(i, slice) and i.step is not None and i.step < 0 for i in items) or x.ndim == 0:
        return
    got = torch.from_numpy(np.ascontiguousarray(x))[idx].numpy()
    if got.shape != want.shape or not np.array_equal(got, want, equal_nan=x.dtype.kind == "f"):
        raise AssertionError(f"torch disagrees with numpy on {show(idx)} for shape {x.shape}")


S = slice
E = Ellipsis
N = None

# Index forms over a (4, 5, 6) tensor: every kind of item, alone and mixed.
FORMS = [
    1, -1, -4, (1, 2), (1, 2, 3), (-1, -2, -3),
    S(1, 3), S(None, 2), S(2, None), S(None), S(-3, -1), S(-100, 100), S(3, 1), S(5, 9),
    S(None, None, 2), S(1, None, 3), S(None, None, -1), S(None, None, -2), S(3, 0, -1), S(-1, None, -2), S(2, None, -1),
    S(None, 1, -1), S(10, -10, -3), S(-10, 10, 3),
    (S(None), 0), (S(None), S(None), -1), (1, S(None, None, -1), S(1, 5, 2)),
    N, (N, 1), (1, N), (S(None), N, 2), (N, N), (1, N, S(None), N),
    E, (E, 0), (0, E), (E, N), (N, E), (1, E, 2), (E, S(None, None, -1)), (S(1, 3), E, N, -1),
    (), (0, 0, S(None, None, -2)), (E, 1, 2, 3),
]


def generate(np, T):
    cases = []
    r = T.rng("indexing/strided_slice")

    def ss(cid, x, idx, note=None):
        want = np.asarray(x[idx])
        _torch_check(np, x, idx, want)
        cases.append(T.case(f"strided_slice/{cid}", "strided_slice", {"x": T(x)}, encode(idx), expect=T(want),
                            note=(show(idx) + (": " + note if note else ""))))

    x = T.arr(r, (4, 5, 6), "float32")
    for i, idx in enumerate(FORMS):
        ss(f"form/{i}", x, idx)
    for dt in T.DTYPES:
        ss(f"dtype/{dt}", T.arr(r, (3, 4), dt), (S(None, None, -1), S(1, None, 2)))
        ss(f"dtype_int/{dt}", T.arr(r, (3, 4), dt), (1, -1))
    for dt in T.FLOATS:
        ss(f"special/{dt}", T.special(dt), S(None, None, -3), "values move bit for bit")
    ss("rank0/newaxis", np.array(2.5, "float32"), N)
    ss("rank0/ellipsis", np.array(2.5, "float32"), E)
    ss("rank0/empty", np.array(-1.5, "float32"), ())
    ss("empty/axis", np.zeros((0, 3), "float32"), (S(None), 1))
    ss("empty/result", T.arr(r, (3, 4), "float32"), S(2, 1))
    ss("empty/reverse", np.zeros((2, 0), "float32"), (S(None, None, -1), S(None, None, -1)))
    ss("rank5/mixed", T.arr(r, (2, 3, 1, 4, 2), "float32"), (S(None, None, -1), E, N, S(1, None, 2), 1))
    ss("large/rows", T.arr(r, (40, 70), "float32"), (S(3, 37, 2), S(5, 66)), "a block copy per row")
    ss("large/columns", T.arr(r, (40, 70), "float32"), (S(None, None, -3), S(None, None, -7)), "strided both ways")

    z = np.zeros((2, 3), "float32")
    for cid, idx, kind in [("index_past_end", (0, 3), "IndexError"), ("index_before_start", -3, "IndexError"),
                           ("too_many", (0, 0, 0), "IndexError"), ("two_ellipses", (E, 0, E), "IndexError"),
                           ("zero_step", S(None, None, 0), "ValueError")]:
        items = idx if isinstance(idx, tuple) else (idx,)
        try:
            z[idx]
            raise AssertionError(f"numpy accepted {show(idx)}")
        except IndexError:
            assert kind == "IndexError", cid
        except ValueError:
            assert kind == "ValueError", cid
        del items
        cases.append(T.case(f"strided_slice/error/{cid}", "strided_slice", {"x": T(z)}, encode(idx), error=kind, note=show(idx)))
    cases.append(T.case("strided_slice/error/lengths", "strided_slice", {"x": T(z)}, {"begin": [0, 0], "end": [1], "strides": [1, 1]},
                        error="ValueError", note="begin, end and strides of different lengths"))

    r = T.rng("indexing/strided_slice_update")

    def up(cid, x, idx, v, note=None):
        y = x.copy()
        y[idx] = v
        args = encode(idx)
        cases.append(T.case(f"strided_slice_update/{cid}", "strided_slice_update", {"x": T(x), "updates": T(np.asarray(v))}, args,
                            expect=T(y), note=(show(idx) + " = v" + (": " + note if note else ""))))

    x = T.arr(r, (4, 5, 6), "float32")
    for i, idx in enumerate(FORMS):
        region = x[idx]
        up(f"form/{i}", x, idx, T.arr(r, np.shape(region), "float32"))
    up("broadcast/scalar", x, (S(None), 1), np.float32(7.5))
    up("broadcast/row", x, (1, S(None), S(None, None, -2)), T.arr(r, (3,), "float32"))
    up("broadcast/leading_ones", x, (0, 0), T.arr(r, (1, 1, 6), "float32"), "numpy drops the value's leading 1s")
    up("broadcast/column", x, (E, S(1, 3)), T.arr(r, (4, 1, 1), "float32"))
    for dt in T.DTYPES:
        up(f"dtype/{dt}", T.arr(r, (3, 4), dt), (S(None, None, -1), 2), T.arr(r, (3,), dt))
    up("cast/float_to_int", T.arr(r, (3, 4), "int32"), (1,), np.array([1.7, -1.7, 2.5, -0.5], "float32"), "numpy's setitem truncates")
    up("cast/float_to_bool", T.arr(r, (2, 3), "bool"), (0,), np.array([0.5, 0.0, -2.0], "float32"), "nonzero is True")
    up("cast/int_to_float16", T.arr(r, (2, 3), "float16"), (S(None), -1), np.array([3, -4], "int64"))
    up("rank0", np.array(2.5, "float32"), (), np.float32(-1.0))
    up("empty_region", T.arr(r, (3, 4), "float32"), S(3, 1), np.zeros((0, 4), "float32"))
    up("large", T.arr(r, (40, 70), "float32"), (S(3, 37, 2), S(None, None, -3)), T.arr(r, (17, 24), "float32"))
    for cid, idx, v, kind in [("not_broadcastable", S(0, 2), np.zeros((2,), "float32"), "ValueError"),
                              ("value_rank", 0, np.zeros((2, 3), "float32"), "ValueError"),
                              ("index_past_end", (2, 0), np.float32(0), "IndexError"),
                              ("zero_step", S(None, None, 0), np.float32(0), "ValueError")]:
        y = np.zeros((2, 3), "float32")
        try:
            y[idx] = v
            raise AssertionError(f"numpy accepted {show(idx)} = {v!r}")
        except IndexError:
            assert kind == "IndexError", cid
        except ValueError:
            assert kind == "ValueError", cid
        cases.append(T.case(f"strided_slice_update/error/{cid}", "strided_slice_update",
                            {"x": T(np.zeros((2, 3), "float32")), "updates": T(np.asarray(v))}, encode(idx), error=kind, note=show(idx)))
    return cases + generate_keras3(np, T)

def _torch_pad(np, x, pads, mode, want):
    """Cross-check numpy.pad's reflect with torch.nn.functional.pad on the last axis (torch pads only trailing axes)."""
    try:
        import torch
        import torch.nn.functional as F
    except Exception:  # torch is optional
        return
    if mode != "reflect" or x.ndim < 1 or x.dtype.kind != "f" or any(p != (0, 0) for p in pads[:-1]):
        return
    t = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64)).reshape(1, -1, x.shape[-1])
    got = F.pad(t, pads[-1], mode="reflect").reshape(x.shape[:-1] + (x.shape[-1] + sum(pads[-1]),)).numpy()
    if not np.allclose(got, want.astype(np.float64), equal_nan=True):
        raise AssertionError(f"torch reflect padding disagrees with numpy for {pads}")


def generate_keras3(np, T):
    cases = []
    r = T.rng("indexing/split")

    def sp(cid, x, ios, axis=None, note=None):
        args = {"indices_or_sections": ios}
        if axis is not None:
            args["axis"] = axis
        want = np.split(x, ios, axis=0 if axis is None else axis)
        cases.append(T.case(f"split/{cid}", "split", {"x": T(x)}, args, expect=[T(p) for p in want], note=note))

    sp("sections", T.arr(r, (6, 2), "float32"), 3)
    sp("sections_axis", T.arr(r, (2, 6), "float32"), 2, 1)
    sp("sections_negative_axis", T.arr(r, (2, 3, 4), "float32"), 4, -1)
    sp("one_section", T.arr(r, (3,), "float32"), 1)
    sp("indices", T.arr(r, (7, 2), "float32"), [2, 5])
    sp("indices_axis", T.arr(r, (2, 7), "float32"), [1, 3, 6], 1)
    sp("indices_past_end", T.arr(r, (4,), "float32"), [2, 9], note="an index past the end gives an empty piece")
    sp("indices_negative", T.arr(r, (5,), "float32"), [-2], note="Python slicing: x[:-2], x[-2:]")
    sp("indices_unsorted", T.arr(r, (5,), "float32"), [3, 1], note="x[:3], x[3:1] (empty), x[1:]")
    sp("indices_empty", T.arr(r, (3, 2), "float32"), [], note="one piece: x")
    sp("empty_axis", np.zeros((0, 3), "float32"), 3, 1)
    for dt in T.DTYPES:
        sp(f"dtype/{dt}", T.arr(r, (4, 3), dt), 2)
    for cid, x, ios, axis in [("uneven", np.zeros((5,), "float32"), 2, 0), ("zero", np.zeros((4,), "float32"), 0, 0),
                              ("axis", np.zeros((4,), "float32"), 2, 1), ("rank0", np.zeros((), "float32"), 1, 0)]:
        cases.append(T.case(f"split/error/{cid}", "split", {"x": T(x)}, {"indices_or_sections": ios, "axis": axis}, error="ValueError"))

    r = T.rng("indexing/broadcast_to")

    def bt(cid, x, shape, note=None):
        cases.append(T.case(f"broadcast_to/{cid}", "broadcast_to", {"x": T(x)}, {"shape": list(shape)},
                            expect=T(np.ascontiguousarray(np.broadcast_to(x, shape))), note=note))

    bt("row", T.arr(r, (3,), "float32"), (2, 3))
    bt("column", T.arr(r, (3, 1), "float32"), (3, 4))
    bt("scalar", np.array(1.5, "float32"), (2, 2))
    bt("same", T.arr(r, (2, 3), "float32"), (2, 3))
    bt("leading_and_inner", T.arr(r, (1, 3, 1), "float32"), (2, 2, 3, 4))
    bt("to_empty", T.arr(r, (1, 3), "float32"), (0, 3))
    for dt in T.DTYPES:
        bt(f"dtype/{dt}", T.arr(r, (2, 1), dt), (2, 3))
    for cid, x, shape in [("mismatch", np.zeros((3,), "float32"), (4,)), ("rank_down", np.zeros((2, 3), "float32"), (3,)),
                          ("inner", np.zeros((2, 3), "float32"), (2, 1))]:
        cases.append(T.case(f"broadcast_to/error/{cid}", "broadcast_to", {"x": T(x)}, {"shape": list(shape)}, error="ValueError"))

    r = T.rng("indexing/pad")

    def pd(cid, x, pad_width, mode=None, cv=None, note=None):
        args = {"pad_width": pad_width}
        kw = {}
        if mode is not None:
            args["mode"] = mode
        if cv is not None:
            args["constant_values"] = cv
            kw["constant_values"] = cv
        want = np.pad(x, pad_width, mode=mode or "constant", **kw)
        pairs = [tuple(int(v) for v in p) for p in np.lib.arraypad._as_pairs(pad_width, x.ndim, as_index=True)] if x.ndim else []
        _torch_pad(np, x, pairs, mode or "constant", want)
        cases.append(T.case(f"pad/{cid}", "pad", {"x": T(x)}, args, expect=T(want), note=note))

    x = T.arr(r, (3, 4), "float32")
    pd("constant/int", x, 1)
    pd("constant/pair", x, [1, 2])
    pd("constant/per_axis", x, [[0, 1], [2, 0]])
    pd("constant/value", x, [[1, 1], [1, 1]], "constant", 2.5)
    pd("constant/one_pair", x, [[2, 1]], note="one pair for every axis")
    pd("constant/empty_axis", np.zeros((0, 2), "float32"), [[1, 1], [0, 0]], note="an empty axis padded with the constant")
    pd("constant/rank0", np.array(3.0, "float32"), 1, note="a scalar has no axis to pad")
    pd("reflect/per_axis", x, [[2, 1], [3, 2]], "reflect")
    pd("reflect/last_axis", T.arr(r, (2, 5), "float32"), [[0, 0], [4, 3]], "reflect", note="cross-checked with torch reflect")
    pd("symmetric/per_axis", x, [[3, 2], [1, 4]], "symmetric")
    pd("symmetric/int", T.arr(r, (2, 2, 3), "float32"), 2, "symmetric")
    for dt in T.DTYPES:
        pd(f"constant/dtype/{dt}", T.arr(r, (2, 3), dt), [[1, 0], [0, 2]], "constant", 1 if dt != "bool" else None)
        pd(f"reflect/dtype/{dt}", T.arr(r, (3, 3), dt), 2, "reflect")
    pd("constant/int_truncates", T.arr(r, (2,), "int32"), 1, "constant", 2.7, note="the constant is cast to x's dtype")
    for cid, x, pw, mode, cv in [("mode", np.zeros((3,), "float32"), 1, "wrap", None),
                                 ("constant_with_reflect", np.zeros((3,), "float32"), 1, "reflect", 1.0),
                                 ("negative", np.zeros((3,), "float32"), -1, "constant", None),
                                 ("pairs_count", np.zeros((3, 3), "float32"), [[1, 1], [1, 1], [1, 1]], "constant", None),
                                 ("reflect_too_long", np.zeros((3,), "float32"), 3, "reflect", None),
                                 ("symmetric_too_long", np.zeros((3,), "float32"), 4, "symmetric", None)]:
        args = {"pad_width": pw, "mode": mode}
        if cv is not None:
            args["constant_values"] = cv
        cases.append(T.case(f"pad/error/{cid}", "pad", {"x": T(x)}, args, error="ValueError"))

    r = T.rng("indexing/slice_update")

    def su(cid, x, start, u, note=None):
        y = x.copy()
        y[tuple(slice(s, s + n) for s, n in zip(start, u.shape))] = u
        cases.append(T.case(f"slice_update/{cid}", "slice_update", {"inputs": T(x), "updates": T(u)}, {"start_indices": list(start)},
                            expect=T(y), note=note))

    su("block", T.arr(r, (4, 5), "float32"), (1, 2), T.arr(r, (2, 3), "float32"))
    su("corner", T.arr(r, (3, 3, 2), "float32"), (0, 0, 0), T.arr(r, (1, 1, 2), "float32"))
    su("whole", T.arr(r, (2, 3), "float32"), (0, 0), T.arr(r, (2, 3), "float32"))
    su("empty", T.arr(r, (2, 3), "float32"), (1, 3), np.zeros((1, 0), "float32"))
    su("rank0", np.array(1.0, "float32"), (), np.array(5.0, "float32"))
    for dt in T.DTYPES:
        su(f"dtype/{dt}", T.arr(r, (3, 4), dt), (1, 1), T.arr(r, (2, 2), dt))
    su("cast", T.arr(r, (3,), "int32"), (1,), np.array([1.9, -1.9], "float32"), "updates are cast to inputs' dtype (numpy truncates)")
    for cid, start, u, kind in [("past_end", (2, 0), np.zeros((1, 3), "float32"), "IndexError"),
                                ("negative", (-1, 0), np.zeros((1, 3), "float32"), "IndexError"),
                                ("start_length", (0,), np.zeros((1, 3), "float32"), "ValueError"),
                                ("updates_rank", (0, 0), np.zeros((3,), "float32"), "ValueError")]:
        cases.append(T.case(f"slice_update/error/{cid}", "slice_update", {"inputs": T(np.zeros((2, 3), "float32")), "updates": T(u)},
                            {"start_indices": list(start)}, error=kind))
    return cases
