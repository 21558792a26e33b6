#!/bin/sh
# Runs ../shared/perf/numpy_bench.py (numpy 1.24 + OpenBLAS) and `kbackend bench --backends cpu` on the same
# shapes, one after the other, and prints the cpu/numpy time ratio per op (below 1: cpu is faster).
# Usage: Tools/Bench/numpy_compare.sh [numpy_bench.py groups...]   e.g.  Tools/Bench/numpy_compare.sh dot layout
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bench=${NUMPY_BENCH:-$root/../shared/perf/numpy_bench.py}
[ -f "$bench" ] || bench=/work/shared/perf/numpy_bench.py
out=${TMPDIR:-/tmp}/kbackend-numpy-compare.$$
mkdir -p "$out"
groups=${*:-add unary softmax reduce layout scan dot gather overhead}
# The two OPENBLAS_* variables set on these machines force a slower kernel; unset them for numpy only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$bench" --only $groups --json "$out/numpy.json" >/dev/null
dotnet build "$root/Tools/kbackend" -c Release -v q -nologo >/dev/null
# The kbackend ops behind each numpy_bench.py group, so both sides time the same cases.
ops=""
for g in $groups; do
  case $g in
    add) ops="$ops,add" ;; unary) ops="$ops,exp,tanh" ;; softmax) ops="$ops,softmax" ;; reduce) ops="$ops,sum,max,var" ;;
    layout) ops="$ops,transpose" ;; scan) ops="$ops,cumsum" ;; dot) ops="$ops,dot,batch_dot" ;; gather) ops="$ops,gather" ;;
    overhead) ops="$ops,overhead" ;;
  esac
done
dotnet "$root/Tools/kbackend/bin/Release/net10.0/kbackend.dll" bench --backends cpu --ops "${ops#,}" --json > "$out/cpu.json"
/usr/bin/python3 - "$out/numpy.json" "$out/cpu.json" <<'PY'
import json, sys
numpy = {r["op"]: r for r in json.load(open(sys.argv[1]))["results"]}
cpu = {(r["op"], r["case"]): r for r in json.load(open(sys.argv[2]))}
# numpy_bench.py name -> (kbackend op, case)
pairs = {f"dot sgemm n={n}": ("dot", f"f32 {n}x{n}x{n}") for n in (64, 256, 512, 1024, 2048)}
pairs.update({
    "dot (4096,1024)x(1024,1024)": ("dot", "f32 4096x1024x1024"),
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
def fmt(s):
    return f"{s*1e3:9.3f} ms" if s >= 1e-3 else f"{s*1e6:9.2f} us"
print(f"{'numpy_bench case':45} {'numpy':>12} {'cpu':>12} {'cpu/numpy':>10}")
for name, key in pairs.items():
    if name not in numpy or key not in cpu:
        continue
    n, c = numpy[name]["median_s"], cpu[key]["median_seconds"]
    print(f"{name:45} {fmt(n):>12} {fmt(c):>12} {c / n:10.2f}")
print("cpu/numpy below 1 means the cpu backend is faster.")
PY
rm -rf "$out"
