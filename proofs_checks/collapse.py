"""Theorem IV.3 — total collapse: without fresh data, ``mu_n -> delta_X`` a.s.

Statement (reconstructed, theory-reference §3): ``mu_n -> delta_X`` *a.s., where* ``X`` *is an
S-valued random variable* ("stochastic localization"); with the empirical-measure model
the limit is reached in finite time.

Finite meaning, checked exactly (theory-reference §4.3-4.5):

1. the recurrent classes are exactly the ``d`` Dirac types ``{N e_x}``;
2. ``P(absorbed at delta_x | mu_0 = k/N) = k_x / N`` (the martingale of Lemma IV.1);
3. the expected absorption time ``E[T | k]`` is finite (an exact rational) at every state;
4. the tail is geometric between the two-sided bound (``N >= 2``, ``d >= 2``)
   ``(1-1/N)^n GS(mu_0) d/(d-1) <= P(T > n) <= (1-1/N)^n GS(mu_0) N^2/(2(N-1))``,
   checked from every start for ``n = 0..tail_generations`` with one integer recursion
   ``tau_n = Q tau_{n-1}``.
"""

from __future__ import annotations

from fractions import Fraction

from reference.rationals import format_rational

from .analysis import Analysis
from .certificate import Certificate, Condition
from .hypotheses import conditional_barycenter, iid_mixing, lam_zero

STATEMENT = "Theorem IV.3"
TITLE = "lam = 0: collapse onto a random Dirac delta_X, P(X = x | k) = k_x/N, finite time, geometric tail"


def tail_probabilities(an: Analysis, generations: int) -> list[list[Fraction]]:
    """``P(T > n | X_0 = i)`` for ``n = 0..generations`` and every state ``i``."""
    a, m = an.chain.integer_kernel
    transient = set(an.chain.transient_states)
    tau = [1 if i in transient else 0 for i in range(an.chain.n_states)]
    out = [[Fraction(t) for t in tau]]
    for n in range(1, generations + 1):
        tau = [sum(a[i][j] * tau[j] for j in an.chain.successors[i] if j in transient) if i in transient else 0
               for i in range(len(a))]
        out.append([Fraction(t, m**n) for t in tau])
    return out


def check(an: Analysis, tail_generations: int = 12) -> Certificate:
    inst = an.instance
    n, d = inst.samples, inst.size
    chain = an.chain
    space = inst.space
    diracs = {space.dirac(x): x for x in range(d)}
    problems: list[str] = []
    rec_states = [an.states[c[0]] for c in chain.recurrent_classes]
    part1 = all(len(c) == 1 for c in chain.recurrent_classes) and sorted(rec_states) == sorted(diracs)
    if not part1:
        sizes = ", ".join(str(len(c)) for c in chain.recurrent_classes)
        problems.append(f"{len(chain.recurrent_classes)} recurrent class(es) of sizes {sizes} "
                        f"(absorbing: {[an.states[i] for i in chain.absorbing_states]}), not the {d} Dirac types")
    # 2. P(delta_x | k) = k_x / N
    part2 = True
    if part1:
        x_of_class = [diracs[s] for s in rec_states]
        for i, h in enumerate(chain.absorption_probabilities):
            expected = [Fraction(an.states[i][x], n) for x in x_of_class]
            if list(h) != expected:
                part2 = False
                problems.append(f"from {an.states[i]}: P(absorbed at delta_x) = {[format_rational(v) for v in h]}, "
                                f"not k_x/N = {[format_rational(v) for v in expected]}")
                break
    else:
        part2 = False
    # 3. finite expected time (a rational at every state; 0 on the Dirac types)
    times = chain.expected_absorption_times
    part3 = all(isinstance(t, Fraction) and t >= 0 for t in times)
    # 4. geometric tail between the bounds
    part4 = part1  # the tail bound is about absorption at the Dirac types
    tail = tail_probabilities(an, tail_generations)
    if part1 and n >= 2 and d >= 2:
        for i, law in enumerate(an.state_laws):
            gs0 = 1 - sum(v * v for v in law)
            for g in range(tail_generations + 1):
                base = (1 - Fraction(1, n)) ** g * gs0
                low, high = base * Fraction(d, d - 1), base * Fraction(n * n, 2 * (n - 1))
                if not low <= tail[g][i] <= high:
                    part4 = False
                    problems.append(f"from {an.states[i]} at n = {g}: P(T > n) = {format_rational(tail[g][i])} "
                                    f"outside [{format_rational(low)}, {format_rational(high)}]")
                    break
            if not part4:
                break
    holds = part1 and part2 and part3 and part4
    worst = max(range(chain.n_states), key=lambda i: times[i])
    detail = "; ".join(problems) if problems else (
        f"{d} Dirac types absorb; P(delta_x | k) = k_x/N at all {chain.n_states} states; "
        f"max E[T] = {format_rational(times[worst])} at {an.states[worst]}; tail within bounds for n <= {tail_generations}")
    conclusion = Condition(
        "recurrent classes = the Dirac types; P(delta_x | k) = k_x/N; E[T] finite; (1-1/N)^n-geometric tail within bounds",
        holds,
        {"dirac_types_absorbing": part1, "absorption_is_k_over_N": part2, "finite_expected_time": part3,
         "tail_within_bounds": part4, "tail_generations": tail_generations,
         "absorption_probabilities": chain.absorption_probabilities, "expected_absorption_time": times,
         "max_expected_time": {"state": an.states[worst], "value": times[worst]}},
        detail,
    )
    return Certificate(STATEMENT, TITLE, inst.describe(),
                       (lam_zero(an), conditional_barycenter(an), iid_mixing(an)), conclusion,
                       notes=("The tail bound uses E GS(mu_n) = (1-1/N)^n GS(mu_0) (Wright 1931), GS <= 1 - 1/d and the "
                              "smallest non-zero GS on the grid, 2(N-1)/N^2.",))
