"""CrossHair checks the integer core's PEP 316 contracts over every small input it explores.

The contracts in ``reference/integer_core.py`` (multinomial coefficients, the multinomial
theorem and first-moment identity of integer kernel rows, type ranking round trips, the
integer martingale identity) run under symbolic execution with a per-condition time
limit; a counterexample fails this test with CrossHair's report.  About 40 s.
"""

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "reference" / "integer_core.py"


def test_crosshair_contracts_of_the_integer_core():
    cmd = [sys.executable, "-m", "crosshair", "check", "--analysis_kind=PEP316",
           "--per_condition_timeout=8", "--per_path_timeout=2", str(CORE)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"CrossHair found a contract violation:\n{done.stdout}\n{done.stderr}"
