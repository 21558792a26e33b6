#!/bin/sh
# Times the same `kbackend bench` cases on two builds of the project in one command: BASE (any git revision) and the
# working tree. Both are built first; then the two binaries run alternately, round after round, so a change in the
# machine's load falls on both sides alike. Prints, per case, the median over rounds of each side's median time and
# the ratio working-tree / BASE (below 1: the working tree is faster).
# Usage: Tools/Bench/compare_builds.sh BASE [--ops OP[,OP...]] [--rounds N] [--max-seconds S]
#   e.g. Tools/Bench/compare_builds.sh HEAD~5 --ops add,exp,relu,sum --rounds 5
# Needs git and a python3 (standard library only) besides the .NET SDK.
set -eu
[ $# -ge 1 ] || { sed -n '2,7p' "$0" >&2; exit 2; }
base=$1; shift
ops=add,exp,relu,sum; rounds=5; maxs=0.5
while [ $# -gt 0 ]; do
  case $1 in
    --ops) ops=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --max-seconds) maxs=$2; shift 2 ;;
    *) echo "compare_builds.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/../.." && pwd)
sha=$(git -C "$root" rev-parse --short "$base^{commit}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "compare_builds: building $base ($sha) and the working tree"
mkdir "$work/base" && git -C "$root" archive "$sha" | tar -x -C "$work/base"
dotnet build "$work/base/Tools/kbackend" -c Release -v q -nologo -o "$work/base-bin" >"$work/base-build.log" 2>&1 ||
  { tail -20 "$work/base-build.log" >&2; exit 1; }
dotnet build "$root/Tools/kbackend" -c Release -v q -nologo -o "$work/head-bin" >"$work/head-build.log" 2>&1 ||
  { tail -20 "$work/head-build.log" >&2; exit 1; }
echo "compare_builds: $rounds rounds of --ops $ops, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
r=1
while [ "$r" -le "$rounds" ]; do
  for side in base head; do
    dotnet "$work/$side-bin/kbackend.dll" bench --ops "$ops" --backends cpu --json --max-seconds "$maxs" > "$work/$side-$r.json"
  done
  r=$((r + 1))
done
echo "compare_builds: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
python3 - "$work" "$rounds" "$sha" <<'PY'
import json, statistics, sys
work, rounds, sha = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(side):
    runs = {}
    for r in range(1, rounds + 1):
        for row in json.load(open(f"{work}/{side}-{r}.json")):
            if row["backend"] == "cpu" and row["median_seconds"] is not None:
                runs.setdefault((row["op"], row["case"]), []).append(row["median_seconds"])
    return {k: statistics.median(v) for k, v in runs.items()}
base, head = load("base"), load("head")
def us(s): return f"{s * 1e6:.3f}"
print(f"| op | case | {sha} µs | working tree µs | ratio |")
print("|---|---|---:|---:|---:|")
for key in sorted(base.keys() & head.keys()):
    print(f"| {key[0]} | {key[1]} | {us(base[key])} | {us(head[key])} | {head[key] / base[key]:.3f} |")
PY
