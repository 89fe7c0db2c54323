"""How big can it go: the command line end to end (JSON written), with peak memory, answer
size and the size guard's estimate beside each measurement.

Run: ``python benchmarks/bench_scale.py`` (about 2 min; ``--large`` adds d = 2, N = 400
twice, d = 4, N = 30, d = 3, N = 100 and lam = 0, d = 3, N = 60: about 1 more min; ``--dense`` adds the readable dense path on
the small rows for the ratio; ``--against REF`` also runs the code of git revision ``REF``
(a temporary worktree), alternating with this one run by run so that both see the same
machine, and prints its median and the ratio — this machine's speed drifts by 10-30%
over minutes, so only such interleaved ratios compare two versions).  Not part of the
test suite.

Each row runs ``collapse-ref solve ... --json > file`` in a fresh process with
byte-compiled modules (start-up, the fast path, lowest terms, certification as ``--certify auto`` picks, decimal digits, JSON)
and reports the median wall time over repeats, the peak resident memory (the process's
``VmHWM`` plus its largest forked worker's ``ru_maxrss``, an upper bound), the size guard's
estimate (``reference.sizeguard``) and the ratio ``estimate / measured`` (>= 1: the guard is conservative), the bits of the largest
denominator in the answer, and the certificate the run chose.  The machine is printed
first.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction as F

from reference import Instance
from reference.rationals import format_rational
from reference.sizeguard import estimate_instance
from reference.solution import fast_path_applies, lumping_applies


WRAPPER = """
import resource, sys
from reference.cli import main
with open(sys.argv[1], "w") as out:
    sys.stdout = out
    code = main(sys.argv[2:])
    sys.stdout = sys.__stdout__
# the process's own peak (VmHWM: Linux's ru_maxrss would carry over the benchmark's own peak
# through exec) plus its largest forked worker's (reference.parallel; shared pages counted twice)
own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


# Measured processes use byte-compiled modules, as an installed package does: a machine-wide
# PYTHONDONTWRITEBYTECODE (set on the project's machine) would add ~30 ms of compiling to
# every start.  `main` compiles them once first.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_cli(args: list[str], tree: str | None = None) -> tuple[float, float, dict]:
    """Wall seconds, peak RSS (MiB) of one fresh ``collapse-ref`` process, and its JSON output
    (``tree``: the code of that checkout, imported from it as the working directory)."""
    with tempfile.NamedTemporaryFile("w+", suffix=".json") as out:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", WRAPPER, out.name, *args, "--json"], check=True,
                              stderr=subprocess.PIPE, text=True, env=ENV, cwd=tree)
        seconds = time.perf_counter() - t0
        data = json.load(open(out.name))
    return seconds, int(proc.stderr.split()[-1]) / 1024, data


def baseline_tree(revision: str) -> str:
    """A temporary git worktree of ``revision`` beside nothing of ours, byte-compiled."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tree = tempfile.mkdtemp(prefix="bench-baseline-")
    subprocess.run(["git", "-C", repo, "worktree", "add", "--detach", "-q", tree, revision], check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(tree, "reference")], check=False, env=ENV,
                   stdout=subprocess.DEVNULL)
    return tree


def main() -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    packages = [os.path.dirname(os.path.abspath(__import__(name).__file__)) for name in ("reference", "proofs_checks")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], check=False, env=ENV, stdout=subprocess.DEVNULL)
    revision = sys.argv[sys.argv.index("--against") + 1] if "--against" in sys.argv else None
    tree = baseline_tree(revision) if revision else None
    try:
        run_cases(tree, revision)
    finally:
        if tree:
            repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            subprocess.run(["git", "-C", repo, "worktree", "remove", "--force", tree], check=False)


def run_cases(tree: str | None, revision: str | None) -> None:
    third, zero = F(1, 3), F(0)
    quarter, half = (F(1, 4), F(3, 4)), (F(1, 2), F(1, 2))
    three, four = (F(1, 2), F(1, 3), F(1, 6)), (F(1, 10), F(1, 5), F(3, 10), F(2, 5))
    cases = [(quarter, 50, third), (quarter, 100, third), (quarter, 200, third), (three, 30, third),
             (three, 60, third), (four, 15, third), (half, 200, zero), (three, 30, zero)]
    if "--large" in sys.argv:
        cases += [(quarter, 400, third), (half, 400, zero), (four, 30, third), (three, 100, third), (three, 60, zero)]
    header = (f"{'instance':<24} {'method':<7} {'median s':>9} {'est s':>7} {'est/meas':>8} {'peak MiB':>9} "
              f"{'est MiB':>8} {'answer bits':>11}  certificate")
    if tree:
        header += f"  | {revision[:12]} median s, ratio (same answer)"
    print(header)
    for target, n, lam in cases:
        inst = Instance(target=target, samples=n, lam=lam)
        args = ["solve", "--target", ",".join(format_rational(t) for t in target), "--samples", str(n),
                "--lam", format_rational(lam)]
        methods = ["auto"] + (["dense"] if "--dense" in sys.argv and len(inst.space) <= 500 else [])
        for method in methods:
            est = estimate_instance(inst, moments=method == "auto" and (fast_path_applies(inst) or lumping_applies(inst)))
            repeats = 5 if est.seconds < 3 else 1  # short runs are noisy on a shared machine: median of 5
            runs, base_runs = [], []
            for _ in range(repeats):  # alternating with the baseline's runs, when there is one
                runs.append(run_cli(args + ["--method", method, "--allow-large"]))
                if tree:
                    base_runs.append(run_cli(args + ["--method", method, "--allow-large"], tree))
            seconds = statistics.median(r[0] for r in runs)
            peak, data = runs[-1][1], runs[-1][2]
            values = [x for pi in data["stationary"] for x in pi] + data["expected_absorption_time"]
            bits = max(int(len(x.split("/")[1]) * 3.3219) if "/" in x else 0 for x in values) if values else 0
            name = f"d={len(target)} N={n} lam={format_rational(lam)}"
            cert = data.get("certificate", {})
            line = (f"{name:<24} {method:<7} {seconds:>9.2f} {est.seconds:>7.1f} {est.seconds / seconds:>8.1f} "
                    f"{peak:>9.0f} {est.bytes / 2**20:>8.0f} {bits:>11,}  {cert.get('method', '-')} "
                    f"{cert.get('error_probability_at_most', '')}")
            if tree:
                base = statistics.median(r[0] for r in base_runs)
                same = all(r[2]["stationary"] == data["stationary"] and
                           r[2]["expected_absorption_time"] == data["expected_absorption_time"] for r in base_runs)
                line += f"  | {base:.2f}  {base / seconds:.2f}x  {same}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
