"""The float64 path against the exact law: relative accuracy in every state, tails included."""

from __future__ import annotations

import json
import math
from fractions import Fraction as F

import numpy as np
import pytest

from reference import Instance
from reference.cli import main
from reference.moments import exact_stationary_law
from reference.numeric import float_stationary
from tests.conftest import law


def exact_logs(inst):
    """log pi(k), k = count of type 0, from the exact rationals (logs of the big integers)."""
    n = inst.samples
    out = np.empty(n + 1)
    for i, p in enumerate(exact_stationary_law(list(inst.target), n, inst.lam)):
        out[n - i] = math.log(p.numerator) - math.log(p.denominator)
    return out


@pytest.mark.parametrize("target, n, lam, smallest", [(law("1/4", "3/4"), 200, F(1, 3), 1e-70),
                                                      (law("1/2", "1/2"), 150, F(1, 100), 1e-2),
                                                      (law("1/10", "9/10"), 180, F(9, 10), 1e-150),
                                                      (law("1/3", "2/3"), 130, F(1), 1e-60)])
def test_float_path_relative_error_in_every_state(target, n, lam, smallest):
    inst = Instance(target=target, samples=n, lam=lam)
    result = float_stationary(inst, compare_exact=False)
    exact = exact_logs(inst)
    rel = np.abs(np.expm1(result.log_pi - exact))
    assert np.all(np.isfinite(result.log_pi)) and rel.max() < 1e-9
    assert exact.min() < math.log(smallest)  # the tails really are that small
    assert result.levels[-1] == n and len(result.levels) >= 2  # a float pass ran (not just the exact bottom)
    assert result.max_relative_residual < 1e-10


def test_float_path_reports_its_exact_comparison():
    result = float_stationary(Instance(target=law("1/4", "3/4"), samples=160, lam=F(1, 3)))
    assert result.exact_max_relative_error is not None and result.exact_max_relative_error < 1e-9


def test_float_path_beyond_float_range_by_a_mile():
    # N = 1000: the smallest probability is ~1e-360, far below float64's 1e-308; no NaN, no zero
    result = float_stationary(Instance(target=law("1/4", "3/4"), samples=1000, lam=F(1, 3)), compare_exact=False)
    assert np.all(np.isfinite(result.log_pi)) and result.log_pi.min() < math.log(1e-300) * 1.1
    assert abs(np.logaddexp.reduce(result.log_pi)) < 1e-12  # normalised
    assert result.max_relative_residual < 1e-10


def test_numeric_command(capsys):
    assert main(["numeric", "--target", "1/4,3/4", "--samples", "150", "--lam", "1/3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "collapse-reference/numeric/1" and len(out["log_pi"]) == 151
    assert out["checks"]["exact_max_relative_error"] < 1e-9
    assert out["states"][0] == [150, 0]
    for argv in (["--target", "1/3,1/3,1/3", "--samples", "150", "--lam", "1/3"],
                 ["--target", "1/2,1/2", "--samples", "150", "--lam", "0"]):
        assert main(["numeric", *argv]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "float path" in err
