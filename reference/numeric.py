"""The float64 path: the stationary law for d = 2 and large N, accurate in its tails.

This is a *float* path, separate from the exact core: use it beyond the exact path's
reach (d = 2, N in the thousands), and read its checks.  Every result carries

* ``max_relative_residual``: ``max_j |(pi P)_j - pi_j| / pi_j`` over *every* state,
  evaluated in the scaled space below, so the tails are checked, not just the bulk;
* ``exact_comparison``: where the exact law is affordable (N <= ``EXACT_COMPARISON_MAX``)
  the largest relative error of each ``pi_j`` against the exact rational.

Why the obvious float methods fail.  The tails are tiny (``pi(0) ~ 10^-378`` at N =
10,000, lam = 1/3, mu* = (1/4, 3/4)), below float64's range: any method working with
``pi`` itself underflows (GTH returns NaN there), and a dense solve loses the tails to
absolute rounding (relative errors of 10^68 at N = 400).

The method.  Work with ``psi = pi / pi_ref`` for a reference ``pi_ref`` close to ``pi`` in
the log scale.  Then ``pi P = pi`` reads ``psi S = psi`` with

    S[k, j] = pi_ref(k) P(k, j) / pi_ref(j) = exp(l_ref(k) + log P(k, j) - l_ref(j)),

a similarity transform of ``P`` (no approximation).  When ``l_ref = log pi`` it is the
time reversal of the chain, a stochastic matrix: every significant entry and every
``psi_j`` are of order one, so ordinary floats and a Krylov solve (GMRES, on ``psi S =
psi`` with ``psi`` fixed to 1 at the mode) keep *relative* accuracy in every component.
``l_ref`` comes from the same computation at ``N / 8`` (or the exact law for small N):
``log pi_N(xN) ~ (N / N') log pi_N'(xN')`` (a large-deviation scaling), interpolated;
its error of tens of nats only rescales entries within float range, and a second pass
with ``l_ref`` from the first removes it.  ``log P(k, j) = log C(N, j) + j log q_k +
(N - j) log(1 - q_k)`` with ``q_k`` and ``1 - q_k`` rounded from exact rationals; this
rounding (``~N`` ulps of a logarithm per entry) sets the accuracy, which therefore
degrades slowly with N.  Measured against the exact law (``benchmarks/bench_numeric.py``,
lam = 1/3, mu* = (1/4, 3/4)): largest relative error over all states 2e-11 at N = 200,
1e-10 at N = 400, 4e-10 at N = 800 (tails down to 1e-288).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import CheckFailed, InputError
from .model import EmpiricalLaw, IIDMixing, Instance

EXACT_COMPARISON_MAX = 200
_EXACT_BELOW = 120  # the recursion bottoms out in the exact law
_SHRINK = 8


@dataclass(frozen=True)
class NumericLaw:
    """``log_pi[k]``: natural log of the stationary probability of the type with ``k``
    samples of type 0 (state index ``N - k`` in the canonical order), and its checks."""

    instance: Instance
    log_pi: np.ndarray
    max_relative_residual: float
    levels: tuple[int, ...]  # the N of each pass, coarsest first
    exact_max_relative_error: float | None = None

    def to_json(self) -> dict[str, Any]:
        n = self.instance.samples
        states = [[n - i, i] for i in range(n + 1)]
        by_state = [float(self.log_pi[n - i]) for i in range(n + 1)]
        return {
            "format": "collapse-reference/numeric/1",
            "instance": self.instance.describe(),
            "states": states,
            "log_pi": by_state,
            "log10_pi": [x / math.log(10) for x in by_state],
            "checks": {
                "max_relative_residual": self.max_relative_residual,
                "exact_max_relative_error": self.exact_max_relative_error,
                "passes": list(self.levels),
            },
            "note": "float64 path (reference.numeric): log pi per state; checked by the residual of pi P = pi "
                    "in every state and, for N <= %d, against the exact law" % EXACT_COMPARISON_MAX,
        }


def float_stationary(instance: Instance, compare_exact: bool = True,
                     progress: Callable[[int, int], None] | None = None) -> NumericLaw:
    """The stationary law of the paper's chain, d = 2, lam > 0, as float64 logarithms.

    >>> from fractions import Fraction as F
    >>> law = float_stationary(Instance(target=(F(1, 4), F(3, 4)), samples=4, lam=F(1, 3)))
    >>> [round(math.exp(x) * 256, 9) for x in law.log_pi]   # theory-reference row 1, k = 0..4 counts of type 0
    [105.0, 79.0, 45.0, 21.0, 6.0]
    >>> law.exact_max_relative_error < 1e-12
    True
    """
    if not (isinstance(instance.estimator, EmpiricalLaw) and isinstance(instance.mixing, IIDMixing)):
        raise InputError("the float path solves the paper's model (empirical estimator, iid mixing) only")
    if instance.size != 2:
        raise InputError(f"the float path is for d = 2; this target has d = {instance.size}")
    if instance.lam == 0:
        raise InputError("the float path needs lam > 0 (at lam = 0 the stationary laws are the Dirac types)")
    if instance.target[0] in (0, 1):
        raise InputError("the float path needs 0 < mu*_0 < 1 (otherwise the stationary law is one Dirac type)")
    log_pi, levels, residual = _solve(instance, progress)
    error = None
    if compare_exact and instance.samples <= EXACT_COMPARISON_MAX:
        exact = _exact_log_law(instance)
        error = float(np.max(np.abs(np.expm1(log_pi - exact))))
    return NumericLaw(instance, log_pi, residual, levels, error)


def estimate_numeric(samples: int):  # -> reference.sizeguard.Estimate
    """Time and memory of :func:`float_stationary`: an ``(N+1)^2`` float64 matrix (built
    three times, ~90 ns per entry and pass; measured 9 s at N = 10,000) plus temporaries."""
    from .sizeguard import Estimate

    n1 = samples + 1
    return Estimate(states=n1, entry_bits=64, seconds=9e-8 * n1 * n1 + 0.5, bytes=10.0 * n1 * n1 + 150e6)


def _exact_log_law(instance: Instance) -> np.ndarray:
    """``log pi(k)`` from the exact law (k = count of type 0), via logs of the big integers."""
    from .moments import exact_stationary_law

    law = exact_stationary_law(list(instance.target), instance.samples, instance.lam)
    n = instance.samples
    out = np.empty(n + 1)
    for i, p in enumerate(law):  # state i is the type (n - i, i)
        out[n - i] = math.log(p.numerator) - math.log(p.denominator)
    return out


def _log_kernel_parts(instance: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(log C(N, j), log q_k, log(1 - q_k))`` with q_k rounded once from exact rationals."""
    n, lam, mu = instance.samples, instance.lam, instance.target[0]
    q = [lam * mu + (1 - lam) * Fraction(k, n) for k in range(n + 1)]
    log_q = np.array([math.log(x) for x in q])  # math.log(Fraction): correctly rounded float first
    log_1q = np.array([math.log(1 - x) if x < 1 else -np.inf for x in q])
    log_c = np.array([math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) for j in range(n + 1)])
    return log_c, log_q, log_1q


def _solve(instance: Instance, progress: Callable[[int, int], None] | None = None
           ) -> tuple[np.ndarray, tuple[int, ...], float]:
    n = instance.samples
    if n <= _EXACT_BELOW:
        return _exact_log_law(instance), (n,), 0.0
    coarse_n = max(n // _SHRINK, _EXACT_BELOW // 2)
    coarse = Instance(target=instance.target, samples=coarse_n, lam=instance.lam)
    coarse_log, levels, _ = _solve(coarse)
    x = np.arange(n + 1) / n
    ref = np.interp(x, np.arange(coarse_n + 1) / coarse_n, coarse_log) * (n / coarse_n)
    parts = _log_kernel_parts(instance)
    for step, (final, rtol) in enumerate(((False, 1e-6), (False, 1e-10), (True, 1e-14))):  # each rescales by the last
        psi, residual = _scaled_solve(parts, ref, rtol, final)
        ref = ref + np.log(psi)
        if progress is not None:
            progress(step + 1, 3)
    if residual > 1e-9:
        raise CheckFailed(f"the float path did not converge (relative residual {residual:.1e}); "
                          "use the exact path for this size")
    ref -= _logsumexp(ref)
    return ref, (*levels, n), residual


def _scaled_solve(parts: tuple[np.ndarray, np.ndarray, np.ndarray], ref: np.ndarray,
                  rtol: float, final: bool) -> tuple[np.ndarray, float]:
    """Solve ``psi S = psi`` (``S`` the similarity-scaled kernel) with ``psi`` = 1 at the mode."""
    from scipy.sparse.linalg import LinearOperator, gmres

    log_c, log_q, log_1q = parts
    n1 = len(ref)
    n = n1 - 1
    st = np.empty((n1, n1))  # st[j, k] = S[k, j], built by blocks of j, in place
    for lo in range(0, n1, 256):
        jb = np.arange(lo, min(lo + 256, n1), dtype=float)
        block = st[lo:lo + len(jb)]
        np.multiply.outer(jb, log_q, out=block)
        block += np.multiply.outer(n - jb, log_1q)
        block += ref[None, :]
        block += (log_c[lo:lo + len(jb)] - ref[lo:lo + len(jb)])[:, None]
        np.minimum(block, 700.0, out=block)
        np.exp(block, out=block)
    m = int(np.argmax(ref))
    keep = np.array([i for i in range(n1) if i != m])

    def apply(v: np.ndarray) -> np.ndarray:
        full = np.zeros(n1)
        full[keep] = v
        return (st @ full - full)[keep]

    op = LinearOperator((n1 - 1, n1 - 1), matvec=apply, dtype=float)
    rhs = -st[keep, m]
    sol, info = gmres(op, rhs, x0=np.ones(n1 - 1), rtol=rtol, atol=0.0, restart=100, maxiter=5)
    psi = np.ones(n1)
    psi[keep] = sol
    if not final:  # an intermediate pass only refines the scaling: keep it positive and finite
        return np.clip(np.nan_to_num(np.abs(psi), nan=1.0, posinf=1e300), 1e-300, 1e300), math.inf
    if not (np.all(np.isfinite(psi)) and np.all(psi > 0)):
        raise CheckFailed(f"the float path failed (GMRES info {info}: a non-positive or non-finite component); "
                          "use the exact path for this size")
    image = st @ psi
    residual = float(np.max(np.abs(image - psi) / psi))
    for _ in range(30):  # polish: power steps contract every component's relative error
        if residual < 1e-12:
            break
        psi = image / image[m]
        image = st @ psi
        residual = float(np.max(np.abs(image - psi) / psi))
    return psi, residual


def _logsumexp(v: np.ndarray) -> float:
    top = float(np.max(v))
    return top + math.log(float(np.sum(np.exp(v - top))))
