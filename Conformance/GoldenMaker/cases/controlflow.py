"""Golden cases for control flow (family `controlflow`): in_train_phase, in_test_phase, map_fn, foldl, foldr.

From tf-keras's code (tf_keras/backend.py):
- in_train_phase(x, alt, training=None): training 1/True -> x, 0/False -> alt, a tensor -> switch(training, x, alt);
  None -> the learning phase (the replayer restores it unset, i.e. 0 -> alt). in_test_phase(x, alt, t) is
  in_train_phase(alt, x, t). Any other training value is a ValueError here.
- map_fn(fn, elems) = stack([fn(e) for e in elems]); foldl/foldr = functools.reduce from the left/right, starting at
  the initializer or at the first/last element. Functions are named in case files (sum, square, ... add, multiply, ...).
  Keras 2.3's backend_test: map_fn(sum) over (10, 3) is x.sum(axis=1); foldl(add) is x.sum(axis=0); foldl vs foldr of a
  product of [1e-20, 1e-20, 10, 10, 10] in float32: here (no flush-to-zero, as numpy) foldl reaches the subnormal 1e-40
  and then 1e-37, TensorFlow on CPU flushes it to 0.
"""
import functools


def generate(np, T):
    cases = []
    r = T.rng("controlflow")
    a = T.arr(r, (2, 3), "float32")
    b = T.arr(r, (2, 3), "float32")
    for op, (first, second) in [("in_train_phase", (a, b)), ("in_test_phase", (b, a))]:
        # first: what training=1 selects; second: what training=0 selects.
        for cid, training, want in [("one", 1, first), ("zero", 0, second), ("true", True, first), ("false", False, second),
                                    ("default_phase", "unset", second)]:
            args = {} if training == "unset" else {"training": training}
            cases.append(T.case(f"{op}/{cid}", op, {"x": T(a), "alt": T(b)}, args, expect=T(want),
                                note="learning phase unset (Keras' eager default 0)" if training == "unset" else None))
        cases.append(T.case(f"{op}/tensor_training", op, {"x": T(a), "alt": T(b), "training": T(np.array(1, "int32"))}, {}, expect=T(first)))
        cases.append(T.case(f"{op}/error/training2", op, {"x": T(a), "alt": T(b)}, {"training": 2}, error="ValueError"))

    x = T.arr(r, (10, 3), "float32")
    cases.append(T.case("map_fn/sum", "map_fn", {"elems": T(x)}, {"fn": "sum"}, expect=T(x.astype("float64").sum(axis=1).astype("float32")),
                        note="Keras 2.3 backend_test: map_fn(K.sum) over (10, 3) = x.sum(axis=1)"))
    cases.append(T.case("map_fn/square", "map_fn", {"elems": T(x)}, {"fn": "square"}, expect=T(x * x)))
    cases.append(T.case("map_fn/dtype", "map_fn", {"elems": T(x)}, {"fn": "negative", "dtype": "float64"}, expect=T((-x).astype("float64"))))
    xi = T.arr(r, (4, 2, 2), "int32")
    cases.append(T.case("map_fn/max_int", "map_fn", {"elems": T(xi)}, {"fn": "max"}, expect=T(xi.reshape(4, -1).max(axis=1))))
    cases.append(T.case("map_fn/empty", "map_fn", {"elems": T(np.zeros((0, 3), "float32"))}, {"fn": "sum"}, expect=T(np.zeros((0,), "float32"))))
    cases.append(T.case("map_fn/error/scalar", "map_fn", {"elems": T(np.array(1.0, "float32"))}, {"fn": "sum"}, error="ValueError"))

    def fold(name, left, x, fn, init=None):
        f = {"add": np.add, "multiply": np.multiply, "maximum": np.maximum, "subtract": np.subtract}[fn]
        rows = list(x) if left else list(x)[::-1]
        acc = init if init is not None else rows[0]
        for e in (rows if init is not None else rows[1:]):
            acc = f(acc, e)
        return np.asarray(acc, dtype=x.dtype)

    for op, left in [("foldl", True), ("foldr", False)]:
        cases.append(T.case(f"{op}/add", op, {"elems": T(x)}, {"fn": "add"}, expect=T(fold(op, left, x, "add")), rtol=1e-5, atol=1e-5,
                            note="Keras 2.3 backend_test: foldl(+) over (10, 3) = x.sum(axis=0)"))
        cases.append(T.case(f"{op}/subtract", op, {"elems": T(x[:4])}, {"fn": "subtract"}, expect=T(fold(op, left, x[:4], "subtract")),
                            note="order matters: fn(acc, element)"))
        init = T.arr(r, (3,), "float32")
        cases.append(T.case(f"{op}/initializer", op, {"elems": T(x[:3]), "initializer": T(init)}, {"fn": "maximum"},
                            expect=T(fold(op, left, x[:3], "maximum", init))))
        tiny = np.array([1e-20, 1e-20, 10, 10, 10], "float32")
        cases.append(T.case(f"{op}/product_order", op, {"elems": T(tiny)}, {"fn": "multiply"}, expect=T(fold(op, left, tiny, "multiply")),
                            rtol=1e-5, atol=0, note="Keras 2.3's foldl/foldr case; no flush-to-zero here (numpy)"))
        cases.append(T.case(f"{op}/empty_with_initializer", op, {"elems": T(np.zeros((0, 2), "float32")), "initializer": T(np.ones(2, "float32"))},
                            {"fn": "add"}, expect=T(np.ones(2, "float32"))))
        cases.append(T.case(f"{op}/error/empty", op, {"elems": T(np.zeros((0, 2), "float32"))}, {"fn": "add"}, error="ValueError"))
    return cases
