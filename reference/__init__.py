"""collapse-reference: the exact finite-state form of Borkar's recursive-training chain.

Public API (all numbers are :class:`fractions.Fraction`):

* :class:`Instance` — target ``mu*``, samples ``N``, fresh fraction ``lam``;
* :func:`solve` → :class:`Solution` — recurrent classes, stationary laws, barycenters,
  absorption probabilities and times;
* :func:`evolve` → :class:`Evolution` — the law of ``mu_n`` for ``n = 0..G``;
* :class:`FiniteChain` — the exact analysis of any row-stochastic rational matrix;
* :class:`TypeSpace` — types, canonical order, ranking.
"""

from .chain import FiniteChain
from .errors import CheckFailed, CollapseRefError, InputError, SizeError
from .kernel import build_chain, kernel_rows, kernel_states
from .model import AdditiveSmoothing, EmpiricalLaw, IIDMixing, Instance, multinomial_law, sampling_law
from .rationals import format_rational, parse_counts, parse_law, parse_probability, parse_rational
from .solution import Evolution, Solution, barycenter, evolve, solve
from .typespace import TypeSpace, iter_types, number_of_types, rank_type, unrank_type

__version__ = "0.1.0"

__all__ = [
    "AdditiveSmoothing",
    "CheckFailed",
    "CollapseRefError",
    "EmpiricalLaw",
    "Evolution",
    "FiniteChain",
    "IIDMixing",
    "InputError",
    "Instance",
    "SizeError",
    "Solution",
    "TypeSpace",
    "barycenter",
    "build_chain",
    "evolve",
    "format_rational",
    "iter_types",
    "kernel_rows",
    "kernel_states",
    "multinomial_law",
    "number_of_types",
    "parse_counts",
    "parse_law",
    "parse_probability",
    "parse_rational",
    "rank_type",
    "sampling_law",
    "solve",
    "unrank_type",
]
