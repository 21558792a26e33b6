"""Golden cases for the normalizations (family `normalization`): batch_normalization, normalize_batch_in_training,
l2_normalize.

Written from tf-keras's code (tf_keras/backend.py):
- batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3) is tf.nn.batch_normalization:
  (x - mean) / sqrt(var + epsilon) * gamma + beta (beta, gamma may be None). Rank-1 parameters apply along `axis`
  (the fused NHWC/NCHW path of tf-keras for 4-D inputs, Keras 3 for every rank); parameters of x's rank broadcast.
- normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3) -> (normed, mean, var): numpy mean and
  population variance over the axes; parameters broadcast over the reduced axes (tf-keras's _broadcast path).
- l2_normalize(x, axis=None) is tf.linalg.l2_normalize: x / sqrt(max(sum(x**2, axis, keepdims=True), 1e-12));
  axis None = every element.
Cross-checked with torch 1.13 where it coincides: torch.nn.functional.batch_norm(training=False) for a
(batch, features) input (= batch_normalization with rank-1 parameters), F.normalize(x, p=2, dim, eps) for
l2_normalize (torch divides by max(norm, eps) instead of sqrt(max(norm^2, eps)): equal when norms exceed 1e-6).
"""


def _bn(np, x, mean, var, beta, gamma, axis, eps):
    x = x.astype("float64")
    a = axis % x.ndim

    def along(p):
        if p is None:
            return None
        p = np.asarray(p, "float64")
        if p.ndim == 1 and x.ndim > 1:
            shape = [1] * x.ndim
            shape[a] = -1
            return p.reshape(shape)
        return p

    r = (x - along(mean)) / np.sqrt(along(var) + eps)
    if gamma is not None:
        r = r * along(gamma)
    if beta is not None:
        r = r + along(beta)
    return r


def _torch_check(np):
    try:
        import torch
        import torch.nn.functional as F
    except Exception:
        return
    r = np.random.default_rng(3)
    x = r.normal(size=(5, 4))
    m, v, b, g = r.normal(size=4), r.random(4) + 0.5, r.normal(size=4), r.normal(size=4)
    want = F.batch_norm(torch.tensor(x), torch.tensor(m), torch.tensor(v), torch.tensor(g), torch.tensor(b), False, 0.0, 1e-3).numpy()
    assert np.allclose(_bn(np, x, m, v, b, g, -1, 1e-3), want, rtol=1e-12, atol=1e-12), "batch_normalization vs torch"
    want = F.normalize(torch.tensor(x), p=2.0, dim=1).numpy()
    got = x / np.sqrt(np.maximum(np.sum(x * x, axis=1, keepdims=True), 1e-12))
    assert np.allclose(got, want, rtol=1e-12, atol=1e-12), "l2_normalize vs torch"


def generate(np, T):
    _torch_check(np)
    cases = []
    r = T.rng("normalization")

    def bn(cid, x, mean, var, beta, gamma, axis=None, eps=None, dt="float32", note=None):
        args = {}
        if axis is not None:
            args["axis"] = axis
        if eps is not None:
            args["epsilon"] = eps
        inputs = {"x": T(x.astype(dt)), "mean": T(mean.astype(dt)), "var": T(var.astype(dt))}
        for k, p in (("beta", beta), ("gamma", gamma)):
            if p is None:
                args[k] = None  # required parameters that may be None, as in Keras
            else:
                inputs[k] = T(p.astype(dt))
        want = _bn(np, x.astype(dt), mean.astype(dt), var.astype(dt), None if beta is None else beta.astype(dt),
                   None if gamma is None else gamma.astype(dt), -1 if axis is None else axis, 1e-3 if eps is None else eps)
        cases.append(T.case(f"batch_normalization/{cid}", "batch_normalization", inputs, args, expect=T(want.astype(dt)), note=note))

    x = r.normal(size=(4, 3))
    m, v, b, g = r.normal(size=3), r.random(3) + 0.1, r.normal(size=3), r.normal(size=3)
    for dt in T.FLOATS:
        bn(f"2d/{dt}", x, m, v, b, g, dt=dt)
    bn("no_beta_gamma", x, m, v, None, None, note="beta and gamma None: (x - mean) / sqrt(var + 1e-3)")
    bn("epsilon", x, m, v, b, g, eps=0.5)
    x4 = r.normal(size=(2, 3, 2, 2))
    m3, v3, b3, g3 = r.normal(size=3), r.random(3) + 0.1, r.normal(size=3), r.normal(size=3)
    bn("nchw_axis1", x4, m3, v3, b3, g3, axis=1, note="4-D, axis 1: rank-1 parameters along the channel axis (fused NCHW path)")
    x4b = r.normal(size=(2, 2, 2, 3))
    bn("nhwc_axis-1", x4b, m3, v3, b3, g3, axis=-1)
    full = r.normal(size=(1, 3))
    bn("broadcast_params", x, full, np.abs(full) + 0.2, full, full, note="parameters of x's rank broadcast as given (tf.nn.batch_normalization)")
    cases.append(T.case("batch_normalization/error/params", "batch_normalization",
                        {"x": T(np.zeros((2, 3), "float32")), "mean": T(np.zeros(4, "float32")), "var": T(np.ones(4, "float32")),
                         "beta": T(np.zeros(3, "float32")), "gamma": T(np.ones(3, "float32"))}, error="ValueError"))
    cases.append(T.case("batch_normalization/error/axis", "batch_normalization",
                        {"x": T(np.zeros((2, 3), "float32")), "mean": T(np.zeros(3, "float32")), "var": T(np.ones(3, "float32")),
                         "beta": T(np.zeros(3, "float32")), "gamma": T(np.ones(3, "float32"))}, {"axis": 2}, error="ValueError"))

    def nbt(cid, x, gamma, beta, axes, eps=None, dt="float32", note=None):
        xd = x.astype(dt).astype("float64")
        ax = tuple(a % x.ndim for a in axes)
        mean = xd.mean(axis=ax, keepdims=True)
        var = xd.var(axis=ax, keepdims=True)
        target = mean.shape
        normed = (xd - mean) / np.sqrt(var + (1e-3 if eps is None else eps))
        if gamma is not None:
            normed = normed * gamma.astype(dt).astype("float64").reshape(target)
        if beta is not None:
            normed = normed + beta.astype(dt).astype("float64").reshape(target)
        inputs = {"x": T(x.astype(dt))}
        args = {"reduction_axes": list(axes)}
        for k, p in (("gamma", gamma), ("beta", beta)):
            if p is None:
                args[k] = None
            else:
                inputs[k] = T(p.astype(dt))
        if eps is not None:
            args["epsilon"] = eps
        want = [T(normed.astype(dt)), T(mean.squeeze(ax).astype(dt)), T(var.squeeze(ax).astype(dt))]
        rt, at = T.tol(dt, 8)
        cases.append(T.case(f"normalize_batch_in_training/{cid}", "normalize_batch_in_training", inputs, args, expect=want, rtol=rt, atol=at, note=note))

    x = r.normal(size=(6, 3)) * 2 + 1
    for dt in ["float32", "float64"]:
        nbt(f"2d/{dt}", x, r.normal(size=3), r.normal(size=3), [0], dt=dt)
    nbt("no_params", x, None, None, [0])
    x3 = r.normal(size=(4, 2, 3))
    nbt("axes_0_1", x3, r.normal(size=3), r.normal(size=3), [0, 1], note="regular path: every axis but the last")
    nbt("axes_0_2", x3, r.normal(size=2), r.normal(size=2), [0, 2], note="broadcast path: parameters reshaped to (1, 2, 1)")
    nbt("negative_axes", x3, None, None, [-3, -1], eps=1e-5)
    x4 = r.normal(size=(3, 2, 2, 2))
    nbt("nhwc_0_1_2", x4, r.normal(size=2), r.normal(size=2), [0, 1, 2], note="tf-keras's fused path; population variance here")
    cases.append(T.case("normalize_batch_in_training/error/gamma", "normalize_batch_in_training",
                        {"x": T(np.zeros((2, 3), "float32")), "gamma": T(np.ones(4, "float32")), "beta": T(np.zeros(3, "float32"))},
                        {"reduction_axes": [0]}, error="ValueError"))
    cases.append(T.case("normalize_batch_in_training/error/axes", "normalize_batch_in_training",
                        {"x": T(np.zeros((2, 3), "float32"))}, {"reduction_axes": [2], "gamma": None, "beta": None}, error="ValueError"))

    def l2(cid, x, axis="default", dt="float32", note=None):
        xd = x.astype(dt).astype("float64")
        ax = None if axis in ("default", None) else tuple(axis) if isinstance(axis, list) else axis
        want = xd / np.sqrt(np.maximum(np.sum(xd * xd, axis=ax, keepdims=True), 1e-12))
        args = {} if axis == "default" else {"axis": axis}
        cases.append(T.case(f"l2_normalize/{cid}", "l2_normalize", {"x": T(x.astype(dt))}, args, expect=T(want.astype(dt)), note=note))

    x = r.normal(size=(3, 4))
    for dt in T.FLOATS:
        l2(f"axis1/{dt}", x, 1, dt)
    l2("default_all", x, note="axis None normalizes over every element (tf-keras; Keras 2.3's numpy reference used -1)")
    l2("axis0", x, 0)
    l2("axis-1", x, -1)
    l2("axes_list", r.normal(size=(2, 3, 2)), [0, 2])
    l2("zero_row", np.array([[0.0, 0.0], [3.0, 4.0]]), 1, note="an all-zero slice stays 0 (the 1e-12 floor)")
    l2("tiny", np.array([1e-8, -2e-8]), 0, "float64", note="below the floor: divided by 1e-6, not normalized")
    cases.append(T.case("l2_normalize/error/int", "l2_normalize", {"x": T(np.ones((2, 2), "int32"))}, {}, error="TypeError"))
    cases.append(T.case("l2_normalize/error/axis", "l2_normalize", {"x": T(np.ones((2, 2), "float32"))}, {"axis": 3}, error="ValueError"))
    return cases
