"""``python -m reference`` runs the ``collapse-ref`` command line."""

from .cli import run

run()
