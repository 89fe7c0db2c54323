"""Golden fixtures: versioned exact answers for other projects' test suites.

Each fixture is one JSON file holding the instance, the exact ``solve`` answer (rationals
as ``"p/q"`` strings) and, beside it, the same structure in float64 (each float is the
correctly rounded value of the exact rational: Python's ``int / int`` division rounds
correctly).  ``index.json`` lists the files.  :func:`verify_fixtures` re-solves every
instance and demands identical exact values and correctly rounded floats, so a fixture
directory can be re-checked at any time.
"""

from __future__ import annotations

import json
from concurrent.futures import Executor
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError
from .model import Instance
from .rationals import format_rational, parse_law, parse_positive_int, parse_probability, parse_rational
from .serialise import dumps, solution_to_json
from .solution import solve

GOLDEN_FORMAT = "collapse-reference/golden/1"
EXACT_KEYS = ("stationary", "barycenters", "absorption_probabilities", "expected_absorption_time", "kernel")


def default_grid() -> list[Instance]:
    """Small instances across d = 2..4, lam in {0, 1/3, 1/2, 1}, with and without full support."""
    f = Fraction
    specs = [((f(1, 2), f(1, 2)), [2, 3, 5, 8]), ((f(1, 4), f(3, 4)), [4, 6]), ((f(1, 5), f(4, 5), f(0)), [3]),
             ((f(1, 2), f(1, 3), f(1, 6)), [2, 3, 4]), ((f(1, 10), f(1, 5), f(3, 10), f(2, 5)), [2, 3])]
    return [Instance(target=t, samples=n, lam=lam) for t, ns in specs for n in ns
            for lam in (f(0), f(1, 3), f(1, 2), f(1))]


def read_grid(path: str | Path) -> list[Instance]:
    """A user grid: a JSON list of ``{"target": "1/2,1/2", "samples": 4, "lam": "1/3"}``."""
    try:
        data = json.loads(Path(path).read_text(), parse_float=str)
    except OSError as exc:
        raise InputError(f"grid file {str(path)!r} is unreadable: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"grid file {str(path)!r} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, list) or not data:
        raise InputError(f"grid file {str(path)!r} must hold a non-empty list of instances")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not {"target", "samples", "lam"} <= set(item):
            raise InputError(f"$[{i}] must be an object with keys target, samples, lam")
        target = item["target"]
        target = target if isinstance(target, str) else [str(t) for t in target]
        out.append(Instance(target=parse_law(target, what=f"$[{i}].target"),
                            samples=parse_positive_int(str(item["samples"]), what=f"$[{i}].samples"),
                            lam=parse_probability(str(item["lam"]), what=f"$[{i}].lam")))
    return out


def name_of(instance: Instance) -> str:
    """A file name that identifies the instance, e.g. ``d2_N4_lam1-3_target1-4_3-4.json``."""
    r = lambda x: format_rational(x).replace("/", "-")  # noqa: E731
    return f"d{instance.size}_N{instance.samples}_lam{r(instance.lam)}_target{'_'.join(r(t) for t in instance.target)}.json"


def _floats(value: Any) -> Any:
    if isinstance(value, str):
        x = parse_rational(value)
        return x.numerator / x.denominator
    return [_floats(v) for v in value]


def fixture(instance: Instance) -> dict[str, Any]:
    """The fixture of one instance: exact answer, floats beside it, instance and versions."""
    body = solution_to_json(solve(instance), kernel=True)
    exact = {k: body[k] for k in ("states", "recurrent_classes", "absorbing", *EXACT_KEYS)}
    return {"format": GOLDEN_FORMAT, "generator": f"collapse-reference {__version__}", "instance": body["instance"],
            "exact": exact, "float64": {k: _floats(body[k]) for k in EXACT_KEYS},
            "note": "float64 values are the correctly rounded exact rationals; compare against 'exact' for ground truth"}


def write_fixtures(instances: list[Instance], out: str | Path, executor: Executor | None = None) -> list[Path]:
    """Write one fixture per instance plus ``index.json``; return the paths.

    The fixtures are computed through ``executor`` when given (any
    ``concurrent.futures.Executor``: a process pool, or a cluster's executor).
    """
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out {str(out)!r} cannot be created: {exc.strerror or exc}") from None
    paths = []
    fixtures = executor.map(fixture, instances) if executor else map(fixture, instances)
    for inst, data in zip(instances, fixtures):
        path = out / name_of(inst)
        path.write_text(dumps(data) + "\n")
        paths.append(path)
    (out / "index.json").write_text(dumps({"format": GOLDEN_FORMAT, "generator": f"collapse-reference {__version__}",
                                           "fixtures": [p.name for p in paths]}) + "\n")
    return paths


def verify_fixtures(directory: str | Path) -> list[str]:
    """Re-solve every fixture listed in ``index.json``; return the problems (empty: all re-verified)."""
    directory = Path(directory)
    try:
        index = json.loads((directory / "index.json").read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{str(directory / 'index.json')!r} is missing or unreadable: {exc}") from None
    problems = []
    for name in index.get("fixtures", []):
        try:
            data = json.loads((directory / name).read_text())
            inst_json = data["instance"]
            inst = Instance(target=parse_law(inst_json["target"]), samples=int(inst_json["samples"]),
                            lam=parse_probability(inst_json["lam"]))
        except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
            problems.append(f"{name}: unreadable fixture ({exc})")
            continue
        fresh = fixture(inst)
        for key in fresh["exact"]:
            if data.get("exact", {}).get(key) != fresh["exact"][key]:
                problems.append(f"{name}: exact '{key}' differs from a fresh solve")
        for key in EXACT_KEYS:
            if data.get("float64", {}).get(key) != fresh["float64"][key]:
                problems.append(f"{name}: float64 '{key}' is not the correctly rounded exact value")
    return problems
