"""Coefficients of ErfKernel (engine-java/src/main/java/dev/kindling/backend/cpu/ErfKernel.java).

Near-minimax polynomial fits (Lawson's reweighted least squares on Chebyshev nodes) of
  erf(x) / x             in z = x^2 on [0, 1], degree 9, and
  erfc(t) * exp(t^2)     in s = (t - 2.5) / 1.5 on [1, 4], degree 15 (erf = 1 - exp(-t^2) * that),
weighted by the error each makes in erf. Prints the Java constants and the largest relative error of the double
formula over every third float in each range, in double ulps; the Java tests check the float results bit for bit
against fdlibm's erf (FloatsAsDoublesTest, all 2^32 patterns with -Dkindling.exhaustive=true).

Run: /usr/bin/python3 engine-java/src/test/python/fit_erf.py   (Debian python3-torch for a double erf)
"""
import numpy as np
import torch
from numpy.polynomial import chebyshev as C, polynomial as P

DEG_NEAR, DEG_TAIL, A, B = 9, 15, 1.0, 4.0


def erf(x): return torch.erf(torch.tensor(x, dtype=torch.float64)).numpy()
def erfc(x): return torch.erfc(torch.tensor(x, dtype=torch.float64)).numpy()


def compose(p, lin):
    """p(lin) as a polynomial, lin a linear one."""
    r = np.array([0.0])
    for c in p[::-1]:
        r = P.polyadd(P.polymul(r, lin), [c])
    return r


def minimax(s, y, scale, deg, iterations=30):
    """Chebyshev coefficients minimising max |fit - y| / scale (Lawson's algorithm)."""
    w = np.ones_like(s)
    for _ in range(iterations):
        c = C.chebfit(s, y, deg, w=np.sqrt(w) / scale)
        e = np.abs(C.chebval(s, c) - y) / scale
        w = w * e
        w /= w.sum()
    return c


def horner(p, x):
    r = np.full_like(x, p[-1])
    for c in p[-2::-1]:
        r = r * x + c
    return r


def floats(lo, hi, step):
    b = np.arange(np.float32(lo).view(np.int32), np.float32(hi).view(np.int32), step, dtype=np.int32)
    return b.view(np.float32).astype(np.float64)


n = 3000
s = np.cos(np.pi * (np.arange(n) + 0.5) / n)
# near: erf(x) / x in z = x^2, s = 2 z / A^2 - 1; its relative error is erf's
z = (s + 1) / 2 * A * A
x = np.sqrt(z)
y = np.where(x > 0, erf(x) / np.maximum(x, 1e-300), 2 / np.sqrt(np.pi))
near = compose(C.cheb2poly(minimax(s, y, y, DEG_NEAR)), np.array([-1.0, 2 / (A * A)]))
# tail: g = erfc(t) exp(t^2) in s = (t - 2.5) / 1.5; an error d in g is exp(-t^2) d in erf
t = (A + B) / 2 + (B - A) / 2 * s
tail = C.cheb2poly(minimax(s, erfc(t) * np.exp(t * t), erf(t) * np.exp(t * t), DEG_TAIL))


def kernel(v):
    a = np.abs(v)
    tt = np.clip(a, A, B)
    g = 1 - np.exp(-tt * tt) * horner(tail, (tt - (A + B) / 2) * (2 / (B - A)))
    return np.where(a < A, a * horner(near, a * a), g)


for lo, hi in ((2.0 ** -30, 2.0 ** -10), (2.0 ** -10, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, 4.0)):
    v = floats(lo, hi, 3)
    ref = erf(v)
    print(f"// [{lo:g}, {hi:g}): within {(np.abs(kernel(v) - ref) / ref).max() / 2.0 ** -52:.0f} double ulps")
for name, coefficients in (("A", near), ("B", tail)):
    print(", ".join(f"{name}{i} = {float.hex(float(c))}" for i, c in enumerate(coefficients)))
