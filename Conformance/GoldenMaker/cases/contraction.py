"""Golden cases for matmul, einsum and tensordot (family `contraction`).

Keras 3 rules (keras/src/backend/numpy/numpy.py matmul, einsum, tensordot; keras/src/ops/operation_utils.py
compute_matmul_output_shape):
- matmul is numpy.matmul: 1-D operands promoted (row for x1, column for x2) and the added axis removed; batch
  axes broadcast; int8 @ int8 gives int32, other pairs result_type(x1, x2). Rank-0 operands, unequal inner
  dimensions and batch axes that do not broadcast are ValueErrors.
- einsum is numpy.einsum: repeated letters take diagonals, '...' broadcast from the right, implicit output
  (ellipsis, then letters used once in ASCII order); int8 operands give int32, others result_type.
- tensordot is numpy.tensordot; axes n, or a pair of lists (flattened here to [a..., b...]).
Expected values: numpy in float64 (int64 for integers, wrapped by astype), einsum cross-checked with torch.einsum.
"""


def generate(np, T):
    import torch
    cases = []
    r = T.rng("contraction/matmul")
    f = "float32"

    def dt_of(a, b):
        a, b = str(a.dtype), str(b.dtype)
        return "int32" if a == b == "int8" else T.promote(a, b)

    def exact(x, dt):
        return x.astype("float64") if dt in T.FLOATS else x.astype("int64")

    def matmul(cid, a, b, note=None):
        dt = dt_of(a, b)
        want = np.matmul(exact(a, dt), exact(b, dt)).astype(dt)
        # A sum of k products cancels: the absolute error grows with k and the terms' size, not with the result.
        rtol, atol = T.tol(dt, 4 + (a.shape[-1] if a.ndim else 0))
        cases.append(T.case(f"matmul/{cid}", "matmul", {"x1": T(a), "x2": T(b)}, {}, expect=T(np.asarray(want)), rtol=rtol, atol=atol, note=note))

    matmul("2d", T.arr(r, (3, 4), f), T.arr(r, (4, 5), f))
    matmul("1d_1d", T.arr(r, (4,), f), T.arr(r, (4,), f), "both promoted: a scalar")
    matmul("1d_2d", T.arr(r, (4,), f), T.arr(r, (4, 3), f))
    matmul("2d_1d", T.arr(r, (2, 4), f), T.arr(r, (4,), f))
    matmul("1d_3d", T.arr(r, (4,), f), T.arr(r, (2, 4, 3), f))
    matmul("3d_1d", T.arr(r, (2, 3, 4), f), T.arr(r, (4,), f))
    matmul("batch", T.arr(r, (2, 3, 4), f), T.arr(r, (2, 4, 5), f))
    matmul("batch_shared_x2", T.arr(r, (2, 3, 3, 4), f), T.arr(r, (4, 2), f))
    matmul("batch_shared_x1", T.arr(r, (3, 4), f), T.arr(r, (2, 2, 4, 2), f))
    matmul("batch_broadcast", T.arr(r, (2, 1, 3, 4), f), T.arr(r, (5, 4, 2), f), "(2, 1) and (5,) broadcast to (2, 5)")
    matmul("batch_broadcast_ones", T.arr(r, (1, 3, 2, 4), f), T.arr(r, (2, 1, 4, 3), f))
    matmul("empty_k", np.zeros((2, 0), f), np.zeros((0, 3), f), "an empty sum: zeros")
    matmul("empty_m", np.zeros((0, 3), f), T.arr(r, (3, 2), f))
    matmul("empty_batch", np.zeros((0, 2, 3), f), T.arr(r, (3, 2), f))
    matmul("large", T.arr(r, (70, 130), f), T.arr(r, (130, 40), f), "larger than a GEMM tile")
    for dt in T.DTYPES:
        matmul(f"dtype/{dt}", T.arr(r, (2, 3), dt, 0, 3), T.arr(r, (3, 2), dt, 0, 3))
    matmul("int8_int8_to_int32", np.full((2, 3), 100, "int8"), np.full((3, 2), 100, "int8"), "Keras: int8 @ int8 is int32 (no wrap at 30000)")
    for a, b in [("int32", "float16"), ("uint8", "int8"), ("float32", "float64"), ("bool", "int32")]:
        matmul(f"promote/{a}_{b}", T.arr(r, (2, 2), a, 0, 3), T.arr(r, (2, 2), b, 0, 3))
    matmul("special", T.special("float64")[None, :4], np.ones((4, 1)))

    def matmul_err(cid, sa, sb):
        cases.append(T.case(f"matmul/error/{cid}", "matmul", {"x1": T(np.ones(sa, f)), "x2": T(np.ones(sb, f))}, {}, error="ValueError"))

    matmul_err("inner", (2, 3), (4, 2))
    matmul_err("inner_1d", (3,), (4,))
    matmul_err("rank0", (), (2, 2))
    matmul_err("batch", (2, 2, 3), (3, 3, 2))

    # einsum
    r = T.rng("contraction/einsum")

    def einsum(cid, subs, ops, note=None, check_torch=True):
        dts = sorted(set(str(o.dtype) for o in ops))
        dt = "int32" if dts == ["int8"] else T.promote(*[str(o.dtype) for o in ops])
        want = np.einsum(subs, *[exact(o, dt) for o in ops]).astype(dt)
        if check_torch and dt in T.FLOATS:
            got = torch.einsum(subs, *[torch.tensor(o.astype("float64")) for o in ops]).numpy()
            assert np.allclose(got, np.asarray(want, "float64"), rtol=1e-3 if dt == "float16" else 1e-6, atol=1e-5), f"torch disagrees on {subs}"
        rtol, atol = T.tol(dt, 4 + max(o.size for o in ops) // 50)
        cases.append(T.case(f"einsum/{cid}", "einsum", {"operands": [T(o) for o in ops]}, {"subscripts": subs},
                            expect=T(np.asarray(want)), rtol=rtol, atol=atol, note=note))

    einsum("matmul", "ij,jk->ik", [T.arr(r, (3, 4), f), T.arr(r, (4, 5), f)], "one GEMM on cpu")
    einsum("matmul_implicit", "ij,jk", [T.arr(r, (3, 4), f), T.arr(r, (4, 5), f)])
    einsum("matmul_transposed_out", "ij,jk->ki", [T.arr(r, (3, 4), f), T.arr(r, (4, 5), f)])
    einsum("x_yT", "ij,kj->ik", [T.arr(r, (3, 4), f), T.arr(r, (5, 4), f)])
    einsum("batch_matmul", "bij,bjk->bik", [T.arr(r, (2, 3, 4), f), T.arr(r, (2, 4, 5), f)])
    einsum("attention_logits", "btnh,bsnh->bnts", [T.arr(r, (2, 3, 2, 4), f), T.arr(r, (2, 5, 2, 4), f)])
    einsum("attention_values", "bnts,bsnh->btnh", [T.arr(r, (2, 2, 3, 5), f), T.arr(r, (2, 5, 2, 4), f)])
    einsum("outer", "i,j->ij", [T.arr(r, (3,), f), T.arr(r, (4,), f)])
    einsum("inner", "i,i->", [T.arr(r, (5,), f), T.arr(r, (5,), f)])
    einsum("inner_implicit", "i,i", [T.arr(r, (5,), f), T.arr(r, (5,), f)])
    einsum("transpose", "ij->ji", [T.arr(r, (2, 3), f)])
    einsum("implicit_order", "ba", [T.arr(r, (2, 3), f)], "implicit output in alphabetical order: a transpose")
    einsum("implicit_case", "Ab,ba", [T.arr(r, (2, 3), f), T.arr(r, (3, 2), f)], "ASCII order: 'A' before 'a'")
    einsum("sum", "ij->", [T.arr(r, (2, 3), f)])
    einsum("sum_axis", "ij->i", [T.arr(r, (2, 3), f)])
    einsum("trace", "ii", [T.arr(r, (3, 3), f)], "a repeated letter is a diagonal, summed when absent from the output")
    einsum("diagonal", "ii->i", [T.arr(r, (3, 3), f)])
    einsum("diag_batch", "iij->ij", [T.arr(r, (2, 2, 3), f)])
    einsum("ellipsis_matmul", "...ij,...jk->...ik", [T.arr(r, (2, 1, 3, 4), f), T.arr(r, (5, 4, 2), f)], "ellipsis axes broadcast")
    einsum("ellipsis_implicit", "...ij,...jk", [T.arr(r, (2, 3, 4), f), T.arr(r, (2, 4, 5), f)])
    einsum("ellipsis_middle", "i...j,j...->i...", [T.arr(r, (2, 3, 4), f), T.arr(r, (4, 3), f)])
    einsum("ellipsis_only", "...,...", [T.arr(r, (2, 3), f), T.arr(r, (3,), f)])
    einsum("broadcast_one", "ij,ij->ij", [T.arr(r, (1, 3), f), T.arr(r, (2, 3), f)], "size-1 axes broadcast as in numpy")
    einsum("three", "ij,jk,kl->il", [T.arr(r, (2, 3), f), T.arr(r, (3, 4), f), T.arr(r, (4, 2), f)])
    einsum("bilinear", "bi,ij,bj->b", [T.arr(r, (3, 2), f), T.arr(r, (2, 4), f), T.arr(r, (3, 4), f)])
    einsum("sum_only_in_one", "ij,k->ik", [T.arr(r, (2, 3), f), T.arr(r, (4,), f)], "j summed in x alone")
    einsum("scalar_operand", ",ij->ij", [np.array(2.5, f), T.arr(r, (2, 3), f)])
    einsum("empty", "ij,jk->ik", [np.zeros((2, 0), f), np.zeros((0, 3), f)])
    einsum("spaces", "ij, jk -> ik", [T.arr(r, (2, 3), f), T.arr(r, (3, 2), f)])
    einsum("large", "ij,jk->ik", [T.arr(r, (70, 130), f), T.arr(r, (130, 40), f)])
    for dt in T.DTYPES:
        einsum(f"dtype/{dt}", "ij,jk->ik", [T.arr(r, (2, 3), dt, 0, 3), T.arr(r, (3, 2), dt, 0, 3)], check_torch=dt != "float16")
    einsum("int8_to_int32", "ij,jk->ik", [np.full((2, 3), 100, "int8"), np.full((3, 2), 100, "int8")], "Keras: int8 operands give int32")
    einsum("promote/int32_float16", "i,i->i", [T.arr(r, (3,), "int32", 0, 3), T.arr(r, (3,), "float16")], check_torch=False)

    def einsum_err(cid, subs, shapes):
        cases.append(T.case(f"einsum/error/{cid}", "einsum", {"operands": [T(np.ones(s, f)) for s in shapes]}, {"subscripts": subs}, error="ValueError"))

    einsum_err("operand_count", "ij,jk->ik", [(2, 3)])
    einsum_err("rank", "ijk,jk->ik", [(2, 3), (3, 2)])
    einsum_err("sizes", "ij,jk->ik", [(2, 3), (4, 2)])
    einsum_err("bad_letter", "i1,1k->ik", [(2, 3), (3, 2)])
    einsum_err("output_unknown_letter", "ij,jk->iz", [(2, 3), (3, 2)])
    einsum_err("output_repeated", "ij,jk->ii", [(2, 3), (3, 2)])
    einsum_err("diagonal_sizes", "ii->i", [(2, 3)])
    einsum_err("two_ellipses", "......i->i", [(2, 3)])
    einsum_err("ellipsis_dropped", "...i->i", [(2, 3)])

    # tensordot
    r = T.rng("contraction/tensordot")

    def tensordot(cid, a, b, axes=None, note=None):
        dt = T.promote(str(a.dtype), str(b.dtype))
        np_axes = 2 if axes is None else (axes[0] if len(axes) == 1 else (axes[:len(axes) // 2], axes[len(axes) // 2:]))
        want = np.tensordot(exact(a, dt), exact(b, dt), axes=np_axes).astype(dt)
        got = torch.tensordot(torch.tensor(a.astype("float64")), torch.tensor(b.astype("float64")), dims=np_axes if isinstance(np_axes, int) else [list(np_axes[0]), list(np_axes[1])]).numpy()
        assert np.allclose(got, np.asarray(want, "float64"), rtol=1e-3, atol=1e-3), "torch disagrees on tensordot"
        rtol, atol = T.tol(dt, 4)
        args = {} if axes is None else {"axes": axes}
        cases.append(T.case(f"tensordot/{cid}", "tensordot", {"x1": T(a), "x2": T(b)}, args, expect=T(np.asarray(want)), rtol=rtol, atol=atol, note=note))

    tensordot("default_2", T.arr(r, (3, 4, 5), f), T.arr(r, (4, 5, 2), f), note="axes null means 2")
    tensordot("n1", T.arr(r, (3, 4), f), T.arr(r, (4, 2), f), [1])
    tensordot("n0_outer", T.arr(r, (2,), f), T.arr(r, (3,), f), [0])
    tensordot("pair", T.arr(r, (3, 4, 5), f), T.arr(r, (5, 3, 2), f), [0, 2, 1, 0], note="((0, 2), (1, 0))")
    tensordot("pair_single", T.arr(r, (3, 4), f), T.arr(r, (5, 3), f), [0, 1], note="((0,), (1,))")
    tensordot("negative", T.arr(r, (3, 4), f), T.arr(r, (4, 2), f), [-1, 0])
    for dt in ["float64", "int32", "float16", "int8"]:
        tensordot(f"dtype/{dt}", T.arr(r, (2, 3), dt, 0, 3), T.arr(r, (3, 2), dt, 0, 3), [1])

    def td_err(cid, sa, sb, axes):
        cases.append(T.case(f"tensordot/error/{cid}", "tensordot", {"x1": T(np.ones(sa, f)), "x2": T(np.ones(sb, f))}, {"axes": axes}, error="ValueError"))

    td_err("n_too_big", (2, 3), (3, 2), [3])
    td_err("odd_list", (2, 3), (3, 2), [0, 1, 2])
    td_err("axis_range", (2, 3), (3, 2), [2, 0])
    td_err("sizes", (2, 3), (2, 3), [1, 0])
    td_err("repeated", (2, 2), (2, 2), [0, 0, 0, 1])
    return cases
