"""The statement-check commands of ``collapse-ref``: ``check``, ``blueprint``, ``verify``.

This module is the interface layer above :mod:`reference` and :mod:`proofs_checks`; the
core command line (:mod:`reference.cli`) loads it as an extension.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from reference import Instance
from reference.cli import DEMO, digits_from, instance_from, instance_options, symbolic_instance_from, symbolic_requested
from reference.errors import InputError, StatementRefuted
from reference.rationals import parse_law, parse_positive_int
from reference.report import describe_instance, table
from reference.serialise import dumps
from reference.sizeguard import check_size, estimate_instance

from . import blueprint as blueprint_module
from .analysis import Analysis
from .certificate import REFUTED, certificates_latex
from .registry import REGISTRY
from .sweep import default_grid, run_sweep
from .verify import verify_document


def add_commands(sub: Any) -> dict[str, Any]:
    p = sub.add_parser("check", help="check every statement of the paper on one instance (or --sweep over a grid)")
    instance_options(p, required=False)
    p.add_argument("--sweep", action="store_true", help="run every statement over the built-in grid of instances")
    p.add_argument("--workers", default=None, help="processes for --sweep (default: the number of cores)")
    p.add_argument("--latex", action="store_true", help="print the certificates as a LaTeX table")

    p = sub.add_parser("blueprint", help="lint THEORY.md against the checks and show each statement's status")
    p.add_argument("--theory", default=None, help="path of THEORY.md (default: the repository's)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("verify", help="re-verify the certificates of 'check --json' with an independent checker")
    p.add_argument("file", help="JSON written by 'collapse-ref check ... --json'")
    p.add_argument("--json", action="store_true")
    return {"check": cmd_check, "blueprint": cmd_blueprint, "verify": cmd_verify}


# ---------------------------------------------------------------------------- check
def cmd_check(args: argparse.Namespace) -> str:
    if args.sweep:
        return _sweep(args)
    missing = [f"--{name}" for name in ("target", "samples", "lam") if getattr(args, name) is None]
    if missing:
        raise InputError(f"check needs {', '.join(missing)} (or --sweep)")
    if symbolic_requested(args):
        return _check_symbolic(args)
    inst = instance_from(args)
    digits_from(args)
    check_size(estimate_instance(inst, generations=12), args.allow_large)
    an = Analysis(inst, backend=args.backend)
    certs = [entry.check(an) for entry in REGISTRY]
    if args.latex:
        text = certificates_latex(certs)
    elif args.json:
        text = dumps({"format": "collapse-reference/check/1", "instance": inst.describe(),
                      "results": [c.to_json() for c in certs]})
    else:
        rows = [[c.statement, c.verdict, c.summary()] for c in certs]
        legend = ("verified: hypotheses and conclusion hold; not-applicable: a hypothesis fails (the conclusion is "
                  "still evaluated); refuted: hypotheses hold, conclusion fails.")
        text = "Instance: " + describe_instance(inst) + "\n\n" + table(["statement", "verdict", "evidence"], rows) + "\n\n" + legend
    refuted = [c.statement for c in certs if c.verdict == REFUTED]
    if refuted:
        raise StatementRefuted(f"REFUTED: {', '.join(refuted)}", text)
    return text


def _check_symbolic(args: argparse.Namespace) -> str:
    from reference.symbolic import solve_symbolic

    from .identities import check_symbolic

    inst = symbolic_instance_from(args)
    certs = check_symbolic(solve_symbolic(inst))
    if args.latex:
        text = certificates_latex(certs)
    elif args.json:
        text = dumps({"format": "collapse-reference/check-symbolic/1", "instance": inst.describe(),
                      "symbols": list(inst.symbols), "results": [c.to_json() for c in certs]})
    else:
        rows = [[c.statement, c.verdict, c.summary()] for c in certs]
        text = (f"Symbolic instance: target ({', '.join(map(str, inst.target))}), N = {inst.samples}, lam = {inst.lam}\n"
                "each identity is checked as an identity of polynomials / rational functions (every value at once)\n\n"
                + table(["statement", "verdict", "evidence"], rows)
                + "\n\nCorollary IV.2 and Theorem IV.3 are statements at lam = 0: run check with --lam 0.")
    refuted = [c.statement for c in certs if c.verdict == REFUTED]
    if refuted:
        raise StatementRefuted(f"REFUTED: {', '.join(refuted)}", text)
    return text


def _sweep(args: argparse.Namespace) -> str:
    if any(getattr(args, name) is not None for name in ("target", "samples", "lam")):
        raise InputError("--sweep runs the built-in grid; do not combine it with --target/--samples/--lam")
    workers = (os.cpu_count() or 1) if args.workers is None else parse_positive_int(args.workers, what="--workers")
    grid = default_grid()
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\r  checked {done}/{total} instances", end="" if done < total else "\n", file=sys.stderr, flush=True)

    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            result = run_sweep(grid, executor=pool, progress=progress)
    else:
        result = run_sweep(grid, progress=progress)
    counts = result.counts()
    failures = result.failures
    if args.json:
        text = dumps({"format": "collapse-reference/sweep/1", "instances": len(grid), "summary": counts,
                      "failures": [{"instance": i, "statement": r["statement"], "verdict": r["verdict"],
                                    "expected": r["expected_verdict"], "evidence": r["conclusion"]["detail"]}
                                   for i, r in failures]})
    else:
        rows = [[st, str(c["verified"]), str(c["not-applicable"]), str(c["refuted"]), str(c["unexpected"])]
                for st, c in counts.items()]
        text = (f"sweep: every statement on {len(grid)} instances (d = 1..4, N <= 8, lam in 0, 1/7, 1/3, 1/2, 1; "
                "targets with and without full support)\n\n"
                + table(["statement", "verified", "not-applicable", "refuted", "unexpected"], rows))
        if failures:
            text += "\n\nunexpected verdicts:\n" + "\n".join(
                f"  {r['statement']} on {i}: {r['verdict']} (expected {r['expected_verdict']}): {r['conclusion']['detail']}"
                for i, r in failures[:20])
        else:
            text += "\n\nevery statement verified where its hypotheses hold and not-applicable where they do not."
    if failures:
        raise StatementRefuted(f"{len(failures)} unexpected verdicts in the sweep", text)
    return text


# ---------------------------------------------------------------------------- blueprint
def cmd_blueprint(args: argparse.Namespace) -> str:
    path = Path(args.theory) if args.theory else blueprint_module.theory_path()
    try:
        text = path.read_text()
    except OSError as exc:
        raise InputError(f"THEORY.md {str(path)!r} is unreadable: {exc.strerror or exc}; pass --theory PATH") from None
    problems = blueprint_module.lint(text)
    target = parse_law(DEMO["target"])
    n = int(DEMO["samples"])
    analyses = {lam: Analysis(Instance(target=target, samples=n, lam=lam)) for lam in (Fraction(1, 3), Fraction(0))}
    rows, data = [], []
    for entry in REGISTRY:
        status = {str(lam): entry.check(an).verdict for lam, an in analyses.items()}
        rows.append([entry.label, entry.statement, ", ".join(entry.uses) or "-", entry.module,
                     f"lam=1/3: {status['1/3']}; lam=0: {status['0']}"])
        data.append({"label": entry.label, "statement": entry.statement, "uses": list(entry.uses),
                     "check": entry.module, "status": status})
    if args.json:
        out = dumps({"theory": str(path), "lint_problems": problems, "statements": data})
    else:
        out = (table(["label", "statement", "uses", "check", f"status on the demo instance ({DEMO['target']}, N = {n})"], rows)
               + "\n\n" + ("THEORY.md lint: clean (every statement has a check, every check a statement, "
                           "no unknown dependency, no cycle)" if not problems else
                           "THEORY.md lint problems:\n" + "\n".join("  " + p for p in problems)))
    if problems:
        raise StatementRefuted(f"THEORY.md lint found {len(problems)} problems", out)
    return out


# ---------------------------------------------------------------------------- verify
def cmd_verify(args: argparse.Namespace) -> str:
    try:
        doc = json.loads(Path(args.file).read_text())
    except OSError as exc:
        raise InputError(f"certificate file {args.file!r} is unreadable: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"certificate file {args.file!r} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(doc, dict) or "instance" not in doc or "results" not in doc:
        raise InputError(f"certificate file {args.file!r} needs keys 'instance' and 'results' (the output of check --json)")
    try:
        outcome = verify_document(doc)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"certificate file {args.file!r} is malformed or outside the verifier's scope: {exc}") from None
    bad = [(st, p) for st, p in outcome if p]
    if args.json:
        text = dumps({"results": [{"statement": st, "re_verified": not p, "problems": p} for st, p in outcome]})
    else:
        text = table(["statement", "independent re-check"],
                     [[st, "re-verified" if not p else "; ".join(p)] for st, p in outcome])
    if bad:
        raise StatementRefuted(f"{len(bad)} certificates failed independent re-verification", text)
    return text
