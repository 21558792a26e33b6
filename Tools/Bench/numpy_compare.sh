#!/bin/sh
# Runs ../shared/perf/numpy_bench.py (numpy 1.24 + OpenBLAS) and `kbackend bench --backends cpu` on the same
# shapes, one after the other, and prints the cpu/numpy time ratio per op (below 1: cpu is faster). With the dot
# group it also times numpy float64 dot (OpenBLAS dgemm, which numpy_bench.py lacks) on the shapes of
# kbackend's f64 cases. kbackend measures the machine's limits (FMA peak, DRAM bandwidth) in the same command, and
# both columns are also given as a share of those limits.
# Usage: Tools/Bench/numpy_compare.sh [numpy_bench.py groups...]   e.g.  Tools/Bench/numpy_compare.sh dot layout
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=${NUMPY_BENCH:-$root/../shared/perf/numpy_bench.py}
[ -f "$bench" ] || bench=/work/shared/perf/numpy_bench.py
out=${TMPDIR:-/tmp}/kbackend-numpy-compare.$$
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
groups=${*:-add unary softmax reduce layout scan dot gather overhead}
# The two OPENBLAS_* variables set on these machines force a slower kernel; unset them for numpy only.
numpy_env="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
$numpy_env /usr/bin/python3 "$bench" --only $groups --json "$out/numpy.json" >/dev/null
echo '[]' > "$out/dgemm.json"
case " $groups " in
  *" dot "*)
    # numpy float64 dot on kbackend's f64 shapes, timed like numpy_bench.py: a warm-up of at least 3 calls and
    # 0.05 s, samples of at least 2 ms of calls, the median of at least 7 samples and 1 s.
    $numpy_env /usr/bin/python3 - "$out/dgemm.json" <<'PY'
import json, sys, time
import numpy as np
rows = []
rng = np.random.default_rng(0)
for n in (256, 1024):
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    c = np.empty((n, n))
    f = lambda: np.dot(a, b, out=c)
    pc = time.perf_counter
    t0, calls = pc(), 0
    while calls < 3 or pc() - t0 < 0.05:
        f()
        calls += 1
    inner = max(1, int(2e-3 / ((pc() - t0) / calls)))
    samples, start = [], pc()
    while len(samples) < 7 or pc() - start < 1.0:
        t1 = pc()
        for _ in range(inner):
            f()
        samples.append((pc() - t1) / inner)
    samples.sort()
    med = samples[len(samples) // 2]
    rows.append({"op": f"dot dgemm n={n}", "median_s": med, "GFLOPS": 2.0 * n ** 3 / med / 1e9})
json.dump(rows, open(sys.argv[1], "w"))
PY
    ;;
esac
dotnet build "$root/Tools/kbackend" -c Release -v q -nologo >/dev/null
# The kbackend ops behind each numpy_bench.py group, so both sides time the same cases; 'machine' is always run.
ops="machine"
for g in $groups; do
  case $g in
    add) ops="$ops,add" ;; unary) ops="$ops,exp,tanh" ;; softmax) ops="$ops,softmax" ;; reduce) ops="$ops,sum,max,var" ;;
    layout) ops="$ops,transpose" ;; scan) ops="$ops,cumsum" ;; dot) ops="$ops,dot,batch_dot" ;; gather) ops="$ops,gather" ;;
    overhead) ops="$ops,overhead" ;;
  esac
done
dotnet "$root/Tools/kbackend/bin/Release/net10.0/kbackend.dll" bench --backends cpu --ops "$ops" --json > "$out/cpu.json"
load_after=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
/usr/bin/python3 - "$out/numpy.json" "$out/dgemm.json" "$out/cpu.json" "$load_before" "$load_after" <<'PY'
import json, sys
print(f"1-minute load average: {sys.argv[4]} before, {sys.argv[5]} after (the machine is shared; 2 or more means the figures are disturbed)")
numpy = {r["op"]: r for r in json.load(open(sys.argv[1]))["results"]}
numpy.update({r["op"]: r for r in json.load(open(sys.argv[2]))})
rows = json.load(open(sys.argv[3]))
cpu = {(r["op"], r["case"]): r for r in rows if r["backend"] == "cpu"}
machine = [r for r in rows if r["backend"] == "machine"]
# numpy_bench.py name -> (kbackend op, case)
pairs = {f"dot sgemm n={n}": ("dot", f"f32 {n}x{n}x{n}") for n in (64, 256, 512, 1024, 2048)}
pairs.update({
    "dot (4096,1024)x(1024,1024)": ("dot", "f32 4096x1024x1024"),
    "dot dgemm n=256": ("dot", "f64 256x256x256"), "dot dgemm n=1024": ("dot", "f64 1024x1024x1024"),
    "batch_dot matmul (64,128,64)x(64,64,128)": ("batch_dot", "f32 (64,128,64)x(64,64,128)"),
    "add n=1e3 alloc": ("add", "n=1e3"), "add n=1e6 alloc": ("add", "n=1e6"), "add n=1.6e7 alloc": ("add", "n=1.6e7"),
    "exp n=1e6 out=": ("exp", "n=1e6"), "exp n=1.6e7 out=": ("exp", "n=1.6e7"),
    "tanh n=1e6 out=": ("tanh", "n=1e6"), "tanh n=1.6e7 out=": ("tanh", "n=1.6e7"),
    "softmax (1024,1024) axis=-1": ("softmax", "(1024,1024) axis=-1"),
    "sum all (4096,4096)": ("sum", "(4096,4096) all"), "sum axis=0 (4096,4096)": ("sum", "(4096,4096) axis=0"),
    "sum axis=1 (4096,4096)": ("sum", "(4096,4096) axis=-1"), "max axis=-1 (4096,4096)": ("max", "(4096,4096) axis=-1"),
    "var axis=-1 (4096,4096)": ("var", "(4096,4096) axis=-1"),
    "transpose+copy (4096,4096) alloc": ("transpose", "(4096,4096)"),
    "cumsum axis=0 (4096,1024) out=": ("cumsum", "(4096,1024) axis=0"),
    "gather fancy-index table[idx] alloc": ("gather", "100k rows of (100000,128)"),
    "tiny add n=4 alloc": ("overhead", "add n=4 via K.Add"),
})
if machine:
    print(f"machine limits (kbackend bench --ops machine, this run; the fastest sample, the median in brackets)")
    for m in machine:
        rate = f"{m['gflops']:8.1f} GFLOPS" if m["gflops"] else f"{m['gbps']:8.1f} GB/s  "
        print(f"  {m['case']:30} {rate} (median {m['median_rate']:6.1f})   {m['detail']}")
    print()
# The all-core limit of each kind, as kbackend's peak_fraction uses it.
top = {}
for m in machine:
    if m["threads"] >= top.get(m["limit"], {"threads": 0})["threads"]:
        top[m["limit"]] = m
def share(rate, cpu_row):
    # numpy's rate against the limit kbackend chose for the same case: rate / (cpu rate / cpu peak_fraction).
    pf = cpu_row.get("peak_fraction")
    cpu_rate = cpu_row["gflops"] or cpu_row["gbps"]
    if not pf or not cpu_rate or rate is None:
        return "-"
    return f"{100 * rate / (cpu_rate / pf):.0f}%"
def fmt(s):
    return f"{s*1e3:9.3f} ms" if s >= 1e-3 else f"{s*1e6:9.2f} us"
print(f"{'numpy_bench case':45} {'numpy':>12} {'cpu':>12} {'cpu/numpy':>10} {'numpy %lim':>10} {'cpu %lim':>9}")
for name, key in pairs.items():
    if name not in numpy or key not in cpu:
        continue
    n, c = numpy[name], cpu[key]
    # numpy_bench.py counts the same bytes and FLOP as kbackend for every paired case.
    nrate = n.get("GFLOPS") if c["gflops"] else n.get("GBps")
    print(f"{name:45} {fmt(n['median_s']):>12} {fmt(c['median_seconds']):>12} {c['median_seconds'] / n['median_s']:10.2f}"
          f" {share(nrate, c):>10} {share(c['gflops'] or c['gbps'], c):>9}")
print("cpu/numpy below 1 means the cpu backend is faster. %lim: rate / the all-core limit measured above (FMA peak")
print("of the dtype for dot; DRAM bandwidth of the same traffic for the rest: read for reductions, add for add,")
print("copy for unary, softmax, transpose, cumsum, gather); cache-resident cases can exceed 100%.")
PY
