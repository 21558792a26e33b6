#!/bin/sh
# The whole comparison in one command (./build.sh bench-all): the machine's limits, the cpu backend, the numpy backend
# and TensorPrimitives (kbackend bench), numpy with the BLAS it loads (numpy_bench.py) and ONNX Runtime (the
# BenchmarkDotNet suite, run_ort.sh). Writes one Markdown report and one PNG chart of the time ratios to
# Tools/Bench/results/bench-all-<UTC time>.{md,png} (BenchmarkDotNet's tables in bench-all-<UTC time>-ort.md) and prints
# the report.
# Ratios are other/cpu times measured in the same process: ONNX Runtime against BenchmarkDotNet's own cpu run,
# TensorPrimitives and the numpy backend against kbackend's; numpy/OpenBLAS against kbackend's cpu run taken
# right after it, in the same script.
# numpy on a reference BLAS measures its dot far below the machine's peak: the script prints the BLAS numpy loaded
# and, when it is not OpenBLAS, installs libopenblas0-pthread (Debian, as root) or says how to, before measuring.
# Usage: Tools/Bench/bench_all.sh [--quick]   (--quick: kbackend's smoke sizes, a short numpy run, no BenchmarkDotNet)
# About 15 minutes on 2 cores; --quick about 2.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
quick=
[ "${1:-}" = "--quick" ] && quick=1
stamp=$(date -u +%Y-%m-%d-%H%M)
mkdir -p "$here/results"
md="$here/results/bench-all-$stamp.md"
png="$here/results/bench-all-$stamp.png"
work=$(mktemp -d)
# The measurements are kept when a later step fails (the report, the chart): the message says where they are.
trap 'status=$?; if [ $status -eq 0 ]; then rm -rf "$work"; else echo "bench-all: failed (exit $status); the measurements so far are kept in $work" >&2; fi' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

. "$here/find_numpy.sh"
load_start=$(load)
echo "bench-all: numpy BLAS: $blas_lib (kernel $blas_kernel, $blas_threads threads); load average $load_start"

dotnet build "$root/Tools/kbackend" -c Release -v q -nologo >/dev/null
kbackend="dotnet $root/Tools/kbackend/bin/Release/net10.0/kbackend.dll"
echo "bench-all: kbackend bench (machine limits, cpu, numpy backend, TensorPrimitives) at load $(load)"
t0=$(date +%s)
$kbackend bench --json ${quick:+--quick} > "$work/kbackend.json"
kb_seconds=$(( $(date +%s) - t0 ))
echo "bench-all: kbackend bench took $kb_seconds s"
echo "bench-all: numpy_bench.py at load $(load)"
$numpy_env "$python" "$here/numpy_bench.py" --json "$work/numpy.json" ${quick:+--seconds 0.1 --min-batches 3} >/dev/null
if [ -z "$quick" ]; then
  echo "bench-all: BenchmarkDotNet, cpu against ONNX Runtime and TensorPrimitives (run_ort.sh) at load $(load)"
  # BenchmarkDotNet's own tables (every method, error columns, allocations) are kept beside the report.
  "$here/run_ort.sh" "$here/results/bench-all-$stamp-ort.md" >/dev/null
  mv "$here/results/bench-all-$stamp-ort.json" "$work/ort.json"
fi
echo "bench-all: done at load $(load)"

ort_rows="$work/ort.json"
[ -n "$quick" ] && ort_rows=
"$python" "$here/bench_all_report.py" --kbackend "$work/kbackend.json" --numpy "$work/numpy.json" ${ort_rows:+--ort "$ort_rows"} \
  --rows "$work/rows.json" --root "$root" --load-start "$load_start" --load-end "$(load)" \
  --kbackend-seconds "$kb_seconds" ${quick:+--quick} > "$md"
$kbackend bench --from "$work/rows.json" --plot "$png" >/dev/null
cat "$md"
echo
echo "bench-all: wrote $md and $png"
