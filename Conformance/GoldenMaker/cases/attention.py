"""Golden cases for dot_product_attention (family `attention`).

Keras 3 rules (keras/src/ops/nn.py dot_product_attention; keras/src/backend/numpy/nn.py
_dot_product_attention_xla and _apply_masks; the JAX backend's grouped-query reshape):
- query (B, T, N, H), key and value (B, S, K, H); N a multiple of K: query head n reads kv head n // (N // K).
- logits = einsum("BTNH,BSNH->BNTS") * scale (scale None: 1 / sqrt(H)), + bias broadcast to (B, N, T, S).
- mask (bool, broadcast to (B, N, T, S)) and is_causal (numpy.tril(ones((T, S)))) replace masked logits by
  -0.7 * finfo(logits dtype).max (logits are float32 for float16/float32 inputs), so a fully masked row is uniform.
- softmax over S, then einsum("BNTS,BSNH->BTNH"); result dtype result_type(query, key, value).
Expected values are computed in float64 from this definition and cross-checked with torch (matmul and softmax).
"""


def reference(np, q, k, v, bias=None, mask=None, scale=None, is_causal=False, logits_max=None):
    q, k, v = (a.astype("float64") for a in (q, k, v))
    B, T, N, H = q.shape
    S, K = k.shape[1], k.shape[2]
    G = N // K
    if q.size == 0 or S == 0:
        return np.zeros((B, T, N, v.shape[3]))  # an empty softmax: the weighted sum over no key is 0
    k = np.repeat(k, G, axis=2)
    v = np.repeat(v, G, axis=2)
    scale = 1.0 / np.sqrt(H) if scale is None else scale
    logits = np.einsum("BTNH,BSNH->BNTS", q, k) * scale
    if bias is not None:
        logits = logits + bias.astype("float64")
    keep = np.ones(logits.shape, bool)
    if mask is not None:
        keep = np.logical_and(keep, mask)
    if is_causal:
        keep = np.logical_and(keep, np.tril(np.ones((T, S), bool))[None, None])
    logits = np.where(keep, logits, -0.7 * logits_max)
    logits = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    probs = e / e.sum(axis=-1, keepdims=True)
    return np.einsum("BNTS,BSNH->BTNH", probs, v)


def torch_check(np, q, k, v, bias, mask, scale, is_causal, want):
    import torch
    G = q.shape[2] // k.shape[2]
    tq = torch.tensor(q.astype("float64")).permute(0, 2, 1, 3)
    tk = torch.tensor(np.repeat(k, G, axis=2).astype("float64")).permute(0, 2, 1, 3)
    tv = torch.tensor(np.repeat(v, G, axis=2).astype("float64")).permute(0, 2, 1, 3)
    sc = 1.0 / np.sqrt(q.shape[3]) if scale is None else scale
    logits = tq @ tk.transpose(-1, -2) * sc
    if bias is not None:
        logits = logits + torch.tensor(bias.astype("float64"))
    keep = torch.ones(logits.shape, dtype=torch.bool)
    if mask is not None:
        keep = keep & torch.tensor(np.broadcast_to(mask, logits.shape).astype(bool))
    if is_causal:
        keep = keep & torch.tril(torch.ones(logits.shape[-2:], dtype=torch.bool))
    logits = logits.masked_fill(~keep, -0.7 * float(np.finfo("float32").max))
    out = (torch.softmax(logits, -1) @ tv).permute(0, 2, 1, 3).numpy()
    assert np.allclose(out, want, rtol=1e-10, atol=1e-12), "torch disagrees with the numpy reference"


def generate(np, T):
    cases = []
    r = T.rng("attention/dot_product_attention")

    def dpa(cid, q, k, v, bias=None, mask=None, scale=None, is_causal=False, note=None, check_torch=True):
        dt = T.promote(str(q.dtype), str(k.dtype), str(v.dtype))
        lmax = float(np.finfo("float64" if dt == "float64" else "float32").max)
        want = reference(np, q, k, v, bias, mask, scale, is_causal, lmax)
        if check_torch and dt != "float64":
            torch_check(np, q, k, v, bias, mask, scale, is_causal, want)
        inputs = {"query": T(q), "key": T(k), "value": T(v)}
        if bias is not None:
            inputs["bias"] = T(bias)
        if mask is not None:
            inputs["mask"] = T(mask)
        args = {}
        if scale is not None:
            args["scale"] = scale
        if is_causal:
            args["is_causal"] = True
        rtol, atol = T.tol(dt, 20)
        cases.append(T.case(f"dot_product_attention/{cid}", "dot_product_attention", inputs, args,
                            expect=T(want.astype(dt)), rtol=rtol, atol=atol, note=note))

    f = "float32"
    q, k, v = T.arr(r, (2, 3, 2, 4), f), T.arr(r, (2, 5, 2, 4), f), T.arr(r, (2, 5, 2, 4), f)
    dpa("basic", q, k, v, note="T=3 queries, S=5 keys, 2 heads")
    dpa("scale", q, k, v, scale=0.25)
    dpa("causal", q, k, v, is_causal=True, note="tril(ones((T, S))): query t sees keys s <= t")
    dpa("bias_full", q, k, v, bias=T.arr(r, (2, 2, 3, 5), f))
    dpa("bias_broadcast", q, k, v, bias=T.arr(r, (3, 5), f), note="bias broadcast like numpy to (B, N, T, S)")
    dpa("mask_full", q, k, v, mask=T.arr(r, (2, 2, 3, 5), "bool"))
    dpa("mask_broadcast", q, k, v, mask=np.array([True, False, True, True, False]), note="a (S,) key padding mask")
    dpa("mask_and_causal_and_bias", q, k, v, bias=T.arr(r, (1, 2, 1, 5), f), mask=T.arr(r, (2, 1, 3, 5), "bool"), is_causal=True)
    row_masked = np.ones((3, 5), bool)
    row_masked[1] = False
    dpa("fully_masked_row", q, k, v, mask=row_masked, note="Keras: a row masked everywhere gets equal logits, so the mean of every value")
    dpa("fully_masked_row_causal", q, k, v, mask=np.array([False, True, True, True, True]), is_causal=True,
        note="query 0 sees no key: uniform over all S keys, also those after it")
    qg = T.arr(r, (1, 4, 4, 3), f)
    kg, vg = T.arr(r, (1, 6, 2, 3), f), T.arr(r, (1, 6, 2, 3), f)
    dpa("gqa", qg, kg, vg, note="grouped-query attention: 4 query heads share 2 kv heads (head n reads kv head n // 2)")
    dpa("gqa_causal", qg, kg, vg, is_causal=True)
    dpa("mqa", qg, kg[:, :, :1], vg[:, :, :1], note="multi-query attention: one kv head")
    qb, kb, vb = T.arr(r, (1, 70, 1, 8), f), T.arr(r, (1, 70, 1, 8), f), T.arr(r, (1, 70, 1, 8), f)
    dpa("blocks_causal", qb, kb, vb, is_causal=True, note="more than one 64-query/64-key block of the fused kernel")
    dpa("blocks_mask", qb, kb, vb, mask=T.arr(r, (70, 70), "bool"))
    dpa("t_greater_than_s_causal", T.arr(r, (1, 4, 1, 2), f), T.arr(r, (1, 2, 1, 2), f), T.arr(r, (1, 2, 1, 2), f), is_causal=True)
    dpa("empty_batch", np.zeros((0, 2, 1, 3), f), np.zeros((0, 4, 1, 3), f), np.zeros((0, 4, 1, 3), f), check_torch=False)
    dpa("no_keys", np.ones((1, 2, 1, 3), f), np.zeros((1, 0, 1, 3), f), np.zeros((1, 0, 1, 3), f), check_torch=False,
        note="S = 0: an empty sum, zeros")
    for dt in ["float16", "float64"]:
        dpa(f"dtype/{dt}", q.astype(dt), k.astype(dt), v.astype(dt), is_causal=True)
    dpa("promote/float16_float32", q.astype("float16"), k, v, note="result_type(query, key, value)")

    def err(cid, q, k, v, kind, bias=None, mask=None):
        inputs = {"query": T(q), "key": T(k), "value": T(v)}
        if bias is not None:
            inputs["bias"] = T(bias)
        if mask is not None:
            inputs["mask"] = T(mask)
        cases.append(T.case(f"dot_product_attention/error/{cid}", "dot_product_attention", inputs, {}, error=kind))

    err("rank3_query", q[0], k, v, "ValueError")
    err("rank3_key", q, k[0], v, "ValueError")
    err("value_shape", q, k, v[:, :4], "ValueError")
    err("batch", q, k[:1], v[:1], "ValueError")
    err("head_size", q, k[..., :3], v[..., :3], "ValueError")
    err("heads_not_multiple", T.arr(r, (1, 2, 3, 4), f), T.arr(r, (1, 2, 2, 4), f), T.arr(r, (1, 2, 2, 4), f), "ValueError")
    err("bias_shape", q, k, v, "ValueError", bias=T.arr(r, (3, 4), f))
    err("mask_shape", q, k, v, "ValueError", mask=np.ones((2, 3, 3, 5), bool))
    err("bias_rank5", q, k, v, "ValueError", bias=T.arr(r, (1, 2, 2, 3, 5), f))
    err("int_inputs", q.astype("int32"), k.astype("int32"), v.astype("int32"), "TypeError")
    return cases
