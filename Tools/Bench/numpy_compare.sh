#!/bin/sh
# Runs Tools/Bench/numpy_bench.py (numpy with the BLAS it loads, normally OpenBLAS) and `kbackend bench --backends cpu`
# on the same shapes, one after the other, and prints the cpu/numpy time ratio per case (below 1: cpu is faster).
# kbackend measures the machine's limits (FMA peak, DRAM bandwidth) in the same command, and both columns are also
# given as a share of those limits. numpy_bench.py prints the BLAS library and kernel numpy uses: a reference BLAS
# (no libopenblas installed) measures numpy's dot far below the machine's peak.
# Usage: Tools/Bench/numpy_compare.sh [groups...]   e.g.  Tools/Bench/numpy_compare.sh dot layout
# Groups: add unary softmax reduce layout scan dot gather overhead (default: all).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
groups=${*:-add unary softmax reduce layout scan dot gather overhead}
. "$here/find_numpy.sh"
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
$numpy_env "$python" "$here/numpy_bench.py" --groups $groups --json "$out/numpy.json"
dotnet build "$root/Tools/kbackend" -c Release -v q -nologo >/dev/null
# The kbackend ops behind each numpy_bench.py group, so both sides time the same cases; 'machine' is always run.
ops="machine"
for g in $groups; do
  case $g in
    add) ops="$ops,add,multiply" ;; unary) ops="$ops,exp,tanh,sigmoid,relu" ;; softmax) ops="$ops,softmax" ;; reduce) ops="$ops,sum,max,mean,var" ;;
    layout) ops="$ops,transpose" ;; scan) ops="$ops,cumsum" ;; dot) ops="$ops,dot,batch_dot" ;; gather) ops="$ops,gather" ;;
    overhead) ops="$ops,overhead" ;;
  esac
done
dotnet "$root/Tools/kbackend/bin/Release/net10.0/kbackend.dll" bench --backends cpu --ops "$ops" --json > "$out/cpu.json"
load_after=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo ?)
"$python" - "$out/numpy.json" "$out/cpu.json" "$load_before" "$load_after" <<'PY'
import json, sys
print(f"1-minute load average: {sys.argv[3]} before, {sys.argv[4]} after (the machine is shared; 2 or more means the figures are disturbed)")
numpy_run = json.load(open(sys.argv[1]))
blas = numpy_run["header"]["blas"]
print(f"numpy {numpy_run['header']['numpy']} on {blas['library']} (kernel {blas['kernel']}, {blas['threads']} threads)")
numpy = {r["case"]: r for r in numpy_run["results"]}
rows = json.load(open(sys.argv[2]))
cpu = {(r["op"], r["case"]): r for r in rows if r["backend"] == "cpu"}
machine = [r for r in rows if r["backend"] == "machine"]
# numpy_bench.py names its cases "<kbackend op> <kbackend case>", except the per-call overhead case.
pairs = {f"{op} {case}": (op, case) for op, case in cpu}
pairs["add n=4 per call"] = ("overhead", "add n=4 via K.Add")
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
print(f"{'case':45} {'numpy':>12} {'cpu':>12} {'cpu/numpy':>10} {'numpy %lim':>10} {'cpu %lim':>9}")
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
