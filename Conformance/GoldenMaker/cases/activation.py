"""Golden cases for the activations (family `activation`): tanh, sigmoid, relu, elu, softplus, softsign, hard_sigmoid.

Keras rules written out (numpy has no activations of its own):
- tanh and sigmoid of an integer or bool tensor are floatx; float16 is computed in float32 and rounded
  (keras/src/backend/numpy/numpy.py `tanh`, keras/src/backend/numpy/nn.py `sigmoid`: non-float inputs are
  cast to floatx first). sigmoid(x) = 1 / (1 + exp(-x)).
- relu(x, alpha=0., max_value=None, threshold=0.) follows tf-keras's CODE (backend.py relu, lines 5372-5407), not its
  docstring (the docstring's "max_value for x >= max_value; x for threshold <= x < max_value; alpha * (x - threshold)
  otherwise" disagrees with the code at x == threshold, when max_value < threshold, with a negative threshold and a
  max_value, and at -inf with a threshold):
    pos = x * (x > threshold)  if threshold != 0 (so x == threshold gives 0 and -inf gives -inf * 0 = NaN)
          max(x, 0)            if threshold == 0 (tf.nn.relu; relu6 for max_value == 6 is the same)
    pos = clip(pos, 0, max_value)                if max_value is not None (tf.clip_by_value(x, 0, max_value))
    out = pos - alpha * max(threshold - x, 0)    if alpha != 0 (x -= alpha * negative_part; leaky_relu is the same)
  NaN stays NaN. relu keeps the input dtype; integer results are truncated toward zero.
- elu(x, alpha=1.0) (tf-keras backend.py `elu`): tf.nn.elu(x) = x for x > 0, exp(x) - 1 otherwise; for alpha != 1
  `tf.where(x > 0, res, alpha * res)`. Written here with numpy.expm1. elu(-inf) = -alpha.
- softplus = log(1 + exp(x)) (`tf.math.softplus`), written as numpy.logaddexp(0, x) (no overflow).
- softsign = x / (1 + |x|) literally (`tf.math.softsign`): ±inf give NaN.
- hard_sigmoid = clip(0.2 * x + 0.5, 0, 1) (tf-keras backend.py `hard_sigmoid`; Keras 3 changed the slope to 1/6, tf-keras's
  0.2 is pinned by the `slope` cases).
- elu, softplus, softsign and hard_sigmoid of an integer or bool tensor are floatx; float16 is computed in float32.
Cross-check: when torch is importable, elu, softplus and softsign are recomputed with torch.nn.functional (elu, softplus with
threshold, softsign) and hard_sigmoid against scipy-free numpy clip; they must agree within the case's tolerances.
Expected values are computed in float64 and rounded once to the result dtype.
"""

SHAPES = [  # typical, rank 0, rank 5, empty dimensions, lengths around vector widths
    ("2d", (2, 3)),
    ("rank0", ()),
    ("rank1", (7,)),
    ("lanes", (37,)),
    ("rank5", (2, 1, 3, 1, 2)),
    ("empty", (0, 3)),
    ("empty_rank1", (0,)),
    ("long", (33, 17)),
]


def _relu(np, x, alpha=0.0, max_value=None, threshold=0.0):
    v = x.astype("float64")
    with np.errstate(invalid="ignore"):
        if threshold != 0:
            pos = v * (v > threshold)
        else:
            pos = np.where(v < 0, 0.0, v)  # NaN passes
        if max_value is not None:
            pos = np.where(pos > max_value, max_value, pos)  # tf.clip_by_value: minimum first, then maximum
            pos = np.where(pos < 0, 0.0, pos)
        if alpha != 0:
            neg = threshold - v
            pos = pos - alpha * np.where(neg < 0, 0.0, neg)
    if x.dtype.kind in "iub":
        return np.trunc(pos).astype(x.dtype)
    return pos.astype(x.dtype)


def generate(np, T):
    cases = []
    with np.errstate(over="ignore", invalid="ignore"):
        for op in ["tanh", "sigmoid"]:
            r = T.rng("activation/" + op)

            def expect(x):
                v = x.astype("float64")
                y = np.tanh(v) if op == "tanh" else 1.0 / (1.0 + np.exp(-v))
                return y.astype(T.to_float(str(x.dtype)))

            def add(cid, x, note=None):
                cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, expect=T(expect(x)), note=note))

            for name, shape in SHAPES:
                add(f"shape/{name}", T.arr(r, shape, "float32", -6, 6))
            for dt in T.DTYPES:
                add(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -5, 5))
            for dt in T.FLOATS:
                add(f"special/{dt}", T.special(dt), "NaN, ±inf, ±0, tiny and huge values")
            add("range/float32", np.linspace(-20, 20, 161).astype("float32"), "both polynomial branches and saturation")
            add("small/float32", np.array([1e-8, -3e-5, 0.01, -0.3, 0.6249, 0.6251, -0.6251], "float32"),
                "tanh switches formula at |x| = 0.625")
            add("extreme/float32", np.array([-88.0, -87.0, 87.0, 88.5, -104.0, 100.0], "float32"))
            add("extreme/float64", np.array([-800.0, -40.0, 40.0, 800.0, 1e-300], "float64"))

        r = T.rng("activation/relu")

        def add_relu(cid, x, note=None, **kw):
            args = {k: v for k, v in kw.items()}
            cases.append(T.case(f"relu/{cid}", "relu", {"x": T(x)}, args, expect=T(_relu(np, x, **kw)), note=note))

        for name, shape in SHAPES:
            add_relu(f"shape/{name}", T.arr(r, shape, "float32", -3, 3))
        for dt in T.DTYPES:
            if dt == "bool":
                continue  # relu of bool is not defined in Keras (tf.nn.relu rejects it)
            add_relu(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -5, 5))
        for dt in T.FLOATS:
            add_relu(f"special/{dt}", T.special(dt))
            add_relu(f"special_leaky/{dt}", T.special(dt), alpha=0.5)
        x = np.linspace(-4, 8, 49).astype("float32")
        add_relu("alpha", x, alpha=0.1)
        add_relu("max_value", x, max_value=6.0)
        add_relu("threshold", x, threshold=1.5)
        add_relu("negative_threshold", x, threshold=-1.0)
        add_relu("all_three", x, alpha=0.2, max_value=5.0, threshold=0.5)
        add_relu("max_below_threshold", x, max_value=0.5, threshold=2.0,
                 note="tf-keras code: the cap applies after the threshold, so x in [max_value, threshold] gives 0 (the docstring says max_value)")
        add_relu("max_below_threshold_leaky", x, alpha=0.25, max_value=0.5, threshold=2.0, note="below the threshold the leak alpha * (x - threshold) applies even above max_value")
        add_relu("at_threshold", np.array([-1.5, 1.5, 1.5000001, 3.0], "float32"), threshold=1.5, note="x == threshold gives 0 (x * (x > threshold)), not threshold")
        add_relu("negative_threshold_capped", np.array([-2.0, -1.0, -0.5, -0.25, 0.0, 0.5, 7.0], "float32"), max_value=5.0, threshold=-1.0,
                 note="clip(pos, 0, max_value) zeroes threshold < x < 0 when max_value is given")
        add_relu("negative_threshold_uncapped", np.array([-2.0, -1.0, -0.5, 0.5], "float32"), threshold=-1.0, note="without max_value, threshold < x < 0 passes")
        add_relu("negative_max", np.array([-2.0, -0.5, 0.5, 3.0], "float32"), alpha=0.5, max_value=-1.0, note="max_value < 0: the positive part is clipped to 0")
        add_relu("inf_with_threshold", np.array([-np.inf, np.inf, np.nan, 0.5], "float32"), threshold=0.25, note="-inf * 0 is NaN with a threshold")
        add_relu("inf_with_threshold_leaky", np.array([-np.inf, np.inf], "float64"), alpha=0.5, threshold=0.25)
        add_relu("relu6", np.array([-1.0, 3.0, 6.0, 7.5, np.inf], "float32"), max_value=6.0, note="tf.nn.relu6 path")
        add_relu("tfkt_cases", np.array([[-4, 0], [2, 7]], "float32"), alpha=0.25, max_value=5.0, threshold=4.0,
                 note="tf-keras backend_test: relu([[-4,0],[2,7]], alpha=0.25, threshold=4, max_value=5) = [[-2,-1],[-0.5,5]]")
        add_relu("all_three/float64", x.astype("float64"), alpha=0.3, max_value=2.5, threshold=-0.5)
        add_relu("all_three/float16", x.astype("float16"), alpha=0.25, max_value=3.0, threshold=1.0)
        add_relu("leaky/int32", np.arange(-6, 7, dtype="int32"), alpha=0.5, note="alpha * x truncated toward zero")
        add_relu("capped/int64", np.arange(-6, 7, dtype="int64"), max_value=3.0)
        add_relu("lanes/float32", T.arr(r, (70,), "float32", -3, 3), alpha=0.1, max_value=2.0, threshold=-0.5,
                 note="more than four 16-lane vectors plus a tail")
    cases += _smooth(np, T)
    return cases


def _smooth_expect(np, op, v, alpha=1.0):
    if op == "elu":
        return np.where(v > 0, v, alpha * np.expm1(np.minimum(v, 0)))
    if op == "softplus":
        return np.logaddexp(0.0, v)
    if op == "softsign":
        return v / (1.0 + np.abs(v))
    return np.clip(0.2 * v + 0.5, 0.0, 1.0)


def _torch_smooth(np, op, v, alpha):
    try:
        import torch
        import torch.nn.functional as F
    except Exception:  # torch is optional
        return None
    t = torch.from_numpy(np.array(v, dtype="float64", copy=True))
    if op == "elu":
        return F.elu(t, alpha=alpha).numpy()
    if op == "softplus":
        return F.softplus(t, beta=1, threshold=20).numpy()
    if op == "softsign":
        return F.softsign(t).numpy()
    return None


def _smooth(np, T):
    cases = []
    with np.errstate(all="ignore"):
        for op in ["elu", "softplus", "softsign", "hard_sigmoid"]:
            r = T.rng("activation/" + op)

            def add(cid, x, note=None, alpha=None):
                v = x.astype("float64")
                a = 1.0 if alpha is None else alpha
                want64 = _smooth_expect(np, op, v, a)
                rd = T.to_float(str(x.dtype))
                check = _torch_smooth(np, op, v, a)
                if check is not None:
                    finite = np.isfinite(v)
                    rt, at = T.tol(rd)
                    if not np.allclose(check[finite], want64[finite], rtol=max(rt, 1e-12), atol=max(at, 1e-12)):
                        raise AssertionError(f"{op}/{cid}: torch disagrees: {check} vs {want64}")
                args = {} if alpha is None else {"alpha": alpha}
                cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, args, expect=T(want64.astype(rd)), note=note))

            for name, shape in SHAPES:
                add(f"shape/{name}", T.arr(r, shape, "float32", -6, 6))
            for dt in T.DTYPES:
                add(f"dtype/{dt}", T.arr(r, (3, 5), dt, 0 if dt == "uint8" else -5, 5))
            for dt in T.FLOATS:
                add(f"special/{dt}", T.special(dt), "NaN, ±inf, ±0, tiny and huge values")
            add("range/float32", np.linspace(-20, 20, 161).astype("float32"))
            add("lanes/float64", T.arr(r, (70,), "float64", -8, 8), "more than four 8-lane vectors plus a tail")
            add("small/float32", np.array([1e-8, -3e-5, 1e-3, -1e-3, -0.01, 0.3, -0.3], "float32"), "small |x|: expm1/log1p precision")
            if op == "elu":
                for alpha in [0.5, 2.0, 0.0]:
                    add(f"alpha={alpha}", np.linspace(-5, 3, 33).astype("float32"), "alpha scales the negative part only", alpha=alpha)
                add("alpha/special", T.special("float32"), "elu(-inf) = -alpha", alpha=0.3)
                add("alpha/float64", T.arr(r, (4, 5), "float64", -4, 2), alpha=1.7)
                add("alpha/int32", np.arange(-4, 4, dtype="int32"), "integers give floatx", alpha=0.5)
            if op == "softplus":
                add("thresholds/float32", np.array([-40, -15, -13.9, -13, -1e-4, 13, 13.95, 15, 88, 100], "float32"),
                    "around TensorFlow's switch points ±13.94 and beyond exp's range")
                add("thresholds/float64", np.array([-800, -40, -34, -30, 30, 34.1, 40, 800], "float64"))
            if op == "hard_sigmoid":
                add("slope", np.array([-3, -2.5, -2.4, -1, 0, 1, 2.4, 2.5, 3], "float32"),
                    "tf-keras's slope 0.2 (Keras 3: 1/6): 0 below -2.5, 1 above 2.5, 0.2 * x + 0.5 between")
                add("slope/float64", np.array([-2.5000001, -2.49, 0.1, 2.49, 2.5000001], "float64"))
    return cases

