"""Golden cases for the convolution family (family `conv`).

Expected values come from explicit numpy loops written from the definitions below, not from any convolution
library. At generation time every conv2d / conv1d / backprop / pool case is also cross-checked against a second
implementation where one is installed (the check raises on any disagreement and never changes the corpus):
torch.nn.functional (conv2d with explicit F.pad for TensorFlow's asymmetric "same" split; conv_transpose2d for
the input gradient; torch.autograd for the kernel gradient and for max/avg pooling gradients; max_pool2d /
avg_pool2d on "valid" windows) and scipy.signal.correlate (conv2d, per image and channel pair, with the dilated
kernel spelled out and the strides taken by slicing). The summary line printed on stderr says which ran.

Keras rules written out (tf_keras/backend.py):
- data_format None is image_data_format() (channels_last here); anything but channels_first/channels_last is
  `ValueError("Unknown data_format: ...")` (conv1d 6108, conv2d 6158, pool2d 6597, bias_add 6870,
  spatial_2d_padding 4014).
- padding: "same" or "valid" (_preprocess_padding 6084, else ValueError); conv1d also "causal": pad axis 1 on the
  left by dilation_rate * (kernel_size - 1) with temporal_padding, then "valid" (6108-6150). temporal_padding
  pads axis 1 whatever the data_format, so causal + channels_first pads the channel axis and the kernel no
  longer matches: a ValueError (pinned below).
- "same" is TensorFlow's: out = ceil(in / s), pad_total = max((out - 1) * s + (k - 1) * d + 1 - in, 0), pad_before
  = pad_total // 2 (the extra cell after). "valid": out = (in - (k - 1) * d - 1) // s + 1.
- kernels are (kh, kw, in, out) and the op is a cross-correlation (no flip), as tf.nn.convolution computes.
- strides > 1 together with dilation_rate > 1 is a ValueError (tf.nn.convolution), as is a kernel whose input
  channels differ from x's, or a "valid" window larger than the input (negative output size).
- pool2d: strides default (1, 1); len(pool_size) != 2, len(strides) != 2 and a pool_mode other than max/avg are
  ValueErrors (6624-6650); avg with "same" divides by the cells inside x only (tf.nn.avg_pool).
- bias_add: a vector bias is added along the channel axis (tf.nn.bias_add NHWC/NCHW); a bias of rank ndim - 1
  (x of rank 3-5) is reshaped to (1,) + bias.shape, or for channels_first to (1, bias.shape[-1]) + bias.shape[:-1]
  (a reshape, not a transpose: pinned below), then added; other ranks are ValueErrors (6870-6905).
- temporal_padding / spatial_2d_padding are tf.pad with zeros (3995-4045); tf-keras asserts the padding tuple
  lengths (AssertionError there, ValueError here).
- conv2d_backprop_input / conv2d_backprop_filter / pool2d_backprop (ours) are the gradients of conv2d and
  pool2d: TensorFlow's Conv2DBackpropInput / Conv2DBackpropFilter, MaxPoolGrad (the window's first maximum
  gets the gradient) and AvgPoolGrad.
"""

import sys

FAMILY_NOTE = "numpy loops from the definition"


def same_pads(n, k, s, d):
    out = -(-n // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return out, total // 2, total - total // 2


def geometry(shape, window, strides, padding, dilation):
    """Per spatial dimension: (out, pad_before, pad_after)."""
    g = []
    for n, k, s, d in zip(shape, window, strides, dilation):
        if padding == "same":
            g.append(same_pads(n, k, s, d))
        else:
            g.append(((n - (k - 1) * d - 1) // s + 1, 0, 0))
    return g


def to_last(np, x, cf):
    return np.moveaxis(x, 1, -1) if cf else x


def from_last(np, y, cf):
    return np.moveaxis(y, -1, 1) if cf else y


def conv2d_ref(np, x, k, strides=(1, 1), padding="valid", cf=False, dilation=(1, 1)):
    """out[n, i, j, o] = sum_{a, b, c} xpad[n, i*sh + a*dh, j*sw + b*dw, c] * k[a, b, c, o]."""
    x = to_last(np, x.astype("float64"), cf)
    k = k.astype("float64")
    kh, kw = k.shape[:2]
    (oh, pt, pb), (ow, pl, pr) = geometry(x.shape[1:3], (kh, kw), strides, padding, dilation)
    xp = np.pad(x, [(0, 0), (pt, pb), (pl, pr), (0, 0)])
    out = np.zeros((x.shape[0], oh, ow, k.shape[3]))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    out[:, i, j, :] += xp[:, i * strides[0] + a * dilation[0], j * strides[1] + b * dilation[1], :] @ k[a, b]
    return from_last(np, out, cf)


def conv2d_input_ref(np, xshape, k, grad, strides=(1, 1), padding="valid", cf=False, dilation=(1, 1)):
    """dx: every tap (i, j, a, b) sends grad[n, i, j, :] @ k[a, b].T back to the input cell it read."""
    shape = to_last(np, np.zeros(xshape), cf).shape
    g = to_last(np, grad.astype("float64"), cf)
    k = k.astype("float64")
    kh, kw = k.shape[:2]
    (oh, pt, pb), (ow, pl, pr) = geometry(shape[1:3], (kh, kw), strides, padding, dilation)
    dxp = np.zeros((shape[0], shape[1] + pt + pb, shape[2] + pl + pr, shape[3]))
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    dxp[:, i * strides[0] + a * dilation[0], j * strides[1] + b * dilation[1], :] += g[:, i, j, :] @ k[a, b].T
    return from_last(np, dxp[:, pt:pt + shape[1], pl:pl + shape[2], :], cf)


def conv2d_filter_ref(np, x, kshape, grad, strides=(1, 1), padding="valid", cf=False, dilation=(1, 1)):
    """dk[a, b, c, o] = sum_{n, i, j} xpad[n, i*sh + a*dh, j*sw + b*dw, c] * grad[n, i, j, o]."""
    x = to_last(np, x.astype("float64"), cf)
    g = to_last(np, grad.astype("float64"), cf)
    kh, kw = kshape[:2]
    (oh, pt, pb), (ow, pl, pr) = geometry(x.shape[1:3], (kh, kw), strides, padding, dilation)
    xp = np.pad(x, [(0, 0), (pt, pb), (pl, pr), (0, 0)])
    dk = np.zeros(kshape)
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    dk[a, b] += xp[:, i * strides[0] + a * dilation[0], j * strides[1] + b * dilation[1], :].T @ g[:, i, j, :]
    return dk


def windows(np, shape, pool, strides, padding):
    """Yields (i, j, [(h, w) cells of the window inside x in row-major order])."""
    (oh, pt, _), (ow, pl, _) = geometry(shape, pool, strides, padding, (1, 1))
    for i in range(oh):
        for j in range(ow):
            cells = [(i * strides[0] + a - pt, j * strides[1] + b - pl) for a in range(pool[0]) for b in range(pool[1])]
            yield i, j, [(h, w) for h, w in cells if 0 <= h < shape[0] and 0 <= w < shape[1]]


def pool2d_ref(np, x, pool, strides=(1, 1), padding="valid", cf=False, mode="max"):
    xl = to_last(np, x.astype("float64"), cf)
    (oh, _, _), (ow, _, _) = geometry(xl.shape[1:3], pool, strides, padding, (1, 1))
    out = np.zeros((xl.shape[0], oh, ow, xl.shape[3]))
    for i, j, cells in windows(np, xl.shape[1:3], pool, strides, padding):
        vals = np.stack([xl[:, h, w, :] for h, w in cells])
        out[:, i, j, :] = vals.max(axis=0) if mode == "max" else vals.mean(axis=0)
    return from_last(np, out, cf)


def pool2d_backprop_ref(np, x, grad, pool, strides=(1, 1), padding="valid", cf=False, mode="max"):
    xl = to_last(np, x.astype("float64"), cf)
    g = to_last(np, grad.astype("float64"), cf)
    dx = np.zeros(xl.shape)
    for i, j, cells in windows(np, xl.shape[1:3], pool, strides, padding):
        for n in range(xl.shape[0]):
            for c in range(xl.shape[3]):
                if mode == "max":
                    h, w = cells[int(np.argmax([xl[n, h, w, c] for h, w in cells]))]
                    dx[n, h, w, c] += g[n, i, j, c]
                else:
                    for h, w in cells:
                        dx[n, h, w, c] += g[n, i, j, c] / len(cells)
    return from_last(np, dx, cf)


def bias_add_ref(np, x, bias, cf=False):
    if bias.ndim == 1:
        shape = [1] * x.ndim
        shape[1 if cf and x.ndim > 2 else -1] = bias.shape[0]
        return x + bias.reshape(shape)
    if cf:
        return x + bias.reshape((1, bias.shape[-1]) + bias.shape[:-1])
    return x + bias.reshape((1,) + bias.shape)


def conv3d_refs(np, x, k, grad, strides, padding, cf, dilation):
    """conv3d and both gradients by loops over output cells (p, i, j) and taps (z, a, b), as conv2d_ref above."""
    import itertools
    x = to_last(np, x.astype("float64"), cf)
    k = k.astype("float64")
    geo = geometry(x.shape[1:4], k.shape[:3], strides, padding, dilation)
    pads = [(0, 0)] + [(g[1], g[2]) for g in geo] + [(0, 0)]
    xp = np.pad(x, pads)
    outs = [g[0] for g in geo]
    y = np.zeros([x.shape[0]] + outs + [k.shape[4]])
    g = None if grad is None else to_last(np, grad.astype("float64"), cf)
    dxp, dk = np.zeros(xp.shape), np.zeros(k.shape)
    for o in itertools.product(*[range(n) for n in outs]):
        for t in itertools.product(*[range(n) for n in k.shape[:3]]):
            at = tuple(o[i] * strides[i] + t[i] * dilation[i] for i in range(3))
            cell = xp[:, at[0], at[1], at[2], :]
            y[:, o[0], o[1], o[2], :] += cell @ k[t]
            if g is not None:
                dxp[:, at[0], at[1], at[2], :] += g[:, o[0], o[1], o[2], :] @ k[t].T
                dk[t] += cell.T @ g[:, o[0], o[1], o[2], :]
    sl = tuple([slice(None)] + [slice(p[0], p[0] + n) for p, n in zip(pads[1:4], x.shape[1:4])] + [slice(None)])
    return from_last(np, y, cf), from_last(np, dxp[sl], cf), dk


def pool3d_refs(np, x, grad, pool, strides, padding, cf, mode):
    import itertools
    xl = to_last(np, x.astype("float64"), cf)
    geo = geometry(xl.shape[1:4], pool, strides, padding, (1, 1, 1))
    y = np.zeros([xl.shape[0]] + [g[0] for g in geo] + [xl.shape[4]])
    g = to_last(np, grad.astype("float64"), cf) if grad is not None else None
    dx = np.zeros(xl.shape)
    for o in itertools.product(*[range(gg[0]) for gg in geo]):
        cells = [tuple(o[i] * strides[i] + t[i] - geo[i][1] for i in range(3)) for t in itertools.product(*[range(n) for n in pool])]
        cells = [c for c in cells if all(0 <= c[i] < xl.shape[1 + i] for i in range(3))]
        vals = np.stack([xl[:, c[0], c[1], c[2], :] for c in cells])
        y[:, o[0], o[1], o[2], :] = vals.max(axis=0) if mode == "max" else vals.mean(axis=0)
        if g is None:
            continue
        for n in range(xl.shape[0]):
            for ch in range(xl.shape[4]):
                if mode == "max":
                    c = cells[int(np.argmax(vals[:, n, ch]))]
                    dx[n, c[0], c[1], c[2], ch] += g[n, o[0], o[1], o[2], ch]
                else:
                    for c in cells:
                        dx[n, c[0], c[1], c[2], ch] += g[n, o[0], o[1], o[2], ch] / len(cells)
    return from_last(np, y, cf), from_last(np, dx, cf)


# ---- the rest of Keras 2's convolution family -----------------------------------------------------------
def depthwise_refs(np, x, k, grad, strides, padding, cf, dilation):
    """depthwise_conv2d and both gradients: out[n, i, j, c*M + m] = sum_{a, b} xpad[n, i*sh + a*dh, j*sw + b*dw, c] * k[a, b, c, m]."""
    x = to_last(np, x.astype("float64"), cf)
    k = k.astype("float64")
    kh, kw, c, m = k.shape
    (oh, pt, pb), (ow, pl, pr) = geometry(x.shape[1:3], (kh, kw), strides, padding, dilation)
    xp = np.pad(x, [(0, 0), (pt, pb), (pl, pr), (0, 0)])
    n = x.shape[0]
    y = np.zeros((n, oh, ow, c * m))
    g = None if grad is None else to_last(np, grad.astype("float64"), cf).reshape(n, oh, ow, c, m)
    dxp, dk = np.zeros(xp.shape), np.zeros(k.shape)
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    h, w = i * strides[0] + a * dilation[0], j * strides[1] + b * dilation[1]
                    cell = xp[:, h, w, :]                                  # (n, c)
                    y[:, i, j, :] += (cell[:, :, None] * k[a, b][None]).reshape(n, c * m)
                    if g is not None:
                        dxp[:, h, w, :] += (g[:, i, j] * k[a, b][None]).sum(axis=2)
                        dk[a, b] += (cell[:, :, None] * g[:, i, j]).sum(axis=0)
    dx = dxp[:, pt:pt + x.shape[1], pl:pl + x.shape[2], :]
    return from_last(np, y, cf), from_last(np, dx, cf), dk


def separable1d_ref(np, x, dk, pk, stride, padding, cf, dilation):
    """separable_conv1d straight from the definition: per channel a 1D correlation, then a 1x1 mix."""
    x = to_last(np, x.astype("float64"), cf)
    ks, c, m = dk.shape
    ((ol, pl, pr),) = geometry(x.shape[1:2], (ks,), (stride,), padding, (dilation,))
    xp = np.pad(x, [(0, 0), (pl, pr), (0, 0)])
    depth = np.zeros((x.shape[0], ol, c * m))
    for t in range(ol):
        for a in range(ks):
            depth[:, t, :] += (xp[:, t * stride + a * dilation, :, None] * dk[a][None]).reshape(x.shape[0], c * m)
    return from_last(np, depth @ pk[0].astype("float64"), cf)


def local_conv_ref(np, x, k, ksize, strides, out_shape, cf):
    """tf-keras local_conv: the window of each output position, flattened in the input's own layout, times its own kernel."""
    import itertools
    x = x.astype("float64")
    nd = len(out_shape)
    n = x.shape[0]
    y = np.zeros((n,) + tuple(out_shape) + (k.shape[2],))
    for p, pos in enumerate(itertools.product(*[range(o) for o in out_shape])):
        sl = tuple(slice(pos[d] * strides[d], pos[d] * strides[d] + ksize[d]) for d in range(nd))
        win = x[(slice(None), slice(None)) + sl] if cf else x[(slice(None),) + sl + (slice(None),)]
        y[(slice(None),) + pos] = win.reshape(n, -1) @ k[p]
    return np.moveaxis(y, -1, 1) if cf else y


def resize_refs(np, x, fh, fw, cf, method, grad):
    """tf.image.resize (half-pixel centers) per axis: nearest min(floor((i + 0.5) * in / out), in - 1); bilinear
    s = (i + 0.5) * in / out - 0.5, taps max(floor(s), 0) and min(ceil(s), in - 1), weight s - floor(s). With the gradient."""
    import math
    xl = to_last(np, x, cf)
    n, h0, w0, c = xl.shape
    h1, w1 = h0 * fh, w0 * fw

    def taps(i, size, out):
        if method == "nearest":
            j = min(int(math.floor((i + 0.5) * size / out)), size - 1)
            return [(j, 1.0)]
        s = (i + 0.5) * size / out - 0.5
        f = math.floor(s)
        return [(max(f, 0), 1 - (s - f)), (min(math.ceil(s), size - 1), s - f)]

    y = np.zeros((n, h1, w1, c), dtype=xl.dtype if method == "nearest" else "float64")
    dx = np.zeros((n, h0, w0, c))
    g = None if grad is None else to_last(np, grad.astype("float64"), cf)
    for i in range(h1):
        for j in range(w1):
            for (a, wa) in taps(i, h0, h1):
                for (b, wb) in taps(j, w0, w1):
                    if method == "nearest":
                        y[:, i, j, :] = xl[:, a, b, :]
                    else:
                        y[:, i, j, :] += wa * wb * xl[:, a, b, :].astype("float64")
                    if g is not None:
                        dx[:, a, b, :] += wa * wb * g[:, i, j, :]
    return from_last(np, y, cf), from_last(np, dx, cf)


# ---- cross-checks against a second implementation ----------------------------------------------------
class Cross:
    def __init__(self, np):
        self.np = np
        self.counts = {}
        try:
            import torch
            import torch.nn.functional as F
            self.torch, self.F = torch, F
        except ImportError:
            self.torch = None
        try:
            import scipy.signal
            self.signal = scipy.signal
        except ImportError:
            self.signal = None

    def agree(self, what, want, got, tol):
        np = self.np
        got = np.asarray(got, dtype="float64")
        if want.shape != got.shape or not np.allclose(want, got, rtol=tol, atol=tol):
            raise AssertionError(f"cross-check {what} disagrees: max diff {np.max(np.abs(want - got)) if want.shape == got.shape else (want.shape, got.shape)}")
        self.counts[what] = self.counts.get(what, 0) + 1

    def t(self, a):
        return self.torch.tensor(self.np.asarray(a, dtype="float64"))

    def torch_pad(self, xl, pads):
        """xl NHWC -> NCHW padded by ((pt, pb), (pl, pr))."""
        x = self.t(self.np.moveaxis(xl, -1, 1))
        (pt, pb), (pl, pr) = pads
        return self.F.pad(x, (pl, pr, pt, pb))

    def conv2d(self, x, k, strides, padding, cf, dilation, want, tol):
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        wl = to_last(np, want, cf)
        (_, pt, pb), (_, pl, pr) = geometry(xl.shape[1:3], k.shape[:2], strides, padding, dilation)
        if self.torch is not None:
            y = self.F.conv2d(self.torch_pad(xl, ((pt, pb), (pl, pr))), self.t(np.transpose(k, (3, 2, 0, 1))), stride=tuple(strides), dilation=tuple(dilation))
            self.agree("conv2d torch", wl, np.moveaxis(y.numpy(), 1, -1), tol)
        if self.signal is not None:
            xp = np.pad(xl, [(0, 0), (pt, pb), (pl, pr), (0, 0)])
            kh, kw, ci, co = k.shape
            kd = np.zeros(((kh - 1) * dilation[0] + 1, (kw - 1) * dilation[1] + 1, ci, co))
            kd[::dilation[0], ::dilation[1]] = k
            out = np.zeros(wl.shape)
            for n in range(xl.shape[0]):
                for o in range(co):
                    acc = sum(self.signal.correlate(xp[n, :, :, c], kd[:, :, c, o], mode="valid") for c in range(ci))
                    out[n, :, :, o] = acc[::strides[0], ::strides[1]][:wl.shape[1], :wl.shape[2]]
            self.agree("conv2d scipy", wl, out, tol)

    def conv2d_grads(self, x, k, grad, strides, padding, cf, dilation, want_dx, want_dk, tol):
        """Input and kernel gradients by torch.autograd through F.pad + F.conv2d."""
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        (_, pt, pb), (_, pl, pr) = geometry(xl.shape[1:3], k.shape[:2], strides, padding, dilation)
        xt = self.t(np.moveaxis(xl, -1, 1)).requires_grad_(True)
        kt = self.t(k).requires_grad_(True)
        y = self.F.conv2d(self.F.pad(xt, (pl, pr, pt, pb)), kt.permute(3, 2, 0, 1), stride=tuple(strides), dilation=tuple(dilation))
        y.backward(self.t(np.moveaxis(to_last(np, grad, cf), -1, 1)))
        if want_dx is not None:
            self.agree("conv2d_backprop_input torch", to_last(np, want_dx, cf), np.moveaxis(xt.grad.numpy(), 1, -1), tol)
        if want_dk is not None:
            self.agree("conv2d_backprop_filter torch", want_dk, kt.grad.numpy(), tol)

    def pool2d(self, x, pool, strides, padding, cf, mode, want, grad, want_dx, tol):
        """torch max_pool2d (-inf padding for "same") and avg_pool2d ("valid" only: torch's padding is symmetric)."""
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        (_, pt, pb), (_, pl, pr) = geometry(xl.shape[1:3], pool, strides, padding, (1, 1))
        if mode == "avg" and (pt or pb or pl or pr):
            return
        xt = self.t(np.moveaxis(xl, -1, 1)).requires_grad_(True)
        xin = self.F.pad(xt, (pl, pr, pt, pb), value=-np.inf) if mode == "max" else xt
        f = self.F.max_pool2d if mode == "max" else self.F.avg_pool2d
        y = f(xin, tuple(pool), stride=tuple(strides))
        self.agree(f"pool2d {mode} torch", to_last(np, want, cf), np.moveaxis(y.detach().numpy(), 1, -1), tol)
        if grad is not None:
            y.backward(self.t(np.moveaxis(to_last(np, grad, cf), -1, 1)))
            self.agree(f"pool2d_backprop {mode} torch", to_last(np, want_dx, cf), np.moveaxis(xt.grad.numpy(), 1, -1), tol)

    def conv3d(self, x, k, grad, strides, padding, cf, dilation, want, dx, dk, tol):
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        geo = geometry(xl.shape[1:4], k.shape[:3], strides, padding, dilation)
        xt = self.t(np.moveaxis(xl, -1, 1)).requires_grad_(True)
        kt = self.t(k).requires_grad_(True)
        pads = (geo[2][1], geo[2][2], geo[1][1], geo[1][2], geo[0][1], geo[0][2])
        y = self.F.conv3d(self.F.pad(xt, pads), kt.permute(4, 3, 0, 1, 2), stride=tuple(strides), dilation=tuple(dilation))
        self.agree("conv3d torch", to_last(np, want, cf), np.moveaxis(y.detach().numpy(), 1, -1), tol)
        y.backward(self.t(np.moveaxis(to_last(np, grad, cf), -1, 1)))
        self.agree("conv3d_backprop_input torch", to_last(np, dx, cf), np.moveaxis(xt.grad.numpy(), 1, -1), tol)
        self.agree("conv3d_backprop_filter torch", dk, kt.grad.numpy(), tol)

    def pool3d(self, x, grad, pool, strides, padding, cf, mode, want, dx, tol):
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        geo = geometry(xl.shape[1:4], pool, strides, padding, (1, 1, 1))
        if mode == "avg" and any(g[1] or g[2] for g in geo):
            return
        xt = self.t(np.moveaxis(xl, -1, 1)).requires_grad_(True)
        pads = (geo[2][1], geo[2][2], geo[1][1], geo[1][2], geo[0][1], geo[0][2])
        f = self.F.max_pool3d if mode == "max" else self.F.avg_pool3d
        y = f(self.F.pad(xt, pads, value=-np.inf) if mode == "max" else xt, tuple(pool), stride=tuple(strides))
        self.agree(f"pool3d {mode} torch", to_last(np, want, cf), np.moveaxis(y.detach().numpy(), 1, -1), tol)
        y.backward(self.t(np.moveaxis(to_last(np, grad, cf), -1, 1)))
        self.agree(f"pool3d_backprop {mode} torch", to_last(np, dx, cf), np.moveaxis(xt.grad.numpy(), 1, -1), tol)

    def depthwise(self, x, k, grad, strides, padding, cf, dilation, want, dx, dk, tol):
        """torch conv2d with groups = in_channels (weight (C*M, 1, kh, kw)), TF's "same" pads by F.pad; gradients by autograd."""
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        kh, kw, c, m = k.shape
        (_, pt, pb), (_, pl, pr) = geometry(xl.shape[1:3], (kh, kw), strides, padding, dilation)
        xt = self.t(np.moveaxis(xl, -1, 1)).requires_grad_(True)
        kt = self.t(k).requires_grad_(True)
        weight = kt.reshape(kh, kw, c * m).permute(2, 0, 1).unsqueeze(1)
        y = self.F.conv2d(self.F.pad(xt, (pl, pr, pt, pb)), weight, stride=tuple(strides), dilation=tuple(dilation), groups=c)
        self.agree("depthwise_conv2d torch groups", to_last(np, want, cf), np.moveaxis(y.detach().numpy(), 1, -1), tol)
        y.backward(self.t(np.moveaxis(to_last(np, grad, cf), -1, 1)))
        self.agree("depthwise_conv2d_backprop_input torch", to_last(np, dx, cf), np.moveaxis(xt.grad.numpy(), 1, -1), tol)
        self.agree("depthwise_conv2d_backprop_filter torch", dk, kt.grad.numpy(), tol)

    def separable2d(self, x, dk, pk, strides, padding, cf, dilation, want, tol):
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        kh, kw, c, m = dk.shape
        (_, pt, pb), (_, pl, pr) = geometry(xl.shape[1:3], (kh, kw), strides, padding, dilation)
        weight = self.t(dk).reshape(kh, kw, c * m).permute(2, 0, 1).unsqueeze(1)
        y = self.F.conv2d(self.torch_pad(xl, ((pt, pb), (pl, pr))), weight, stride=tuple(strides), dilation=tuple(dilation), groups=c)
        y = self.F.conv2d(y, self.t(pk).permute(3, 2, 0, 1))
        self.agree("separable_conv2d torch", to_last(np, want, cf), np.moveaxis(y.numpy(), 1, -1), tol)

    def separable1d(self, x, dk, pk, stride, padding, cf, dilation, want, tol):
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        ks, c, m = dk.shape
        ((_, pl, pr),) = geometry(xl.shape[1:2], (ks,), (stride,), padding, (dilation,))
        xt = self.F.pad(self.t(np.moveaxis(xl, -1, 1)), (pl, pr))
        y = self.F.conv1d(xt, self.t(dk).reshape(ks, c * m).permute(1, 0).unsqueeze(1), stride=stride, dilation=dilation, groups=c)
        y = self.F.conv1d(y, self.t(pk).permute(2, 1, 0))
        self.agree("separable_conv1d torch", to_last(np, want, cf), np.moveaxis(y.numpy(), 1, -1), tol)

    def conv3d_transpose(self, x, k, out, strides, padding, cf, want, tol):
        """torch conv_transpose3d (weight (in, out, kd, kh, kw)) gives the full (i - 1) * s + k extent: TF's grid is
        its window [pad_before, pad_before + out), zero past its end."""
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        ol = to_last(np, np.zeros(out), cf).shape
        geo = geometry(ol[1:4], k.shape[:3], strides, padding, (1, 1, 1))
        full = self.F.conv_transpose3d(self.t(np.moveaxis(xl, -1, 1)), self.t(k).permute(4, 3, 0, 1, 2), stride=tuple(strides)).numpy()
        full = np.moveaxis(full, 1, -1)
        got = np.zeros(ol)
        sl = [slice(g[1], g[1] + n) for g, n in zip(geo, ol[1:4])]
        part = full[:, sl[0], sl[1], sl[2], :]
        got[:, :part.shape[1], :part.shape[2], :part.shape[3], :] = part
        self.agree("conv3d_transpose torch", to_last(np, want, cf), got, tol)

    def local_conv(self, x, k, ksize, strides, out_shape, cf, want, tol):
        """channels_first 2D windows: torch F.unfold flattens each window as (channel, row, col), tf-keras' order there."""
        if self.torch is None or not cf or len(out_shape) != 2:
            return
        np = self.np
        cols = self.F.unfold(self.t(x), tuple(ksize), stride=tuple(strides)).numpy()     # (n, F, L)
        oh = (x.shape[2] - ksize[0]) // strides[0] + 1
        ow = (x.shape[3] - ksize[1]) // strides[1] + 1
        keep = [i * ow + j for i in range(out_shape[0]) for j in range(out_shape[1])]
        y = np.einsum("nfp,pfo->nop", cols[:, :, keep], k.astype("float64")).reshape(x.shape[0], k.shape[2], *out_shape)
        self.agree("local_conv2d torch unfold", want, y, tol)

    def resize(self, x, fh, fw, cf, method, want, grad, dx, tol):
        """torch interpolate: nearest (floor(i * in / out), the same cell for integer factors) and bilinear with
        align_corners=False (half-pixel centers, a negative source clamped to 0: TF's rule); gradients by autograd."""
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        xt = self.t(np.moveaxis(xl, -1, 1)).requires_grad_(True)
        size = (xl.shape[1] * fh, xl.shape[2] * fw)
        y = self.F.interpolate(xt, size=size, mode=method) if method == "nearest" else self.F.interpolate(xt, size=size, mode=method, align_corners=False)
        self.agree(f"resize_images {method} torch", to_last(np, want.astype("float64"), cf), np.moveaxis(y.detach().numpy(), 1, -1), tol)
        y.backward(self.t(np.moveaxis(to_last(np, grad, cf), -1, 1)))
        self.agree(f"resize_images_backprop {method} torch", to_last(np, dx, cf), np.moveaxis(xt.grad.numpy(), 1, -1), tol)

    def resize_volumes(self, x, factors, cf, want):
        if self.torch is None:
            return
        np = self.np
        xl = to_last(np, x.astype("float64"), cf)
        y = self.F.interpolate(self.t(np.moveaxis(xl, -1, 1)), scale_factor=tuple(float(f) for f in factors), mode="nearest")
        self.agree("resize_volumes torch nearest", to_last(np, want.astype("float64"), cf), np.moveaxis(y.numpy(), 1, -1), 0)

    def report(self):
        ran = ", ".join(f"{k} x{v}" for k, v in sorted(self.counts.items())) or "none (torch and scipy missing)"
        print(f"conv: cross-checked {ran}", file=sys.stderr)


def generate(np, T):
    cases = []
    cross = Cross(np)
    r = T.rng("conv")
    f32 = "float32"

    def tol_for(dt, terms, scale):
        eps = {"float16": 1e-3, "float32": 2e-7, "float64": 1e-15}[dt]
        rt, at = T.tol(dt)
        return max(rt, 8 * eps), max(at, 8 * eps * max(terms, 1) * scale)

    def fmt(df):
        return {} if df is None else {"data_format": df}

    def conv2d(cid, xs, ks, strides=None, padding=None, df=None, dilation=None, dt=f32, note=None):
        cf = df == "channels_first"
        x, k = T.arr(r, xs, dt), T.arr(r, ks, dt)
        s, d = tuple(strides or (1, 1)), tuple(dilation or (1, 1))
        want = conv2d_ref(np, x, k, s, padding or "valid", cf, d)
        cross.conv2d(x, k, s, padding or "valid", cf, d, want, 1e-9)
        args = fmt(df)
        if strides is not None: args["strides"] = list(strides)
        if padding is not None: args["padding"] = padding
        if dilation is not None: args["dilation_rate"] = list(dilation)
        rt, at = tol_for(dt, ks[0] * ks[1] * ks[2], 9)
        cases.append(T.case(f"conv2d/{cid}", "conv2d", {"x": T(x), "kernel": T(k)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))
        # Its gradients, for the same geometry and a random upstream gradient.
        grad = T.arr(r, want.shape, dt)
        dx = conv2d_input_ref(np, x.shape, k, grad, s, padding or "valid", cf, d)
        dk = conv2d_filter_ref(np, x, k.shape, grad, s, padding or "valid", cf, d)
        cross.conv2d_grads(x, k, grad, s, padding or "valid", cf, d, dx, dk, 1e-9)
        ins = {"x": T(x), "kernel": T(k), "grad": T(grad)}
        rt, at = tol_for(dt, ks[0] * ks[1] * ks[3], 9)
        cases.append(T.case(f"conv2d_backprop_input/{cid}", "conv2d_backprop_input", ins, args, expect=T(dx.astype(dt)), rtol=rt, atol=at))
        terms = int(np.prod(want.shape)) // ks[3]
        rt, at = tol_for(dt, terms, 9)
        cases.append(T.case(f"conv2d_backprop_filter/{cid}", "conv2d_backprop_filter", ins, args, expect=T(dk.astype(dt)), rtol=rt, atol=at))

    # Shapes from tf-keras backend_test (conv vs numpy) and the geometry corners: TF's "same" split with an odd
    # total (extra cell after), even kernels, strides, dilation, 1x1 kernels, channels_first.
    conv2d("cl_valid", (1, 6, 5, 3), (3, 4, 3, 2), padding="valid", df="channels_last", note="tf-keras backend_test shape")
    conv2d("cl_same", (2, 5, 6, 3), (3, 3, 3, 4), padding="same", df="channels_last")
    conv2d("cf_valid", (1, 3, 6, 5), (3, 4, 3, 2), padding="valid", df="channels_first")
    conv2d("cf_same", (2, 3, 5, 6), (3, 3, 3, 4), padding="same", df="channels_first")
    conv2d("default_format", (2, 5, 5, 2), (2, 2, 2, 3), note="data_format None = image_data_format() = channels_last")
    conv2d("same_even_kernel", (1, 5, 5, 2), (2, 2, 2, 2), padding="same", note="pad_total 1: 0 before, 1 after (TF)")
    conv2d("same_stride2_odd_total", (2, 8, 8, 3), (3, 3, 3, 2), strides=(2, 2), padding="same", note="in 8, k 3, s 2: out 4, pads (0, 1)")
    conv2d("same_stride2", (2, 7, 9, 2), (3, 3, 2, 2), strides=(2, 2), padding="same")
    conv2d("valid_stride_2_1", (2, 7, 6, 2), (3, 2, 2, 3), strides=(2, 1), padding="valid")
    conv2d("cf_same_stride3", (1, 2, 10, 7), (4, 3, 2, 2), strides=(3, 3), padding="same", df="channels_first")
    conv2d("dilated_valid", (1, 9, 8, 2), (3, 3, 2, 2), dilation=(2, 2), padding="valid")
    conv2d("dilated_same", (2, 7, 7, 2), (3, 2, 2, 3), dilation=(2, 3), padding="same")
    conv2d("cf_dilated_same", (1, 2, 6, 6), (3, 3, 2, 2), dilation=(2, 2), padding="same", df="channels_first")
    conv2d("pointwise", (2, 4, 5, 3), (1, 1, 3, 4))
    conv2d("pointwise_stride2", (2, 5, 5, 3), (1, 1, 3, 2), strides=(2, 2), padding="same")
    conv2d("kernel_is_input", (2, 3, 3, 2), (3, 3, 2, 2), padding="valid", note="one output cell")
    conv2d("threaded", (2, 16, 16, 8), (3, 3, 8, 16), padding="same", note="large enough for the cpu backend's threaded path")
    conv2d("f64", (2, 6, 6, 3), (3, 3, 3, 2), padding="same", dt="float64")
    conv2d("f16", (1, 5, 5, 2), (3, 3, 2, 2), padding="same", dt="float16")

    def err(op, cid, inputs, args, kind="ValueError", note=None):
        cases.append(T.case(f"{op}/error/{cid}", op, inputs, args, error=kind, note=note))

    x4, k4 = T(T.arr(r, (1, 5, 5, 2), f32)), T(T.arr(r, (3, 3, 2, 2), f32))
    err("conv2d", "padding", {"x": x4, "kernel": k4}, {"padding": "full"}, note="_preprocess_padding: Invalid padding")
    err("conv2d", "data_format", {"x": x4, "kernel": k4}, {"data_format": "channels_middle"}, note="Unknown data_format")
    err("conv2d", "rank3", {"x": T(T.arr(r, (5, 5, 2), f32)), "kernel": k4}, {})
    err("conv2d", "kernel_rank3", {"x": x4, "kernel": T(T.arr(r, (3, 2, 2), f32))}, {})
    err("conv2d", "channels", {"x": x4, "kernel": T(T.arr(r, (3, 3, 3, 2), f32))}, {}, note="kernel in-channels 3, x has 2")
    err("conv2d", "channels_first_mismatch", {"x": x4, "kernel": k4}, {"data_format": "channels_first"}, note="x read as (1, 5, 5, 2) NCHW: 5 channels")
    err("conv2d", "strides_and_dilation", {"x": x4, "kernel": k4}, {"strides": [2, 2], "dilation_rate": [2, 2]})
    err("conv2d", "too_small", {"x": x4, "kernel": T(T.arr(r, (6, 1, 2, 2), f32))}, {"padding": "valid"}, note="negative output size")
    err("conv2d", "too_small_dilated", {"x": x4, "kernel": k4}, {"dilation_rate": [3, 1]}, note="dilated kernel 7 > 5")
    err("conv2d", "strides_len", {"x": x4, "kernel": k4}, {"strides": [1, 1, 1]})
    err("conv2d", "strides_zero", {"x": x4, "kernel": k4}, {"strides": [0, 1]})
    err("conv2d", "int_input", {"x": T(np.ones((1, 5, 5, 2), "int32")), "kernel": k4}, {}, kind="TypeError")
    g4 = T(T.arr(r, (1, 3, 3, 2), f32))
    err("conv2d_backprop_input", "grad_shape", {"x": x4, "kernel": k4, "grad": T(T.arr(r, (1, 4, 3, 2), f32))}, {})
    err("conv2d_backprop_filter", "grad_shape", {"x": x4, "kernel": k4, "grad": T(T.arr(r, (1, 3, 3, 3), f32))}, {})
    err("conv2d_backprop_filter", "padding", {"x": x4, "kernel": k4, "grad": g4}, {"padding": "full"})

    # conv1d: (steps) geometry as conv2d over a height-1 image; causal = left pad d*(k-1), then valid.
    def conv1d(cid, xs, ks, strides=1, padding="valid", df=None, dilation=1, dt=f32, note=None):
        cf = df == "channels_first"
        x, k = T.arr(r, xs, dt), T.arr(r, ks, dt)
        xl = to_last(np, x, cf)
        pad = "valid" if padding == "causal" else padding
        if padding == "causal":
            xl = np.pad(xl, [(0, 0), (dilation * (ks[0] - 1), 0), (0, 0)])
        want = conv2d_ref(np, xl[:, None], k[None], (1, strides), pad, False, (1, dilation))[:, 0]
        cross.conv2d(xl[:, None], k[None], (1, strides), pad, False, (1, dilation), want[:, None], 1e-9)
        want = from_last(np, want, cf)
        args = dict(fmt(df), padding=padding)
        if strides != 1: args["strides"] = strides
        if dilation != 1: args["dilation_rate"] = dilation
        rt, at = tol_for(dt, ks[0] * ks[1], 9)
        cases.append(T.case(f"conv1d/{cid}", "conv1d", {"x": T(x), "kernel": T(k)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))

    conv1d("valid", (2, 9, 3), (3, 3, 4))
    conv1d("same", (2, 8, 3), (4, 3, 2), padding="same", note="pad_total 3: 1 before, 2 after")
    conv1d("causal", (2, 7, 2), (3, 2, 3), padding="causal")
    conv1d("causal_dilated", (1, 10, 2), (3, 2, 2), padding="causal", dilation=2, note="left pad 4")
    conv1d("same_stride2", (2, 9, 3), (3, 3, 2), padding="same", strides=2)
    conv1d("valid_dilated", (1, 11, 2), (3, 2, 2), dilation=3)
    conv1d("cf_valid", (2, 3, 8), (3, 3, 2), df="channels_first")
    conv1d("cf_same", (1, 2, 7), (2, 2, 3), padding="same", df="channels_first")
    conv1d("f64", (2, 6, 2), (2, 2, 2), padding="causal", dt="float64")
    x3, k3 = T(T.arr(r, (2, 6, 2), f32)), T(T.arr(r, (3, 2, 2), f32))
    err("conv1d", "causal_channels_first", {"x": T(T.arr(r, (2, 2, 6), f32)), "kernel": k3}, {"padding": "causal", "data_format": "channels_first"},
        note="tf-keras pads axis 1 (the channels) before the convolution: 2 + 4 channels against a kernel of 2")
    err("conv1d", "padding", {"x": x3, "kernel": k3}, {"padding": "full"})
    err("conv1d", "data_format", {"x": x3, "kernel": k3}, {"data_format": "nwc"})
    err("conv1d", "rank4", {"x": x4, "kernel": k3}, {})
    err("conv1d", "channels", {"x": x3, "kernel": T(T.arr(r, (3, 3, 2), f32))}, {})
    err("conv1d", "strides_and_dilation", {"x": x3, "kernel": k3}, {"strides": 2, "dilation_rate": 2})
    err("conv1d", "too_small", {"x": x3, "kernel": T(T.arr(r, (7, 2, 2), f32))}, {})

    # bias_add
    def bias(cid, xs, bs, df=None, dt=f32, bdt=None, note=None):
        x, b = T.arr(r, xs, dt), T.arr(r, bs, bdt or dt)
        want = bias_add_ref(np, x.astype("float64"), b.astype("float64"), df == "channels_first")
        rd = T.promote(dt, bdt or dt)
        cases.append(T.case(f"bias_add/{cid}", "bias_add", {"x": T(x), "bias": T(b)}, fmt(df), expect=T(want.astype(rd)), note=note))

    bias("cl_4d", (2, 3, 4, 5), (5,))
    bias("cf_4d", (2, 5, 3, 4), (5,), "channels_first")
    bias("cf_3d", (2, 3, 4), (3,), "channels_first")
    bias("cl_3d", (2, 3, 4), (4,), "channels_last")
    bias("2d", (3, 4), (4,))
    bias("2d_cf", (3, 4), (4,), "channels_first", note="rank 2: the channel axis is the last (tf.nn.bias_add)")
    bias("cl_5d", (1, 2, 3, 2, 3), (3,))
    bias("full_cl", (2, 3, 4, 5), (3, 4, 5), "channels_last", note="x + reshape(bias, (1,) + bias.shape)")
    bias("full_cf", (2, 5, 3, 4), (3, 4, 5), "channels_first", note="tf-keras reshapes (3, 4, 5) to (1, 5, 3, 4): a reshape, not a transpose")
    bias("full_broadcast", (2, 3, 4), (1, 4), "channels_last", note="a full bias broadcasts")
    bias("f64", (2, 3, 3), (3,), dt="float64")
    bias("mixed", (2, 3), (3,), dt="float32", bdt="float64", note="dtypes promote")
    err("bias_add", "rank", {"x": x4, "bias": T(T.arr(r, (5, 2), f32))}, {}, note="Unexpected bias dimensions")
    err("bias_add", "rank_6d", {"x": T(np.zeros((1, 1, 1, 1, 1, 2), f32)), "bias": T(np.zeros((1, 1, 1, 1, 2), f32))}, {}, note="rank ndim-1 only for x of rank 3-5")
    err("bias_add", "channels", {"x": x4, "bias": T(T.arr(r, (3,), f32))}, {})
    err("bias_add", "channels_first", {"x": x4, "bias": T(T.arr(r, (2,), f32))}, {"data_format": "channels_first"})
    err("bias_add", "data_format", {"x": x4, "bias": T(T.arr(r, (2,), f32))}, {"data_format": "nhwc"})

    # pool2d and its gradient
    def pool(cid, xs, pool_size, strides=None, padding=None, df=None, mode=None, dt=f32, note=None, x=None):
        cf = df == "channels_first"
        x = T.arr(r, xs, dt) if x is None else x
        s = tuple(strides or (1, 1))
        m = mode or "max"
        want = pool2d_ref(np, x, pool_size, s, padding or "valid", cf, m)
        grad = T.arr(r, want.shape, dt)
        dx = pool2d_backprop_ref(np, x, grad, pool_size, s, padding or "valid", cf, m)
        cross.pool2d(x, pool_size, s, padding or "valid", cf, m, want, grad, dx, 1e-9)
        args = dict(fmt(df), pool_size=list(pool_size))
        if strides is not None: args["strides"] = list(strides)
        if padding is not None: args["padding"] = padding
        if mode is not None: args["pool_mode"] = mode
        rt, at = tol_for(dt, pool_size[0] * pool_size[1], 3)
        cases.append(T.case(f"pool2d/{cid}", "pool2d", {"x": T(x)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))
        cases.append(T.case(f"pool2d_backprop/{cid}", "pool2d_backprop", {"x": T(x), "grad": T(grad)}, args, expect=T(dx.astype(dt)), rtol=rt, atol=at))

    for m in ["max", "avg"]:
        pool(f"{m}_cf_valid", (2, 3, 6, 6), (2, 2), (1, 1), "valid", "channels_first", m, note="tf-keras backend_test: (10, 3, 10, 10) -> (10, 3, 9, 9), smaller")
        pool(f"{m}_cl_valid", (2, 6, 6, 3), (2, 2), padding="valid", mode=m)
        pool(f"{m}_cl_same", (2, 5, 5, 3), (2, 2), padding="same", mode=m, note="border windows: padded cells ignored / not counted")
        pool(f"{m}_same_stride2", (2, 5, 7, 2), (2, 2), (2, 2), "same", mode=m)
        pool(f"{m}_same_3x3_stride2", (1, 6, 7, 2), (3, 3), (2, 2), "same", mode=m, note="in 6, k 3, s 2: pads (0, 1); in 7: (1, 1)")
        pool(f"{m}_cf_same_stride2", (1, 2, 5, 6), (3, 2), (2, 2), "same", "channels_first", m)
        pool(f"{m}_stride_gt_pool", (1, 7, 7, 2), (2, 2), (3, 3), "valid", mode=m)
        pool(f"{m}_f64", (2, 4, 4, 2), (2, 2), (2, 2), "valid", mode=m, dt="float64")
    pool("default_mode_and_strides", (1, 4, 4, 2), (2, 2), note="pool_mode max, strides (1, 1) by default")

    ties = np.zeros((1, 4, 4, 1), f32)
    ties[0, 1, 1, 0] = ties[0, 2, 3, 0] = 1
    pool("max_ties", None, (2, 2), (1, 1), "valid", mode="max", x=ties, note="a window's gradient goes to its first maximum (TF MaxPoolGrad)")
    xp = T(T.arr(r, (2, 6, 6, 3), f32))
    err("pool2d", "padding", {"x": xp}, {"pool_size": [2, 2], "padding": "other"})
    err("pool2d", "data_format", {"x": xp}, {"pool_size": [2, 2], "data_format": "other"})
    err("pool2d", "pool_size_3", {"x": xp}, {"pool_size": [2, 2, 2]}, note="`pool_size` must be a tuple of 2 integers")
    err("pool2d", "strides_3", {"x": xp}, {"pool_size": [2, 2], "strides": [2, 2, 2]})
    err("pool2d", "pool_mode", {"x": xp}, {"pool_size": [2, 2], "pool_mode": "other"})
    err("pool2d", "rank3", {"x": T(T.arr(r, (6, 6, 3), f32))}, {"pool_size": [2, 2]})
    err("pool2d", "too_small", {"x": xp}, {"pool_size": [7, 2]})
    err("pool2d_backprop", "grad_shape", {"x": xp, "grad": T(T.arr(r, (2, 5, 5, 2), f32))}, {"pool_size": [2, 2]})

    # paddings
    def padding(op, cid, x, args, pads, note=None):
        cases.append(T.case(f"{op}/{cid}", op, {"x": T(x)}, args, expect=T(np.pad(x, pads)), note=note))

    x = T.arr(r, (4, 7, 6), f32)
    padding("temporal_padding", "2_3", x, {"padding": [2, 3]}, [(0, 0), (2, 3), (0, 0)], note="tf-keras backend_test")
    padding("temporal_padding", "default", x, {}, [(0, 0), (1, 1), (0, 0)], note="padding (1, 1)")
    padding("temporal_padding", "int64", np.arange(12, dtype="int64").reshape(2, 3, 2) * (2 ** 40 + 1), {"padding": [0, 2]}, [(0, 0), (0, 2), (0, 0)])
    padding("temporal_padding", "bool", T.arr(r, (1, 2, 3), "bool"), {"padding": [1, 0]}, [(0, 0), (1, 0), (0, 0)])
    x = T.arr(r, (2, 3, 2, 3), f32)
    padding("spatial_2d_padding", "cl", x, {"padding": [[2, 3], [1, 2]], "data_format": "channels_last"}, [(0, 0), (2, 3), (1, 2), (0, 0)], note="tf-keras backend_test")
    padding("spatial_2d_padding", "cf", x, {"padding": [[2, 3], [1, 2]], "data_format": "channels_first"}, [(0, 0), (0, 0), (2, 3), (1, 2)])
    padding("spatial_2d_padding", "default", x, {}, [(0, 0), (1, 1), (1, 1), (0, 0)], note="((1, 1), (1, 1)), channels_last")
    padding("spatial_2d_padding", "flat", x, {"padding": [0, 1, 2, 0]}, [(0, 0), (0, 1), (2, 0), (0, 0)], note="the flat (top, bottom, left, right) form")
    padding("spatial_2d_padding", "f16", T.arr(r, (1, 2, 2, 1), "float16"), {"padding": [[1, 0], [0, 1]]}, [(0, 0), (1, 0), (0, 1), (0, 0)])
    err("temporal_padding", "rank", {"x": T(T.arr(r, (3, 4), f32))}, {})
    err("temporal_padding", "length", {"x": T(x[0])}, {"padding": [1, 2, 3]}, note="tf-keras: assert len(padding) == 2")
    err("temporal_padding", "negative", {"x": T(x[0])}, {"padding": [-1, 0]})
    err("spatial_2d_padding", "data_format", {"x": T(x)}, {"data_format": "channels_middle"}, note="tf-keras backend_test")
    err("spatial_2d_padding", "rank", {"x": T(x[0])}, {})
    err("spatial_2d_padding", "length", {"x": T(x)}, {"padding": [[1, 1]]})

    # conv2d_transpose: the input gradient of conv2d over output_shape, x as the upstream gradient (kernel (kh, kw, out, in)).
    def transpose(cid, xs, ks, out, strides=None, padding=None, df=None, dilation=None, dt=f32, note=None, batch_none=False):
        cf = df == "channels_first"
        x, k = T.arr(r, xs, dt), T.arr(r, ks, dt)
        d = tuple(dilation or (1, 1))
        s = (1, 1) if d != (1, 1) else tuple(strides or (1, 1))
        want = conv2d_input_ref(np, tuple(out), k, x, s, padding or "valid", cf, d)
        y = np.zeros(out)
        cross.conv2d_grads(y, k, x, s, padding or "valid", cf, d, want, None, 1e-9)
        args = dict(fmt(df), output_shape=[None] + list(out[1:]) if batch_none else list(out))
        if strides is not None: args["strides"] = list(strides)
        if padding is not None: args["padding"] = padding
        if dilation is not None: args["dilation_rate"] = list(dilation)
        rt, at = tol_for(dt, ks[0] * ks[1] * ks[3], 9)
        cases.append(T.case(f"conv2d_transpose/{cid}", "conv2d_transpose", {"x": T(x), "kernel": T(k)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))

    transpose("cl_same", (2, 5, 6, 3), (3, 3, 2, 3), (2, 5, 6, 2), padding="same", df="channels_last", note="tf-keras backend_test")
    transpose("cf_same", (2, 3, 8, 9), (3, 3, 2, 3), (2, 2, 8, 9), padding="same", df="channels_first", note="tf-keras backend_test")
    transpose("same_stride2", (2, 5, 6, 3), (3, 3, 2, 3), (2, 10, 12, 2), strides=(2, 2), padding="same")
    transpose("same_stride2_odd", (1, 4, 4, 2), (3, 3, 2, 2), (1, 7, 8, 2), strides=(2, 2), padding="same", note="ceil(7 / 2) = 4: either 7 or 8 is a valid output_shape")
    transpose("valid_stride2", (1, 3, 4, 2), (3, 2, 3, 2), (1, 7, 8, 3), strides=(2, 2), padding="valid")
    transpose("valid", (2, 3, 3, 2), (2, 2, 1, 2), (2, 4, 4, 1))
    transpose("batch_none", (3, 4, 4, 2), (3, 3, 2, 2), (3, 4, 4, 2), padding="same", batch_none=True, note="output_shape[0] None: x's batch")
    transpose("dilated_ignores_strides", (1, 5, 5, 2), (2, 2, 3, 2), (1, 5, 5, 3), strides=(2, 2), padding="same", dilation=(2, 2),
              note="tf-keras calls atrous_conv2d_transpose for dilation != (1, 1), which takes no strides")
    transpose("cf_dilated_valid", (1, 2, 3, 3), (2, 2, 2, 2), (1, 2, 5, 5), padding="valid", df="channels_first", dilation=(2, 2))
    transpose("f64", (1, 3, 3, 2), (3, 3, 2, 2), (1, 6, 6, 2), strides=(2, 2), padding="same", dt="float64")
    xt, kt = T(T.arr(r, (1, 5, 6, 3), f32)), T(T.arr(r, (3, 3, 2, 3), f32))
    err("conv2d_transpose", "unequal_dilation", {"x": xt, "kernel": kt}, {"output_shape": [1, 5, 6, 2], "padding": "same", "dilation_rate": [1, 2]},
        note="Expected the 2 dimensions of the `dilation_rate` argument to be equal")
    err("conv2d_transpose", "inconsistent_output_shape", {"x": xt, "kernel": kt}, {"output_shape": [1, 9, 6, 2], "padding": "same"})
    err("conv2d_transpose", "output_channels", {"x": xt, "kernel": kt}, {"output_shape": [1, 5, 6, 4], "padding": "same"})
    err("conv2d_transpose", "input_channels", {"x": T(T.arr(r, (1, 5, 6, 2), f32)), "kernel": kt}, {"output_shape": [1, 5, 6, 2], "padding": "same"})
    err("conv2d_transpose", "output_shape_rank", {"x": xt, "kernel": kt}, {"output_shape": [5, 6, 2], "padding": "same"})
    err("conv2d_transpose", "padding", {"x": xt, "kernel": kt}, {"output_shape": [1, 5, 6, 2], "padding": "full"})
    err("conv2d_transpose", "data_format", {"x": xt, "kernel": kt}, {"output_shape": [1, 5, 6, 2], "data_format": "other"})

    # 3D: conv3d and its gradients, pool3d and its gradient, spatial_3d_padding.
    def conv3d(cid, xs, ks, strides=None, padding=None, df=None, dilation=None, dt=f32, note=None):
        cf = df == "channels_first"
        x, k = T.arr(r, xs, dt), T.arr(r, ks, dt)
        s, d = tuple(strides or (1, 1, 1)), tuple(dilation or (1, 1, 1))
        want, _, _ = conv3d_refs(np, x, k, None, s, padding or "valid", cf, d)
        grad = T.arr(r, want.shape, dt)
        _, dx, dk = conv3d_refs(np, x, k, grad, s, padding or "valid", cf, d)
        cross.conv3d(x, k, grad, s, padding or "valid", cf, d, want, dx, dk, 1e-9)
        args = fmt(df)
        if strides is not None: args["strides"] = list(strides)
        if padding is not None: args["padding"] = padding
        if dilation is not None: args["dilation_rate"] = list(dilation)
        taps = ks[0] * ks[1] * ks[2]
        rt, at = tol_for(dt, taps * ks[3], 9)
        cases.append(T.case(f"conv3d/{cid}", "conv3d", {"x": T(x), "kernel": T(k)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))
        ins = {"x": T(x), "kernel": T(k), "grad": T(grad)}
        rt, at = tol_for(dt, taps * ks[4], 9)
        cases.append(T.case(f"conv3d_backprop_input/{cid}", "conv3d_backprop_input", ins, args, expect=T(dx.astype(dt)), rtol=rt, atol=at))
        rt, at = tol_for(dt, int(np.prod(want.shape)) // ks[4], 9)
        cases.append(T.case(f"conv3d_backprop_filter/{cid}", "conv3d_backprop_filter", ins, args, expect=T(dk.astype(dt)), rtol=rt, atol=at))

    conv3d("cf_same", (2, 3, 4, 5, 4), (3, 3, 3, 3, 4), padding="same", df="channels_first", note="tf-keras backend_test shape")
    conv3d("cl_valid", (1, 4, 5, 4, 2), (2, 3, 2, 2, 3), padding="valid", df="channels_last")
    conv3d("same_strides", (1, 5, 4, 6, 2), (3, 2, 3, 2, 2), strides=(2, 1, 2), padding="same")
    conv3d("dilated", (1, 5, 5, 5, 1), (2, 2, 2, 1, 2), dilation=(2, 2, 2), padding="valid")
    conv3d("f64_default", (1, 3, 3, 3, 2), (2, 2, 2, 2, 2), dt="float64")
    x5, k5 = T(T.arr(r, (1, 3, 4, 4, 2), f32)), T(T.arr(r, (2, 2, 2, 2, 2), f32))
    err("conv3d", "padding", {"x": x5, "kernel": k5}, {"padding": "full"})
    err("conv3d", "data_format", {"x": x5, "kernel": k5}, {"data_format": "channels_middle"})
    err("conv3d", "rank4", {"x": x4, "kernel": k5}, {})
    err("conv3d", "channels", {"x": x5, "kernel": T(T.arr(r, (2, 2, 2, 3, 2), f32))}, {})
    err("conv3d", "strides_and_dilation", {"x": x5, "kernel": k5}, {"strides": [2, 1, 1], "dilation_rate": [1, 2, 1]})
    err("conv3d", "strides_len", {"x": x5, "kernel": k5}, {"strides": [1, 1]})
    err("conv3d_backprop_input", "grad_shape", {"x": x5, "kernel": k5, "grad": T(T.arr(r, (1, 2, 3, 2, 2), f32))}, {})
    err("conv3d_backprop_filter", "grad_shape", {"x": x5, "kernel": k5, "grad": T(T.arr(r, (1, 2, 3, 2, 2), f32))}, {})

    def pool3(cid, xs, pool, strides=None, padding=None, df=None, mode=None, dt=f32, note=None):
        cf = df == "channels_first"
        x = T.arr(r, xs, dt)
        s, m = tuple(strides or (1, 1, 1)), mode or "max"
        want, _ = pool3d_refs(np, x, None, pool, s, padding or "valid", cf, m)
        grad = T.arr(r, want.shape, dt)
        _, dx = pool3d_refs(np, x, grad, pool, s, padding or "valid", cf, m)
        cross.pool3d(x, grad, pool, s, padding or "valid", cf, m, want, dx, 1e-9)
        args = dict(fmt(df), pool_size=list(pool))
        if strides is not None: args["strides"] = list(strides)
        if padding is not None: args["padding"] = padding
        if mode is not None: args["pool_mode"] = mode
        rt, at = tol_for(dt, int(np.prod(pool)), 3)
        cases.append(T.case(f"pool3d/{cid}", "pool3d", {"x": T(x)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))
        cases.append(T.case(f"pool3d_backprop/{cid}", "pool3d_backprop", {"x": T(x), "grad": T(grad)}, args, expect=T(dx.astype(dt)), rtol=rt, atol=at))

    for m in ["max", "avg"]:
        pool3(f"{m}_cf_valid", (1, 2, 4, 4, 4), (2, 2, 2), (1, 1, 1), "valid", "channels_first", m, note="tf-keras backend_test, smaller")
        pool3(f"{m}_cl_same_stride2", (2, 5, 4, 5, 2), (2, 2, 2), (2, 2, 2), "same", "channels_last", m)
        pool3(f"{m}_same_3", (1, 4, 5, 3, 2), (3, 3, 2), (2, 1, 2), "same", mode=m, note="border windows: padded cells ignored / not counted")
    pool3("default", (1, 3, 3, 3, 1), (2, 2, 2))
    x5p = T(T.arr(r, (1, 4, 4, 4, 2), f32))
    err("pool3d", "padding", {"x": x5p}, {"pool_size": [2, 2, 2], "padding": "other"})
    err("pool3d", "data_format", {"x": x5p}, {"pool_size": [2, 2, 2], "data_format": "other"})
    err("pool3d", "pool_mode", {"x": x5p}, {"pool_size": [2, 2, 2], "pool_mode": "other"})
    err("pool3d", "pool_size_2", {"x": x5p}, {"pool_size": [2, 2]})
    err("pool3d", "rank4", {"x": xp}, {"pool_size": [2, 2, 2]})
    err("pool3d_backprop", "grad_shape", {"x": x5p, "grad": T(T.arr(r, (1, 2, 2, 2, 2), f32))}, {"pool_size": [2, 2, 2]})

    x = T.arr(r, (2, 3, 2, 3, 2), f32)
    padding("spatial_3d_padding", "cl", x, {"padding": [[2, 3], [1, 2], [2, 3]], "data_format": "channels_last"}, [(0, 0), (2, 3), (1, 2), (2, 3), (0, 0)], note="tf-keras backend_test")
    padding("spatial_3d_padding", "cf", x, {"padding": [[2, 3], [1, 2], [2, 3]], "data_format": "channels_first"}, [(0, 0), (0, 0), (2, 3), (1, 2), (2, 3)])
    padding("spatial_3d_padding", "default", x, {}, [(0, 0), (1, 1), (1, 1), (1, 1), (0, 0)])
    err("spatial_3d_padding", "data_format", {"x": T(x)}, {"data_format": "channels_middle"}, note="tf-keras backend_test")
    err("spatial_3d_padding", "rank", {"x": T(x[0])}, {})
    err("spatial_3d_padding", "length", {"x": T(x)}, {"padding": [[1, 1], [1, 1]]})

    more(np, T, cases, cross, tol_for, fmt, err)
    cross.report()
    return cases


def more(np, T, cases, cross, tol_for, fmt, err):
    """depthwise_conv2d, separable_conv1d/2d, conv3d_transpose, local_conv1d/2d, resize_images, resize_volumes."""
    r = T.rng("conv_keras2")
    f32 = "float32"

    def opt(args, **kw):
        for k, v in kw.items():
            if v is not None:
                args[k] = list(v) if isinstance(v, tuple) else v
        return args

    # depthwise_conv2d and its gradients (tf.nn.depthwise_conv2d)
    def depthwise(cid, xs, ks, strides=None, padding=None, df=None, dilation=None, dt=f32, note=None):
        cf = df == "channels_first"
        x, k = T.arr(r, xs, dt), T.arr(r, ks, dt)
        s, d, pad = tuple(strides or (1, 1)), tuple(dilation or (1, 1)), padding or "valid"
        want, _, _ = depthwise_refs(np, x, k, None, s, pad, cf, d)
        grad = T.arr(r, want.shape, dt)
        _, dx, dk = depthwise_refs(np, x, k, grad, s, pad, cf, d)
        cross.depthwise(x, k, grad, s, pad, cf, d, want, dx, dk, 1e-9)
        args = opt(fmt(df), strides=strides, padding=padding, dilation_rate=dilation)
        rt, at = tol_for(dt, ks[0] * ks[1], 9)
        cases.append(T.case(f"depthwise_conv2d/{cid}", "depthwise_conv2d", {"x": T(x), "depthwise_kernel": T(k)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))
        ins = {"x": T(x), "depthwise_kernel": T(k), "grad": T(grad)}
        rt, at = tol_for(dt, ks[0] * ks[1] * ks[3], 9)
        cases.append(T.case(f"depthwise_conv2d_backprop_input/{cid}", "depthwise_conv2d_backprop_input", ins, args, expect=T(dx.astype(dt)), rtol=rt, atol=at))
        rt, at = tol_for(dt, int(np.prod(want.shape)) // (ks[2] * ks[3]), 9)
        cases.append(T.case(f"depthwise_conv2d_backprop_filter/{cid}", "depthwise_conv2d_backprop_filter", ins, args, expect=T(dk.astype(dt)), rtol=rt, atol=at))

    depthwise("cl_valid", (2, 5, 6, 3), (3, 3, 3, 1), note="tf-keras backend_test layout (kh, kw, in, multiplier)")
    depthwise("cl_same_mult2", (2, 5, 5, 3), (3, 3, 3, 2), padding="same", note="output channel c*M + m")
    depthwise("cf_same", (1, 3, 6, 5), (3, 2, 3, 2), padding="same", df="channels_first")
    depthwise("same_stride2", (2, 7, 6, 4), (3, 3, 4, 1), strides=(2, 2), padding="same", note="TF's asymmetric same split")
    depthwise("dilated", (1, 7, 7, 2), (2, 3, 2, 3), dilation=(2, 1), padding="valid")
    depthwise("cf_dilated_same", (1, 2, 6, 7), (3, 3, 2, 1), padding="same", df="channels_first", dilation=(2, 2))
    depthwise("f64_stride3", (1, 8, 8, 2), (2, 2, 2, 2), strides=(3, 3), dt="float64")
    xd, kd = T(T.arr(r, (1, 6, 6, 2), f32)), T(T.arr(r, (3, 3, 2, 1), f32))
    err("depthwise_conv2d", "unequal_strides", {"x": xd, "depthwise_kernel": kd}, {"strides": [1, 2]},
        note="DepthwiseConv2dNative: Current implementation only supports equal length strides in the row and column dimensions")
    err("depthwise_conv2d", "strides_and_dilation", {"x": xd, "depthwise_kernel": kd}, {"strides": [2, 2], "dilation_rate": [2, 2]})
    err("depthwise_conv2d", "channels", {"x": xd, "depthwise_kernel": T(T.arr(r, (3, 3, 3, 1), f32))}, {})
    err("depthwise_conv2d", "padding", {"x": xd, "depthwise_kernel": kd}, {"padding": "causal"})
    err("depthwise_conv2d", "data_format", {"x": xd, "depthwise_kernel": kd}, {"data_format": "nhwc"}, note="Unknown data_format")
    err("depthwise_conv2d", "too_small", {"x": xd, "depthwise_kernel": T(T.arr(r, (7, 3, 2, 1), f32))}, {})
    err("depthwise_conv2d", "kernel_rank", {"x": xd, "depthwise_kernel": T(T.arr(r, (3, 3, 2), f32))}, {})
    err("depthwise_conv2d", "int_input", {"x": T(np.ones((1, 6, 6, 2), "int32")), "depthwise_kernel": kd}, {}, kind="TypeError")
    err("depthwise_conv2d_backprop_input", "grad_shape", {"x": xd, "depthwise_kernel": kd, "grad": T(T.arr(r, (1, 4, 4, 3), f32))}, {})
    err("depthwise_conv2d_backprop_filter", "grad_shape", {"x": xd, "depthwise_kernel": kd, "grad": T(T.arr(r, (1, 5, 4, 2), f32))}, {})

    # separable_conv2d: depthwise, then a "valid" 1x1 conv (tf.nn.separable_conv2d)
    def separable2d(cid, xs, dks, out, strides=None, padding=None, df=None, dilation=None, dt=f32, note=None):
        cf = df == "channels_first"
        x, dk = T.arr(r, xs, dt), T.arr(r, dks, dt)
        pk = T.arr(r, (1, 1, dks[2] * dks[3], out), dt)
        s, d, pad = tuple(strides or (1, 1)), tuple(dilation or (1, 1)), padding or "valid"
        depth, _, _ = depthwise_refs(np, x, dk, None, s, pad, cf, d)
        want = conv2d_ref(np, depth, pk, (1, 1), "valid", cf, (1, 1))
        cross.separable2d(x, dk, pk, s, pad, cf, d, want, 1e-9)
        rt, at = tol_for(dt, dks[0] * dks[1] * dks[2] * dks[3], 9)
        cases.append(T.case(f"separable_conv2d/{cid}", "separable_conv2d", {"x": T(x), "depthwise_kernel": T(dk), "pointwise_kernel": T(pk)},
                            opt(fmt(df), strides=strides, padding=padding, dilation_rate=dilation), expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))

    separable2d("cl_same", (2, 6, 6, 3), (3, 3, 3, 2), 4, padding="same", note="tf-keras backend_test shapes, smaller")
    separable2d("cf_valid", (1, 2, 5, 6), (3, 3, 2, 1), 3, df="channels_first")
    separable2d("strides", (1, 7, 7, 2), (3, 3, 2, 2), 2, strides=(2, 2), padding="same")
    separable2d("dilated", (1, 6, 7, 2), (2, 2, 2, 1), 3, dilation=(2, 2))
    separable2d("f64", (1, 4, 4, 2), (2, 2, 2, 1), 2, dt="float64")
    xs2, dk2 = T(T.arr(r, (1, 5, 5, 2), f32)), T(T.arr(r, (3, 3, 2, 2), f32))
    err("separable_conv2d", "pointwise_channels", {"x": xs2, "depthwise_kernel": dk2, "pointwise_kernel": T(T.arr(r, (1, 1, 2, 3), f32))}, {}, note="in_channels * multiplier = 4")
    err("separable_conv2d", "pointwise_not_1x1", {"x": xs2, "depthwise_kernel": dk2, "pointwise_kernel": T(T.arr(r, (2, 1, 4, 3), f32))}, {})
    err("separable_conv2d", "strides_len", {"x": xs2, "depthwise_kernel": dk2, "pointwise_kernel": T(T.arr(r, (1, 1, 4, 3), f32))}, {"strides": [1, 1, 1]},
        note="`strides` must be a tuple of 2 integers.")
    err("separable_conv2d", "unequal_strides", {"x": xs2, "depthwise_kernel": dk2, "pointwise_kernel": T(T.arr(r, (1, 1, 4, 3), f32))}, {"strides": [2, 1]})
    err("separable_conv2d", "data_format", {"x": xs2, "depthwise_kernel": dk2, "pointwise_kernel": T(T.arr(r, (1, 1, 4, 3), f32))}, {"data_format": "x"})

    # separable_conv1d
    def separable1d(cid, xs, dks, out, stride=None, padding=None, df=None, dilation=None, dt=f32, note=None):
        cf = df == "channels_first"
        x, dk = T.arr(r, xs, dt), T.arr(r, dks, dt)
        pk = T.arr(r, (1, dks[1] * dks[2], out), dt)
        want = separable1d_ref(np, x, dk.astype("float64"), pk, stride or 1, padding or "valid", cf, dilation or 1)
        cross.separable1d(x, dk, pk, stride or 1, padding or "valid", cf, dilation or 1, want, 1e-9)
        rt, at = tol_for(dt, dks[0] * dks[1] * dks[2], 9)
        cases.append(T.case(f"separable_conv1d/{cid}", "separable_conv1d", {"x": T(x), "depthwise_kernel": T(dk), "pointwise_kernel": T(pk)},
                            opt(fmt(df), strides=stride, padding=padding, dilation_rate=dilation), expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))

    separable1d("cl_valid", (2, 8, 3), (3, 3, 2), 4)
    separable1d("cf_same", (2, 3, 7), (3, 3, 1), 2, padding="same", df="channels_first")
    separable1d("stride2_same", (1, 9, 2), (3, 2, 2), 3, stride=2, padding="same", note="tf-keras: strides * 2, the stride on the height-1 axis too")
    separable1d("dilated", (1, 9, 2), (3, 2, 1), 2, dilation=2)
    xs1 = T(T.arr(r, (1, 6, 2), f32))
    err("separable_conv1d", "causal", {"x": xs1, "depthwise_kernel": T(T.arr(r, (2, 2, 1), f32)), "pointwise_kernel": T(T.arr(r, (1, 2, 2), f32))}, {"padding": "causal"},
        note="_preprocess_padding: same or valid only")
    err("separable_conv1d", "pointwise", {"x": xs1, "depthwise_kernel": T(T.arr(r, (2, 2, 2), f32)), "pointwise_kernel": T(T.arr(r, (1, 2, 2), f32))}, {})
    err("separable_conv1d", "strides_and_dilation", {"x": xs1, "depthwise_kernel": T(T.arr(r, (2, 2, 1), f32)), "pointwise_kernel": T(T.arr(r, (1, 2, 2), f32))},
        {"strides": 2, "dilation_rate": 2})

    # conv3d_transpose: the input gradient of conv3d over output_shape (kernel (kd, kh, kw, out, in))
    def transpose3d(cid, xs, ks, out, strides=None, padding=None, df=None, dt=f32, note=None, batch_none=False):
        cf = df == "channels_first"
        x, k = T.arr(r, xs, dt), T.arr(r, ks, dt)
        s, pad = tuple(strides or (1, 1, 1)), padding or "valid"
        _, want, _ = conv3d_refs(np, np.zeros(out), k, x, s, pad, cf, (1, 1, 1))
        cross.conv3d_transpose(x, k, out, s, pad, cf, want, 1e-9)
        args = opt(fmt(df), output_shape=[None] + list(out[1:]) if batch_none else list(out), strides=strides, padding=padding)
        rt, at = tol_for(dt, ks[0] * ks[1] * ks[2] * ks[4], 9)
        cases.append(T.case(f"conv3d_transpose/{cid}", "conv3d_transpose", {"x": T(x), "kernel": T(k)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))

    transpose3d("cl_same", (1, 3, 4, 3, 3), (3, 3, 3, 2, 3), (1, 3, 4, 3, 2), padding="same", df="channels_last")
    transpose3d("cf_same_stride2", (1, 3, 2, 3, 3), (3, 2, 3, 2, 3), (1, 2, 4, 3, 5), strides=(2, 1, 2), padding="same", df="channels_first")
    transpose3d("valid_stride2", (1, 2, 3, 2, 2), (2, 3, 2, 1, 2), (1, 5, 7, 5, 1), strides=(2, 2, 2), padding="valid", note="5 = (2 - 1) * 2 + 2 + 1: the last cell only gets zeros")
    transpose3d("batch_none_f64", (2, 2, 2, 2, 2), (2, 2, 2, 3, 2), (2, 3, 3, 3, 3), dt="float64", batch_none=True, note="output_shape[0] None: x's batch")
    x5t, k5t = T(T.arr(r, (1, 3, 3, 3, 2), f32)), T(T.arr(r, (2, 2, 2, 1, 2), f32))
    err("conv3d_transpose", "inconsistent_output_shape", {"x": x5t, "kernel": k5t}, {"output_shape": [1, 9, 4, 4, 1]})
    err("conv3d_transpose", "output_channels", {"x": x5t, "kernel": k5t}, {"output_shape": [1, 4, 4, 4, 2]})
    err("conv3d_transpose", "output_shape_rank", {"x": x5t, "kernel": k5t}, {"output_shape": [1, 4, 4, 1]})
    err("conv3d_transpose", "data_format", {"x": x5t, "kernel": k5t}, {"output_shape": [1, 4, 4, 4, 1], "data_format": "ncdhw"})
    err("conv3d_transpose", "padding", {"x": x5t, "kernel": k5t}, {"output_shape": [1, 4, 4, 4, 1], "padding": "full"})

    # local_conv1d / local_conv2d (tf-keras local_conv: per-position kernels, features in the input's own layout)
    def local(op, cid, xs, ksize, strides, out_shape, filters, df=None, dt=f32, note=None):
        cf = df == "channels_first"
        x = T.arr(r, xs, dt)
        c = xs[1] if cf else xs[-1]
        k = T.arr(r, (int(np.prod(out_shape)), int(np.prod(ksize)) * c, filters), dt)
        want = local_conv_ref(np, x, k, ksize, strides, out_shape, cf)
        cross.local_conv(x, k, ksize, strides, out_shape, cf, want, 1e-9)
        args = dict(fmt(df), kernel_size=list(ksize), strides=list(strides))
        if op == "local_conv2d":
            args["output_shape"] = list(out_shape)
        rt, at = tol_for(dt, int(np.prod(ksize)) * c, 9)
        cases.append(T.case(f"{op}/{cid}", op, {"inputs": T(x), "kernel": T(k)}, args, expect=T(want.astype(dt)), rtol=rt, atol=at, note=note))

    local("local_conv1d", "cl", (2, 7, 3), (3,), (1,), (5,), 4, note="tf-keras backend_test shape pattern")
    local("local_conv1d", "cf_stride2", (2, 3, 9), (3,), (2,), (4,), 2, df="channels_first", note="features (channel, step)")
    local("local_conv1d", "short_output", (1, 8, 2), (2,), (2,), (3,), 2, note="output_length 3 < 4 windows: the first 3 positions, as tf-keras' loop")
    local("local_conv2d", "cl", (2, 5, 6, 3), (3, 3), (1, 1), (3, 4), 2, df="channels_last", note="features (row, col, channel)")
    local("local_conv2d", "cf", (2, 3, 5, 6), (3, 2), (1, 2), (3, 3), 2, df="channels_first", note="features (channel, row, col), torch unfold's order")
    local("local_conv2d", "cf_short", (1, 2, 6, 6), (2, 2), (2, 2), (2, 2), 3, df="channels_first", note="output_shape (2, 2) < (3, 3) windows")
    local("local_conv2d", "f64_default_format", (1, 4, 4, 2), (2, 2), (2, 2), (2, 2), 2, dt="float64")
    xl2 = T(T.arr(r, (1, 5, 5, 2), f32))
    err("local_conv2d", "feature_dim", {"inputs": xl2, "kernel": T(T.arr(r, (9, 9, 2), f32))}, {"kernel_size": [3, 3], "strides": [1, 1], "output_shape": [3, 3]},
        note="feature_dim must be 3 * 3 * 2 = 18")
    err("local_conv2d", "positions", {"inputs": xl2, "kernel": T(T.arr(r, (8, 18, 2), f32))}, {"kernel_size": [3, 3], "strides": [1, 1], "output_shape": [3, 3]})
    err("local_conv2d", "windows_outside", {"inputs": xl2, "kernel": T(T.arr(r, (16, 18, 2), f32))}, {"kernel_size": [3, 3], "strides": [1, 1], "output_shape": [4, 4]})
    err("local_conv2d", "data_format", {"inputs": xl2, "kernel": T(T.arr(r, (9, 18, 2), f32))}, {"kernel_size": [3, 3], "strides": [1, 1], "output_shape": [3, 3], "data_format": "x"})
    err("local_conv1d", "windows_outside", {"inputs": T(T.arr(r, (1, 5, 2), f32)), "kernel": T(T.arr(r, (4, 6, 2), f32))}, {"kernel_size": [3], "strides": [1]})
    err("local_conv1d", "kernel_size_len", {"inputs": T(T.arr(r, (1, 5, 2), f32)), "kernel": T(T.arr(r, (3, 6, 2), f32))}, {"kernel_size": [3, 1], "strides": [1]})

    # resize_images (tf.image.resize, half-pixel centers) and its gradient
    def resize(cid, xs, fh, fw, df, method=None, dt=f32, note=None):
        cf = df == "channels_first"
        x = T.arr(r, xs, dt)
        m = method or "nearest"
        want, _ = resize_refs(np, x, fh, fw, cf, m, None)
        out_dt = dt if m == "nearest" else "float32"
        gdt = out_dt if out_dt in ("float16", "float32", "float64") else "float32"
        grad = T.arr(r, want.shape, gdt)
        _, dx = resize_refs(np, x, fh, fw, cf, m, grad)
        if dt in ("float32", "float64"):
            cross.resize(x, fh, fw, cf, m, want, grad, dx, 1e-9)
        args = {"height_factor": fh, "width_factor": fw, "data_format": df}
        if method is not None:
            args["interpolation"] = method
        cases.append(T.case(f"resize_images/{cid}", "resize_images", {"x": T(x)}, args, expect=T(want.astype(out_dt)), note=note))
        rt, at = tol_for(gdt, fh * fw, 3)
        cases.append(T.case(f"resize_images_backprop/{cid}", "resize_images_backprop", {"x": T(x), "grad": T(grad)}, args, expect=T(dx.astype(gdt)), rtol=rt, atol=at))

    resize("nearest_cl", (1, 2, 2, 3), 2, 2, "channels_last", note="tf-keras backend_test: (1, 2, 2, 3) -> (1, 4, 4, 3)")
    resize("nearest_cf", (1, 3, 2, 2), 2, 2, "channels_first", note="tf-keras backend_test: (1, 3, 2, 2) -> (1, 3, 4, 4)")
    resize("nearest_3x2", (2, 3, 4, 2), 3, 2, "channels_last", "nearest")
    resize("nearest_int32", (1, 2, 3, 2), 2, 3, "channels_last", dt="int32", note="nearest keeps x's dtype")
    resize("bilinear_cl", (2, 3, 4, 2), 2, 2, "channels_last", "bilinear", note="half-pixel centers: the borders repeat the edge cells")
    resize("bilinear_cf_3x1", (1, 2, 3, 3), 3, 1, "channels_first", "bilinear")
    resize("bilinear_f64_to_f32", (1, 2, 2, 1), 2, 4, "channels_last", "bilinear", dt="float64", note="TensorFlow's ResizeBilinear outputs float32")
    resize("bilinear_f16", (1, 3, 2, 2), 2, 2, "channels_last", "bilinear", dt="float16")
    xr = T(T.arr(r, (1, 2, 2, 3), f32))
    err("resize_images", "data_format", {"x": xr}, {"height_factor": 2, "width_factor": 2, "data_format": "channels_middle"}, note="Invalid `data_format` argument")
    err("resize_images", "data_format_none", {"x": xr}, {"height_factor": 2, "width_factor": 2, "data_format": None}, note="tf-keras gives data_format no default: None is invalid")
    err("resize_images", "interpolation", {"x": xr}, {"height_factor": 2, "width_factor": 2, "data_format": "channels_last", "interpolation": "linear"},
        note="`interpolation` argument should be one of: ...")
    err("resize_images", "bicubic_not_implemented", {"x": xr}, {"height_factor": 2, "width_factor": 2, "data_format": "channels_last", "interpolation": "bicubic"})
    err("resize_images", "factor", {"x": xr}, {"height_factor": 0, "width_factor": 2, "data_format": "channels_last"})
    err("resize_images", "rank", {"x": T(T.arr(r, (2, 2, 3), f32))}, {"height_factor": 2, "width_factor": 2, "data_format": "channels_last"})
    err("resize_images_backprop", "grad_shape", {"x": xr, "grad": T(T.arr(r, (1, 4, 3, 3), f32))}, {"height_factor": 2, "width_factor": 2, "data_format": "channels_last"})

    # resize_volumes: repeat_elements along the three spatial axes
    def volumes(cid, xs, factors, df, dt=f32, note=None):
        cf = df == "channels_first"
        x = T.arr(r, xs, dt)
        want = x
        for i, f in enumerate(factors):
            want = np.repeat(want, f, axis=(2 if cf else 1) + i)
        if dt in ("float32", "float64"):
            cross.resize_volumes(x, factors, cf, want)
        args = {"depth_factor": factors[0], "height_factor": factors[1], "width_factor": factors[2], "data_format": df}
        cases.append(T.case(f"resize_volumes/{cid}", "resize_volumes", {"x": T(x)}, args, expect=T(want), note=note))

    volumes("cl", (1, 2, 2, 2, 3), (2, 2, 2), "channels_last", note="tf-keras backend_test: (1, 2, 2, 2, 3) -> (1, 4, 4, 4, 3)")
    volumes("cf_mixed", (2, 2, 2, 3, 1), (1, 3, 2), "channels_first")
    volumes("int64", (1, 2, 1, 2, 2), (2, 1, 3), "channels_last", dt="int64")
    xv = T(T.arr(r, (1, 2, 2, 2, 1), f32))
    err("resize_volumes", "data_format", {"x": xv}, {"depth_factor": 2, "height_factor": 2, "width_factor": 2, "data_format": "ndhwc"}, note="Invalid data_format")
    err("resize_volumes", "data_format_none", {"x": xv}, {"depth_factor": 2, "height_factor": 2, "width_factor": 2, "data_format": None})
    err("resize_volumes", "rank", {"x": xr}, {"depth_factor": 2, "height_factor": 2, "width_factor": 2, "data_format": "channels_last"})
    err("resize_volumes", "factor", {"x": xv}, {"depth_factor": 2, "height_factor": -1, "width_factor": 2, "data_format": "channels_last"})
