"""Why FLINT is the default backend: the exact stationary solve with each backend, same run.

Run: ``python benchmarks/bench_linalg.py`` (not part of the test suite).  Prints, per
instance, the median time of the stationary solve (kernel build excluded) for FLINT's
``fmpq_mat`` and sympy's ``DomainMatrix`` over QQ, and their ratio.  Both answers are
compared for exact equality.
"""

from __future__ import annotations

import statistics
import sys
import time
from fractions import Fraction as F

from reference import Instance, build_chain

CASES = [((F(1, 4), F(3, 4)), 20), ((F(1, 4), F(3, 4)), 50), ((F(1, 2), F(1, 3), F(1, 6)), 10),
         ((F(1, 2), F(1, 3), F(1, 6)), 15), ((F(1, 10), F(2, 10), F(3, 10), F(4, 10)), 6)]


def timed(chain_rows, labels, backend, repeats):
    from reference import FiniteChain

    times, answer = [], None
    for _ in range(repeats):
        chain = FiniteChain(chain_rows, labels=labels, backend=backend)
        t0 = time.perf_counter()
        answer = chain.stationary_distributions
        times.append(time.perf_counter() - t0)
    return statistics.median(times), answer


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"{'instance':<34} {'states':>6} {'flint s':>9} {'sympy s':>9} {'sympy/flint':>11}")
    for target, n in CASES:
        chain = build_chain(Instance(target=target, samples=n, lam=F(1, 3)))
        tf, af = timed(chain.matrix, chain.labels, "flint", repeats)
        ts, as_ = timed(chain.matrix, chain.labels, "sympy", repeats)
        assert af == as_, "backends disagree"
        name = f"d={len(target)} N={n} lam=1/3"
        print(f"{name:<34} {chain.n_states:>6} {tf:>9.4f} {ts:>9.4f} {ts / tf:>10.1f}x")


if __name__ == "__main__":
    main()
