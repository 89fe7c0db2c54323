"""The ``collapse-ref`` command line.

Exit codes: 0 success; 1 a mathematical check failed (an exact identity that must hold
did not); 2 bad usage or input, or an instance refused by the size guard.  Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from fractions import Fraction

from .chain import FiniteChain
from .chainfile import read_chain_file
from .errors import CheckFailed, InputError, SizeError, StatementRefuted
from .linalg import BACKENDS
from .model import AdditiveSmoothing, EmpiricalLaw, Estimator, Instance
from .rationals import format_rational, parse_counts, parse_law, parse_nonnegative_int, parse_positive_int, parse_probability, parse_rational
from .report import cell, chain_report, describe_instance, evolution_report, laws_report, solution_latex, solution_report, table
from .serialise import chain_to_json, dump_parts, dumps, evolution_to_json, matrix, rationals, solution_to_json, start_matrix
from .parallel import workers
from .progress import SHOW_AFTER_SECONDS, terminal_note, terminal_progress
from .sizeguard import OVERRIDE_FLAG, check_size, estimate_chain, estimate_instance
from .solution import (CERTIFY_MODES, METHODS, Solution, certify_mode, certify_solution, evolve, fast_path_applies,
                       lumping_applies, moments_apply, solve)
from .typespace import number_of_types

PROG = "collapse-ref"
DEMO = {"target": "1/2,1/3,1/6", "samples": "4", "lam": "1/3"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage + line)
        raise InputError(f"{message} (see '{self.prog} --help')")


def instance_options(p: argparse.ArgumentParser, required: bool = True) -> None:
    """The options that describe an instance (shared by every command that takes one)."""
    p.add_argument("--target", required=required, help="the target law mu* on S = {0..d-1}, e.g. 1/2,1/3,1/6 (exact: 1/3, 0.25, 2); "
                   "entries may name symbols on small sizes, e.g. p,1-p")
    p.add_argument("--samples", required=required, help="N >= 1, samples per generation")
    p.add_argument("--lam", required=required, help="the fresh fraction lam in [0, 1], e.g. 1/3, or the symbol 'lam' (or λ) for a symbolic answer")
    p.add_argument("--estimator", default="empirical",
                   help="how the next model is fitted: 'empirical' (the paper's, default) or 'additive:ALPHA' "
                        "(additive smoothing (k + ALPHA)/(N + d ALPHA), which breaks the paper's hypothesis)")
    common_options(p)


def common_options(p: argparse.ArgumentParser) -> None:
    """--json, --backend, --digits, --allow-large."""
    p.add_argument("--json", action="store_true", help="print one JSON object (rationals as \"p/q\" strings)")
    p.add_argument("--backend", default="flint", choices=BACKENDS, help="exact linear-algebra backend (default flint)")
    p.add_argument("--digits", default="6", help="decimal places shown beside each exact value (default 6)")
    p.add_argument(OVERRIDE_FLAG, dest="allow_large", action="store_true", help="run even if the size guard estimates it too large")


def build_parser(extensions: Sequence[object] = ()) -> tuple[argparse.ArgumentParser, dict]:
    """The parser and the command table; each extension module adds commands via ``add_commands(sub)``."""
    parser = _Parser(prog=PROG, description="Exact finite-state reference for Borkar's recursive-training (model collapse) chain.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands = dict(COMMANDS)

    p = sub.add_parser("solve", help="classes, stationary laws, barycenters, absorption of one instance")
    instance_options(p)
    p.add_argument("--kernel", action="store_true", help="also print the transition kernel")
    p.add_argument("--latex", action="store_true", help="print a LaTeX fragment (stationary law, barycenter; kernel with --kernel)")
    p.add_argument("--method", default="auto", choices=METHODS,
                   help="stationary law: dense linear solve, the factorial-moment recursion (lam > 0), or auto (default)")
    p.add_argument("--certify", default="auto", choices=CERTIFY_MODES,
                   help="re-check the answer: full (every kernel row, exact integers), identity (randomised polynomial "
                        "identity test, error bound printed), auto (full unless slow; default), none")

    p = sub.add_parser("evolve", help="the exact law of the state after n = 0..G generations from a start type")
    instance_options(p)
    p.add_argument("--start", required=True, help="start type: counts summing to N, e.g. 6,2")
    p.add_argument("--generations", required=True, help="G >= 0")

    p = sub.add_parser("moments", help="exact stationary factorial moments up to an order, without the full law (lam > 0)")
    instance_options(p)
    p.add_argument("--order", required=True, help="the largest total order |j| (e.g. 2 for means and covariances)")

    p = sub.add_parser("analyse", aliases=["analyze"], help="analyse any exact row-stochastic matrix from a JSON file")
    p.add_argument("file", help='JSON: {"matrix": [["1/2","1/2"],["0","1"]], "states": [...]} or a bare list of rows')
    common_options(p)
    p.add_argument("--kernel", action="store_true", help="also print the matrix")
    p.add_argument("--start", help="with --generations: the start state's index (0-based)")
    p.add_argument("--generations", help="also give the exact law after n = 0..G steps from --start, and P(T <= n)")

    p = sub.add_parser("demo", help=f"solve the built-in instance (target {DEMO['target']}, N = {DEMO['samples']}) at lam = {DEMO['lam']} and at lam = 0")
    p.add_argument("--json", action="store_true", help="print a JSON object with both solutions")
    for ext in extensions:
        commands.update(ext.add_commands(sub))  # type: ignore[attr-defined]
    return parser, commands


def parse_estimator(text: str) -> Estimator:
    """``empirical`` or ``additive:ALPHA`` (ALPHA an exact rational >= 0)."""
    t = text.strip()
    if t == "empirical":
        return EmpiricalLaw()
    if t.startswith("additive:"):
        alpha = parse_rational(t.split(":", 1)[1], what="--estimator additive ALPHA")
        if alpha < 0:
            raise InputError(f"--estimator {t!r}: ALPHA must be >= 0")
        return AdditiveSmoothing(alpha)
    raise InputError(f"--estimator {t!r} is unknown; allowed: empirical, additive:ALPHA (e.g. additive:1/2)")


def instance_from(args: argparse.Namespace) -> Instance:
    """The instance the options describe (every value parsed exactly)."""
    return Instance(
        target=parse_law(args.target, what="--target"),
        samples=parse_positive_int(args.samples, what="--samples"),
        lam=parse_probability(args.lam, what="--lam"),
        estimator=parse_estimator(args.estimator),
    )


def digits_from(args: argparse.Namespace) -> int:
    digits = parse_nonnegative_int(args.digits, what="--digits")
    if digits > 100:
        raise InputError(f"--digits {digits} is too many; allowed: 0..100")
    return digits


def symbolic_requested(args: argparse.Namespace) -> bool:
    """Whether --lam or --target names a symbol (e.g. --lam lam, --target p,1-p)."""
    from .rationals import is_symbolic

    return any(is_symbolic(t) for t in (args.lam or "", *(args.target or "").split(",")))


def symbolic_instance_from(args: argparse.Namespace):  # -> SymbolicInstance
    from .symbolic import estimate_seconds, parse_symbolic_instance

    if args.estimator != "empirical":
        raise InputError("the symbolic path solves the paper's model (--estimator empirical) only")
    inst = parse_symbolic_instance(args.target, parse_positive_int(args.samples, what="--samples"), args.lam)
    seconds = estimate_seconds(inst)
    if seconds > 900 and not args.allow_large:
        raise SizeError(f"too large for the symbolic path: estimated {seconds:,.0f} s (limit 900 s); "
                        f"pass {OVERRIDE_FLAG} to run anyway")
    return inst


def _cmd_solve_symbolic(args: argparse.Namespace) -> str:
    from .symbolic import solve_symbolic, symbolic_latex, symbolic_report, symbolic_to_json

    sol = solve_symbolic(symbolic_instance_from(args))
    if args.latex:
        return symbolic_latex(sol, kernel=args.kernel)
    if args.json:
        return dumps(symbolic_to_json(sol, kernel=args.kernel))
    return symbolic_report(sol)


def _cmd_solve(args: argparse.Namespace) -> str | list[str]:
    if symbolic_requested(args):
        return _cmd_solve_symbolic(args)
    inst = instance_from(args)
    digits = digits_from(args)
    fast = args.method != "dense" and (fast_path_applies(inst) or lumping_applies(inst))
    estimate = estimate_instance(inst, moments=fast, kernel=args.kernel)
    check_size(estimate, args.allow_large)
    progress = terminal_progress("order") if estimate.seconds > SHOW_AFTER_SECONDS else None
    mode = certify_mode(args.certify, inst)  # refused before any work
    sol = solve(inst, backend=args.backend, method=args.method, certify="none", progress=progress)
    # for --json the digits of the law are begun on the other cores while this process certifies it
    texts = start_matrix(sol.stationary) if args.json and not args.latex else None
    if progress is not None:
        terminal_note(f"  computed; certifying (--certify {mode})")
    try:
        sol = certify_solution(sol, mode)
    except BaseException:
        if texts is not None:
            texts.discard()
        raise
    _note_solved(sol, progress)
    if texts is not None:
        return dump_parts(solution_to_json(sol, kernel=args.kernel, stationary=texts.result()))
    if args.latex:
        return solution_latex(sol, kernel=args.kernel)
    return solution_report(sol, digits=digits, kernel=args.kernel)


def _note_solved(sol: Solution, progress: object) -> None:
    if progress is not None:
        terminal_note(f"  solved (certificate: {sol.certification.method if sol.certification else 'none'}); writing the answer")


def _cmd_evolve(args: argparse.Namespace) -> str:
    inst = instance_from(args)
    digits = digits_from(args)
    start = parse_counts(args.start, what="--start")
    inst.space.rank(start)  # validates: a type of size N on d points
    generations = parse_nonnegative_int(args.generations, what="--generations")
    estimate = estimate_instance(inst, generations, backend=args.backend)
    check_size(estimate, args.allow_large)
    progress = terminal_progress("exact law, generation") if estimate.seconds > SHOW_AFTER_SECONDS else None
    ev = evolve(inst, start, generations, backend=args.backend, progress=progress)
    if args.json:
        return dumps(evolution_to_json(ev))
    return evolution_report(ev, digits=digits)


def _cmd_analyse(args: argparse.Namespace) -> str:
    digits = digits_from(args)
    if (args.start is None) != (args.generations is None):
        raise InputError("--start and --generations go together; give both or neither")
    rows, labels = read_chain_file(args.file)
    generations = 0 if args.generations is None else parse_nonnegative_int(args.generations, what="--generations")
    bits = max(p.numerator.bit_length() + p.denominator.bit_length() for row in rows for p in row)
    check_size(estimate_chain(len(rows), bits, generations), args.allow_large)
    chain = FiniteChain(rows, labels=labels, backend=args.backend)
    laws = None
    if args.start is not None:
        start = parse_nonnegative_int(args.start, what="--start")
        if start >= chain.n_states:
            raise InputError(f"--start {start} is not a state index; allowed: 0..{chain.n_states - 1}")
        laws = chain.evolve([Fraction(int(i == start)) for i in range(chain.n_states)], generations)
    chain.require_certified()
    if args.json:
        out = chain_to_json(chain, kernel=args.kernel)
        if laws is not None:
            out.update(start=start, generations=generations, laws=matrix(laws), absorbed_by=rationals(chain.absorbed_by(laws)))
        return dumps(out)
    text = chain_report(chain, digits=digits, kernel=args.kernel)
    if laws is not None:
        text += "\n\n" + laws_report(chain, start, laws, digits=digits)
    return text


def _cmd_moments(args: argparse.Namespace) -> str:
    from .moments import exact_stationary_moments

    inst = instance_from(args)
    digits = digits_from(args)
    order = parse_positive_int(args.order, what="--order")
    if not moments_apply(inst):
        raise InputError("moments need the paper's estimator and mixing and lam > 0")
    terms = sum(number_of_types(s, inst.size - 1) for s in range(1, min(order, inst.samples) + 1))
    if terms * min(order, inst.samples) ** 2 > 5e7 and not args.allow_large:
        raise SizeError(f"too large: {terms:,} moments of order <= {order}; pass {OVERRIDE_FLAG} to run anyway")
    moments = exact_stationary_moments(list(inst.target), inst.samples, inst.lam, order)
    if args.json:
        return dumps({"format": "collapse-reference/moments/1", "instance": inst.describe(), "order": order,
                      "coordinates": f"the first d-1 = {inst.size - 1} coordinates of the type K",
                      "factorial_moments": [[list(j), format_rational(v)] for j, v in moments.items()]})
    rows = [["(" + ",".join(map(str, j)) + ")", cell(v, digits)] for j, v in moments.items()]
    return ("Instance: " + describe_instance(inst)
            + f"\nstationary factorial moments E prod_x (K_x)_(j_x) over the first d-1 coordinates, |j| <= {order}\n\n"
            + table(["j", "E prod (K_x)_(j_x)"], rows))


def _cmd_demo(args: argparse.Namespace) -> str:
    target = parse_law(DEMO["target"])
    n = int(DEMO["samples"])
    sols = [solve(Instance(target=target, samples=n, lam=lam)) for lam in (Fraction(1, 3), Fraction(0))]
    if args.json:
        return dumps({"solutions": [solution_to_json(s) for s in sols]})
    intro = [
        "collapse-reference demo: the same target and sample size with and without fresh data.",
        "",
        "1) lam = 1/3 > 0 (Section III): one recurrent class, one stationary law, barycenter mu* (degeneration, not collapse).",
    ]
    middle = [
        "",
        "2) lam = 0 (Section IV): the recurrent classes are the Dirac types; from type k the chain collapses onto x",
        "   with probability k_x/N, after an exact finite expected time.",
    ]
    return "\n".join(intro + [solution_report(sols[0])] + middle + [solution_report(sols[1])])


COMMANDS = {"solve": _cmd_solve, "evolve": _cmd_evolve, "moments": _cmd_moments, "analyse": _cmd_analyse, "analyze": _cmd_analyse, "demo": _cmd_demo}


def main(argv: Sequence[str] | None = None, extensions: Sequence[object] | None = None) -> int:
    """Run the command line; return the exit code.

    ``extensions`` are modules adding commands (default: the statement checks of
    :mod:`proofs_checks.cli`, the interface layer above both packages, and
    :mod:`reference.cli_tools`; not imported when the command is one of this module's).
    """
    words = list(sys.argv[1:] if argv is None else argv)
    if extensions is None and words and words[0] in COMMANDS:
        extensions = ()  # a core command: the extensions' imports (~40 ms of start-up) are not needed
    if extensions is None:
        from proofs_checks import cli as checks_cli

        from . import cli_tools

        extensions = (checks_cli, cli_tools)
    try:
        workers()  # a bad COLLAPSE_REF_WORKERS is refused before any work
        parser, commands = build_parser(extensions)
        args = parser.parse_args(argv)
        output = commands[args.command](args)
    except (InputError, SizeError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except CheckFailed as exc:
        print(f"{PROG}: check failed: {exc}", file=sys.stderr)
        return 1
    except StatementRefuted as exc:
        _print(exc.output)
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    _print(output)
    return 0


def _print(text: str | list[str]) -> None:
    """Write a command's output (a text, or the fragments of a long JSON text) and a newline."""
    try:
        if isinstance(text, list):
            sys.stdout.writelines(text)
            sys.stdout.write("\n")
        else:
            print(text)
    except BrokenPipeError:
        pass


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
