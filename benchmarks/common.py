"""What every benchmark script shares: its command line, and the rows it reports.

A script calls ``parse_args(description)`` and, once measured, ``report(rows, args)``
with rows of ``Row``; ``run_all.py`` gathers the rows of every script into one table.
A script that measures a lab's own code takes it from the solution notebook with
``run_cells`` rather than keeping a copy of it.
"""
import argparse
import ast
import json
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path


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


def run_cells(notebook, cell_ids, names=None, definitions_only=False):
    """Execute the code cells of ``notebook`` whose ids are ``cell_ids``, in that order, in
    a namespace that starts as a copy of ``names`` (the modules and values those cells use
    but do not define), and return the namespace.

    With ``definitions_only``, each cell runs only its imports, ``def`` and ``class``
    statements and its assignments to UPPER_CASE names (the lab's constants), and so
    leaves out whatever else the cell does: train, print, plot.  The notebook is read as
    plain JSON, so that this works on a machine without Jupyter.
    """
    notebook = Path(notebook)
    contents = json.loads(notebook.read_text(encoding="utf-8"))
    cells = {cell.get("id"): cell for cell in contents.get("cells", []) if cell.get("cell_type") == "code"}
    missing = [cell_id for cell_id in cell_ids if cell_id not in cells]
    if missing:
        raise SystemExit(f"{notebook} has no code cells with the ids {missing}: "
                         "the benchmark needs them, so has the lab changed?")
    namespace = dict(names or {})
    for cell_id in cell_ids:
        source = cells[cell_id]["source"]
        tree = ast.parse("".join(source) if isinstance(source, list) else source)
        if definitions_only:
            tree.body = [statement for statement in tree.body if _is_definition(statement)]
        exec(compile(tree, f"{notebook.name}:{cell_id}", "exec"), namespace)
    return namespace


def _is_definition(statement):
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    targets = statement.targets if isinstance(statement, ast.Assign) else (
        [statement.target] if isinstance(statement, ast.AnnAssign) else [])
    return bool(targets) and all(isinstance(target, ast.Name) and target.id.isupper() for target in targets)


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


def run_notebook(path, grading, env=None):
    """Run a solution notebook top to bottom in this machine's Python kernel, on the CPU,
    in its grading mode or its default one, with ``env`` set; return (the executed
    notebook, wall seconds, the kernel's own CPU seconds: on a shared machine they say
    more than the wall clock)."""
    import os

    import nbformat
    from nbclient import NotebookClient

    os.environ.update({"CUDA_VISIBLE_DEVICES": "", **(env or {})})
    if grading:  # the hidden tests send their probes, as under dl4cv-grade
        os.environ.update({"NBGRADER_EXECUTION": "autograde", "DL4CV_PROBES": "1"})
    else:
        os.environ.pop("NBGRADER_EXECUTION", None)
    notebook = nbformat.read(path, as_version=4)
    probe = nbformat.v4.new_code_cell("import os as _os; print(sum(_os.times()[:2]))")
    probe.id = "bench-cpu-probe"
    notebook.cells.append(probe)
    client = NotebookClient(notebook, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    started = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - started
    return notebook, wall, float(printed(notebook, probe.id))


def printed(notebook, cell_id):
    """What a cell of an executed notebook printed."""
    cell = next(c for c in notebook.cells if c.get("id") == cell_id)
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
