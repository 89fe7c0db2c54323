"""The moment recursion of :mod:`reference.moments` on two cores (forked partner process).

Both functions compute exactly the integers of the serial loops in
:func:`reference.moments.fraction_free_stationary` (the tests compare them), on FLINT
integers that travel between the processes as Python integers
(:func:`reference.parallel.run_pair`).  Either returns the serial answer, computed
alone, if the partner cannot start or dies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Index = tuple[int, ...]


def line_recursion_in_pair(rows: list[list[Any]], d_factors: list[Any], f_factors: list[Any], n: int,
                           progress: Callable[[int, int], None] | None = None) -> list[Any] | None:
    """The d = 2 recursion of :func:`reference.moments.fraction_free_stationary`, ``P_0 .. P_N``, on two cores.

    The same Horner sums ``acc_j = (..(T(j,0) P_0) D_1 + T(j,1) P_1) D_2 + ..) + T(j,j-1) P_{j-1}``
    and ``P_j = f_j acc_j``, computed column by column ("right-looking"): as soon as
    ``P_t`` is known, every open ``acc_j`` (``j > t``) takes its step ``t``.  Those steps
    are independent, so this process keeps the even ``j`` and a forked partner the odd
    ones; whoever finishes ``acc_{t+1}`` sends ``P_{t+1}`` before its other steps, so the
    partners wait for each other only briefly.  Each ``acc_j`` goes through exactly the
    operations of the serial loop, so the integers are identical (tested).  FLINT
    integers only (they travel as Python integers).  Returns None if the partner cannot
    start or dies (the caller then computes alone).
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
        return line

    try:
        return run_pair(work)
    except (OSError, RuntimeError):  # no fork, or the partner died (killed, out of memory): the caller computes alone
        return None


def levels_in_pair(by_level: dict[int, list[Index]], moment: Callable[[Index, dict[Index, Any]], Any],
                   known: dict[Index, Any], n: int,
                   progress: Callable[[int, int], None] | None = None) -> dict[Index, Any] | None:
    """The d >= 3 recursion of :func:`reference.moments.fraction_free_stationary` level by level on two cores.

    The ``P_j`` of one level ``|j| = s`` depend only on lower levels, so this process
    computes every other one (positions 0, 2, ...) and a forked partner the rest; then
    they swap their results (this process sends first, the partner receives first, so a
    level larger than a pipe cannot block both) and go on to the next level.  Each
    ``P_j`` comes from the same ``moment`` as in the serial loop, so the integers are
    identical (tested).  FLINT integers only.  Returns None if the partner cannot start
    or dies (the caller then computes alone).
    """
    import flint

    from .parallel import run_pair

    def work(me: int, channel: Any) -> dict[Index, Any]:
        values = dict(known)
        for s in range(1, n + 1):
            level = by_level.get(s, [])
            mine = {j: moment(j, values) for j in level[me::2]}
            values.update(mine)
            if me == 0:
                for j in level[0::2]:
                    channel.send(int(mine[j]))
                for j in level[1::2]:
                    values[j] = flint.fmpz(channel.recv())
            else:
                for j in level[0::2]:
                    values[j] = flint.fmpz(channel.recv())
                for j in level[1::2]:
                    channel.send(int(mine[j]))
            if progress is not None and me == 0:
                progress(s, n)
        return values

    try:
        return run_pair(work)
    except (OSError, RuntimeError):  # no fork, or the partner died: the caller computes alone
        return None
