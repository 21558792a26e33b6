"""Golden cases for the session family (session.json), from tf-keras's code:
- normalize_data_format(value): None -> image_data_format() ('channels_last' by default), else value.lower(), which must be
  'channels_first' or 'channels_last' (ValueError otherwise) - keras/backend/common.py.
- print_tensor(x, message, summarize) returns x (tf.identity under the print's control dependency); summarize < -1 is refused.
- pattern_broadcast(x, broadcastable) returns x; one flag per dimension, flagged dimensions of size 1 (Theano's patternbroadcast).
- learning_phase_scope(value): ValueError unless value is 0 or 1; name_scope(name): ValueError for a name outside
  TensorFlow's scope grammar; set_session(session): TypeError for anything but a session.
"""


def S(text):
    return {"dtype": "string", "shape": [], "data": [text]}


def generate(np, T):
    cases = []
    op = "normalize_data_format"
    cases.append(T.case(f"{op}/none", op, args={"value": None}, expect=S("channels_last"), note="image_data_format() default"))
    for v in ["channels_first", "channels_last", "Channels_First", "CHANNELS_LAST"]:
        cases.append(T.case(f"{op}/{v}", op, args={"value": v}, expect=S(v.lower())))
    for v in ["channels_middle", "", "NHWC"]:
        cases.append(T.case(f"{op}/error/{v or 'empty'}", op, args={"value": v}, error="ValueError"))

    for op in ["print_tensor", "pattern_broadcast"]:
        r = T.rng(op)
        for dt in ["float32", "float64", "int32", "bool", "float16", "int64"]:
            x = T.arr(r, (2, 1, 3), dt)
            args = {"message": f"x {dt}:"} if op == "print_tensor" else {"broadcastable": [False, True, False]}
            cases.append(T.case(f"{op}/{dt}", op, inputs={"x": T(x)}, args=args, expect=T(x)))
        x = np.array(3.5, "float32")
        cases.append(T.case(f"{op}/scalar", op, inputs={"x": T(x)}, args={} if op == "print_tensor" else {"broadcastable": []}, expect=T(x)))
        x = np.zeros((0, 1), "float32")
        cases.append(T.case(f"{op}/empty", op, inputs={"x": T(x)}, args={} if op == "print_tensor" else {"broadcastable": [False, True]}, expect=T(x)))
        x = T.special("float32")
        cases.append(T.case(f"{op}/special", op, inputs={"x": T(x)}, args={"summarize": -1} if op == "print_tensor" else {"broadcastable": [False]}, expect=T(x)))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    cases.append(T.case("print_tensor/error/summarize", "print_tensor", inputs={"x": T(x)}, args={"summarize": -2}, error="ValueError"))
    cases.append(T.case("pattern_broadcast/error/not_one", "pattern_broadcast", inputs={"x": T(x)}, args={"broadcastable": [False, True]}, error="ValueError"))
    cases.append(T.case("pattern_broadcast/error/count", "pattern_broadcast", inputs={"x": T(x)}, args={"broadcastable": [False]}, error="ValueError"))

    cases.append(T.case("learning_phase_scope/error/2", "learning_phase_scope", args={"value": 2}, error="ValueError"))
    cases.append(T.case("learning_phase_scope/error/-1", "learning_phase_scope", args={"value": -1}, error="ValueError"))
    for name in ["a b", "-x", "", "x?"]:
        cases.append(T.case(f"name_scope/error/{name or 'empty'}", "name_scope", args={"name": name}, error="ValueError"))
    cases.append(T.case("set_session/error/number", "set_session", args={"session": 3}, error="TypeError"))
    cases.append(T.case("set_session/error/string", "set_session", args={"session": "tf.Session()"}, error="TypeError"))
    return cases
