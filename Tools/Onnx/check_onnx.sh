#!/usr/bin/env bash
# Checks exported ONNX models with the onnx package's checker (full check) and strict shape inference.
# Usage: Tools/Onnx/check_onnx.sh MODEL.onnx...   (installs Debian's python3-onnx when `import onnx` fails; needs root)
set -euo pipefail
if [ "$#" -eq 0 ]; then echo "usage: $0 MODEL.onnx..." >&2; exit 2; fi
PY=/usr/bin/python3
if ! "$PY" -c "import onnx" 2>/dev/null; then
  echo "check_onnx: installing python3-onnx (Debian)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q python3-onnx >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q python3-onnx >/dev/null; }
fi
"$PY" - "$@" <<'PY'
import sys
import onnx
from onnx import checker, shape_inference
failed = 0
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        checker.check_model(model, full_check=True)
        inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        outs = ", ".join(f"{o.name}: {onnx.helper.printable_type(o.type)}" for o in inferred.graph.output)
        print(f"{path}: OK (onnx {onnx.__version__}, IR {model.ir_version}, opset {model.opset_import[0].version}, "
              f"{len(model.graph.node)} nodes; outputs {outs})")
    except Exception as e:  # the checker's own error types vary by version
        failed += 1
        print(f"{path}: FAILED: {type(e).__name__}: {e}")
sys.exit(1 if failed else 0)
PY
