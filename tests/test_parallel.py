"""Splitting across cores changes no number: the parallel paths against the serial ones."""

from __future__ import annotations

import json
from fractions import Fraction as F

import flint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import parallel
from reference.cli import main
from reference.absorption import neutral_absorption_times
from reference.errors import InputError
from reference.lowest_terms import lowest_terms
from reference.moments import exact_stationary_law, fraction_free_stationary
from reference.rationals import format_rational, parse_rational
from reference.serialise import SPLIT_AT_BITS, rationals

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="the parallel paths need fork (Linux)")


def test_map_in_parts_keeps_order_for_any_number_of_parts():
    items = list(range(23))
    for parts in (1, 2, 3, 5, 22, 23, 29):
        assert parallel.map_in_parts(lambda xs: [x * x - 1 for x in xs], items, parts=parts) == [x * x - 1 for x in items]
    assert parallel.map_in_parts(lambda xs: [sum(xs)], items, parts=3) == [sum(items[:7]), sum(items[7:15]), sum(items[15:])]


def _fails_on_seven(xs):
    if 7 in xs:
        raise ValueError("seven")
    return list(xs)


def test_an_exception_in_a_child_is_raised_in_the_parent():
    with pytest.raises(ValueError, match="seven"):
        parallel.map_in_parts(_fails_on_seven, list(range(10)), parts=2)  # 7 is in the child's part
    with pytest.raises(ValueError, match="seven"):
        parallel.map_in_parts(_fails_on_seven, list(range(10)), parts=5)


def test_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    assert parallel.workers() == 1
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "3")
    assert parallel.workers() == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(parallel.WORKERS_VARIABLE, bad)
        with pytest.raises(InputError, match=parallel.WORKERS_VARIABLE):
            parallel.workers()


def test_bad_worker_count_is_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "many")
    assert main(["solve", "--target", "1/4,3/4", "--samples", "200", "--lam", "1/3", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "many" in err


def test_channel_carries_signed_integers_of_any_size():
    values = [0, 1, -1, 255, -256, 3**5000, -(7**20000) + 1]

    def work(me, channel):
        if me == 1:
            for v in values:
                channel.send(channel.recv() * 2)
            return None
        out = []
        for v in values:
            channel.send(v)
            out.append(channel.recv())
        return out

    assert parallel.run_pair(work) == [2 * v for v in values]


def test_a_failing_partner_is_an_error_not_a_hang():
    def work(me, channel):
        if me == 1:
            raise RuntimeError("partner fails")
        return channel.recv()

    with pytest.raises(RuntimeError, match="partner process ended"):
        parallel.run_pair(work)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=5),
       st.integers(min_value=2, max_value=12))
def test_line_recursion_in_pair_equals_the_serial_recursion(n, a, b, c):
    # any integers a, b, c with D_i = c^i - (N)_i b^i != 0 (q = (a + b k) / c need not be a law here)
    args = ([flint.fmpz(a)], flint.fmpz(b), flint.fmpz(c * n + b * n), n, flint.fmpz(1))
    serial = fraction_free_stationary(*args, cancel=lambda x, y: x.gcd(y))
    assert fraction_free_stationary(*args, cancel=lambda x, y: x.gcd(y), pair=True) == serial


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=1, max_value=45))
def test_neutral_back_substitution_in_pair_equals_the_serial_one(n):
    assert neutral_absorption_times(n, pair=True) == neutral_absorption_times(n, pair=False)


def test_exact_law_with_one_and_two_workers(monkeypatch):
    target, lam = [F(1, 4), F(3, 4)], F(1, 3)
    two = exact_stationary_law(target, 160, lam)  # N >= PAIR_FROM_SAMPLES: the pair recursion, split products
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    assert exact_stationary_law(target, 160, lam) == two
    assert sum(two) == 1


def test_lowest_terms_and_digits_split_equal_serial(monkeypatch):
    values = [flint.fmpz(3) ** (40_000 + k) * (k + 2) for k in range(60)]  # 60 x 155k bits: split
    den = flint.fmpz(6) ** 60_000
    split = lowest_terms(values, den)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    assert lowest_terms(values, den) == split
    fractions = [F(int(p), int(q)) for p, q in split]
    assert sum(f.numerator.bit_length() + f.denominator.bit_length() for f in fractions) < SPLIT_AT_BITS
    big = fractions * 12  # over the split threshold
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    texts = rationals(big)
    assert [json.loads(f'"{t}"') for t in texts] == texts
    assert [parse_rational(t) for t in texts] == big


def test_lowest_terms_with_a_rough_part_split_equal_serial_and_gcds(monkeypatch):
    # C = 6^60000 * R^2 with R a product of large primes (over 2,000 bits: the product-tree
    # search), three of 60 long entries share a prime of R: split, serial and per-entry gcds agree
    from math import gcd, prod

    large = [2**521 - 1, 2**607 - 1, 2**1279 - 1, 10**20 + 39]
    den = 6**60_000 * prod(large) ** 2
    values = [3 ** (40_000 + k) * (k + 2) * (large[k % 4] if k in (5, 17, 42) else 1) for k in range(60)]
    expected = [(x // gcd(x, den), den // gcd(x, den)) for x in values]
    split = lowest_terms([flint.fmpz(x) for x in values], flint.fmpz(den))
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    assert lowest_terms([flint.fmpz(x) for x in values], flint.fmpz(den)) == split == expected


def test_progress_lines_on_a_terminal(monkeypatch, capsys):
    import io
    import sys

    import reference.cli as cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    err = Terminal()
    monkeypatch.setattr(cli, "SHOW_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["solve", "--target", "1/4,3/4", "--samples", "160", "--lam", "1/3", "--json"]) == 0
    capsys.readouterr()
    text = err.getvalue()
    assert "order 160/160\n" in text and "solved (certificate: identity); writing the answer" in text
    assert text.index("order 160/160") < text.index("computed; certifying (--certify auto)") < text.index("solved")


def test_no_fork_from_a_threaded_process():
    import threading

    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert not parallel.can_fork() and parallel.workers() == 1
        assert parallel.map_in_parts(lambda xs: [x + 1 for x in xs], [1, 2, 3], parts=3) == [2, 3, 4]
    finally:
        release.set()
        worker.join()
    assert parallel.can_fork()


def test_a_part_whose_worker_dies_is_computed_here():
    import os

    parent = os.getpid()

    def dies_in_a_child(xs):
        if os.getpid() != parent:
            os._exit(3)  # killed before writing anything
        return [x + 1 for x in xs]

    assert parallel.map_in_parts(dies_in_a_child, list(range(10)), parts=3) == list(range(1, 11))


def test_without_fork_everything_runs_here(monkeypatch):
    def no_fork():
        raise OSError("no more processes")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    assert parallel.map_in_parts(lambda xs: [2 * x for x in xs], list(range(6)), parts=2) == [0, 2, 4, 6, 8, 10]
    args = ([flint.fmpz(3)], flint.fmpz(1), flint.fmpz(40), 30, flint.fmpz(1))
    with_pair = fraction_free_stationary(*args, cancel=lambda x, y: x.gcd(y), pair=True)  # falls back to one process
    monkeypatch.undo()
    assert with_pair == fraction_free_stationary(*args, cancel=lambda x, y: x.gcd(y))


@pytest.mark.parametrize("files, quota", [
    ({"/sys/fs/cgroup/cpu.max": "150000 100000"}, 2),
    ({"/sys/fs/cgroup/cpu.max": "max 100000"}, None),
    ({"/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "50000", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000"}, 1),
    ({"/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000"}, None),
    ({}, None),
])
def test_cgroup_cpu_quota_caps_the_default_workers(monkeypatch, files, quota):
    monkeypatch.setattr(parallel, "_read", files.get)
    assert parallel._cgroup_quota() == quota
    monkeypatch.delenv(parallel.WORKERS_VARIABLE, raising=False)
    parallel._usable_cores.cache_clear()
    try:
        assert 1 <= parallel.workers() <= min(quota or parallel.DEFAULT_MAX_WORKERS, parallel.DEFAULT_MAX_WORKERS)
    finally:
        parallel._usable_cores.cache_clear()


def test_certify_solution_is_the_second_half_of_solve():
    from reference import Instance, solve
    from reference.errors import CheckFailed
    from reference.solution import certify_solution

    inst = Instance(target=(F(1, 4), F(3, 4)), samples=12, lam=F(1, 3))
    bare = solve(inst, certify="none")
    assert bare.certification.method == "none"
    for mode, method in (("full", "kernel"), ("identity", "identity"), ("auto", solve(inst).certification.method)):
        assert certify_solution(bare, mode).certification.method == method
    wrong = list(bare.stationary[0])
    wrong[0], wrong[1] = wrong[1], wrong[0]
    bare.chain.provide_stationary([wrong])
    with pytest.raises(CheckFailed):
        certify_solution(bare, "identity")


def test_refused_answer_leaves_no_digit_workers(monkeypatch, capsys):
    import os

    import reference.cli as cli
    from reference.errors import CheckFailed

    def refuse(solution, mode):
        raise CheckFailed("refused for the test")

    started = []
    fork = parallel._fork

    def recorded_fork(child):
        pid = fork(child)
        started.append(pid)
        return pid

    monkeypatch.setattr(cli, "certify_solution", refuse)
    monkeypatch.setattr(parallel, "_fork", recorded_fork)
    assert main(["solve", "--target", "1/4,3/4", "--samples", "160", "--lam", "1/3", "--json"]) == 1  # digits begun, then refused
    assert "refused for the test" in capsys.readouterr().err
    assert started  # the recursion's partner and the digits' worker
    for pid in started:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: no worker left behind


def test_digits_begun_early_equal_the_plain_texts():
    from reference.serialise import matrix, start_matrix

    law = exact_stationary_law([F(1, 4), F(3, 4)], 120, F(1, 3))
    rows = [law, law[:7]]
    begun = start_matrix(rows)
    assert begun.result() == matrix(rows) == [[format_rational(v) for v in r] for r in rows]


def test_parts_result_twice_and_discard_after():
    job = parallel.start_in_parts(lambda xs: [x + 1 for x in xs], list(range(9)), parts=3)
    assert job.result() == job.result() == list(range(1, 10))
    job.discard()  # nothing left to stop
    stopped = parallel.start_in_parts(lambda xs: [-x for x in xs], list(range(9)), parts=3)
    stopped.discard()  # workers killed: a later result is computed here, whole
    assert stopped.result() == [-x for x in range(9)]
