#!/usr/bin/env bash
# KerasBackend build entry point. Verbs: build, test, tour, sample, pack, docs, bench, bench-all, golden, check, clean.
# Only the .NET SDK is assumed; `golden FAMILY...` needs numpy for /usr/bin/python3 and, when it is missing,
# says it installs the Debian package python3-numpy (root and apt) before doing so.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIG="${CONFIG:-Release}"
verb="${1:-build}"; shift || true

case "$verb" in
  build)
    dotnet build KerasBackend.sln -c "$CONFIG" "$@" ;;
  test)
    # TRX results land in TestResults/ for .ci/run to count.
    dotnet test KerasBackend.sln -c "$CONFIG" --logger "trx" --results-directory TestResults "$@" ;;
  tour)
    dotnet run --project Samples/Tour -c "$CONFIG" -- "$@" ;;
  sample)
    if [ -d Samples/Digits ]; then dotnet run --project Samples/Digits -c "$CONFIG" -- "$@";
    else dotnet run --project Samples/Tour -c "$CONFIG" -- "$@"; fi ;;
  pack)
    # Both packages (library with its generator, and the kbackend tool) with their .snupkg symbols, into
    # artifacts/ (or -o DIR). ContinuousIntegrationBuild maps source paths to /_/ so the packages do not depend
    # on where this clone lives.
    out=artifacts
    if [ "${1:-}" = "-o" ]; then out="$2"; shift 2; fi
    for p in Runtime/KerasBackend.csproj Tools/kbackend/kbackend.csproj; do
      dotnet pack "$p" -c "$CONFIG" -o "$out" -p:ContinuousIntegrationBuild=true "$@"
    done ;;
  docs)
    # The op reference (one Markdown page per op, from the spec) into docs/reference, then the site with docfx
    # (pinned in .config/dotnet-tools.json) into docs/_site. --no-site stops after the Markdown.
    dotnet run --project Tools/kbackend -c "$CONFIG" -- docs --out docs/reference --diagnostics docs/diagnostics
    if [ "${1:-}" != "--no-site" ]; then
      dotnet tool restore >/dev/null
      dotnet docfx docs/docfx.json
      echo "docs: $(find docs/_site -name '*.html' | wc -l) pages in docs/_site (open docs/_site/index.html)"
    fi ;;
  bench)
    if [ -d Tools/Bench ]; then dotnet run --project Tools/Bench -c Release -- "$@";
    else dotnet run --project Tools/kbackend -c Release -- bench "$@"; fi ;;
  bench-all)
    # The whole comparison (machine limits, cpu, numpy/OpenBLAS, ONNX Runtime, TensorPrimitives) into one Markdown
    # report and one PNG chart under Tools/Bench/results/; needs a python3 with numpy (Tools/Bench/bench_all.sh).
    Tools/Bench/bench_all.sh "$@" ;;
  golden)
    # ./build.sh golden [FAMILY ...] [--rewrite] [--strict] [--summary]: regenerates only the named families of
    # Conformance/Golden (all without a name); unchanged cases are kept as they are (Conformance/CASES.md).
    if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
      echo "golden: /usr/bin/python3 has no numpy; installing the Debian package python3-numpy (apt-get update && apt-get install -y python3-numpy)" >&2
      if [ "$(id -u)" != 0 ]; then
        echo "golden: that needs root: run 'sudo apt-get install -y python3-numpy' (or install numpy for /usr/bin/python3), then again" >&2; exit 1
      fi
      apt-get update -qq && apt-get install -y -qq python3-numpy
    fi
    /usr/bin/python3 Conformance/GoldenMaker/make_golden.py "$@" ;;
  check)
    dotnet run --project Tools/kbackend -c "$CONFIG" -- check "$@" ;;
  ops|info)
    dotnet run --project Tools/kbackend -c "$CONFIG" -- "$verb" "$@" ;;
  clean)
    rm -rf TestResults artifacts docs/reference docs/_site docs/obj; dotnet clean KerasBackend.sln -c "$CONFIG" >/dev/null ;;
  *)
    echo "usage: ./build.sh {build|test|tour|sample|pack|docs|bench|bench-all|golden|check|ops|info|clean} [args]" >&2; exit 2 ;;
esac
