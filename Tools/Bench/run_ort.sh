#!/bin/sh
# Runs the BenchmarkDotNet suite (the cpu backend against ONNX Runtime and TensorPrimitives, in one process) in a
# short in-process job, one benchmark class at a time, and writes one markdown file with the machine, the command,
# the load average around each class, a table of median ratios and BenchmarkDotNet's own tables.
# Usage: Tools/Bench/run_ort.sh [OUT.md] [Class...]     default: Tools/Bench/results/ort-<UTC date>.md, every benchmark
# class of Tools/Bench/*.cs (each non-abstract `public class <Name>Bench :`), in file order
# The medians are also written as JSON next to OUT.md (OUT.json).
# About 10 minutes on 2 cores for every class.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/results/ort-$(date -u +%Y-%m-%d).md}
[ $# -gt 0 ] && shift
classes=${*:-$(grep -ho '^public class [A-Za-z0-9_]*Bench *:' "$here"/Benchmarks.cs "$here"/*Benchmarks.cs | awk '!seen[$3]++ {print $3}')}
art=${TMPDIR:-/tmp}/kbackend-ort.$$
mkdir -p "$art" "$(dirname "$out")"
trap 'rm -rf "$art"' EXIT
dotnet build "$root/Tools/Bench" -c Release -v q -nologo >/dev/null
args="--inProcess --iterationTime 100"
: > "$art/load.txt"
for c in $classes; do
  before=$(cut -d' ' -f1 /proc/loadavg)
  dotnet run -c Release --no-build --project "$root/Tools/Bench" -- --filter "*.$c.*" $args --artifacts "$art/$c" > "$art/$c.log" 2>&1 ||
    { echo "run_ort.sh: $c failed, see $art/$c.log" >&2; trap - EXIT; exit 1; }
  echo "$c $before $(cut -d' ' -f1 /proc/loadavg)" >> "$art/load.txt"
done
/usr/bin/python3 - "$art" "$out" "$args" "$root" $classes <<'PY'
import csv, glob, os, re, subprocess, sys, time
art, out, args, root, classes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
unit = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
def seconds(cell):
    v, u = cell.replace(",", "").split()
    return float(v) * unit[u]
def fmt(s):
    return f"{s*1e9:.0f} ns" if s < 1e-6 else f"{s*1e6:.1f} µs" if s < 1e-3 else f"{s*1e3:.2f} ms"
commit = subprocess.run(["git", "-C", root, "log", "-1", "--format=%h %s"], capture_output=True, text=True).stdout.strip() or "?"
lscpu = dict(l.split(":", 1) for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines() if ":" in l)
cpu = lambda k: lscpu.get(k, "?").strip()
load = {l.split()[0]: l.split()[1:] for l in open(os.path.join(art, "load.txt"))}
ort_version = (re.findall(r'Include="Microsoft\.ML\.OnnxRuntime" Version="([^"]+)"',
                          open(os.path.join(root, "Tools", "Bench", "KerasBackend.Bench.csproj")).read()) or ["?"])[0]
lines = [f"# ONNX Runtime and TensorPrimitives against the cpu backend ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})", "",
         "Command (one BenchmarkDotNet run per class, in process):", "",
         f"    Tools/Bench/run_ort.sh   # = for each class: dotnet run -c Release --project Tools/Bench -- --filter '*.<Class>.*' {args}", "",
         f"Machine: {cpu('Model name')}, {cpu('CPU(s)')} CPUs ({cpu('Core(s) per socket')} cores per socket, {cpu('Thread(s) per core')} thread per core), "
         f"L2 {cpu('L2 cache')}, L3 {cpu('L3 cache')}; {cpu('Hypervisor vendor')} guest. Job: 1 launch, 3 warm-ups, 7 iterations of 100 ms.",
         f"Code: commit {commit} (plus any uncommitted change in the work tree).",
         f"ONNX Runtime {ort_version} runs with IntraOpNumThreads = 2 (1 for the tiny add); TensorPrimitives is single-threaded.",
         "The 1-minute load average before/after each class is listed: on a shared machine absolute times drift with it.",
         "Compare inside one table only.", "",
         "## Median ratios (other / cpu: above 1 means the cpu backend is faster)", "",
         "| benchmark | case | cpu median | ORT median | ORT/cpu | TP median | TP/cpu | other methods (time/cpu) | load before/after |",
         "|---|---|---:|---:|---:|---:|---:|---|---|"]
tables, rows_json = [], []
for c in classes:
    files = glob.glob(os.path.join(art, c, "results", f"*.{c}-report.csv"))
    md = glob.glob(os.path.join(art, c, "results", f"*.{c}-report-github.md"))
    if not files:
        continue
    rows = list(csv.DictReader(open(files[0], encoding="utf-8")))
    head = list(rows[0].keys())
    params = head[head.index("WarmupCount") + 1:head.index("Mean")]
    groups = {}
    for r in rows:
        groups.setdefault(tuple(r[p] for p in params), {})[r["Method"]] = seconds(r["Median"])
    for key, m in groups.items():
        if "Cpu" not in m:
            continue
        case = ", ".join(f"{p}={v}" for p, v in zip(params, key)) or "-"
        ort, tp = m.get("OnnxRuntime"), m.get("TensorPrimitivesBaseline")
        # Any other method of the class (e.g. Einsum and Matmul beside Cpu's dot) as its time over Cpu's.
        others = {k: v for k, v in m.items() if k not in ("Cpu", "OnnxRuntime", "TensorPrimitivesBaseline")}
        rows_json.append({"class": c, "params": dict(zip(params, key)), "cpu": m["Cpu"], "ort": ort, "tp": tp,
                          "others": others, "load": load.get(c, ["?", "?"])})
        cell = lambda t: (fmt(t), f"{t / m['Cpu']:.2f}") if t else ("-", "-")
        other = ", ".join(f"{k} {fmt(v)} ({v / m['Cpu']:.2f})" for k, v in others.items()) or "-"
        lines.append(f"| {c} | {case} | {fmt(m['Cpu'])} | {' | '.join(cell(ort))} | {' | '.join(cell(tp))} | {other} | {' / '.join(load.get(c, ['?', '?']))} |")
    if md:
        body = open(md[0], encoding="utf-8").read()
        tables += [f"### {c}", "", body.strip(), ""]
lines += ["", "## BenchmarkDotNet tables", ""] + tables
open(out, "w", encoding="utf-8").write("\n".join(lines) + "\n")
# The same medians as data (seconds), for Tools/Bench/bench_all.sh.
json_out = os.path.splitext(out)[0] + ".json"
import json
json.dump(rows_json, open(json_out, "w", encoding="utf-8"), indent=1)
print("wrote", out, "and", json_out)
PY
