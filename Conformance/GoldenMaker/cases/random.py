"""Golden cases for the random ops (family `random`): random_bernoulli, random_binomial, truncated_normal, dropout.

They have no numpy counterpart: expected values come from the plain-Python Philox4x32-10 of cases/creation.py (written
independently of Runtime/Core/RandomStream.cs), following tf-keras's definitions (tf_keras/backend.py):
- random_bernoulli(shape, p, dtype, seed) = where(uniform(shape, dtype, seed) <= p, 1, 0); random_binomial returns it.
- truncated_normal: mean + stddev * z, z the normal element at counter i + k * 2**33 for the first attempt k with
  |z| <= 2 (tf.random.truncated_normal re-picks values beyond two standard deviations).
- dropout(x, level, noise_shape, seed) = x * mask * (1 / (1 - level)) with mask = random_bernoulli(noise_shape or
  x.shape, 1 - level, x.dtype, seed) broadcast over x (tf.nn.dropout; rate in [0, 1), x floating).
"""
import importlib.util
import math
import os

_spec = importlib.util.spec_from_file_location("golden_cases_creation_philox", os.path.join(os.path.dirname(os.path.abspath(__file__)), "creation.py"))
_philox = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_philox)


def bernoulli(np, seed, shape, p, dtype):
    n = int(np.prod(shape)) if len(shape) else 1
    u = _philox.philox_uniform(np, seed, n, 0.0, 1.0, dtype)
    return (u.astype("float64") <= p).astype(dtype).reshape(shape)


def truncated(np, seed, shape, mean, std, dtype):
    k0, k1 = _philox._key(seed)
    n = int(np.prod(shape)) if len(shape) else 1
    out = []
    for i in range(n):
        k = 0
        while True:
            j = i + k * (1 << 33)
            a, b, c, d = _philox._block(j >> 1, k0, k1)
            u1 = ((((a << 32) | b) >> 11) + 1) / 2.0 ** 53
            u2 = (((c << 32) | d) >> 11) / 2.0 ** 53
            r, t = math.sqrt(-2.0 * math.log(u1)), 2.0 * math.pi * u2
            z = r * math.cos(t) if j % 2 == 0 else r * math.sin(t)
            if abs(z) <= 2:
                break
            k += 1
        out.append(mean + std * z)
    return np.array(out, "float64").astype(dtype).reshape(shape)


def generate(np, T):
    cases = []
    for op in ["random_bernoulli", "random_binomial"]:
        for seed, shape, p, dt in [(1, (3, 4), 0.3, "float32"), (7, (50,), 0.5, "float64"), (3, (2, 2, 2), 0.0, "float32"),
                                   (4, (5,), 1.0, "float16"), (11, (), 0.7, "float32"), (5, (0, 3), 0.5, "float32")]:
            cases.append(T.case(f"{op}/seed{seed}/{dt}", op, args={"shape": list(shape), "p": p, "dtype": dt, "seed": seed},
                                expect=T(bernoulli(np, seed, shape, p, dt))))
        cases.append(T.case(f"{op}/default_floatx", op, args={"shape": [4], "p": 0.5, "seed": 2}, expect=T(bernoulli(np, 2, (4,), 0.5, "float32"))))
        cases.append(T.case(f"{op}/error/int_dtype", op, args={"shape": [2], "p": 0.5, "dtype": "int32"}, error="ValueError"))
        cases.append(T.case(f"{op}/error/negative_shape", op, args={"shape": [-2], "p": 0.5}, error="ValueError"))

    op = "truncated_normal"
    for seed, shape, mean, std, dt in [(1, (4, 5), 0.0, 1.0, "float32"), (9, (200,), 1.0, 0.5, "float64"), (2, (3,), -2.0, 3.0, "float16"),
                                       (6, (), 0.0, 1.0, "float32")]:
        cases.append(T.case(f"{op}/seed{seed}/{dt}", op, args={"shape": list(shape), "mean": mean, "stddev": std, "dtype": dt, "seed": seed},
                            expect=T(truncated(np, seed, shape, mean, std, dt)), note="200 draws include re-picked ones (|z| > 2)"))
    cases.append(T.case(f"{op}/error/int_dtype", op, args={"shape": [2], "dtype": "int32"}, error="ValueError"))

    op = "dropout"
    r = T.rng("random/dropout")
    for cid, shape, level, noise, seed, dt in [("2d", (4, 5), 0.5, None, 3, "float32"), ("level0", (3, 3), 0.0, None, 1, "float32"),
                                               ("float64", (10,), 0.25, None, 8, "float64"), ("noise_shape", (4, 3), 0.5, [4, 1], 5, "float32"),
                                               ("noise_shape_null_entry", (2, 3, 2), 0.3, [1, None, 2], 6, "float32")]:
        x = T.arr(r, shape, dt)
        ms = [shape[i] if (noise is None or noise[i] is None) else noise[i] for i in range(len(shape))]
        mask = bernoulli(np, seed, tuple(ms), 1 - level, dt)
        scale = np.asarray(1 / (1 - level)).astype(dt)
        want = (x * (mask * scale if level != 0 else mask)).astype(dt)
        args = {"level": level, "seed": seed}
        if noise is not None:
            args["noise_shape"] = noise
        cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, args, expect=T(want)))
    for cid, x, args in [("level1", np.ones(3, "float32"), {"level": 1.0}), ("negative_level", np.ones(3, "float32"), {"level": -0.1}),
                         ("int_x", np.ones(3, "int32"), {"level": 0.5}), ("noise_rank", np.ones((2, 3), "float32"), {"level": 0.5, "noise_shape": [3]}),
                         ("noise_dim", np.ones((2, 3), "float32"), {"level": 0.5, "noise_shape": [2, 2]})]:
        cases.append(T.case(f"{op}/error/{cid}", op, {"x": T(x)}, args, error="ValueError"))
    return cases
