"""The d = 2 recursions on two cores (forked partner process): the moment recursion of
:mod:`reference.moments` (λ > 0) and the back substitution of
:func:`reference.absorption.neutral_absorption_times` (λ = 0).

It computes exactly the integers of the serial loop in
:func:`reference.moments.fraction_free_stationary` (the tests compare them), on FLINT
integers that travel between the processes as Python integers
(:func:`reference.parallel.run_pair`), and returns None, for the caller to compute alone,
if the partner cannot start or dies.  (The d >= 3 recursion had a level-by-level version
here; sum factorisation, :func:`reference.moments._factorised_recursion`, made the serial
loop 2-10x faster than it, so it was removed.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any



def line_recursion_in_pair(rows: list[list[Any]], d_factors: list[Any], f_factors: list[Any], n: int,
                           progress: Callable[[int, int], None] | None = None,
                           scale: list[Any] | None = None) -> list[Any] | None:
    """The d = 2 recursion of :func:`reference.moments.fraction_free_stationary`, ``P_0 .. P_N``, on two cores.

    The same Horner sums ``acc_j = (..(T(j,0) P_0) D_1 + T(j,1) P_1) D_2 + ..) + T(j,j-1) P_{j-1}``
    and ``P_j = f_j acc_j``, computed column by column ("right-looking"): as soon as
    ``P_t`` is known, every open ``acc_j`` (``j > t``) takes its step ``t``.  Those steps
    are independent, so this process keeps the even ``j`` and a forked partner the odd
    ones; whoever finishes ``acc_{t+1}`` sends ``P_{t+1}`` before its other steps, so the
    partners wait for each other only briefly.  Each ``acc_j`` goes through exactly the
    operations of the serial loop, so the integers are identical (tested).  FLINT
    integers only (they travel as Python integers).  With ``scale``, returns
    ``P_j scale[j]`` instead, each process multiplying its own ``j`` (the caller's next
    step, one long product per ``j``: 28 ms of a 0.45 s answer at N = 200 when done in
    one process).  Returns None if the partner cannot start or dies (the caller then
    computes alone).
    """
    import flint

    from .parallel import run_pair

    def work(me: int, channel: Any) -> list[Any]:
        line: list[Any] = [flint.fmpz(1)] + [None] * n
        acc: dict[int, Any] = {}
        mine = [j for j in range(1, n + 1) if j % 2 == me]

        def step(j: int, t: int) -> None:
            acc[j] = rows[j][0] * line[0] if t == 0 else acc[j] * d_factors[t] + rows[j][t] * line[t]

        for t in range(n + 1):
            if line[t] is None:
                line[t] = flint.fmpz(channel.recv())
            if t + 1 <= n and (t + 1) % 2 == me:
                step(t + 1, t)
                line[t + 1] = f_factors[t + 1] * acc.pop(t + 1)
                channel.send(int(line[t + 1]))
            for j in mine:
                if j > t + 1:
                    step(j, t)
            if progress is not None and me == 0:
                progress(t, n)
        if scale is None:
            return line
        if me == 1:  # the partner's products, in order of j, while the caller makes its own
            for j in mine:
                channel.send(int(line[j] * scale[j]))
            return line
        return [line[j] * scale[j] if j % 2 == 0 else flint.fmpz(channel.recv()) for j in range(n + 1)]

    try:
        return run_pair(work)
    except (OSError, RuntimeError):  # no fork, or the partner died (killed, out of memory): the caller computes alone
        return None



def neutral_back_substitution_in_pair(n: int, e: list[Any], stirling: list[list[Any]],
                                      finish: Callable[[int, Any, Any, Any], tuple[Any, Any]],
                                      progress: Callable[[int, int], None] | None = None
                                      ) -> tuple[list[Any], list[Any]] | None:
    """The back substitution of :func:`reference.absorption._back_substitution` on two cores.

    The same Horner sums ``acc_i`` (columns ``l = N, N-1, .., i+1``), computed column by
    column: once ``w_l`` and the cancelled ``e_l`` are known, every open ``acc_i``
    (``i < l``) takes its step ``l``.  This process keeps the even ``i``, a forked partner
    the odd ones; whoever completes ``acc_{l-1}`` finishes ``w_{l-1}`` and sends it (with
    ``e_{l-1}``) before its other steps.  Every ``acc_i`` sees the operations of the serial
    loop in the same order, so the integers are identical (tested).  FLINT integers only.
    Returns ``(w, e)``, or None if the partner cannot start or dies (the caller then
    computes alone).
    """
    import flint

    from .parallel import run_pair

    def work(me: int, channel: Any) -> tuple[list[Any], list[Any]]:
        local = list(e)
        zero = local[0] * 0
        w: list[Any] = [zero] * (n + 1)
        acc: dict[int, Any] = {}
        mine = [i for i in range(2, n + 1) if i % 2 == me]
        suffix_next = zero + 1  # e_{l+1} ... e_N

        def column(i: int, l: int) -> None:
            acc[i] = stirling[n][i] * w[n] if l == n else acc[i] * local[l] + stirling[l][i] * w[l]

        for l in range(n, 1, -1):
            if l % 2 == me:
                w[l], local[l] = finish(l, acc.pop(l, zero), suffix_next, local[l])
                channel.send(int(w[l]))
                channel.send(int(local[l]))
            else:
                w[l], local[l] = flint.fmpz(channel.recv()), flint.fmpz(channel.recv())
            suffix_next = suffix_next * local[l]
            if l - 1 >= 2 and (l - 1) % 2 == me:
                column(l - 1, l)  # the next w first: the partner may be waiting for it
            for i in mine:
                if i < l - 1:
                    column(i, l)
            if progress is not None and me == 0:
                progress(n - l + 1, n - 1)
        return w, local

    try:
        return run_pair(work)
    except (OSError, RuntimeError):  # no fork, or the partner died: the caller computes alone
        return None
