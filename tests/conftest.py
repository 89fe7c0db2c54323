"""Shared helpers for the tests: exact instances and independent formulas.

Hypothesis uses a ``ci`` profile (derandomised, no deadline) when ``CI`` is set, so a
CI run is reproducible; locally the default profile explores new examples.
"""

from __future__ import annotations

import os
from fractions import Fraction as F

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=40)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def law(*values: str) -> tuple[F, ...]:
    return tuple(F(v) for v in values)
