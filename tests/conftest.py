"""Shared helpers for the tests.

Hypothesis: on CI (the ``CI`` variable set) Hypothesis loads its built-in ``ci`` profile
(derandomised, no deadline, no example database), so CI runs are reproducible; locally a
``dev`` profile explores fresh examples without a deadline.
"""

from __future__ import annotations

import os
from fractions import Fraction as F

from hypothesis import settings

settings.register_profile("dev", deadline=None, max_examples=50)
if not os.environ.get("CI"):
    settings.load_profile("dev")


def law(*values: str) -> tuple[F, ...]:
    return tuple(F(v) for v in values)
