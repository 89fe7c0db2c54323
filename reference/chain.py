"""A finite Markov chain with an exact row-stochastic kernel, and its exact analysis.

Definitions (after QuantEcon's ``markov/core.py`` primer, for a kernel ``P`` on states
``0..n-1``):

* ``j`` is *accessible* from ``i`` if ``P^m(i, j) > 0`` for some ``m >= 0``; ``i`` and
  ``j`` *communicate* if each is accessible from the other.  The communication classes
  are the strongly connected components of the graph ``i -> j`` iff ``P(i, j) > 0``.
* A class is *recurrent* (closed) if no edge leaves it: the sink components of the
  condensation.  The other states are *transient*.  A state is *absorbing* if
  ``P(i, i) = 1``.
* The *period* of a recurrent class is the gcd of its cycle lengths.
* Each recurrent class ``C`` carries exactly one stationary law ``pi_C``; the set of all
  stationary laws is their convex hull, with the ``pi_C`` as extreme points and mutually
  singular supports (the Doeblin decomposition recalled in the paper's Section II-C).
* ``T`` is the hitting time of the union of the recurrent classes.  On a finite chain it is
  finite almost surely with a geometric tail, so ``E T`` is always finite;
  ``h(i, C) = P(X_T in C | X_0 = i)`` and ``t(i) = E[T | X_0 = i]`` solve
  ``(I - Q) h = R 1_C`` and ``(I - Q) t = 1`` with ``Q`` the transient block.

All numbers are :class:`fractions.Fraction`; the linear systems go to a backend of
:mod:`reference.linalg`, and :meth:`FiniteChain.certify` re-checks every answer with
plain ``Fraction`` arithmetic, independently of the backend.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import accumulate, repeat
from math import gcd
from operator import add, mul, sub

from .errors import CheckFailed, InputError
from .linalg import get_backend
from .rationals import common_denominator, format_rational

Row = tuple[Fraction, ...]


@dataclass(frozen=True)
class IntegerKernel:
    """A kernel given as integers over one scale: ``P(i, j) = rows[i][j] / scale``."""

    rows: Sequence[Sequence[int]]
    scale: int
    successors: tuple[tuple[int, ...], ...] | None = None


class LazyRows(Sequence):
    """A sequence of kernel rows, each made by :meth:`make` on first access and cached."""

    def __init__(self, length: int) -> None:
        self._length = length
        self._cache: dict[int, tuple] = {}

    def make(self, i: int) -> tuple:
        raise NotImplementedError

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        row = self._cache.get(i)
        if row is None:
            row = self._cache[i] = self.make(i)
        return row

    def read_once(self, i: int) -> tuple:
        """Row ``i`` without keeping it: for a pass that reads every row once (a certificate),
        so that its memory is one row, not the ``n^2`` entries of the whole kernel."""
        row = self._cache.get(i)
        return row if row is not None else self.make(i)


def read_row_once(rows: Sequence[Sequence[int]], i: int) -> Sequence[int]:
    """``rows[i]``, not cached when ``rows`` is lazy (:meth:`LazyRows.read_once`)."""
    return rows.read_once(i) if isinstance(rows, LazyRows) else rows[i]


class _LazyRows(LazyRows):
    """The rows of an :class:`IntegerKernel` as Fractions, each row made on first access."""

    def __init__(self, rows: Sequence[Sequence[int]], scale: int) -> None:
        super().__init__(len(rows))
        self._rows, self._scale = rows, scale

    def make(self, i: int) -> Row:
        return tuple(Fraction(a, self._scale) if a else Fraction(0) for a in self._rows[i])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and all(tuple(a) == tuple(b) for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class FiniteChain:
    """An exact finite Markov chain.

    ``matrix[i][j] = P(i, j)``; each row is non-negative and sums to exactly 1 (checked at
    construction; the error names the row and its exact sum).  ``labels`` name the states
    (count vectors for the recursive-training chain); ``backend`` is the linear-algebra
    backend used by the analysis.

    >>> half = Fraction(1, 2)
    >>> chain = FiniteChain(((Fraction(1), Fraction(0), Fraction(0)),
    ...                      (half, Fraction(0), half),
    ...                      (Fraction(0), Fraction(0), Fraction(1))))
    >>> chain.recurrent_classes, chain.transient_states, chain.absorbing_states
    (((0,), (2,)), (1,), (0, 2))
    >>> chain.absorption_probabilities[1], chain.expected_absorption_times
    ((Fraction(1, 2), Fraction(1, 2)), (Fraction(0, 1), Fraction(1, 1), Fraction(0, 1)))
    """

    matrix: tuple[Row, ...]
    labels: tuple[Hashable, ...] = ()
    backend: str = field(default="flint", compare=False)

    @classmethod
    def from_integer_kernel(cls, rows: Sequence[Sequence[int]], scale: int, labels: Sequence[Hashable] = (),
                            backend: str = "flint", successors: Sequence[Sequence[int]] | None = None) -> FiniteChain:
        """The chain with ``P(i, j) = rows[i][j] / scale`` (integers); Fractions are made only when read.

        With ``successors`` (the support of every row, known from the model) ``rows`` may be
        a lazy sequence that builds and checks each row when first read: class structure,
        periods and absorbing states then need no row at all, which is what lets the fast
        paths skip the ``n^2``-entry kernel.  Without it every row is checked here.

        >>> FiniteChain.from_integer_kernel([[2, 2], [0, 4]], 4).recurrent_classes
        ((1,),)
        """
        if successors is not None:
            support = tuple(tuple(s) for s in successors)
            return cls(IntegerKernel(rows, scale, support), tuple(labels), backend)  # type: ignore[arg-type]
        return cls(IntegerKernel(tuple(tuple(r) for r in rows), scale), tuple(labels), backend)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if isinstance(self.matrix, IntegerKernel):
            self._init_integer(self.matrix)
        else:
            self._init_fractions()
        labels = tuple(self.labels) if self.labels else tuple(range(self.n_states))
        if len(labels) != self.n_states:
            raise InputError(f"{len(labels)} state labels for {self.n_states} states")
        object.__setattr__(self, "labels", labels)
        get_backend(self.backend)  # validate the name early

    def _init_integer(self, kernel: IntegerKernel) -> None:
        a, m = kernel.rows, kernel.scale
        n = len(a)
        if n == 0:
            raise InputError("the kernel has no states; give at least one row")
        if not isinstance(m, int) or m < 1:
            raise InputError(f"kernel scale {m!r} must be a positive integer")
        if kernel.successors is not None:  # rows are checked by their lazy provider
            if len(kernel.successors) != n:
                raise InputError(f"{len(kernel.successors)} successor lists for {n} states")
            self.__dict__["successors"] = kernel.successors
            self.__dict__["integer_kernel"] = (a, m)
            object.__setattr__(self, "matrix", _LazyRows(a, m))
            return
        for i, row in enumerate(a):
            if len(row) != n:
                raise InputError(f"row {i} has {len(row)} entries, not {n} (the kernel must be square)")
            if min(row) < 0:
                j = min(range(n), key=lambda j: row[j])
                raise InputError(f"entry ({i}, {j}) = {format_rational(Fraction(row[j], m))} is negative")
            if sum(row) != m:
                raise InputError(f"row {i} sums to {format_rational(Fraction(sum(row), m))}, not 1")
        self.__dict__["integer_kernel"] = (a, m)
        object.__setattr__(self, "matrix", _LazyRows(a, m))

    def _init_fractions(self) -> None:
        matrix = tuple(tuple(row) for row in self.matrix)
        n = len(matrix)
        if n == 0:
            raise InputError("the kernel has no states; give at least one row")
        for i, row in enumerate(matrix):
            if len(row) != n:
                raise InputError(f"row {i} has {len(row)} entries, not {n} (the kernel must be square)")
            for j, p in enumerate(row):
                if not isinstance(p, Fraction):
                    raise InputError(f"entry ({i}, {j}) = {p!r} is not an exact rational")
                if p < 0:
                    raise InputError(f"entry ({i}, {j}) = {format_rational(p)} is negative")
        # row sums in integers over one common denominator (no gcd per addition)
        a, m = _integer_matrix(matrix)
        for i, row in enumerate(a):
            if sum(row) != m:
                raise InputError(f"row {i} sums to {format_rational(Fraction(sum(row), m))}, not 1")
        self.__dict__["integer_kernel"] = (a, m)
        object.__setattr__(self, "matrix", matrix)

    # ------------------------------------------------------------------ structure
    @property
    def n_states(self) -> int:
        return len(self.integer_kernel[0])

    @cached_property
    def successors(self) -> tuple[tuple[int, ...], ...]:
        """``successors[i]``: the states ``j`` with ``P(i, j) > 0``."""
        return tuple(tuple(j for j, a in enumerate(row) if a) for row in self.integer_kernel[0])

    @cached_property
    def _successor_groups(self) -> tuple[list[int], list[tuple[int, ...]]]:
        """``(group_of, sets)``: states with identical successor sets share one group.

        The paper's kernel has at most ``2^d`` distinct supports, so its ``n^2`` edges
        factor through a handful of groups; the graph algorithms below walk the groups.
        Rows that share one successor tuple (the paper's lazy kernel gives every row with
        the same support the same object) are grouped by identity, so each distinct tuple
        is hashed once: a tuple does not cache its hash, and hashing the full support of
        every row was ``n^2`` work (d = 4, N = 50: 1.7 s of a 3.7 s solve).
        """
        index: dict[tuple[int, ...], int] = {}
        by_object: dict[int, int] = {}  # id(tuple) -> group; the tuples live as long as self.successors
        group_of = []
        for succ in self.successors:
            group = by_object.get(id(succ))
            if group is None:
                group = by_object[id(succ)] = index.setdefault(tuple(succ), len(index))
            group_of.append(group)
        return group_of, list(index)

    @cached_property
    def communication_classes(self) -> tuple[tuple[int, ...], ...]:
        """The strongly connected components, each sorted, ordered by smallest state."""
        group_of, sets = self._successor_groups
        n = self.n_states
        if 2 * len(sets) > n:
            return _strongly_connected_components(self.successors)
        # relay every edge i -> j through a node per group: same reachability among states
        relayed = [(n + g,) for g in group_of] + sets
        comps = _strongly_connected_components(relayed)
        return tuple(sorted((c for c in (tuple(v for v in comp if v < n) for comp in comps) if c), key=lambda c: c[0]))

    @cached_property
    def recurrent_classes(self) -> tuple[tuple[int, ...], ...]:
        """The closed communication classes (no positive-probability edge leaves them)."""
        group_of, sets = self._successor_groups
        out = []
        for cls in self.communication_classes:
            members = set(cls)
            if all(j in members for g in {group_of[i] for i in cls} for j in sets[g]):
                out.append(cls)
        return tuple(out)

    @cached_property
    def transient_states(self) -> tuple[int, ...]:
        recurrent = {i for cls in self.recurrent_classes for i in cls}
        return tuple(i for i in range(self.n_states) if i not in recurrent)

    @cached_property
    def absorbing_states(self) -> tuple[int, ...]:
        return tuple(i for i, succ in enumerate(self.successors) if succ == (i,))

    @cached_property
    def periods(self) -> tuple[int, ...]:
        """The period of each recurrent class (same order as :attr:`recurrent_classes`)."""
        group_of, sets = self._successor_groups
        return tuple(_period(cls, group_of, sets) for cls in self.recurrent_classes)

    # ------------------------------------------------------------------ stationary laws
    @cached_property
    def stationary_distributions(self) -> tuple[Row, ...]:
        """One stationary law per recurrent class, as a law over *all* states.

        ``pi_C`` solves ``pi_C P_C = pi_C``, ``sum pi_C = 1`` on the class ``C`` (unique
        because ``C`` is irreducible) and is 0 elsewhere.  These are the extreme points of
        the set of stationary laws.
        """
        backend = get_backend(self.backend)
        out = []
        for cls in self.recurrent_classes:
            m = len(cls)
            if m == 1:
                values = [Fraction(1)]
            else:
                # equations j = 0..m-2: sum_i pi_i P(c_i, c_j) - pi_j = 0; last: sum_i pi_i = 1
                a = [
                    [self.matrix[ci][cj] - (1 if i == j else 0) for i, ci in enumerate(cls)]
                    for j, cj in enumerate(cls[:-1])
                ]
                a.append([Fraction(1)] * m)
                b = [[Fraction(0)] for _ in range(m - 1)] + [[Fraction(1)]]
                values = [row[0] for row in backend.solve(a, b)]
            law = [Fraction(0)] * self.n_states
            for ci, v in zip(cls, values, strict=True):
                law[ci] = v
            out.append(tuple(law))
        return tuple(out)

    def provide_stationary(self, laws: Sequence[Sequence[Fraction]]) -> None:
        """Supply the stationary laws computed by a fast path (one per recurrent class, same order).

        The values are stored in place of the dense solve; :meth:`certify` re-checks them
        against the kernel exactly (``pi P = pi``, ``sum pi = 1``, support), so a wrong fast
        path cannot pass silently.
        """
        laws = tuple(tuple(law) for law in laws)
        if len(laws) != len(self.recurrent_classes) or any(len(law) != self.n_states for law in laws):
            raise CheckFailed(f"fast path gave {len(laws)} stationary laws for {len(self.recurrent_classes)} recurrent classes")
        self.__dict__["stationary_distributions"] = laws
        self.__dict__.pop("stationary_scaled", None)

    @cached_property
    def stationary_scaled(self) -> tuple[tuple[list[int], int], ...]:
        """Each stationary law as integer numerators over its least common denominator
        (:func:`reference.rationals.common_denominator`), made once for the certificates
        and the barycenters (at d = 2, N = 400 each pass costs 0.1 s)."""
        return tuple(common_denominator(pi) for pi in self.stationary_distributions)

    def provide_absorption(self, probabilities: Sequence[Sequence[Fraction]], times: Sequence[Fraction]) -> None:
        """Supply absorption probabilities and expected times computed by a fast path.

        Stored in place of the dense solve; :meth:`certify` re-checks ``h = P h`` and
        ``t = 1 + P t`` on every transient row and the boundary values, which determine
        them uniquely.
        """
        probs = tuple(tuple(r) for r in probabilities)
        times = tuple(times)
        if len(probs) != self.n_states or len(times) != self.n_states:
            raise CheckFailed("fast path gave absorption data of the wrong length")
        classes = self.recurrent_classes
        for c, cls in enumerate(classes):
            for i in cls:
                if times[i] != 0 or probs[i] != tuple(Fraction(int(k == c)) for k in range(len(classes))):
                    raise CheckFailed(f"fast path gave wrong boundary values at recurrent state {i}")
        self.__dict__["_absorption"] = (probs, times)

    # ------------------------------------------------------------------ absorption
    @cached_property
    def _absorption(self) -> tuple[tuple[Row, ...], Row]:
        n = self.n_states
        classes = self.recurrent_classes
        class_of = {i: c for c, cls in enumerate(classes) for i in cls}
        probs = [[Fraction(0)] * len(classes) for _ in range(n)]
        times = [Fraction(0)] * n
        for i, c in class_of.items():
            probs[i][c] = Fraction(1)
        transient = self.transient_states
        if transient:
            pos = {t: r for r, t in enumerate(transient)}
            a = [
                [(1 if r == s else 0) - self.matrix[t][u] for s, u in enumerate(transient)]
                for r, t in enumerate(transient)
            ]
            b = []
            for t in transient:
                into = [Fraction(0)] * len(classes)
                for j in self.successors[t]:
                    if j in class_of:
                        into[class_of[j]] += self.matrix[t][j]
                b.append(into + [Fraction(1)])
            x = get_backend(self.backend).solve(a, b)
            for t in transient:
                row = x[pos[t]]
                probs[t] = list(row[:-1])
                times[t] = row[-1]
        return tuple(tuple(r) for r in probs), tuple(times)

    @property
    def absorption_probabilities(self) -> tuple[Row, ...]:
        """``h[i][c] = P(the chain from i is absorbed into recurrent class c)``."""
        return self._absorption[0]

    @property
    def expected_absorption_times(self) -> Row:
        """``t[i] = E[T | X_0 = i]``, ``T`` the hitting time of the recurrent states (0 on them)."""
        return self._absorption[1]

    # ------------------------------------------------------------------ evolution
    def evolve(self, start: Sequence[Fraction], generations: int,
               progress: Callable[[int, int], None] | None = None) -> tuple[Row, ...]:
        """The exact laws ``start P^n`` for ``n = 0..generations``.

        With the FLINT backend on the integer kernel ``A = M P``: the law stays integers over
        one common denominator (``v <- v A``, ``den <- den M``, common factors divided out),
        and each law is brought to lowest terms in batch
        (:func:`reference.lowest_terms.lowest_terms`); rational matrix products and one gcd
        per entry per step had taken 93 s at d = 2, N = 200, 50 generations.  The sympy
        backend propagates rationals (the independent route; the tests compare them).
        """
        if len(start) != self.n_states:
            raise InputError(f"start law has {len(start)} entries for {self.n_states} states")
        if self.backend != "flint":
            laws = get_backend(self.backend).propagate(list(start), self.matrix, generations)
            return tuple(tuple(law) for law in laws)
        import flint

        from .lowest_terms import coprime_fraction, divide_common_factor, lowest_terms, small_primes_of

        a, m = self.integer_kernel
        num, den = common_denominator(start)
        # the denominators divide den * m^n: when both are smooth, lowest terms go by valuations
        of_start, of_kernel = small_primes_of(den), small_primes_of(m)
        primes = sorted(set(of_start) | set(of_kernel)) if of_start is not None and of_kernel is not None else None
        kernel = flint.fmpz_mat([list(read_row_once(a, i)) for i in range(self.n_states)])
        vector, den = flint.fmpz_mat(1, self.n_states, num), flint.fmpz(den)
        out = [tuple(start)]
        for g in range(generations):
            vector, den = vector * kernel, den * m
            entries, reduced = divide_common_factor(vector.entries(), den)
            if reduced != den:
                den, vector = reduced, flint.fmpz_mat(1, self.n_states, entries)
            out.append(tuple(coprime_fraction(p, q) for p, q in lowest_terms(entries, den, primes=primes)))
            if progress is not None:
                progress(g + 1, generations)
        return tuple(out)

    def absorbed_by(self, laws: Sequence[Sequence[Fraction]]) -> Row:
        """``P(T <= n)`` for each law in ``laws`` (the mass on recurrent states), summed in
        integers over one common denominator: a Fraction sum takes a gcd of ~10^5-bit
        numbers per term (d = 2, N = 200, 20 generations: 1.1 s of a 4.7 s ``evolve``)."""
        recurrent = [i for cls in self.recurrent_classes for i in cls]
        out = []
        for law in laws:
            num, den = common_denominator([law[i] for i in recurrent])
            out.append(Fraction(sum(num), den))
        return tuple(out)

    # ------------------------------------------------------------------ certificate
    @cached_property
    def integer_kernel(self) -> tuple[tuple[tuple[int, ...], ...], int]:
        """``(A, M)`` with integers ``A[i][j] = M P(i, j)``, ``M`` the lcm of all denominators.

        Checking identities on ``A`` avoids a gcd per operation (theory-reference: the
        kernel is ``A / D^N`` with ``A`` an integer matrix).  Computed at construction.
        """
        return _integer_matrix(self.matrix)

    def certify(self) -> list[str]:
        """Re-check every computed quantity with plain integer arithmetic.

        Checks ``pi P = pi``, ``sum pi = 1``, ``pi >= 0`` with support exactly the class,
        ``h = P h`` and ``t = 1 + P t`` on every transient row, and that absorption rows
        sum to 1.  Vectors are scaled to integers over one common denominator, so each
        identity is an exact integer equality.  Returns the list of failures (empty when
        all hold); it never calls the linear-algebra backend.
        """
        return self.certify_stationary() + self.certify_absorption()

    def certify_stationary(self) -> list[str]:
        """The stationary half of :meth:`certify`: ``pi P = pi`` against every kernel row."""
        failures = self.certify_stationary_support()
        a, m = self.integer_kernel
        n = self.n_states
        for c, (cls, pi, (num, den)) in enumerate(zip(self.recurrent_classes, self.stationary_distributions,
                                                      self.stationary_scaled, strict=True)):
            products = _left_product(num, a, cls)
            for j in range(n):
                lhs = products[j]
                if lhs != num[j] * m:
                    failures.append(
                        f"stationary law {c}: (pi P)[{j}] = {format_rational(Fraction(lhs, den * m))} "
                        f"but pi[{j}] = {format_rational(pi[j])}"
                    )
                    break
        return failures

    def certify_stationary_support(self) -> list[str]:
        """``sum pi = 1`` and ``pi >= 0`` with support exactly its class, for every stationary law."""
        failures: list[str] = []
        for c, (cls, pi, (num, den)) in enumerate(zip(self.recurrent_classes, self.stationary_distributions,
                                                      self.stationary_scaled, strict=True)):
            if sum(num) != den:
                failures.append(f"stationary law {c} sums to {format_rational(Fraction(sum(num), den))}, not 1")
            members = set(cls)
            for i, v in enumerate(pi):
                if v < 0 or (v > 0) != (i in members):
                    failures.append(f"stationary law {c} has pi[{i}] = {format_rational(v)} (class {list(cls)})")
                    break
        return failures

    def certify_absorption(self) -> list[str]:
        """The transient half of :meth:`certify`: ``h = P h``, ``t = 1 + P t`` on transient rows."""
        failures: list[str] = []
        if not self.transient_states:
            return failures
        a, m = self.integer_kernel
        h, t = self.absorption_probabilities, self.expected_absorption_times
        columns = [("expected time t", t, 1)] + [
            (f"absorption probability into class {c}", tuple(row[c] for row in h), 0)
            for c in range(len(self.recurrent_classes))
        ]
        scaled = [(name, *common_denominator(values), constant) for name, values, constant in columns]
        grouped = [_equal_value_groups(num) for _, num, _, _ in scaled]
        # products already made, by the row's sums over each group of equal values: rows with
        # the same sums have the same product (symmetric chains repeat them orbit by orbit)
        made: list[dict[tuple[int, ...], int]] = [{} for _ in scaled]
        bad: set[str] = set()
        for i in self.transient_states:
            row = read_row_once(a, i)  # built once per row, and not kept (lazy kernels)
            for (name, num, den, constant), groups, memo in zip(scaled, grouped, made, strict=True):
                if name in bad:
                    continue
                if groups is None:
                    product = sum(map(mul, row, num))
                else:  # sum_j A[i][j] v_j = sum over distinct values v of v * (sum of A[i][j] where v_j = v)
                    values, order, starts, ends = groups
                    prefix = [0, *accumulate(map(row.__getitem__, order))]
                    sums = tuple(map(sub, map(prefix.__getitem__, ends), map(prefix.__getitem__, starts)))
                    product = memo.get(sums)
                    if product is None:
                        product = memo[sums] = sum(map(mul, values, sums))
                rhs = product + constant * den * m
                if rhs != num[i] * m:
                    failures.append(
                        f"{name} at state {i}: {format_rational(Fraction(num[i], den))} but "
                        f"{constant} + (P v)[{i}] = {format_rational(Fraction(rhs, den * m))}"
                    )
                    bad.add(name)  # one failure per column is enough
        for i in self.transient_states:
            if sum(h[i]) != 1:
                failures.append(f"absorption probabilities of state {i} sum to {format_rational(sum(h[i]))}")
        return failures

    def require_certified(self) -> None:
        """Raise :class:`CheckFailed` listing every failure of :meth:`certify`."""
        failures = self.certify()
        if failures:
            raise CheckFailed("; ".join(failures))


_PYTHON_PRODUCT_BITS = 3_000


def _equal_value_groups(values: Sequence[int]) -> tuple[list[int], list[int], list[int], list[int]] | None:
    """The non-zero values grouped by equality, when there are at most half as many
    distinct values as entries (else None): ``(distinct, order, starts, ends)`` with the
    indices of ``distinct[g]`` at ``order[starts[g]:ends[g]]``.  Symmetric answers repeat
    values (at lam = 0 the absorption times are constant on orbits of S's permutations,
    the absorption probabilities are ``k_x / N``), and then a row's product needs one big
    multiplication per distinct value; the rest are prefix sums of kernel entries.

    >>> _equal_value_groups([5, 0, 5, 7, 5, 5])
    ([5, 7], [0, 2, 4, 5, 3], [0, 4], [4, 5])
    """
    groups: dict[int, list[int]] = {}
    for j, v in enumerate(values):
        if v:
            groups.setdefault(v, []).append(j)
    if 2 * len(groups) > len(values):
        return None
    order: list[int] = []
    starts, ends = [], []
    for where in groups.values():
        starts.append(len(order))
        order.extend(where)
        ends.append(len(order))
    return list(groups), order, starts, ends


def _left_product(num: Sequence[int], a: Sequence[Sequence[int]], rows: Sequence[int]) -> list[int]:
    """``sum_{i in rows} num[i] a[i][j]`` for every column ``j``: an exact integer vector-matrix
    product.  It is a product, not a solve: it shares nothing with the stationary-law computation.

    Python integers row by row (C-level ``map``) while the law's numerators are short;
    FLINT's ``fmpz_mat`` (GMP multiplication) for long ones, where it is 2-4x faster
    (measured: Python 5-6x faster at 100-500 bits, FLINT 2x at 5,000 and 4x at 20,000).
    """
    if max((num[i].bit_length() for i in rows), default=0) <= _PYTHON_PRODUCT_BITS:
        out = [0] * len(a)
        for i in rows:
            if num[i]:
                out = list(map(add, out, map(mul, read_row_once(a, i), repeat(num[i]))))
        return out
    import flint

    vec = flint.fmpz_mat(1, len(rows), [num[i] for i in rows])
    block = flint.fmpz_mat(len(rows), len(a), [x for i in rows for x in read_row_once(a, i)])
    out = vec * block
    return [int(out[0, j]) for j in range(len(a))]


def _integer_matrix(matrix: Sequence[Sequence[Fraction]]) -> tuple[tuple[tuple[int, ...], ...], int]:
    """``(A, M)``: ``M`` the lcm of the denominators, ``A = M * matrix`` in integers."""
    m = 1
    for den in {p.denominator for row in matrix for p in row}:
        m = m * den // gcd(m, den)
    return tuple(tuple(p.numerator * (m // p.denominator) for p in row) for row in matrix), m


def _strongly_connected_components(successors: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    """Tarjan's algorithm, iterative (no recursion limit on large chains)."""
    n = len(successors)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    components: list[tuple[int, ...]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, pos = work[-1]
            succ = successors[v]
            if pos < len(succ):
                work[-1] = (v, pos + 1)
                w = succ[pos]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        comp.append(w)
                        if w == v:
                            break
                    components.append(tuple(sorted(comp)))
    return tuple(sorted(components, key=lambda c: c[0]))


def _period(cls: Sequence[int], group_of: Sequence[int], sets: Sequence[Sequence[int]]) -> int:
    """gcd of ``level(u) + 1 - level(v)`` over edges ``u -> v`` inside the class (BFS levels).

    Successors are read through their groups: each group is expanded once in the BFS
    (first from its lowest-level state, so levels are BFS distances), and each state
    ``u`` contributes ``gcd(level(u) + 1 - l0, G)`` with ``l0`` the least level in its
    group and ``G`` the gcd of the group's level differences: the same gcd as over every
    edge, in ``O(n + sum |group|)``.
    """
    members = set(cls)
    level = {cls[0]: 0}
    queue = deque([cls[0]])
    expanded: set[int] = set()
    while queue:
        u = queue.popleft()
        g = group_of[u]
        if g in expanded:
            continue
        expanded.add(g)
        for v in sets[g]:
            if v in members and v not in level:
                level[v] = level[u] + 1
                queue.append(v)
    summary: dict[int, tuple[int, int]] = {}
    for g in {group_of[u] for u in cls}:
        levels = [level[v] for v in sets[g] if v in members]
        low = min(levels)
        spread = 0
        for x in levels:
            spread = gcd(spread, x - low)
        summary[g] = (low, spread)
    out = 0
    for u in cls:
        low, spread = summary[group_of[u]]
        out = gcd(out, gcd(spread, level[u] + 1 - low))
    return abs(out) if out else 1