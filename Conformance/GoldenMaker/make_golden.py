#!/usr/bin/python3
"""Writes the golden conformance corpus: Conformance/Golden/<family>.json.gz.

Run with Debian's numpy (`apt-get install -y python3-numpy`, then `/usr/bin/python3`), or `./build.sh golden`.
This script installs nothing. It imports every module Conformance/GoldenMaker/cases/<family>.py; each defines

    def generate(np, T): -> list of case dicts in the "kerasbackend-cases/1" format
                            (Conformance/CASES.md describes it).

`T(a, dtype=None)` turns a numpy array or scalar into a TENSOR dict. It also carries the helpers the
modules share, so every module computes expected values by the same Keras rules:

    T.floatx                 "float32", Keras' default floatx (cases run with the defaults restored)
    T.promote(a, b, ...)     Keras 3 dtype promotion (keras/src/backend/common/dtypes.py, after JAX),
                             not numpy's: int32 + float16 -> float16, uint8 + int8 -> int16.
    T.to_float(dtype)        floats keep their dtype, ints and bool become floatx
    T.tol(dtype, scale=1)    (rtol, atol) for a result of that dtype; `scale` widens it (long sums)
    T.case(id, op, inputs, args, expect=None, error=None, rtol=None, atol=None, note=None)
                             builds a case dict; tolerances default to T.tol(expect dtype)
    T.rng(key)               a numpy Generator seeded from `key` (a string), so every run writes the same bytes
    T.arr(rng, shape, dtype, low=-3, high=3)
                             random values of a dtype (ints in [low, high], bool half true)
    T.special(dtype)         1-D array with NaN, +inf, -inf, -0.0, 0.0, tiny and huge values of a float dtype

Output is deterministic: fixed seeds, sorted keys, gzip without a timestamp. A case whose id, op, inputs and
args are those of a case already in the family's file is kept exactly as it is there (its expected values
are not recomputed: BLAS sums may differ in their last bits from one machine to another, and a contributor
regenerating one family must not rewrite others' results); `--rewrite` recomputes every case of the named
families (after changing how a module computes expected values). A family whose cases are all kept is not
written at all. The script reports every op of Spec/ops/*.json that has no case and every case naming an op
the spec lacks; `--strict` makes either an error.

Usage: make_golden.py [FAMILY ...] [--only FAMILY ...] [--rewrite] [--strict] [--summary]
       (no family: every module of cases/; `./build.sh golden FAMILY ...` runs this)
"""
import argparse
import glob
import gzip
import importlib.util
import io
import json
import math
import os
import sys
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SPEC = os.path.join(ROOT, "Spec", "ops")
OUT = os.path.join(ROOT, "Conformance", "Golden")
FORMAT = "kerasbackend-cases/1"

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]
FLOATS = ["float16", "float32", "float64"]
INTS = ["int8", "int16", "int32", "int64", "uint8"]


# ---- Keras 3 dtype promotion -------------------------------------------------------------------------
# keras/src/backend/common/dtypes.py builds a lattice after JAX: bool < uint8 < (int8..int64, uint
# widening), any int joined with a float gives that float, floats join by width. Keras' backends compute
# binary ops in result_type(x.dtype, y.dtype); numpy would instead give int32 + float16 -> float32.
def _promote2(a, b):
    if a == b:
        return a
    if a == "bool":
        return b
    if b == "bool":
        return a
    fa, fb = a in FLOATS, b in FLOATS
    if fa and fb:
        return FLOATS[max(FLOATS.index(a), FLOATS.index(b))]
    if fa:
        return a
    if fb:
        return b
    if "uint8" in (a, b):
        s = b if a == "uint8" else a
        return "int16" if s == "int8" else s
    order = ["int8", "int16", "int32", "int64"]
    return order[max(order.index(a), order.index(b))]


def promote(*dtypes):
    d = str(np.dtype(dtypes[0])) if not isinstance(dtypes[0], str) else dtypes[0]
    for e in dtypes[1:]:
        d = _promote2(d, e if isinstance(e, str) else str(np.dtype(e)))
    return d


def to_float(dtype):
    return dtype if dtype in FLOATS else "float32"


def tol(dtype, scale=1.0):
    """Tolerances for a result of `dtype`: a few ulps of it, times `scale` for results of long sums."""
    if dtype == "float16":
        return 2e-3 * scale, 1e-3 * scale
    if dtype == "float32":
        return 2e-6 * scale, 1e-6 * scale
    if dtype == "float64":
        return 1e-12 * scale, 1e-12 * scale
    return 0, 0


# ---- TENSOR encoding --------------------------------------------------------------------------------
def _value(v, dtype):
    if dtype == "bool":
        return bool(v)
    if dtype in FLOATS:
        f = float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        if dtype == "float32":
            # numpy prints the shortest decimal that rounds back to the same float32.
            return float(repr(np.float32(v)).replace("np.float32(", "").rstrip(")"))
        if f == int(f) and abs(f) < 2 ** 53:
            return int(f) if f != 0 or math.copysign(1, f) > 0 else -0.0
        return f
    return int(v)


def T(a, dtype=None):
    """A TENSOR dict from a numpy array or scalar, in `dtype` (default: the array's own dtype)."""
    arr = np.asarray(a)
    if dtype is not None:
        arr = arr.astype(dtype)
    name = str(arr.dtype)
    if name not in DTYPES:
        raise ValueError(f"T(): dtype {name} is not a Keras dtype; pass dtype= explicitly")
    return {"dtype": name, "shape": [int(d) for d in arr.shape], "data": [_value(v, name) for v in arr.reshape(-1).tolist()]}


def rng(key):
    return np.random.default_rng(zlib.crc32(key.encode("utf-8")))


def arr(r, shape, dtype, low=-3, high=3):
    shape = tuple(shape)
    if dtype == "bool":
        return r.random(shape) < 0.5
    if dtype in FLOATS:
        return (r.random(shape) * (high - low) + low).astype(dtype)
    lo = max(low, 0) if dtype == "uint8" else low
    return r.integers(lo, high + 1, size=shape).astype(dtype)


def special(dtype):
    info = np.finfo(dtype)
    return np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, float(info.tiny), -float(info.tiny), 1.0, -2.5, float(info.max) / 4], dtype=dtype)


def case(id, op, inputs=None, args=None, expect=None, error=None, rtol=None, atol=None, note=None):
    c = {"id": id, "op": op, "inputs": inputs or {}, "args": args or {}}
    if error is not None:
        c["expect_error"] = error
    else:
        if not isinstance(expect, (dict, list)):
            raise ValueError(f"{id}: expect must be a TENSOR (use T(...)) or a list of TENSORs")
        c["expect"] = expect
        d = expect["dtype"] if isinstance(expect, dict) else expect[0]["dtype"]
        r, a = tol(d)
        rr, aa = (rtol if rtol is not None else r), (atol if atol is not None else a)
        if rr:
            c["rtol"] = rr
        if aa:
            c["atol"] = aa
    if note:
        c["note"] = note
    return c


T.floatx = "float32"
T.promote = promote
T.to_float = to_float
T.tol = tol
T.case = case
T.rng = rng
T.arr = arr
T.special = special
T.DTYPES = DTYPES
T.FLOATS = FLOATS
T.INTS = INTS


# ---- driver -----------------------------------------------------------------------------------------
def spec_ops():
    ops = {}
    for path in sorted(glob.glob(os.path.join(SPEC, "*.json"))):
        with open(path, encoding="utf-8") as f:
            for op in json.load(f).get("ops", []):
                ops[op["name"]] = op
    return ops


def load_module(path):
    name = "golden_cases_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _check_tensor(t, where):
    if not isinstance(t, dict) or not {"dtype", "shape", "data"} <= set(t) <= {"dtype", "shape", "data", "variable"}:
        raise ValueError(f"{where}: not a TENSOR dict (use T(...); an input may add \"variable\": true)")
    n = 1
    for d in t["shape"]:
        n *= d
    if n != len(t["data"]):
        raise ValueError(f"{where}: shape {t['shape']} needs {n} values, has {len(t['data'])}")


def validate(cases, family, ops, seen):
    for c in cases:
        cid = c.get("id")
        if not cid or "op" not in c:
            raise ValueError(f"{family}: a case lacks id or op: {str(c)[:200]}")
        if cid in seen:
            raise ValueError(f"{family}: duplicate case id {cid} (also in {seen[cid]})")
        seen[cid] = family
        if ("expect" in c) == ("expect_error" in c):
            raise ValueError(f"{cid}: needs exactly one of expect / expect_error")
        if "expect_error" in c and c["expect_error"] not in ("ValueError", "TypeError", "IndexError"):
            raise ValueError(f"{cid}: unknown error kind {c['expect_error']}")
        for k, v in c.get("inputs", {}).items():
            for i, t in enumerate(v if isinstance(v, list) else [v]):
                _check_tensor(t, f"{cid} input {k}[{i}]")
        if "expect" in c:
            for i, t in enumerate(c["expect"] if isinstance(c["expect"], list) else [c["expect"]]):
                _check_tensor(t, f"{cid} expect[{i}]")


def read_existing(family):
    """The cases of the family's current file by id, or {} when there is none."""
    path = os.path.join(OUT, family + ".json.gz")
    if not os.path.exists(path):
        return {}, None
    with gzip.open(path, "rb") as g:
        doc = json.loads(g.read().decode("utf-8"))
    return {c["id"]: c for c in doc.get("cases", [])}, doc.get("source")


def _same_call(a, b):
    """Same op, inputs and args (compared as JSON, so 1 and 1.0 differ as they do in the file)."""
    key = lambda c: json.dumps([c.get("op"), c.get("inputs", {}), c.get("args", {})], sort_keys=True, allow_nan=False)
    return key(a) == key(b)


def merge(family, cases, rewrite):
    """Keeps an existing case verbatim when its call did not change. Returns (cases, source, counts)."""
    old, old_source = ({}, None) if rewrite else read_existing(family)
    merged, kept, changed, new = [], 0, 0, 0
    for c in cases:
        prev = old.get(c["id"])
        if prev is not None and _same_call(prev, c):
            merged.append(prev)
            kept += 1
        else:
            merged.append(c)
            if prev is None:
                new += 1
            else:
                changed += 1
    removed = len(set(old) - {c["id"] for c in cases})
    source = f"numpy {np.__version__}, Conformance/GoldenMaker/make_golden.py, cases/{family}.py"
    if old_source is not None and new == 0 and changed == 0 and removed == 0:
        source = old_source
    return merged, source, {"kept": kept, "changed": changed, "new": new, "removed": removed}


def write(family, cases, source):
    """Writes the family's file; returns (path, written) where written is False when the bytes are already there."""
    doc = {"format": FORMAT, "source": source, "cases": cases}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=True)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(text.encode("utf-8"))
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, family + ".json.gz")
    data = buf.getvalue()
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return path, False
    with open(path, "wb") as f:
        f.write(data)
    return path, True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("families", nargs="*", metavar="FAMILY", help="families to regenerate (cases/FAMILY.py); default: all")
    ap.add_argument("--only", nargs="+", default=None, metavar="FAMILY", help="the same as naming the families")
    ap.add_argument("--rewrite", action="store_true", help="recompute every case of the named families, also those whose inputs did not change")
    ap.add_argument("--strict", action="store_true", help="fail when a spec op has no case or a case names an unknown op")
    ap.add_argument("--summary", action="store_true", help="print the number of cases per op")
    a = ap.parse_args()

    modules = {os.path.splitext(os.path.basename(p))[0]: p for p in sorted(glob.glob(os.path.join(HERE, "cases", "*.py")))}
    modules = {k: v for k, v in modules.items() if not k.startswith("_")}
    wanted = set(a.families) | set(a.only or [])
    unknown = sorted(wanted - set(modules))
    if unknown:
        print(f"unknown famil{'y' if len(unknown) == 1 else 'ies'}: {', '.join(unknown)} (known: {', '.join(modules)})", file=sys.stderr)
        return 2

    np.seterr(all="ignore")  # inf/NaN cases are intended
    ops = spec_ops()
    per_op, seen, problems = {}, {}, []
    # Every module runs (ids must be unique across families and coverage is reported for the whole corpus);
    # only the named families are written.
    for family, path in modules.items():
        cases = load_module(path).generate(np, T)
        validate(cases, family, ops, seen)
        for c in cases:
            per_op[c["op"]] = per_op.get(c["op"], 0) + 1
            if c["op"] not in ops:
                problems.append(f"case {c['id']} ({family}.py) names op '{c['op']}', which is not in Spec/ops")
        if not wanted or family in wanted:
            merged, source, n = merge(family, cases, a.rewrite)
            out, written = write(family, merged, source)
            state = "written" if written else "unchanged"
            print(f"{os.path.relpath(out, ROOT)}: {len(merged)} cases ({n['new']} new, {n['changed']} with new inputs, "
                  f"{n['kept']} kept as they were, {n['removed']} removed), {state}")
    for name in sorted(ops):
        if name not in per_op:
            problems.append(f"op '{name}' ({ops[name].get('category')}) has no golden cases")
    if a.summary:
        for name in sorted(per_op):
            print(f"  {name:28} {per_op[name]:5}")
        print(f"  {'total':28} {sum(per_op.values()):5}")
    for p in problems:
        print("warning: " + p, file=sys.stderr)
    return 1 if a.strict and problems else 0


if __name__ == "__main__":
    sys.exit(main())
