"""Golden cases for nonzero, the one-argument keras.ops.where (family `nonzero`).

Keras 3: keras.ops.where(condition) with x1 and x2 None is numpy.where(condition) (keras/src/backend/numpy/numpy.py
`where`), which is numpy.nonzero(condition): one int64 array per axis holding the coordinates of the nonzero elements
in row-major (C) order. NaN is nonzero, -0.0 is zero. A 0-d condition is refused (numpy 1.17+ deprecates it; numpy
2 raises ValueError). Expected values are np.where(condition), checked against np.nonzero and torch.nonzero(as_tuple=True).
"""


def _want(np, x):
    got = np.where(x)
    same = np.nonzero(x)
    assert all(np.array_equal(a, b) for a, b in zip(got, same))
    try:
        import torch
        if x.dtype.name in ("float32", "float64", "int32", "int64", "bool", "uint8", "int8", "int16"):
            t = torch.nonzero(torch.from_numpy(x.copy()), as_tuple=True)
            assert all(np.array_equal(a, b.numpy()) for a, b in zip(got, t))
    except ImportError:
        pass
    return [a.astype("int64") for a in got]


def generate(np, T):
    cases = []
    r = T.rng("nonzero/nonzero")

    def nz(cid, x, note=None):
        want = [T(a) for a in _want(np, x)]
        cases.append(T.case(f"nonzero/{cid}", "nonzero", {"x": T(x)}, expect=want, note=note))

    nz("bool_1d", np.array([True, False, True, True, False]), "keras.ops.where(condition): the indices of the true elements")
    nz("bool_2d", np.array([[True, False, False], [False, True, True]]), "one index array per axis, row-major order")
    nz("float_3d", T.arr(r, (2, 3, 4), "float32", -1, 1).round(), "numbers: nonzero is true")
    nz("none_true", np.zeros((3, 2), "float32"), "no nonzero element: empty index arrays")
    nz("all_true", np.ones((2, 2), "int32"))
    nz("empty", np.zeros((0, 3), "bool"))
    nz("special", T.special("float64"), "NaN is nonzero, -0.0 is zero")
    for dt in T.DTYPES:
        nz(f"dtype/{dt}", T.arr(r, (3, 4), dt, -1, 1))
    cases.append(T.case("nonzero/error/scalar", "nonzero", {"x": T(np.array(1.0, "float32"))}, error="ValueError"))
    return cases
