"""Recomputes the polynomial coefficients of csrc/kernels/f32_vmath/f32_vmath_poly.h.

Weighted least squares on Chebyshev nodes, reweighted towards the largest
errors (Lawson's iteration, which approaches the minimax fit), in float64;
then the float32-rounded coefficients are evaluated as the kernels do
(Horner with fused multiply-adds, in float32) and their max error printed.

    python tools/fit_f32_vmath.py
"""
from __future__ import annotations

import math

import numpy as np

F32 = np.float32


def fit(fn, lo, hi, degree, var=lambda z: z, relative=True, nodes=4000, rounds=60):
    """Coefficients (highest power first) of a polynomial in var(z) fitting fn on [lo, hi]."""
    z = np.cos(np.pi * (np.arange(nodes) + 0.5) / nodes) * (hi - lo) / 2 + (hi + lo) / 2
    y, a = fn(z), np.vander(var(z), degree + 1)
    w = 1 / np.abs(y) if relative else np.ones_like(y)
    lawson = np.ones_like(y)
    for _ in range(rounds):
        s = w * np.sqrt(lawson)
        c, *_ = np.linalg.lstsq(a * s[:, None], y * s, rcond=None)
        lawson *= np.abs(a @ c - y) * w
        lawson /= lawson.sum()
    return [F32(v) for v in c]


def horner_f32(coeffs, x):
    """Float32 Horner, each step one fused multiply-add (one rounding)."""
    acc = np.full_like(x, coeffs[0])
    for c in coeffs[1:]:
        acc = (acc.astype(np.float64) * x + np.float64(c)).astype(F32)
    return acc


def main():
    erf, erfc = np.vectorize(math.erf), np.vectorize(math.erfc)
    half_ln2 = math.log(2) / 2
    # exp(r) = 1 + r + r^2 q(r), |r| <= ln(2) / 2.
    q = fit(lambda r: (np.expm1(r) - r) / (r * r), -half_ln2, half_ln2, 4)
    r = np.linspace(-half_ln2, half_ln2, 200001).astype(F32)
    p = ((horner_f32(q, r).astype(np.float64) * (r.astype(np.float64) * r).astype(F32) + r)
         .astype(F32).astype(np.float64) + 1).astype(F32)
    print("kExpQ", q, "max rel err", np.max(np.abs(p / np.exp(r.astype(np.float64)) - 1)))
    # erf(z) = z P(z^2), 0 <= z < 1.
    ep = fit(lambda z: erf(z) / z, 1e-6, 1, 6, var=lambda z: z * z)
    z = np.linspace(1e-6, 1, 100001).astype(F32)
    got = (horner_f32(ep, (z.astype(np.float64) ** 2).astype(F32)).astype(np.float64) * z).astype(F32)
    print("kErfP", ep, "max abs err", np.max(np.abs(got - erf(z.astype(np.float64)))))
    # erfc(z) = exp(-z^2) G(1 / z), 1 <= z <= 4.5.
    g = fit(lambda z: erfc(z) * np.exp(z * z), 1, 4.5, 8, var=lambda z: 1 / z)
    z = np.linspace(1, 4.5, 100001)
    got = horner_f32(g, (1 / z).astype(F32)).astype(np.float64)
    print("kErfcG", g, "max rel err", np.max(np.abs(got / (erfc(z) * np.exp(z * z)) - 1)))
    # tanh(x) = x + x^3 P(x^2), |x| < 0.625: x + (P(u) * u) * x with one fused multiply-add.
    tp = fit(lambda z: (np.tanh(z) - z) / z**3, 1e-3, 0.625, 5, var=lambda z: z * z, relative=False)
    x = np.linspace(1e-6, 0.625, 200001).astype(F32)
    u = (x.astype(np.float64) ** 2).astype(F32)
    t = (horner_f32(tp, u).astype(np.float64) * u).astype(F32)
    got = (t.astype(np.float64) * x + x).astype(F32).astype(np.float64)
    exact = np.tanh(x.astype(np.float64))
    ulp = np.abs(got - exact) / np.spacing(exact.astype(F32)).astype(np.float64)
    print("kTanhP", tp, "max err (ulp)", np.max(ulp))


if __name__ == "__main__":
    main()
