"""The validation commands of ``collapse-ref``: ``compare``, ``golden``, ``simulate``."""

from __future__ import annotations

import argparse
from fractions import Fraction
from typing import Any

from .cli import digits_from, instance_from, instance_options
from .compare import all_within, compare, load_candidate
from .errors import InputError, StatementRefuted
from .golden import default_grid, read_grid, verify_fixtures, write_fixtures
from .model import Instance
from .rationals import (format_decimal, format_rational, format_scientific, parse_counts, parse_law,
                        parse_nonnegative_int, parse_positive_int, parse_probability, parse_rational)
from .report import describe_instance, table
from .serialise import dumps
from .sizeguard import check_size, estimate_instance
from .solution import solve


def add_commands(sub: Any) -> dict[str, Any]:
    p = sub.add_parser("compare", help="compare another implementation's results (JSON) with the exact answer")
    p.add_argument("file", help="candidate JSON with the keys of solve --json (floats, decimals or p/q)")
    instance_options(p, required=False)
    p.add_argument("--tol", default="1e-9", help="absolute tolerance (default 1e-9): pass if |candidate - exact| <= tol + rtol |exact|")
    p.add_argument("--rtol", default="0", help="relative tolerance (default 0)")

    p = sub.add_parser("golden", help="write exact fixtures for other test suites, or --verify a fixture directory")
    p.add_argument("--out", help="directory to write the fixtures and index.json into")
    p.add_argument("--grid", default="default", help="'default' (built-in grid) or a JSON file listing {target, samples, lam}")
    p.add_argument("--verify", metavar="DIR", help="re-solve every fixture in DIR and check it is still exact")
    p.add_argument("--workers", default="1", help="processes computing the fixtures (default 1)")

    p = sub.add_parser("simulate", help="Monte Carlo replicas of the recursion, tested against the exact law")
    instance_options(p)
    p.add_argument("--start", required=True, help="start type: counts summing to N")
    p.add_argument("--generations", required=True, help="G >= 0")
    p.add_argument("--replicas", default="100000", help="number of independent replicas (default 100000)")
    p.add_argument("--seed", default="0", help="seed of numpy's PCG64 generator (same seed, same output)")
    p = sub.add_parser("numeric", help="float64 stationary law for d = 2 and large N, accurate in the tails (log pi)")
    instance_options(p)
    p.add_argument("--no-exact", action="store_true", help="skip the comparison with the exact law (done for N <= 200)")
    return {"compare": cmd_compare, "golden": cmd_golden, "simulate": cmd_simulate, "numeric": cmd_numeric}


def cmd_numeric(args: argparse.Namespace) -> str:
    from .numeric import EXACT_COMPARISON_MAX, estimate_numeric, float_stationary

    from .progress import SHOW_AFTER_SECONDS, terminal_progress

    inst = instance_from(args)
    estimate = estimate_numeric(inst.samples)
    check_size(estimate, args.allow_large)
    progress = terminal_progress(f"N = {inst.samples} pass") if estimate.seconds > SHOW_AFTER_SECONDS else None
    law = float_stationary(inst, compare_exact=not args.no_exact, progress=progress)
    if args.json:
        return dumps(law.to_json())
    n = inst.samples
    rows = [[f"({n - i},{i})", f"{law.log_pi[n - i] / 2.302585092994046:.12f}"] for i in range(n + 1)]
    exact = ("not compared (--no-exact)" if args.no_exact else f"not computed (N > {EXACT_COMPARISON_MAX})") \
        if law.exact_max_relative_error is None else f"{law.exact_max_relative_error:.1e}"
    return "\n".join([
        "Instance: " + describe_instance(inst),
        "float64 path (not exact): log10 of the stationary probability of each state",
        "",
        table(["state", "log10 pi"], rows),
        "",
        f"check: max over states of |(pi P - pi)_j| / pi_j = {law.max_relative_residual:.1e} (every state, tails included)",
        f"check: max relative error against the exact law = {exact}",
        f"passes (N of each, coarsest first): {', '.join(map(str, law.levels))}",
    ])


def _instance_or_file(args: argparse.Namespace, candidate: dict[str, Any]) -> Instance:
    given = [getattr(args, k) is not None for k in ("target", "samples", "lam")]
    if all(given):
        return instance_from(args)
    if any(given):
        raise InputError("give all of --target, --samples, --lam, or none (to take the instance from the file)")
    inst = candidate.get("instance")
    if not isinstance(inst, dict) or not {"target", "samples", "lam"} <= set(inst):
        raise InputError("no instance: give --target, --samples, --lam, or an 'instance' object in the file")
    target = inst["target"] if isinstance(inst["target"], str) else [str(t) for t in inst["target"]]
    return Instance(target=parse_law(target, what="$.instance.target"),
                    samples=parse_positive_int(str(inst["samples"]), what="$.instance.samples"),
                    lam=parse_probability(str(inst["lam"]), what="$.instance.lam"))


def cmd_compare(args: argparse.Namespace) -> str:
    candidate = load_candidate(args.file)
    inst = _instance_or_file(args, candidate)
    tol = parse_rational(args.tol, what="--tol")
    rtol = parse_rational(args.rtol, what="--rtol")
    if tol < 0 or rtol < 0:
        raise InputError("--tol and --rtol must be >= 0")
    check_size(estimate_instance(inst), args.allow_large)
    reports = compare(candidate, solve(inst, backend=args.backend), tol, rtol)
    if args.json:
        text = dumps({"format": "collapse-reference/compare/1", "instance": inst.describe(),
                      "tol": format_rational(tol), "rtol": format_rational(rtol),
                      "within_tolerance": all_within(reports), "quantities": [r.to_json() for r in reports]})
    else:
        rows = []
        for r in reports:
            if r.worst_abs is None:
                rows.append([r.quantity, r.status, str(r.compared), "", "", r.note or "", "", ""])
            else:
                rows.append([r.quantity, r.status, str(r.compared), format_scientific(r.worst_abs),
                             format_scientific(r.worst_rel) if r.worst_rel is not None else "-", r.where,
                             format_scientific(r.candidate, 12), format_rational(r.exact) if len(format_rational(r.exact)) < 30
                             else format_scientific(r.exact, 12)])
        text = ("Instance: " + describe_instance(inst) + f"\ntolerance: |candidate - exact| <= {args.tol} + {args.rtol} |exact|\n\n"
                + table(["quantity", "status", "compared", "worst abs err", "worst rel err", "where (worst abs)", "candidate", "exact"], rows))
        notes = [f"{r.quantity}: {r.note}" for r in reports if r.note and r.worst_abs is not None]
        if notes:
            text += "\n\n" + "\n".join(notes)
    if not all_within(reports):
        bad = [r.quantity for r in reports if not r.within]
        raise StatementRefuted(f"outside tolerance: {', '.join(bad)}", text)
    return text


def cmd_golden(args: argparse.Namespace) -> str:
    if args.verify:
        if args.out:
            raise InputError("--verify DIR re-checks fixtures; do not combine it with --out")
        problems = verify_fixtures(args.verify)
        if problems:
            raise StatementRefuted(f"{len(problems)} fixtures do not re-verify", "\n".join(problems))
        return f"every fixture in {args.verify} re-verified exactly (exact values and correctly rounded floats)"
    if not args.out:
        raise InputError("golden needs --out DIR (or --verify DIR)")
    instances = default_grid() if args.grid == "default" else read_grid(args.grid)
    for inst in instances:
        check_size(estimate_instance(inst), False)
    workers = parse_positive_int(args.workers, what="--workers")
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            paths = write_fixtures(instances, args.out, executor=pool)
    else:
        paths = write_fixtures(instances, args.out)
    return f"wrote {len(paths)} fixtures and index.json to {args.out}"


def cmd_simulate(args: argparse.Namespace) -> str:
    from .progress import terminal_progress
    from .simulate import simulate  # numpy and mpmath only when simulating

    inst = instance_from(args)
    digits = digits_from(args)
    start = parse_counts(args.start, what="--start")
    inst.space.rank(start)
    generations = parse_nonnegative_int(args.generations, what="--generations")
    replicas = parse_positive_int(args.replicas, what="--replicas")
    seed = parse_nonnegative_int(args.seed, what="--seed")
    check_size(estimate_instance(inst, generations, backend=args.backend), args.allow_large)
    sim = simulate(inst, start, generations, replicas, seed, progress=terminal_progress("generation"),
                   exact_progress=terminal_progress("exact law, generation"))
    if args.json:
        return dumps(sim.to_json())
    fit = sim.fit
    observed = dict(sim.empirical)
    rows = [["(" + ",".join(map(str, s)) + ")", str(observed.get(s, 0)),
             format_decimal(Fraction(observed.get(s, 0), replicas), digits), format_decimal(p, digits)]
            for s, p in sim.exact if p or observed.get(s)]  # the exact law the simulation was tested against
    return ("Instance: " + describe_instance(inst)
            + f"\n{replicas:,} replicas from {start}, {generations} generations, seed {seed}\n\n"
            + table(["state", "replicas", "frequency", "exact probability"], rows)
            + f"\n\nPearson chi-square against the exact law: statistic {format_decimal(fit.statistic, 3)}, df {fit.df}, "
            f"p-value {fit.p_value:.4g}; worst cell {fit.worst_state} (standardized residual {fit.worst_residual:.2f})")
