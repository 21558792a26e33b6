"""Writes the .npy/.npz test files and numpy's repr of each array (reprs.json).

Run with Debian's numpy: /usr/bin/python3 Conformance/Data/npy/make_npy.py
The files are committed; tests need no Python. Deterministic: fixed seed, sorted keys.
"""
import json
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(1234)
arrays = {
    "f32_2x3": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
    "f64_vec": np.array([0.1, -2.5, 1e-9, 3e20, np.inf, -np.inf, np.nan]),
    "f16_2x2": np.array([[0.5, -1.25], [65504, 6e-5]], dtype=np.float16),
    "i8": np.array([-128, -1, 0, 127], dtype=np.int8),
    "i16_3d": (np.arange(24, dtype=np.int16) - 12).reshape(2, 3, 4),
    "i32_scalar": np.array(42, dtype=np.int32),
    "i64_col": np.array([[1], [-(2**62)], [7]], dtype=np.int64),
    "u8": np.array([0, 1, 200, 255], dtype=np.uint8),
    "bool_2x2": np.array([[True, False], [False, True]]),
    "empty_0x3": np.zeros((0, 3), dtype=np.float32),
    "fortran_3x2": np.asfortranarray(np.arange(6, dtype=np.float64).reshape(3, 2)),
    "bigendian_i32": np.arange(5, dtype=">i4"),
    "bigendian_f8": np.array([[1.5, -2.0], [3.25, 1e300]], dtype=">f8"),
    "rand_f32_4x5": rng.standard_normal((4, 5)).astype(np.float32),
    "big_f32_40x40": (np.arange(1600, dtype=np.float32).reshape(40, 40) / 7),
    "big_i64_2000": np.arange(2000, dtype=np.int64),
    "small_f64": np.array([1e-5, 2e-6, 3.0]),
    "mixed_f32": np.array([[1.0, 2.5], [-3.125, 100.0]], dtype=np.float32),
    "f64_scalar": np.array(2.5),
    "bool_scalar": np.array(True),
    "negzero_nan": np.array([-0.0, 1.5, np.nan, -2.0]),
    "empty_f32": np.zeros((0,), dtype=np.float32),
    "wide_i32": np.arange(-20, 20, dtype=np.int32) * 1000,
    "wide_f64": np.linspace(0, 1, 17),
    "big_3d_i16": (np.arange(2 * 30 * 40) % 97).astype(np.int16).reshape(2, 30, 40),
    "tiny_f32": np.array([1e-3, 1.0, 999.0], dtype=np.float32),
    "huge_f64": np.array([1e8, 1.0]),
    "third_f64": np.array([1 / 3, 2 / 3, 1.0]),
    "round_f32": np.array([0.1, 0.2, 0.30000001], dtype=np.float32),
}
reprs = {}
for name, a in sorted(arrays.items()):
    np.save(os.path.join(here, name + ".npy"), a)
    reprs[name] = repr(a)
# A version 2.0 header (written by numpy when asked).
with open(os.path.join(here, "v2_f32.npy"), "wb") as f:
    np.lib.format.write_array(f, arrays["f32_2x3"], version=(2, 0))
reprs["v2_f32"] = repr(arrays["f32_2x3"])
np.savez(os.path.join(here, "plain.npz"), a=arrays["f32_2x3"], b=arrays["i64_col"], flags=arrays["bool_2x2"])
np.savez_compressed(os.path.join(here, "compressed.npz"), w=arrays["rand_f32_4x5"], s=arrays["i32_scalar"])
with open(os.path.join(here, "reprs.json"), "w") as f:
    json.dump(reprs, f, indent=1, sort_keys=True)
    f.write("\n")
print("numpy", np.__version__, "wrote", len(reprs), "arrays")
