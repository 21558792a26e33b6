#!/bin/sh
# The whole comparison in one command (./build.sh bench-all): the machine's limits, the cpu backend, the numpy backend
# and TensorPrimitives (kbackend bench), numpy with the BLAS it loads (numpy_bench.py) and ONNX Runtime (the
# BenchmarkDotNet suite, run_ort.sh). Writes one Markdown report and one PNG chart of the time ratios to
# Tools/Bench/results/bench-all-<UTC time>.{md,png} and prints the report.
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
trap 'rm -rf "$work"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

# numpy: the first python3 on PATH that has it (PYTHON first when set), else the Debian package.
python=
for py in ${PYTHON:-} /usr/bin/python3 $(which -a python3 2>/dev/null); do
  if "$py" -c 'import numpy' 2>/dev/null; then python=$py; break; fi
done
if [ -z "$python" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench-all: no python3 with numpy; installing the Debian package python3-numpy (apt-get install -y python3-numpy)"
    apt-get update -qq && apt-get install -y -qq python3-numpy >/dev/null
    python=/usr/bin/python3
  else
    echo "bench-all: no python3 with numpy: install it (Debian: sudo apt-get install python3-numpy) or set PYTHON" >&2; exit 1
  fi
fi
numpy_env="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
blas() { $numpy_env "$python" -c "import sys; sys.path.insert(0, '$here'); import numpy_bench as b; i = b.loaded_blas(); print(i['library'], i['kernel'] or '-', i['threads'] or '-')"; }
set -- $(blas)
case $1 in
  *openblas*) ;;
  *)
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "bench-all: numpy loads $1 (a reference BLAS, about 40x slower than OpenBLAS in dot); installing libopenblas0-pthread (apt-get install -y libopenblas0-pthread)"
      apt-get update -qq && apt-get install -y -qq libopenblas0-pthread >/dev/null
      set -- $(blas)
    else
      echo "bench-all: WARNING numpy loads $1, not OpenBLAS: its dot figures are a reference BLAS's. Install libopenblas0-pthread (Debian) first." >&2
    fi ;;
esac
load_start=$(load)
echo "bench-all: numpy BLAS: $1 (kernel $2, $3 threads); load average $load_start"

dotnet build "$root/Tools/kbackend" -c Release -v q -nologo >/dev/null
kbackend="dotnet $root/Tools/kbackend/bin/Release/net10.0/kbackend.dll"
echo "bench-all: kbackend bench (machine limits, cpu, numpy backend, TensorPrimitives) at load $(load)"
$kbackend bench --json ${quick:+--quick} > "$work/kbackend.json"
echo "bench-all: numpy_bench.py at load $(load)"
$numpy_env "$python" "$here/numpy_bench.py" --json "$work/numpy.json" ${quick:+--seconds 0.1 --min-batches 3} >/dev/null
if [ -z "$quick" ]; then
  echo "bench-all: BenchmarkDotNet, cpu against ONNX Runtime and TensorPrimitives (run_ort.sh) at load $(load)"
  "$here/run_ort.sh" "$work/ort.md" >/dev/null
fi
echo "bench-all: done at load $(load)"

ort_rows="$work/ort.json"
[ -n "$quick" ] && ort_rows=
"$python" "$here/bench_all_report.py" --kbackend "$work/kbackend.json" --numpy "$work/numpy.json" ${ort_rows:+--ort "$ort_rows"} \
  --rows "$work/rows.json" --root "$root" --load-start "$load_start" --load-end "$(load)" > "$md"
$kbackend bench --from "$work/rows.json" --plot "$png" >/dev/null
cat "$md"
echo
echo "bench-all: wrote $md and $png"
