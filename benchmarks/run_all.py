"""Run every benchmark and write one markdown table.

    python benchmarks/run_all.py                 # full runs -> benchmarks/RESULTS.md and README.md
    python benchmarks/run_all.py --quick         # smaller runs, for a smoke test
    KERAS_BACKEND=jax python benchmarks/run_all.py --skip-notebooks   # a GPU box without Jupyter

Each ``bench_*.py`` script runs in its own process (so one's memory or threads do not
colour the next) and hands back its rows as JSON; then every solution notebook is timed
top to bottom in its default mode, unless skipped.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from common import Row  # noqa: E402

NOTEBOOK_TARGET_SECONDS = 180
SUITE_TARGET_SECONDS = 720
README = ROOT / "README.md"
README_MARKERS = ("<!-- benchmarks: start -->", "<!-- benchmarks: end -->")


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    code = ("import dl4cv, keras; from dl4cv import runtime; "
            "print(keras.__version__, keras.backend.backend(), runtime.accelerator())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    keras_version, backend, device = (result.stdout.split() + ["?", "?", "?"])[:3]
    gpu = ""
    if device == "gpu":
        query = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                               capture_output=True, text=True)
        gpu = query.stdout.strip().splitlines()[0] if query.returncode == 0 and query.stdout.strip() else "GPU"
    return (f"{cpu}, {os.cpu_count()} cores" + (f", {gpu}" if gpu else "")
            + f"; Python {platform.python_version()}, Keras {keras_version} on {backend}, device {device}")


def run_script(script, quick):
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "rows.json"
        command = [sys.executable, str(script), "--json", str(output)] + (["--quick"] if quick else [])
        print(f"$ {' '.join(command[1:])}", flush=True)
        result = subprocess.run(command, cwd=ROOT)
        if result.returncode != 0 or not output.exists():
            return [Row(script.stem, f"failed (exit code {result.returncode})", met=False)]
        return [Row(**row) for row in json.loads(output.read_text())]


def time_notebooks():
    import nbformat
    from nbclient import NotebookClient

    rows, total = [], 0.0
    env = {key: value for key, value in os.environ.items() if key != "NBGRADER_EXECUTION"}
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        if path.stem != path.parent.name:
            continue
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(notebook, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
        seconds = time.perf_counter() - start
        total += seconds
        print(f"notebook {path.stem}: {seconds:.1f} s", flush=True)
        rows.append(Row(f"notebook {path.stem}, top to bottom", f"{seconds:.0f} s",
                        f"≤ {NOTEBOOK_TARGET_SECONDS} s", seconds <= NOTEBOOK_TARGET_SECONDS))
    rows.append(Row("all solution notebooks, one after another", f"{total:.0f} s",
                    f"≤ {SUITE_TARGET_SECONDS} s", total <= SUITE_TARGET_SECONDS))
    return rows


def markdown(rows, description, quick):
    mark = {True: "yes", False: "**no**", None: ""}
    lines = [f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {description}"
             + (" (quick runs)" if quick else "") + ".", "",
             "| benchmark | result | target | met |", "|---|---|---|---|"]
    lines += [f"| {r.benchmark} | {r.result} | {r.target} | {mark[r.met]} |" for r in rows]
    return "\n".join(lines) + "\n"


def show_in_readme(table, readme=README):
    """Put ``table`` between the README's benchmark markers."""
    text = readme.read_text()
    start, end = README_MARKERS
    if text.count(start) != 1 or text.count(end) != 1:
        raise SystemExit(f"{readme} needs one {start!r} line and one {end!r} line after it")
    before, rest = text.split(start)
    after = rest.split(end)[1]
    readme.write_text(f"{before}{start}\n{table}{end}{after}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs of each benchmark")
    parser.add_argument("--skip-notebooks", action="store_true", help="do not time the solution notebooks")
    parser.add_argument("--only", nargs="*", default=None, help="run only these bench_*.py names")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"), help="where to write the table")
    parser.add_argument("--no-readme", action="store_true", help="leave the README's copy of the table alone")
    args = parser.parse_args()
    description = machine()
    print(f"machine: {description}", flush=True)
    rows = []
    for script in sorted(HERE.glob("bench_*.py")):
        if args.only is None or script.stem in args.only:
            rows += run_script(script, args.quick)
    if not args.skip_notebooks:
        rows += time_notebooks()
    table = markdown(rows, description, args.quick)
    Path(args.out).write_text(table)
    if not args.no_readme:
        show_in_readme(table)
    print(table)


if __name__ == "__main__":
    main()
