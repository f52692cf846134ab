"""What every benchmark script shares: its command line, and the rows it reports.

A script calls ``parse_args(description)`` and, once measured, ``report(rows, args)``
with rows of ``Row``; ``run_all.py`` gathers the rows of every script into one table.
"""
import argparse
import json
import statistics
import time
from dataclasses import asdict, dataclass


@dataclass
class Row:
    benchmark: str
    result: str
    target: str = ""
    met: bool | None = None  # None where there is no target


def require(benchmark, *modules):
    """Called before a script imports ``modules``: when any is not installed (a GPU
    machine with JAX may have no Jupyter, nbgrader or SciPy), report one row that says
    so, instead of the script's rows, and exit."""
    import importlib.util

    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        parser = argparse.ArgumentParser()
        parser.add_argument("--json")
        report([Row(benchmark, f"not run here: needs {', '.join(missing)}")], parser.parse_known_args()[0])
        raise SystemExit(0)


def parse_args(description, add_arguments=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run")
    parser.add_argument("--json", metavar="PATH", help="also write the rows to this JSON file")
    if add_arguments:
        add_arguments(parser)
    return parser.parse_args()


def median_seconds(function, repeats, warmup=1):
    """Median wall-clock seconds of ``function()`` over ``repeats`` calls after ``warmup``."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(rows, args):
    for row in rows:
        verdict = "" if row.met is None else ("  [target met]" if row.met else "  [TARGET MISSED]")
        target = f"  (target {row.target})" if row.target else ""
        print(f"{row.benchmark}: {row.result}{target}{verdict}")
    if args.json:
        with open(args.json, "w") as file:
            json.dump([dict(asdict(row), met=None if row.met is None else bool(row.met)) for row in rows],
                      file, indent=1)
