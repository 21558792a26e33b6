"""Golden cases for CTC (ctc.json), written from the definitions:
- ctc_loss(log_probs, labels, input_length, label_length): -log of the sum, over the alignments of the label sequence
  (blank = the last class, a blank needed between equal labels), of prod_t exp(log_probs[b, t, path_t]), by the forward
  recursion of Graves et al. (2006) in float64; cross-checked against torch.nn.functional.ctc_loss (blank=C-1,
  reduction='none') on normalized inputs, and against brute-force enumeration of every path on tiny cases.
- ctc_loss_grad: -gamma by brute force: d(-log P)/d lp[t, k] = -(sum of P(path) over paths with path_t = k) / P.
- ctc_batch_cost (tf-keras): lp = log(y_pred + eps) renormalized by log_softmax (tf.nn.ctc_loss takes logits), lengths
  (samples, 1), result (samples, 1).
- ctc_decode (tf-keras): x = log(y_pred + eps) unnormalized; greedy = TensorFlow's CTCGreedyDecoder (first argmax per
  step, merge repeats, drop blanks, log_prob = -sum of the step maxima); beam search = TensorFlow's CTCBeamSearchDecoder
  (ctc_beam_search.h, default scorer, merge_repeated=True), re-written below, its scores cross-checked against
  brute-force path enumeration (the labelings' probabilities relative to the step maxima) when the beam is wide enough.
  Decoded tensors are dense (samples, time) int64 padded with -1.
- ctc_label_dense_to_sparse: compared as its dense form (labels with the entries past each length zeroed).
"""
import itertools
import math

EPS = 1e-7


def logadd(a, b):
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    m = max(a, b)
    return m + math.log(math.exp(a - m) + math.exp(b - m))


def ctc_nll(lp, labels, tb):
    """-log P(labels | lp[:tb]) by the forward recursion (lp: (T, C) float64, blank C-1)."""
    C = lp.shape[1]
    blank = C - 1
    ext = [blank]
    for l in labels:
        ext += [int(l), blank]
    S = len(ext)
    if tb == 0:
        return 0.0 if len(labels) == 0 else math.inf
    a = [-math.inf] * S
    a[0] = lp[0, ext[0]]
    if S > 1:
        a[1] = lp[0, ext[1]]
    for t in range(1, tb):
        n = [-math.inf] * S
        for s in range(S):
            v = a[s]
            if s >= 1:
                v = logadd(v, a[s - 1])
            if s >= 2 and ext[s] != ext[s - 2]:
                v = logadd(v, a[s - 2])
            n[s] = v + lp[t, ext[s]]
        a = n
    p = a[S - 1] if S == 1 else logadd(a[S - 1], a[S - 2])
    return -p


def collapse(path, blank):
    out, prev = [], None
    for k in path:
        if k != prev and k != blank:
            out.append(k)
        prev = k
    return tuple(out)


def brute(lp, tb):
    """{labeling: log sum of exp(sum lp[t, path_t])} over every path of length tb."""
    C = lp.shape[1]
    probs = {}
    for path in itertools.product(range(C), repeat=tb):
        s = sum(lp[t, k] for t, k in enumerate(path))
        key = collapse(path, C - 1)
        probs[key] = logadd(probs.get(key, -math.inf), s)
    return probs


def brute_grad(lp, labels, tb):
    C = lp.shape[1]
    g = [[-math.inf] * C for _ in range(lp.shape[0])]
    total = -math.inf
    for path in itertools.product(range(C), repeat=tb):
        if collapse(path, C - 1) != tuple(labels):
            continue
        s = sum(lp[t, k] for t, k in enumerate(path))
        total = logadd(total, s)
        for t, k in enumerate(path):
            g[t][k] = logadd(g[t][k], s)
    out = [[0.0] * C for _ in range(lp.shape[0])]
    for t in range(tb):
        for k in range(C):
            out[t][k] = -math.exp(g[t][k] - total)
    return out


def greedy(x, tb):
    C = x.shape[1]
    labels, score, prev = [], 0.0, -1
    for t in range(tb):
        k = int(max(range(C), key=lambda c: (x[t, c], -c)))
        score -= x[t, k]
        if k != C - 1 and k != prev:
            labels.append(k)
        prev = k
    return labels, score


class Entry:
    def __init__(self, parent, label):
        self.parent, self.label = parent, label
        self.old = [-math.inf] * 3  # blank, label, total
        self.new = [-math.inf] * 3
        self.children = {}

    def active(self):
        return self.new[2] != -math.inf


def beam(x, tb, width, top):
    """TensorFlow's CTCBeamSearchDecoder::Step / TopPaths (default scorer), merge_repeated=True."""
    C = x.shape[1]
    blank = C - 1
    root = Entry(None, -1)
    root.new = [0.0, -math.inf, 0.0]
    leaves = [root]

    def bottom():
        return min(leaves, key=lambda e: e.new[2])

    def candidate(total):
        return total > -math.inf and (len(leaves) < width or total > bottom().new[2])

    for t in range(tb):
        m = max(x[t])
        branches = sorted(leaves, key=lambda e: -e.new[2])
        leaves = []
        for b in branches:
            b.old = list(b.new)
        for b in branches:
            if b.parent is not None:
                if b.parent.active():
                    prev = b.parent.old[0] if b.label == b.parent.label else b.parent.old[2]
                    b.new[1] = logadd(b.new[1], prev)
                b.new[1] += x[t, b.label] - m
            b.new[0] = b.old[2] + x[t, blank] - m
            b.new[2] = logadd(b.new[0], b.new[1])
            leaves.append(b)
        for b in branches:
            if not candidate(b.old[2]):
                continue
            for k in range(C - 1):
                c = b.children.setdefault(k, Entry(b, k))
                if c.active():
                    continue
                prev = b.old[0] if k == b.label else b.old[2]
                c.new = [-math.inf, x[t, k] - m + prev, x[t, k] - m + prev]
                if candidate(c.new[2]):
                    if len(leaves) == width:
                        bt = bottom()
                        bt.new = [-math.inf] * 3
                        leaves.remove(bt)
                    leaves.append(c)
                else:
                    c.old = [-math.inf] * 3
                    c.new = [-math.inf] * 3
    out = []
    for e in sorted(leaves, key=lambda e: -e.new[2])[:top]:
        seq, prev, c = [], -1, e
        while c.parent is not None:
            if c.label != prev:
                seq.append(c.label)
            prev = c.label
            c = c.parent
        raw, c = [], e
        while c.parent is not None:
            raw.append(c.label)
            c = c.parent
        out.append((seq[::-1], e.new[2], tuple(raw[::-1])))
    return out


def log_softmax(np, a):
    m = a.max(axis=-1, keepdims=True)
    return a - m - np.log(np.exp(a - m).sum(axis=-1, keepdims=True))


def generate(np, T):
    import torch
    cases = []
    r = T.rng("ctc")

    # ---- ctc_loss / ctc_loss_grad on log-softmax inputs, checked against torch and brute force ----
    setups = [
        ("basic", 2, 6, 4, [[0, 1, 2], [2, 2, 0]], [6, 5], [3, 2]),
        ("repeats", 2, 7, 3, [[1, 1, 1], [0, 1, 0]], [7, 6], [3, 3]),
        ("empty_label", 2, 4, 3, [[0, 0], [1, 0]], [4, 0], [0, 0]),
        ("one_class_blank_only", 1, 3, 1, [[]], [3], [0]),
        ("full_length", 1, 3, 4, [[0, 1, 2]], [3], [3]),
    ]
    for name, B, Tm, C, labels, il, ll in setups:
        L = max(1, max((len(l) for l in labels), default=1))
        lab = np.zeros((B, L), "int32")
        for b, l in enumerate(labels):
            lab[b, :len(l)] = l
        for dt in ["float64", "float32"]:
            lp = log_softmax(np, r.normal(size=(B, Tm, C)) * 1.5).astype(dt)
            lp64 = lp.astype("float64")
            want = np.array([ctc_nll(lp64[b], lab[b, :ll[b]], il[b]) for b in range(B)])
            if C > 1 and all(x > 0 for x in il):
                got = torch.nn.functional.ctc_loss(torch.tensor(lp64).permute(1, 0, 2), torch.tensor(lab, dtype=torch.long),
                                                   torch.tensor(il), torch.tensor(ll), blank=C - 1, reduction="none", zero_infinity=False).numpy()
                assert np.allclose(got, want, rtol=1e-9, atol=1e-9), (name, got, want)
            if Tm <= 7 and C ** Tm <= 5000:
                for b in range(B):
                    bp = brute(lp64[b], il[b]).get(tuple(lab[b, :ll[b]]), -math.inf)
                    assert abs(-bp - want[b]) < 1e-9, (name, bp, want[b])
            inputs = {"log_probs": T(lp), "labels": T(lab), "input_length": T(np.array(il, "int32")), "label_length": T(np.array(ll, "int32"))}
            rt = 1e-5 if dt == "float32" else 1e-10
            cases.append(T.case(f"ctc_loss/{name}/{dt}", "ctc_loss", inputs=inputs, expect=T(want, dt), rtol=rt, atol=rt))
            if Tm <= 7 and C ** Tm <= 5000:
                g = np.array([brute_grad(lp64[b], lab[b, :ll[b]], il[b]) for b in range(B)])
                cases.append(T.case(f"ctc_loss_grad/{name}/{dt}", "ctc_loss_grad", inputs=inputs, expect=T(g, dt), rtol=rt * 10, atol=rt * 10))
    # unnormalized inputs are used as given
    lp = r.normal(size=(1, 4, 3))
    lab = np.array([[0, 1]], "int32")
    want = np.array([ctc_nll(lp[0], lab[0], 4)])
    cases.append(T.case("ctc_loss/unnormalized", "ctc_loss", inputs={"log_probs": T(lp), "labels": T(lab), "input_length": T(np.array([4], "int32")),
                                                                     "label_length": T(np.array([2], "int32"))}, expect=T(want)))
    base = {"log_probs": T(np.zeros((1, 3, 3))), "labels": T(np.array([[0, 0]], "int32")), "input_length": T(np.array([3], "int32")), "label_length": T(np.array([2], "int32"))}
    for op in ["ctc_loss", "ctc_loss_grad"]:
        cases.append(T.case(f"{op}/error/not_enough_time", op, inputs={**base, "input_length": T(np.array([2], "int32"))}, error="ValueError",
                            note="labels 0 0 need a blank between: 3 steps"))
        cases.append(T.case(f"{op}/error/blank_label", op, inputs={**base, "labels": T(np.array([[2, 0]], "int32"))}, error="ValueError"))
        cases.append(T.case(f"{op}/error/input_too_long", op, inputs={**base, "input_length": T(np.array([4], "int32"))}, error="ValueError"))
        cases.append(T.case(f"{op}/error/label_too_long", op, inputs={**base, "label_length": T(np.array([3], "int32"))}, error="ValueError"))
        cases.append(T.case(f"{op}/error/rank", op, inputs={**base, "log_probs": T(np.zeros((3, 3)))}, error="ValueError"))
        cases.append(T.case(f"{op}/error/int_log_probs", op, inputs={**base, "log_probs": T(np.zeros((1, 3, 3), "int32"))}, error="TypeError"))
        cases.append(T.case(f"{op}/error/float_labels", op, inputs={**base, "labels": T(np.zeros((1, 2), "float32"))}, error="TypeError"))
        cases.append(T.case(f"{op}/error/batch", op, inputs={**base, "label_length": T(np.array([2, 2], "int32"))}, error="ValueError"))

    # ---- ctc_batch_cost: tf-keras's log(y_pred + eps), then tf.nn.ctc_loss's softmax ----
    for dt in ["float32", "float64"]:
        B, Tm, C = 3, 8, 5
        logits = r.normal(size=(B, Tm, C)) * 2
        y = np.exp(log_softmax(np, logits)).astype(dt)
        y[0, 2, :] = 0
        y[0, 2, 1] = 1  # a hard zero: eps keeps the log finite
        yt = np.array([[1, 2, 3, 0], [0, 0, 1, 1], [3, 3, 3, 3]], dt)
        il = np.array([[8], [7], [8]], dt)
        ll = np.array([[3], [4], [2]], dt)
        lp = log_softmax(np, np.log(y.astype("float64") + EPS))
        want = np.array([[ctc_nll(lp[b], yt[b, :int(ll[b, 0])].astype(int), int(il[b, 0]))] for b in range(B)])
        tl = torch.nn.functional.ctc_loss(torch.tensor(lp).permute(1, 0, 2), torch.tensor(yt.astype(int)), torch.tensor(il[:, 0].astype(int)),
                                          torch.tensor(ll[:, 0].astype(int)), blank=C - 1, reduction="none").numpy()
        assert np.allclose(tl, want[:, 0], rtol=1e-9), (tl, want)
        rt = 2e-5 if dt == "float32" else 1e-10
        cases.append(T.case(f"ctc_batch_cost/{dt}", "ctc_batch_cost", inputs={"y_true": T(yt), "y_pred": T(y), "input_length": T(il), "label_length": T(ll)},
                            expect=T(want, dt), rtol=rt, atol=rt))
    y = np.full((2, 4, 3), 1 / 3, "float32")
    cases.append(T.case("ctc_batch_cost/int_labels", "ctc_batch_cost", inputs={"y_true": T(np.array([[0, 1], [1, 1]], "int32")), "y_pred": T(y),
                                                                                "input_length": T(np.array([[4], [4]], "int32")), "label_length": T(np.array([[2], [1]], "int32"))},
                        expect=T(np.array([[ctc_nll(np.log(np.full((4, 3), 1 / 3)), [0, 1], 4)], [ctc_nll(np.log(np.full((4, 3), 1 / 3)), [1], 4)]]), "float32"),
                        rtol=2e-5, atol=2e-5))
    cases.append(T.case("ctc_batch_cost/error/lengths_shape", "ctc_batch_cost", inputs={"y_true": T(np.array([[0]], "int32")), "y_pred": T(y[:1]),
                                                                                         "input_length": T(np.array([4], "int32")), "label_length": T(np.array([[1]], "int32"))}, error="ValueError"))
    cases.append(T.case("ctc_batch_cost/error/rank", "ctc_batch_cost", inputs={"y_true": T(np.array([[0]], "int32")), "y_pred": T(y[0]),
                                                                                "input_length": T(np.array([[4]], "int32")), "label_length": T(np.array([[1]], "int32"))}, error="ValueError"))

    # ---- ctc_decode ----
    def decode_case(name, y, il, greedy_, width=100, top=1, dt="float32"):
        x = np.log(y.astype(dt) + np.array(EPS, dt)).astype("float64")
        B, Tm, C = y.shape
        paths = 1 if greedy_ else top
        dec = np.full((paths, B, Tm), -1, "int64")
        lps = np.zeros((B, paths))
        for b in range(B):
            if greedy_:
                found = [greedy(x[b], il[b]) + (None,)]
            else:
                found = beam(x[b], il[b], width, top)
                if width >= C ** il[b] and C ** il[b] <= 5000:
                    # Wide enough: nothing is pruned, so each beam's score is its labeling's exact probability (relative to
                    # the step maxima); the best beams are the best labelings.
                    m = sum(max(x[b, t]) for t in range(il[b]))
                    bp = brute(x[b], il[b])
                    best = sorted(bp.items(), key=lambda kv: -kv[1])[:top]
                    for (seq, score, raw), (lab, p) in zip(found, best):
                        assert raw == lab and abs(score - (p - m)) < 1e-9, (name, raw, lab, score, p - m)
            for p, (seq, score, _) in enumerate(found):
                dec[p, b, :len(seq)] = seq
                lps[b, p] = score
        expect = [T(dec[p]) for p in range(paths)] + [T(lps, dt)]
        args = {"greedy": greedy_}
        if not greedy_:
            args.update({"beam_width": width, "top_paths": top})
        rt = 2e-5 if dt == "float32" else 1e-10
        cases.append(T.case(f"ctc_decode/{name}", "ctc_decode", inputs={"y_pred": T(y.astype(dt)), "input_length": T(np.array(il, "int32"))},
                            args=args, expect=expect, rtol=rt, atol=rt))

    for dt in ["float32", "float64"]:
        y = np.exp(log_softmax(np, r.normal(size=(3, 6, 4)) * 2))
        decode_case(f"greedy/{dt}", y, [6, 4, 0], True, dt=dt)
        y = np.exp(log_softmax(np, r.normal(size=(2, 5, 3)) * 1.5))
        decode_case(f"beam/exact/{dt}", y, [5, 3], False, width=300, top=3, dt=dt)
        y = np.exp(log_softmax(np, r.normal(size=(2, 9, 5)) * 1.5))
        decode_case(f"beam/pruned/{dt}", y, [9, 7], False, width=4, top=2, dt=dt)
    # greedy: repeats merge, a blank separates; beam with merge_repeated reports a blank-separated repeat once
    y = np.array([[[0.8, 0.1, 0.1], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.9, 0.05, 0.05]]], "float32")
    decode_case("greedy/repeats", y, [4], True)
    decode_case("beam/merge_repeated", y, [4], False, width=10, top=1)
    y = np.array([[[0.5, 0.5], [0.2, 0.8]]], "float32")
    decode_case("beam/single_class", y, [2], False, width=5, top=2)
    cases.append(T.case("ctc_decode/error/top_paths", "ctc_decode", inputs={"y_pred": T(y), "input_length": T(np.array([2], "int32"))},
                        args={"greedy": False, "beam_width": 2, "top_paths": 3}, error="ValueError"))
    cases.append(T.case("ctc_decode/error/too_few_leaves", "ctc_decode", inputs={"y_pred": T(y), "input_length": T(np.array([0], "int32"))},
                        args={"greedy": False, "beam_width": 5, "top_paths": 2}, error="ValueError", note="TensorFlow: Less leaves in the beam search than requested"))
    cases.append(T.case("ctc_decode/error/length", "ctc_decode", inputs={"y_pred": T(y), "input_length": T(np.array([3], "int32"))}, error="ValueError"))
    cases.append(T.case("ctc_decode/error/rank", "ctc_decode", inputs={"y_pred": T(y[0]), "input_length": T(np.array([2], "int32"))}, error="ValueError"))

    # ---- ctc_label_dense_to_sparse (compared densified) ----
    lab = np.array([[1, 2, 3, 4], [5, 6, 7, 8], [9, 9, 9, 9]], "int32")
    ln = np.array([2, 4, 0], "int32")
    dense = np.where(np.arange(4)[None, :] < ln[:, None], lab, 0).astype("int32")
    cases.append(T.case("ctc_label_dense_to_sparse/basic", "ctc_label_dense_to_sparse", inputs={"labels": T(lab), "label_lengths": T(ln)}, expect=T(dense)))
    cases.append(T.case("ctc_label_dense_to_sparse/int64", "ctc_label_dense_to_sparse", inputs={"labels": T(lab.astype("int64")), "label_lengths": T(ln.astype("int64"))},
                        expect=T(dense.astype("int64"))))
    cases.append(T.case("ctc_label_dense_to_sparse/error/length", "ctc_label_dense_to_sparse", inputs={"labels": T(lab), "label_lengths": T(np.array([5, 0, 0], "int32"))}, error="ValueError"))
    cases.append(T.case("ctc_label_dense_to_sparse/error/rank", "ctc_label_dense_to_sparse", inputs={"labels": T(lab[0]), "label_lengths": T(ln)}, error="ValueError"))
    return cases
