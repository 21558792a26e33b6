"""Golden cases for the configuration and session functions (family `state`).

Keras rules written out:
- cast_to_floatx(x) is numpy.asarray(x, dtype=floatx()): every dtype, and plain numbers and nested lists, come
  back as floatx (float32 with the defaults every case starts from); float narrowing rounds to nearest
  (tf_keras/backend_test.py: a float64 variable and the int 2 both give float32).
- set_floatx accepts only float16, float32, float64; anything else is a ValueError (keras 2.3 backend_test
  test_set_floatx: '', 'beerfloat', 123). set_image_data_format accepts channels_last / channels_first (after
  lower-casing, Keras 3); set_learning_phase accepts 0 or 1 (test_learning_phase: 2 raises ValueError).
  set_epsilon is unvalidated in Keras; here a negative value is a ValueError.
- Getters with the defaults every case starts from: floatx 'float32', epsilon 1e-07, image_data_format
  'channels_last', learning_phase 0 (unset: Keras' eager default).
- A valid setter call is checked through its getter (CASES.md); the case runner restores the defaults before every
  case (and clears a set learning phase), and the golden replay runs in a non-parallel test collection.
"""


def generate(np, T):
    cases = []
    r = T.rng("state")
    for dt in T.DTYPES:
        x = T.arr(r, (2, 3), dt)
        cases.append(T.case(f"cast_to_floatx/dtype/{dt}", "cast_to_floatx", inputs={"x": T(x)},
                            expect=T(x.astype(np.float64).astype(T.floatx))))
    cases.append(T.case("cast_to_floatx/int_scalar", "cast_to_floatx", args={"x": 2}, expect=T(np.array(2, T.floatx))))
    cases.append(T.case("cast_to_floatx/nested_list", "cast_to_floatx", args={"x": [[1, 2], [3, 4]]},
                        expect=T(np.array([[1, 2], [3, 4]], T.floatx))))
    cases.append(T.case("cast_to_floatx/empty", "cast_to_floatx", inputs={"x": T(np.zeros((0, 2), "float64"))},
                        expect=T(np.zeros((0, 2), T.floatx))))
    cases.append(T.case("cast_to_floatx/special", "cast_to_floatx", inputs={"x": T(T.special("float64"))},
                        expect=T(T.special("float64").astype(T.floatx))))

    def S(text):
        return {"dtype": "string", "shape": [], "data": [text]}

    cases.append(T.case("floatx/default", "floatx", expect=S("float32")))
    cases.append(T.case("epsilon/default", "epsilon", expect=T(np.float64(1e-7))))
    cases.append(T.case("image_data_format/default", "image_data_format", expect=S("channels_last")))
    cases.append(T.case("learning_phase/default", "learning_phase", expect=T(np.int64(0))))
    for v in T.FLOATS:
        cases.append(T.case(f"set_floatx/{v}", "set_floatx", args={"value": v}, expect=S(v)))
    for v in [1e-4, 1e-7, 0.0, 0.5]:
        cases.append(T.case(f"set_epsilon/{v}", "set_epsilon", args={"value": v}, expect=T(np.float64(v))))
    for cid, v in [("channels_first", "channels_first"), ("channels_last", "channels_last"), ("upper_case", "Channels_First")]:
        cases.append(T.case(f"set_image_data_format/{cid}", "set_image_data_format", args={"data_format": v}, expect=S(v.lower())))
    for v in [0, 1]:
        cases.append(T.case(f"set_learning_phase/{v}", "set_learning_phase", args={"value": v}, expect=T(np.int64(v))))
    for cid, value in [("empty", ""), ("beerfloat", "beerfloat"), ("float8", "float8"), ("int32", "int32"), ("number", 123)]:
        cases.append(T.case(f"set_floatx/error/{cid}", "set_floatx", args={"value": value},
                            error="TypeError" if cid == "number" else "ValueError"))
    cases.append(T.case("set_image_data_format/error/unknown", "set_image_data_format", args={"data_format": "channels_middle"}, error="ValueError"))
    for v in [2, -1]:
        cases.append(T.case(f"set_learning_phase/error/{v}", "set_learning_phase", args={"value": v}, error="ValueError"))
    cases.append(T.case("set_epsilon/error/negative", "set_epsilon", args={"value": -1e-7}, error="ValueError"))
    return cases
