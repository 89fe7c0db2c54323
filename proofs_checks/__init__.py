"""Executable checks of the paper's statements (Lemma III.1 ... Theorem VI.1).

Each statement is a function from an :class:`Analysis` (an instance and its exact chain)
to a :class:`Certificate`; :data:`REGISTRY` lists them in the paper's order and
:func:`check_instance` runs them all.  THEORY.md is the proof companion.

>>> from fractions import Fraction as F
>>> from reference import Instance
>>> [c.verdict for c in check_instance(Instance(target=(F(1, 5), F(4, 5)), samples=3, lam=F(3, 11)))]
['verified', 'verified', 'verified', 'verified', 'not-applicable', 'not-applicable', 'not-applicable', 'verified']
"""

from reference import Instance

from .analysis import Analysis
from .certificate import NOT_APPLICABLE, REFUTED, VERDICTS, VERIFIED, Certificate, Condition
from .registry import REGISTRY, check_all


def check_instance(instance: Instance, backend: str = "flint") -> list[Certificate]:
    """Every statement's certificate for ``instance``, in the paper's order."""
    return check_all(Analysis(instance, backend=backend))


__all__ = ["Analysis", "Certificate", "Condition", "NOT_APPLICABLE", "REFUTED", "REGISTRY", "VERDICTS", "VERIFIED",
           "check_all", "check_instance"]
