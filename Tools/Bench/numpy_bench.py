#!/usr/bin/env python3
"""numpy's side of Tools/Bench/numpy_compare.sh: the cases `kbackend bench` times, on the same shapes and dtypes,
timed with numpy's fastest idiom for each (out= where numpy has it, as a numpy user would write it).

Timing: time.perf_counter around batches of calls. Each case is warmed up (at least 3 calls and 50 ms), then the
number of calls per batch is set so that one batch lasts at least 2 ms, and batches are taken until there are at
least --min-batches and --seconds have passed. The median time per call is reported, with the rate: GFLOPS for
products (2*M*N*K per call), GB/s for the rest (bytes read once plus bytes written once).

Usage: numpy_bench.py [--groups add unary ...] [--seconds S] [--json FILE]
Groups: add unary softmax reduce layout scan dot gather overhead.
"""
import argparse
import ctypes
import json
import os
import sys
import time

import numpy as np


def loaded_blas():
    """The BLAS library numpy loaded and, for OpenBLAS, the kernel it chose (a reference BLAS is far slower)."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in os.path.basename(path).lower():
                libs.add(path)
    for path in sorted(libs):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        if hasattr(lib, "openblas_get_corename"):
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return {"library": os.path.realpath(path), "kernel": lib.openblas_get_corename().decode(),
                    "threads": lib.openblas_get_num_threads()}
    return {"library": ", ".join(sorted(os.path.realpath(p) for p in libs)) or "none found", "kernel": None, "threads": None}


def time_call(fn, seconds, min_batches):
    clock = time.perf_counter
    start, calls = clock(), 0
    while calls < 3 or clock() - start < 0.05:
        fn()
        calls += 1
    per_batch = max(1, int(2e-3 * calls / (clock() - start)))
    times, start = [], clock()
    while len(times) < min_batches or clock() - start < seconds:
        t = clock()
        for _ in range(per_batch):
            fn()
        times.append((clock() - t) / per_batch)
    times.sort()
    return times[len(times) // 2], len(times), per_batch


def cases(rng):
    """(group, name, function, bytes moved or None, floating-point operations or None) for every case."""
    f32 = np.float32

    for label, n in (("1e3", 10**3), ("1e6", 10**6), ("1.6e7", 16 * 10**6)):
        a, b = rng.standard_normal(n).astype(f32), rng.standard_normal(n).astype(f32)
        yield "add", f"add n={label}", (lambda a=a, b=b: a + b), 12 * n, None
        yield "add", f"multiply n={label}", (lambda a=a, b=b: a * b), 12 * n, None

    def sigmoid(a, out):
        np.negative(a, out=out)
        np.exp(out, out=out)
        out += 1
        return np.reciprocal(out, out=out)

    for label, n in (("1e3", 10**3), ("1e6", 10**6), ("1.6e7", 16 * 10**6)):
        a = rng.standard_normal(n).astype(f32)
        out = np.empty_like(a)
        yield "unary", f"exp n={label}", (lambda a=a, out=out: np.exp(a, out=out)), 8 * n, None
        yield "unary", f"tanh n={label}", (lambda a=a, out=out: np.tanh(a, out=out)), 8 * n, None
        yield "unary", f"sigmoid n={label}", (lambda a=a, out=out: sigmoid(a, out)), 8 * n, None
        yield "unary", f"relu n={label}", (lambda a=a, out=out: np.maximum(a, 0, out=out)), 8 * n, None

    s = rng.standard_normal((1024, 1024)).astype(f32)

    def softmax_rows(s=s):
        shifted = np.exp(s - s.max(axis=-1, keepdims=True))
        return shifted / shifted.sum(axis=-1, keepdims=True)

    yield "softmax", "softmax (1024,1024) axis=-1", softmax_rows, 8 * s.size, None

    big = rng.standard_normal((4096, 4096)).astype(f32)
    read = 4 * big.size
    for op in ("sum", "max", "mean"):
        reduce = getattr(big, op)
        yield "reduce", f"{op} (4096,4096) all", lambda reduce=reduce: reduce(), read, None
        yield "reduce", f"{op} (4096,4096) axis=0", lambda reduce=reduce: reduce(axis=0), read, None
        yield "reduce", f"{op} (4096,4096) axis=-1", lambda reduce=reduce: reduce(axis=-1), read, None
    yield "reduce", "var (4096,4096) axis=-1", lambda: big.var(axis=-1), read, None
    yield "layout", "transpose (4096,4096)", lambda: np.ascontiguousarray(big.T), 2 * read, None

    tall = rng.standard_normal((4096, 1024)).astype(f32)
    tall_out = np.empty_like(tall)
    yield "scan", "cumsum (4096,1024) axis=0", lambda: np.cumsum(tall, axis=0, out=tall_out), 8 * tall.size, None

    def product(m, k, n, dtype):
        a = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal((k, n)).astype(dtype)
        out = np.empty((m, n), dtype)
        return lambda: np.dot(a, b, out=out)

    for n in (64, 256, 512, 1024, 2048):
        yield "dot", f"dot f32 {n}x{n}x{n}", product(n, n, n, f32), None, 2.0 * n**3
    yield "dot", "dot f32 4096x1024x1024", product(4096, 1024, 1024, f32), None, 2.0 * 4096 * 1024 * 1024
    for n in (256, 1024):
        yield "dot", f"dot f64 {n}x{n}x{n}", product(n, n, n, np.float64), None, 2.0 * n**3
    x = rng.standard_normal((64, 128, 64)).astype(f32)
    y = rng.standard_normal((64, 64, 128)).astype(f32)
    xy = np.empty((64, 128, 128), f32)
    yield "dot", "batch_dot f32 (64,128,64)x(64,64,128)", lambda: np.matmul(x, y, out=xy), None, 2.0 * 64 * 128 * 64 * 128

    table = rng.standard_normal((100_000, 128)).astype(f32)
    rows = rng.integers(0, 100_000, size=100_000)
    yield "gather", "gather 100k rows of (100000,128)", lambda: table[rows], 2 * 4 * 100_000 * 128, None

    four_a, four_b = np.ones(4, f32), np.ones(4, f32)
    yield "overhead", "add n=4 per call", lambda: four_a + four_b, None, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", nargs="*", help="groups to run (default: all)")
    parser.add_argument("--seconds", type=float, default=1.0, help="time spent sampling each case after warm-up")
    parser.add_argument("--min-batches", type=int, default=7)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    rng = np.random.default_rng(2026)
    header = {"numpy": np.__version__, "python": sys.version.split()[0], "cpus": os.cpu_count(), "blas": loaded_blas(),
              "load_average": os.getloadavg()[0]}
    print(f"numpy {header['numpy']}, BLAS {header['blas']['library']} (kernel {header['blas']['kernel']}), "
          f"load average {header['load_average']:.2f}", flush=True)
    results = []
    for group, name, fn, nbytes, flops in cases(rng):
        if args.groups and group not in args.groups:
            continue
        median, batches, per_batch = time_call(fn, args.seconds, args.min_batches)
        row = {"group": group, "case": name, "median_s": median, "batches": batches, "calls_per_batch": per_batch}
        rate = ""
        if nbytes:
            row["GBps"] = nbytes / median / 1e9
            rate = f"{row['GBps']:8.2f} GB/s"
        if flops:
            row["GFLOPS"] = flops / median / 1e9
            rate = f"{row['GFLOPS']:8.1f} GFLOPS"
        results.append(row)
        print(f"{name:42} {median * 1e6:12.2f} us  {rate}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"header": header, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
