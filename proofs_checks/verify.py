"""An independent re-verifier for certificates (``collapse-ref verify certs.json``).

It reads the JSON of ``collapse-ref check --json``, rebuilds the kernel from the instance
with its own short code (brute-force type enumeration with ``itertools.product`` and the
textbook multinomial in ``Fraction``; no engine kernel, no solver, no linear-algebra
backend), and re-checks the exact evidence directly on it:

* Theorem III.3 and the degeneration inequality: each stationary law ``pi`` in the
  evidence satisfies ``pi P = pi``, ``sum pi = 1``, ``pi >= 0``; its barycenter is the
  one claimed; the conclusion's truth value is recomputed (barycenter = mu*, and for the
  degeneration the covariance against ``(diag mu* - mu* mu*^T)/D``);
* Theorem IV.3: the absorption probabilities ``h`` and times ``t`` satisfy
  ``h = P h``, ``t = 1 + P t`` off the absorbing states and the boundary values on them
  (which determines them uniquely), and ``h(k, x) = k_x/N`` is recomputed;
* Lemma III.1 and Lemma IV.1: the conditional expectations are recomputed from the own
  kernel and the claimed truth value compared;
* every certificate: the verdict agrees with its hypotheses and conclusion.

Small instances only (it is deliberately simple and slow).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from math import factorial, prod
from typing import Any

from reference.rationals import parse_rational

from .certificate import NOT_APPLICABLE, REFUTED, VERIFIED

MAX_STATES = 2000


def _types(n: int, d: int) -> list[tuple[int, ...]]:
    return sorted((k for k in product(range(n + 1), repeat=d) if sum(k) == n), reverse=True)


def _fitted_law(estimator: str, k: tuple[int, ...], n: int) -> tuple[Fraction, ...]:
    if estimator == "empirical":
        return tuple(Fraction(c, n) for c in k)
    if estimator.startswith("additive:"):
        alpha = parse_rational(estimator.split(":", 1)[1])
        return tuple((c + alpha) / (n + len(k) * alpha) for c in k)
    raise ValueError(f"the verifier does not know estimator {estimator!r}")


class Model:
    """The instance's kernel, rebuilt independently of the engine."""

    def __init__(self, instance: dict[str, Any]) -> None:
        self.target = [parse_rational(t) for t in instance["target"]]
        self.n = int(instance["samples"])
        self.lam = parse_rational(instance["lam"])
        self.estimator = instance.get("estimator", "empirical")
        if instance.get("mixing", "iid") != "iid":
            raise ValueError("the verifier knows the i.i.d. mixing only")
        d = len(self.target)
        self.states = _types(self.n, d)
        if len(self.states) > MAX_STATES:
            raise ValueError(f"{len(self.states)} states is beyond the verifier's {MAX_STATES}")
        self.laws = [_fitted_law(self.estimator, k, self.n) for k in self.states]
        self.kernel = []
        for mu in self.laws:
            q = [self.lam * t + (1 - self.lam) * m for t, m in zip(self.target, mu)]
            self.kernel.append([Fraction(factorial(self.n), prod(factorial(c) for c in k))
                                * prod((qx**c for qx, c in zip(q, k)), start=Fraction(1)) for k in self.states])

    def left(self, pi: list[Fraction]) -> list[Fraction]:
        return [sum((pi[i] * self.kernel[i][j] for i in range(len(pi)) if pi[i]), Fraction(0)) for j in range(len(pi))]

    def right(self, v: list[Fraction]) -> list[Fraction]:
        return [sum((p * x for p, x in zip(row, v) if p), Fraction(0)) for row in self.kernel]

    def barycenter(self, pi: list[Fraction]) -> tuple[Fraction, ...]:
        d = len(self.target)
        return tuple(sum((p * mu[x] for p, mu in zip(pi, self.laws) if p), Fraction(0)) for x in range(d))

    def conditional_mean(self) -> list[tuple[Fraction, ...]]:
        d = len(self.target)
        return [tuple(sum((p * mu[x] for p, mu in zip(row, self.laws) if p), Fraction(0)) for x in range(d))
                for row in self.kernel]


def _rats(values: list[str]) -> list[Fraction]:
    return [parse_rational(v) for v in values]


def _expected_verdict(cert: dict[str, Any]) -> str:
    if not all(h["holds"] for h in cert["hypotheses"]):
        return NOT_APPLICABLE
    return VERIFIED if cert["conclusion"]["holds"] else REFUTED


def verify_certificate(model: Model, cert: dict[str, Any]) -> list[str]:
    """Problems found re-checking one certificate (empty: re-verified)."""
    problems: list[str] = []
    st = cert["statement"]
    if cert["verdict"] != _expected_verdict(cert):
        problems.append(f"verdict {cert['verdict']} does not follow from its hypotheses and conclusion")
    ev = cert["conclusion"]["evidence"]
    claimed = cert["conclusion"]["holds"]
    for h in cert["hypotheses"]:
        if h["text"].startswith("fresh fraction lam > 0") and h["holds"] != (model.lam > 0):
            problems.append("hypothesis lam > 0 misreported")
        if h["text"].startswith("no fresh data") and h["holds"] != (model.lam == 0):
            problems.append("hypothesis lam = 0 misreported")
    if st in ("Theorem III.3", "Degeneration (Section III)"):
        truth = True
        for c, pi_text in enumerate(ev["stationary"]):
            pi = _rats(pi_text)
            if sum(pi) != 1 or min(pi) < 0:
                problems.append(f"stationary law {c} is not a probability law")
            if model.left(pi) != pi:
                problems.append(f"stationary law {c} is not stationary for the rebuilt kernel (pi P != pi)")
            bary = model.barycenter(pi)
            truth &= list(bary) == model.target
            if st == "Theorem III.3" and _rats(ev["barycenters"][c]) != list(bary):
                problems.append(f"barycenter {c} misreported")
            if st == "Degeneration (Section III)":
                d = len(model.target)
                big_d = model.n - (model.n - 1) * (1 - model.lam) ** 2
                for x in range(d):
                    for y in range(d):
                        exy = sum((p * mu[x] * mu[y] for p, mu in zip(pi, model.laws) if p), Fraction(0))
                        closed = ((model.target[x] if x == y else 0) - model.target[x] * model.target[y]) / big_d
                        truth &= exy - model.target[x] * model.target[y] == closed
        if st == "Theorem III.3" and truth != claimed:
            problems.append(f"conclusion claimed {claimed}, re-derived {truth}")
        if st == "Degeneration (Section III)" and claimed and not truth:
            problems.append("conclusion claimed to hold, but the rebuilt check of barycenter/covariance fails")
    elif st == "Theorem IV.3":
        h = [_rats(r) for r in ev["absorption_probabilities"]]
        t = _rats(ev["expected_absorption_time"])
        absorbing = [i for i, row in enumerate(model.kernel) if row[i] == 1]
        for i in range(len(model.states)):
            if i in absorbing:
                if t[i] != 0 or sorted(h[i]) != [0] * (len(h[i]) - 1) + [1]:
                    problems.append(f"boundary values wrong at absorbing state {model.states[i]}")
            elif t[i] == 0 and claimed:
                problems.append(f"t = 0 at non-absorbing state {model.states[i]}")
        pt = model.right(t)
        for i in range(len(model.states)):
            if i not in absorbing and t[i] != 0 and t[i] != 1 + pt[i]:
                problems.append(f"t = 1 + P t fails at {model.states[i]}")
                break
        for c in range(len(h[0]) if h else 0):
            col = [row[c] for row in h]
            ph = model.right(col)
            if any(i not in absorbing and t[i] != 0 and col[i] != ph[i] for i in range(len(col))):
                problems.append(f"h = P h fails for class {c}")
        if model.lam == 0 and claimed:
            for i, k in enumerate(model.states):
                if sorted(h[i]) != sorted(Fraction(c, model.n) for c in k):
                    problems.append(f"absorption probabilities at {k} are not k_x/N")
                    break
    elif st == "Lemma IV.1":
        means = model.conditional_mean()
        truth = all(tuple(m) == tuple(mu) for m, mu in zip(means, model.laws))
        if truth != claimed:
            problems.append(f"conclusion claimed {claimed}, re-derived {truth}")
    elif st == "Lemma III.1":
        gens = int(ev["generations"])
        v = [list(mu) for mu in model.laws]
        truth = True
        for g in range(1, gens + 1):
            v = [[sum((p * v[j][x] for j, p in enumerate(row) if p), Fraction(0)) for x in range(len(model.target))]
                 for row in model.kernel]
            r = (1 - model.lam) ** g
            truth &= all(v[i] == [r * a + (1 - r) * tt for a, tt in zip(model.laws[i], model.target)]
                         for i in range(len(v)))
        if truth != claimed:
            problems.append(f"conclusion claimed {claimed}, re-derived {truth}")
    return problems


def verify_document(doc: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """``[(statement, problems)]`` for every result of a ``check --json`` document."""
    model = Model(doc["instance"])
    return [(r["statement"], verify_certificate(model, r)) for r in doc["results"]]
