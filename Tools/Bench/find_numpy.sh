# Sourced by the benchmark scripts (bench_all.sh, numpy_compare.sh): finds a python3 with numpy and checks that numpy
# loads OpenBLAS. Needs $here (Tools/Bench). Sets:
#   python     the first python3 that imports numpy: $PYTHON when set, then /usr/bin/python3, then PATH's;
#   numpy_env  the environment to run numpy in (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, when set, force an OpenBLAS
#              kernel other than the one it picks for this CPU: unset for numpy);
#   blas_lib blas_kernel blas_threads   what numpy_bench.loaded_blas() reports.
# With no numpy, or numpy on a reference BLAS (its dot about 40x slower than OpenBLAS's), it installs the Debian
# package (python3-numpy, libopenblas0-pthread) when run as root with apt-get, and otherwise says what to install.
python=
for py in ${PYTHON:-} /usr/bin/python3 $(which -a python3 2>/dev/null); do
  if "$py" -c 'import numpy' 2>/dev/null; then python=$py; break; fi
done
if [ -z "$python" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$(basename "$0"): no python3 with numpy; installing the Debian package python3-numpy (apt-get install -y python3-numpy)" >&2
    apt-get update -qq && apt-get install -y -qq python3-numpy >/dev/null
    python=/usr/bin/python3
  else
    echo "$(basename "$0"): no python3 with numpy: install it (Debian: sudo apt-get install python3-numpy) or set PYTHON" >&2; exit 1
  fi
fi
numpy_env="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
find_numpy_blas() {
  set -- $($numpy_env "$python" -c "import sys; sys.path.insert(0, '$here'); import numpy_bench as b; i = b.loaded_blas(); print(i['library'], i['kernel'] or '-', i['threads'] or '-')")
  blas_lib=$1 blas_kernel=$2 blas_threads=$3
}
find_numpy_blas
case $blas_lib in
  *openblas*) ;;
  *)
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "$(basename "$0"): numpy loads $blas_lib (a reference BLAS, about 40x slower than OpenBLAS in dot); installing libopenblas0-pthread (apt-get install -y libopenblas0-pthread)" >&2
      apt-get update -qq && apt-get install -y -qq libopenblas0-pthread >/dev/null
      find_numpy_blas
    else
      echo "$(basename "$0"): WARNING numpy loads $blas_lib, not OpenBLAS: its dot figures are a reference BLAS's. Install libopenblas0-pthread (Debian) first." >&2
    fi ;;
esac
