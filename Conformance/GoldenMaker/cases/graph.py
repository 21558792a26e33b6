"""Golden cases for the graph functions that take concrete tensors and variables (family `graph`).

Keras rules written out:
- ndim / int_shape / count_params are plain Python ints (a tuple for int_shape); shape and size are int32 tensors
  (tf.shape, tf.size); dtype is the dtype's name. eval, get_value and to_dense (dense input) return the value.
- is_tensor is true for tensors and variables and false for plain values; is_variable only for variables;
  is_sparse is false for a dense tensor.
- update(x, new_x) assigns (shapes must match); update_add / update_sub add / subtract a value that broadcasts to x's
  shape; moving_average_update(x, value, momentum) sets x <- x - (x - value) * (1 - momentum), value cast to x's dtype
  (tf-keras backend.py under TF2; docstring example x=0, value=2, momentum=0.9 -> 0.2). With zero_debias a hidden
  average b starts at 0: after one update b = value * (1 - momentum) and x = b / (1 - momentum) = value
  (TF's assign_moving_average, _zero_debias).
- The variable is the input marked "variable": true; an update op's expected result is its value after the call.
  x that is not a variable cannot be assigned: TypeError. A value of the wrong shape: ValueError.
"""

SHAPES = [(), (3,), (2, 3), (2, 0, 4), (1, 2, 3, 2)]


def generate(np, T):
    cases = []
    r = T.rng("graph")

    def V(a, dtype=None):
        t = T(a, dtype)
        t["variable"] = True
        return t

    def S(text):
        return {"dtype": "string", "shape": [], "data": [text]}

    def sid(shape):
        return "x".join(str(d) for d in shape) if shape else "scalar"

    # Static queries: every rank, an empty tensor, and a variable.
    for shape in SHAPES:
        x = T.arr(r, shape, "float32")
        n = int(np.prod(shape, dtype=np.int64))
        for src, mk in (("tensor", T), ("variable", V)):
            if src == "variable" and shape not in ((), (2, 3)):
                continue
            cases.append(T.case(f"ndim/{src}/{sid(shape)}", "ndim", inputs={"x": mk(x)}, expect=T(np.int64(len(shape)))))
            cases.append(T.case(f"int_shape/{src}/{sid(shape)}", "int_shape", inputs={"x": mk(x)}, expect=T(np.array(shape, np.int64))))
            cases.append(T.case(f"count_params/{src}/{sid(shape)}", "count_params", inputs={"x": mk(x)}, expect=T(np.int64(n))))
            cases.append(T.case(f"size/{src}/{sid(shape)}", "size", inputs={"x": mk(x)}, expect=T(np.int32(n))))
            cases.append(T.case(f"shape/{src}/{sid(shape)}", "shape", inputs={"x": mk(x)}, expect=T(np.array(shape, np.int32))))
    for dt in T.DTYPES:
        x = T.arr(r, (2, 2), dt)
        cases.append(T.case(f"dtype/tensor/{dt}", "dtype", inputs={"x": T(x)}, expect=S(dt)))
        cases.append(T.case(f"ndim/dtype/{dt}", "ndim", inputs={"x": T(x)}, expect=T(np.int64(2))))
    for dt in ["float16", "float64", "int32", "bool"]:
        cases.append(T.case(f"dtype/variable/{dt}", "dtype", inputs={"x": V(T.arr(r, (3,), dt))}, expect=S(dt)))

    # Values: eval / get_value / to_dense / batch_get_value give the input back unchanged.
    for dt in T.DTYPES:
        x = T.arr(r, (2, 3), dt)
        cases.append(T.case(f"eval/tensor/{dt}", "eval", inputs={"x": T(x)}, expect=T(x)))
        cases.append(T.case(f"get_value/variable/{dt}", "get_value", inputs={"x": V(x)}, expect=T(x)))
        cases.append(T.case(f"to_dense/dense/{dt}", "to_dense", inputs={"tensor": T(x)}, expect=T(x)))
    for shape in [(), (0, 3)]:
        x = T.arr(r, shape, "float32")
        cases.append(T.case(f"eval/{sid(shape)}", "eval", inputs={"x": T(x)}, expect=T(x)))
        cases.append(T.case(f"get_value/tensor/{sid(shape)}", "get_value", inputs={"x": T(x)}, expect=T(x)))
        cases.append(T.case(f"to_dense/dense/{sid(shape)}", "to_dense", inputs={"tensor": T(x)}, expect=T(x)))
    for dt in T.FLOATS:
        sp = T.special(dt)
        cases.append(T.case(f"eval/special/{dt}", "eval", inputs={"x": T(sp)}, expect=T(sp)))
        cases.append(T.case(f"get_value/special/{dt}", "get_value", inputs={"x": V(sp)}, expect=T(sp)))
    cases.append(T.case("eval/variable", "eval", inputs={"x": V(np.array([1.5, -2.0], np.float32))}, expect=T(np.array([1.5, -2.0], np.float32))))
    mixed = [T.arr(r, (2, 3), "float32"), T.arr(r, (), "int64"), T.arr(r, (4,), "bool"), T.arr(r, (0, 2), "float64")]
    cases.append(T.case("batch_get_value/mixed", "batch_get_value", inputs={"tensors": [T(a) for a in mixed]}, expect=[T(a) for a in mixed]))
    one = T.arr(r, (3,), "int32")
    cases.append(T.case("batch_get_value/one", "batch_get_value", inputs={"tensors": [T(one)]}, expect=[T(one)]))

    # Predicates.
    yes, no = T(np.bool_(True)), T(np.bool_(False))
    for dt in ["float32", "int32", "bool"]:
        x = T.arr(r, (2,), dt)
        cases.append(T.case(f"is_tensor/tensor/{dt}", "is_tensor", inputs={"x": T(x)}, expect=yes))
        cases.append(T.case(f"is_variable/tensor/{dt}", "is_variable", inputs={"x": T(x)}, expect=no))
        cases.append(T.case(f"is_sparse/dense/{dt}", "is_sparse", inputs={"tensor": T(x)}, expect=no))
    cases.append(T.case("is_tensor/variable", "is_tensor", inputs={"x": V(np.zeros((2,), np.float32))}, expect=yes))
    cases.append(T.case("is_variable/variable", "is_variable", inputs={"x": V(np.zeros((2,), np.float32))}, expect=yes))
    cases.append(T.case("is_variable/variable_int", "is_variable", inputs={"x": V(np.arange(3, dtype=np.int32))}, expect=yes))
    cases.append(T.case("is_sparse/variable", "is_sparse", inputs={"tensor": V(np.zeros((2,), np.float32))}, expect=no))
    for cid, raw in [("number", 3), ("list", [1.0, 2.0]), ("string", "x")]:
        cases.append(T.case(f"is_tensor/plain/{cid}", "is_tensor", args={"x": raw}, expect=no))
        cases.append(T.case(f"is_variable/plain/{cid}", "is_variable", args={"x": raw}, expect=no))

    # Updates: the variable's value after the call.
    for dt in ["float16", "float32", "float64", "int32", "int64"]:
        x, y = T.arr(r, (2, 3), dt), T.arr(r, (2, 3), dt)
        cases.append(T.case(f"update/{dt}", "update", inputs={"x": V(x), "new_x": T(y)}, expect=T(y)))
        cases.append(T.case(f"update_add/{dt}", "update_add", inputs={"x": V(x), "increment": T(y)}, expect=T(x + y)))
        cases.append(T.case(f"update_sub/{dt}", "update_sub", inputs={"x": V(x), "decrement": T(y)}, expect=T(x - y)))
    x = T.arr(r, (2, 3), "float32")
    for cid, inc in [("row", T.arr(r, (3,), "float32")), ("column", T.arr(r, (2, 1), "float32")), ("scalar", np.float32(1.25))]:
        cases.append(T.case(f"update_add/broadcast/{cid}", "update_add", inputs={"x": V(x), "increment": T(inc)}, expect=T(x + inc)))
        cases.append(T.case(f"update_sub/broadcast/{cid}", "update_sub", inputs={"x": V(x), "decrement": T(inc)}, expect=T(x - inc)))
    s = np.float32(0.5)
    cases.append(T.case("update/scalar", "update", inputs={"x": V(s), "new_x": T(np.float32(-4.0))}, expect=T(np.float32(-4.0))))
    cases.append(T.case("update/empty", "update", inputs={"x": V(np.zeros((0, 2), np.float32)), "new_x": T(np.zeros((0, 2), np.float32))},
                        expect=T(np.zeros((0, 2), np.float32))))
    sp = T.special("float32")
    cases.append(T.case("update_add/special", "update_add", inputs={"x": V(sp), "increment": T(np.float32(1.0))}, expect=T(sp + np.float32(1.0))))
    cases.append(T.case("update_sub/special", "update_sub", inputs={"x": V(sp), "decrement": T(sp)}, expect=T(sp - sp)))

    def mau(x, value, m):
        x = np.asarray(x)
        dt = x.dtype
        return (x - (x - np.asarray(value).astype(dt)) * dt.type(1 - m)).astype(dt)

    cases.append(T.case("moving_average_update/docstring", "moving_average_update",
                        inputs={"x": V(np.float32(0.0)), "value": T(np.float32(2.0))}, args={"momentum": 0.9},
                        expect=T(np.float32(0.2)), note="tf-keras docstring: x=0, value=2, momentum=0.9 -> 0.2"))
    for dt in T.FLOATS:
        for m in [0.0, 0.5, 0.9, 0.99, 1.0]:
            x, v = T.arr(r, (2, 3), dt), T.arr(r, (2, 3), dt)
            cases.append(T.case(f"moving_average_update/{dt}/m{m}", "moving_average_update",
                                inputs={"x": V(x), "value": T(v)}, args={"momentum": m}, expect=T(mau(x, v, m))))
    x = T.arr(r, (2, 3), "float32")
    for cid, v in [("row", T.arr(r, (3,), "float32")), ("scalar", np.float32(-1.5))]:
        cases.append(T.case(f"moving_average_update/broadcast/{cid}", "moving_average_update",
                            inputs={"x": V(x), "value": T(v)}, args={"momentum": 0.9}, expect=T(mau(x, v, 0.9))))
    v64 = T.arr(r, (2, 3), "float64")
    cases.append(T.case("moving_average_update/value_cast", "moving_average_update",
                        inputs={"x": V(x), "value": T(v64)}, args={"momentum": 0.8}, expect=T(mau(x, v64, 0.8)),
                        note="value is cast to x's dtype first"))
    for dt in ["float32", "float64"]:
        x, v = T.arr(r, (3,), dt), T.arr(r, (3,), dt)
        b = (v * np.asarray(1 - 0.9, dt)).astype(dt)
        cases.append(T.case(f"moving_average_update/zero_debias/{dt}", "moving_average_update",
                            inputs={"x": V(x), "value": T(v)}, args={"momentum": 0.9, "zero_debias": True},
                            expect=T((b / np.asarray(1 - 0.9, dt)).astype(dt)),
                            note="one zero-debiased update gives value; x's previous value is ignored"))

    # set_value: a raw value converted to the variable's dtype.
    cases.append(T.case("set_value/list", "set_value", inputs={"x": V(np.zeros((2, 2), np.float32))}, args={"value": [[1.5, 2], [3, -4]]},
                        expect=T(np.array([[1.5, 2], [3, -4]], np.float32))))
    cases.append(T.case("set_value/int_to_float64", "set_value", inputs={"x": V(np.zeros((3,), np.float64))}, args={"value": [1, 2, 3]},
                        expect=T(np.array([1, 2, 3], np.float64))))
    cases.append(T.case("set_value/int32", "set_value", inputs={"x": V(np.zeros((3,), np.int32))}, args={"value": [7, -8, 9]},
                        expect=T(np.array([7, -8, 9], np.int32))))
    cases.append(T.case("set_value/scalar", "set_value", inputs={"x": V(np.float32(1.0))}, args={"value": 2.5}, expect=T(np.float32(2.5))))

    # Errors.
    for op, vname in [("update", "new_x"), ("update_add", "increment"), ("update_sub", "decrement"), ("moving_average_update", "value")]:
        extra = {"momentum": 0.9} if op == "moving_average_update" else {}
        x = T.arr(r, (2, 3), "float32")
        cases.append(T.case(f"{op}/error/not_variable", op, inputs={"x": T(x), vname: T(x)}, args=extra, error="TypeError"))
        cases.append(T.case(f"{op}/error/shape", op, inputs={"x": V(x), vname: T(T.arr(r, (4,), "float32"))}, args=extra, error="ValueError"))
        if op != "update":
            cases.append(T.case(f"{op}/error/grows_variable", op, inputs={"x": V(T.arr(r, (3,), "float32")), vname: T(x)}, args=extra,
                                error="ValueError", note="the broadcast shape (2, 3) is not the variable's shape (3,)"))
    cases.append(T.case("update/error/broadcast", "update", inputs={"x": V(T.arr(r, (2, 3), "float32")), "new_x": T(T.arr(r, (3,), "float32"))},
                        error="ValueError", note="update assigns: no broadcasting"))
    cases.append(T.case("set_value/error/not_variable", "set_value", inputs={"x": T(np.zeros((2,), np.float32))}, args={"value": [1, 2]}, error="TypeError"))
    cases.append(T.case("set_value/error/shape", "set_value", inputs={"x": V(np.zeros((2,), np.float32))}, args={"value": [1, 2, 3]}, error="ValueError"))
    return cases
