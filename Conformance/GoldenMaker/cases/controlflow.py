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
    return cases + generate_control_flow(np, T)

# Named functions of ControlFlowOps, written here from their definitions.
BRANCHES = {"one": lambda np: np.float32(1), "zero": lambda np: np.float32(0)}
CONDS = {"sum_below_100": lambda np, v: v[0].sum() < 100, "sum_below_10": lambda np, v: v[0].sum() < 10}
BODIES = {"double": lambda np, v: [t + t for t in v], "increment_first": lambda np, v: [v[0] + v[0].dtype.type(1)] + list(v[1:]),
          "fibonacci": lambda np, v: [v[1], v[0] + v[1]]}
FOLDS = {"add": lambda np, a, b: a + b, "multiply": lambda np, a, b: a * b, "subtract": lambda np, a, b: a - b,
         "maximum": lambda np, a, b: np.maximum(a, b)}


def _scan_f(np, name, c, x):
    if name == "cumsum":
        s = c + x
        return s, s
    if name == "running_max":
        m = np.maximum(c, x)
        return m, m
    if name == "count":
        return c + c.dtype.type(1), c
    return c + x, None  # sum_no_y


def generate_control_flow(np, T):
    cases = []
    for cid, pred in [("true", True), ("false", False), ("one", 1), ("zero", 0), ("float", 0.5)]:
        want = BRANCHES["one" if pred else "zero"](np)
        cases.append(T.case(f"cond/{cid}", "cond", {}, {"pred": pred, "true_fn": "one", "false_fn": "zero"}, expect=T(np.asarray(want)),
                            note="numpy backend: true_fn() if pred else false_fn()"))

    def wl(cid, cond, body, vs, maxit=None, note=None):
        v = [np.array(a) for a in vs]
        i = 0
        while CONDS[cond](np, v) and (maxit is None or i < maxit):
            v = BODIES[body](np, v)
            i += 1
        args = {"cond": cond, "body": body}
        if maxit is not None:
            args["maximum_iterations"] = maxit
        cases.append(T.case(f"while_loop/{cid}", "while_loop", {"loop_vars": [T(a) for a in vs]}, args,
                            expect=[T(np.asarray(a)) for a in v], note=note))

    wl("double", "sum_below_100", "double", [np.array([1.0, 2.0], "float32")])
    wl("double_two_vars", "sum_below_100", "double", [np.array([3.0], "float32"), np.array([1, 2], "int32")])
    wl("increment", "sum_below_10", "increment_first", [np.array(0.0, "float32")])
    wl("fibonacci", "sum_below_100", "fibonacci", [np.array(1, "int32"), np.array(1, "int32")])
    wl("maximum_iterations", "sum_below_100", "double", [np.array([1.0], "float64")], 3, "stops after 3 steps")
    wl("maximum_zero", "sum_below_100", "double", [np.array([1.0], "float32")], 0, "runs nothing")
    wl("cond_false", "sum_below_10", "double", [np.array([50.0], "float32")], note="cond is checked first")
    cases.append(T.case("while_loop/error/empty", "while_loop", {"loop_vars": []}, {"cond": "sum_below_10", "body": "double"}, error="ValueError"))
    cases.append(T.case("while_loop/error/negative_max", "while_loop", {"loop_vars": [T(np.zeros(1, "float32"))]},
                        {"cond": "sum_below_10", "body": "double", "maximum_iterations": -1}, error="ValueError"))

    r = T.rng("control_flow/fori_loop")

    def fl(cid, lower, upper, body, init, note=None):
        val = init
        for i in range(lower, upper):
            val = np.asarray(FOLDS[body](np, np.int32(i), val)).astype(np.result_type(val.dtype, np.float32) if val.dtype.kind == "f" else val.dtype)
        cases.append(T.case(f"fori_loop/{cid}", "fori_loop", {"init_val": T(init)}, {"lower": lower, "upper": upper, "body_fun": body},
                            expect=T(np.asarray(val, dtype=init.dtype)), note=note))

    fl("add", 0, 4, "add", T.arr(r, (2, 3), "float32"), "val = i + val for i in 0..3")
    fl("multiply", 1, 4, "multiply", T.arr(r, (3,), "float64"))
    fl("subtract", 2, 5, "subtract", T.arr(r, (2,), "float32"), "val = i - val")
    fl("maximum_int", 0, 3, "maximum", T.arr(r, (4,), "int32"))
    fl("empty_range", 3, 1, "add", T.arr(r, (2,), "float32"), "upper <= lower runs nothing")

    r = T.rng("control_flow/scan")

    def sc(cid, f, init, xs=None, length=None, reverse=False, note=None):
        n = length if length is not None else xs.shape[0]
        c = init
        ys = [None] * n
        for k in range(n):
            i = n - 1 - k if reverse else k
            c, y = _scan_f(np, f, c, None if xs is None else xs[i])
            ys[i] = np.zeros_like(init) if y is None else y
        args = {"f": f}
        inputs = {"init": T(init)}
        if xs is not None:
            inputs["xs"] = T(xs)
        if length is not None:
            args["length"] = length
        if reverse:
            args["reverse"] = True
        cases.append(T.case(f"scan/{cid}", "scan", inputs, args, expect=[T(np.asarray(c, dtype=init.dtype)), T(np.stack(ys).astype(init.dtype))],
                            note=note))

    sc("cumsum", "cumsum", np.zeros(3, "float32"), T.arr(r, (4, 3), "float32"))
    sc("cumsum_reverse", "cumsum", np.zeros(3, "float32"), T.arr(r, (4, 3), "float32"), reverse=True, note="ys stay in xs' order")
    sc("running_max", "running_max", np.full((2,), -np.inf, "float64"), T.arr(r, (5, 2), "float64"))
    sc("count_length", "count", np.array(0.0, "float32"), length=4, note="xs None: f gets None, length steps")
    sc("no_y", "sum_no_y", np.zeros(2, "float32"), T.arr(r, (3, 2), "float32"), note="a None y stacks zeros like init")
    sc("int", "cumsum", np.zeros(2, "int32"), T.arr(r, (3, 2), "int32"))
    for cid, inputs, args in [("no_xs_no_length", {"init": T(np.zeros(2, "float32"))}, {"f": "count"}),
                              ("length_mismatch", {"init": T(np.zeros(2, "float32")), "xs": T(np.zeros((3, 2), "float32"))}, {"f": "cumsum", "length": 2}),
                              ("unroll", {"init": T(np.zeros(2, "float32")), "xs": T(np.zeros((3, 2), "float32"))}, {"f": "cumsum", "unroll": 0})]:
        cases.append(T.case(f"scan/error/{cid}", "scan", inputs, args, error="ValueError"))
    return cases
