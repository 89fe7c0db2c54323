"""The README's Python example runs as written (a doc that drifts from the code is a bug)."""

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_block_runs():
    text = README.read_text()
    block = text.split("## From Python\n```python\n")[1].split("```")[0]
    block = block.replace("FiniteChain(rows)", "FiniteChain(((F(1),),))")  # the README leaves `rows` to the reader
    namespace: dict = {}
    exec(compile(block, str(README), "exec"), namespace)  # our own documentation, not user input
    assert namespace["sol"].barycenters[0] == namespace["sol"].instance.target


def test_readme_mentions_every_command():
    from reference.cli import build_parser

    parser, commands = build_parser(extensions=_extensions())
    text = README.read_text()
    for name in commands:
        if name != "analyze":
            assert f"collapse-ref {name}" in text, name


def _extensions():
    from proofs_checks import cli as checks_cli
    from reference import cli_tools

    return (checks_cli, cli_tools)
