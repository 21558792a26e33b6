#!/usr/bin/env python3
"""The report of Tools/Bench/bench_all.sh: one Markdown page (printed) and the rows of its chart (--rows, read by
`kbackend bench --from ROWS --plot FILE.png`) from the three runs the script makes.

Inputs: --kbackend, the JSON of `kbackend bench --json` (machine limits, cpu, numpy backend, TensorPrimitives);
--numpy, numpy_bench.py's JSON (numpy with its BLAS, cases named "<op> <case>" as kbackend names them); --ort,
run_ort.sh's JSON (BenchmarkDotNet medians in seconds of the cpu backend, ONNX Runtime and TensorPrimitives per
benchmark class and parameters). Ratios are other/cpu times: above 1, the cpu backend is faster.
"""
import argparse
import json
import subprocess
import time


def ort_key(cls, params):
    """The kbackend (op, case) that a BenchmarkDotNet class and its parameters time, or a label of its own."""
    p = {k: str(v) for k, v in params.items()}
    square = lambda n: f"{n}x{n}x{n}"
    axis = lambda a: "all" if a == "all" else f"axis={a}"
    n_tag = {"1000": "1e3", "1000000": "1e6", "16000000": "1.6e7"}
    known = {
        "DotBench": lambda: ("dot", "f32 " + (p["Size"] if "x" in p["Size"] else square(p["Size"]))),
        "DoubleDotBench": lambda: ("dot", "f64 " + square(p["N"])),
        "BatchDotBench": lambda: ("batch_dot", "f32 (64,128,64)x(64,64,128)"),
        "ElementwiseBench": lambda: (p["Op"], "n=" + n_tag.get(p["N"], p["N"])),
        "ReductionBench": lambda: (p["Op"], "(4096,4096) " + axis(p["Axis"])),
        "VarBench": lambda: ("var", "(4096,4096) " + axis(p["Axis"])),
        "TransposeBench": lambda: ("transpose", "(4096,4096)") if p["Op"] == "transpose" else ("permute_dimensions", "(4096,4096) (1,0)"),
        "CumsumAxis0Bench": lambda: ("cumsum", "(4096,1024) axis=0"),
        "CumsumAxis1Bench": lambda: ("cumsum", "(4096,1024) axis=1"),
        "SoftmaxBench": lambda: ("softmax", "(1024,1024) axis=-1"),
        "LogSumExpBench": lambda: ("logsumexp", "(1024,1000) axis=-1"),
        "GatherBench": lambda: ("gather", "100k rows of (100000,128)"),
        "TinyAddBench": lambda: ("overhead", "add n=4 via K.Add"),
    }
    if cls in known:
        return known[cls]()
    name = cls[:-len("Bench")] if cls.endswith("Bench") else cls
    return (name, ", ".join(f"{k}={v}" for k, v in p.items()) or "-")


def fmt_time(s):
    return f"{s * 1e9:.0f} ns" if s < 1e-6 else f"{s * 1e6:.1f} µs" if s < 1e-3 else f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.2f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kbackend", required=True)
    ap.add_argument("--numpy", required=True)
    ap.add_argument("--ort")
    ap.add_argument("--rows", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--load-start", default="?")
    ap.add_argument("--load-end", default="?")
    ap.add_argument("--kbackend-seconds", type=int)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()

    kb = json.load(open(a.kbackend))
    machine = [r for r in kb if r["backend"] == "machine"]
    kb_rows = [r for r in kb if r["backend"] != "machine"]
    by_case = {}
    for r in kb_rows:
        by_case.setdefault((r["op"], r["case"]), {})[r["backend"]] = r
    rows = list(kb_rows)

    numpy_run = json.load(open(a.numpy))
    blas = numpy_run["header"]["blas"]
    names = {f"{op} {case}": (op, case) for op, case in by_case}
    names["add n=4 per call"] = ("overhead", "add n=4 via K.Add")
    for r in numpy_run["results"]:
        key = names.get(r["case"])
        if key is None:
            continue
        by_case[key]["openblas"] = {"median_seconds": r["median_s"]}
        rows.append({"op": key[0], "case": key[1], "backend": "openblas", "median_seconds": r["median_s"]})

    ort_loads, others = [], []
    if a.ort:
        for r in json.load(open(a.ort)):
            key = ort_key(r["class"], r["params"])
            entry = by_case.setdefault(key, {})
            if "cpu" not in entry:
                entry["cpu"] = {"median_seconds": r["cpu"]}
                rows.append({"op": key[0], "case": key[1], "backend": "cpu", "median_seconds": r["cpu"]})
            for col, value in (("ort", r["ort"]), ("tp", r["tp"])):
                if value and col not in entry:
                    entry[col] = {"median_seconds": value, "cpu_ratio": value / r["cpu"]}
                    rows.append({"op": key[0], "case": key[1], "backend": col, "median_seconds": value, "cpu_ratio": value / r["cpu"]})
            if not any(l.startswith(r["class"] + " ") for l in ort_loads):
                ort_loads.append(f"{r['class']} {'/'.join(r['load'])}")
            for method, value in (r.get("others") or {}).items():
                others.append(f"| {r['class']} | {key[1]} | {method} | {fmt_time(value)} | {value / r['cpu']:.2f} |")
    json.dump(rows, open(a.rows, "w"), indent=1)

    git = lambda *args: subprocess.run(["git", "-C", a.root, *args], capture_output=True, text=True).stdout.strip()
    lscpu = dict(l.split(":", 1) for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines() if ":" in l)
    cpu = lambda k: lscpu.get(k, "?").strip()
    out = [f"# The cpu backend against ONNX Runtime, numpy/OpenBLAS, TensorPrimitives and the numpy backend ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", "",
           "Command: `./build.sh bench-all` (Tools/Bench/bench_all.sh).", "",
           f"- Code: commit {git('log', '-1', '--format=%h %s') or '?'}" + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""),
           f"- Machine: {cpu('Model name')}, {cpu('CPU(s)')} CPUs, L2 {cpu('L2 cache')}, L3 {cpu('L3 cache')}.",
           f"- Load average (1, 5, 15 min): {a.load_start} at the start, {a.load_end} at the end. On a shared machine a load near or above the core count disturbs every figure.",
           f"- numpy {numpy_run['header']['numpy']} with {blas['library']} (kernel {blas['kernel']}, {blas['threads']} threads).",
           "- ORT/cpu: ONNX Runtime (2 intra-op threads) over the cpu backend, both timed by BenchmarkDotNet in one process."
           if a.ort else "- ONNX Runtime: not run (--quick).",
           f"- `kbackend bench{' --quick' if a.quick else ''}` (default options otherwise) took {a.kbackend_seconds} s of wall time." if a.kbackend_seconds is not None else "",
           "- numpy/cpu: numpy_bench.py over `kbackend bench`'s cpu time, taken one after the other. TP/cpu and numpy backend/cpu: same `kbackend bench` process.",
           "", "## Machine limits (fastest sample)", "", "| limit | rate | median | how |", "|---|---:|---:|---|"]
    for m in machine:
        unit = "GFLOPS" if m.get("gflops") else "GB/s"
        out.append(f"| {m['case']} | {(m.get('gflops') or m.get('gbps')):.1f} {unit} | {m['median_rate']:.1f} | {m['detail']} |")
    out += ["", "## Ratios (other time / cpu time: above 1, the cpu backend is faster)", "",
            "| op | case | cpu | cpu rate | % limit | ORT/cpu | numpy/cpu | TP/cpu | numpy backend/cpu |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for (op, case), cols in by_case.items():
        c = cols.get("cpu")
        if c is None:
            continue
        ratio = lambda col: (f"{cols[col].get('cpu_ratio') or cols[col]['median_seconds'] / c['median_seconds']:.2f}" if col in cols else "-")
        rate = f"{c['gflops']:.0f} GFLOPS" if c.get("gflops") else f"{c['gbps']:.1f} GB/s" if c.get("gbps") else ""
        limit = f"{100 * c['peak_fraction']:.0f}%" if c.get("peak_fraction") else "-"
        out.append(f"| {op} | {case} | {fmt_time(c['median_seconds'])} | {rate} | {limit} | {ratio('ort')} | {ratio('openblas')} | {ratio('tp')} | {ratio('numpy')} |")
    if others:
        out += ["", "## Other methods of the BenchmarkDotNet classes (time / the class's cpu method: below 1, faster)", "",
                "| class | case | method | time | time/cpu |", "|---|---|---|---:|---:|"] + others
    if ort_loads:
        out += ["", "Load average before/after each BenchmarkDotNet class: " + "; ".join(ort_loads) + "."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
