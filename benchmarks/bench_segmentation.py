"""Time Lab 5's default recipe on this machine's CPU and print its test mIoU.

    python benchmarks/bench_segmentation.py            # the student run (CPU budget)
    python benchmarks/bench_segmentation.py --grading  # the autograding run (small budget)

It executes the solution notebook itself (GPUs hidden), so the numbers are those of the
recipe students run, with the same budget, and prints what the notebook printed about
its training, its test scores and the skip-connection experiment, with the machine's
load: on a shared machine the times are inflated.
"""
import os
import re
import sys
from pathlib import Path

from common import Row, parse_args, printed, report, require, run_notebook

require("segmentation lab: training time, test mIoU", "nbformat", "nbclient", "ipykernel")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "solutions" / "lab5_segmentation" / "lab5_segmentation.ipynb"
REPORTED_CELLS = ("budget", "train", "evaluate", "experiment")


def main():
    arguments = parse_args(__doc__.splitlines()[0], lambda parser: parser.add_argument(
        "--grading", action="store_true", help="run as nbgrader does (small budget)"))
    arguments.grading = arguments.grading or arguments.quick
    load_before = os.getloadavg()
    notebook, wall, kernel_cpu = run_notebook(NOTEBOOK, arguments.grading)
    for cell_id in REPORTED_CELLS:
        print(f"[{cell_id}]\n{printed(notebook, cell_id).rstrip()}")
    training = re.search(r"in (\d+) s", printed(notebook, "train"))
    miou = re.search(r"test mIoU ([0-9.]+)", printed(notebook, "evaluate"))
    print(f"\nmode: {'grading' if arguments.grading else 'default (CPU)'} | cores: {os.cpu_count()} | "
          f"load average before/after: {load_before[0]:.1f}/{os.getloadavg()[0]:.1f}")
    print(f"training time: {training.group(1) if training else '?'} s | test mIoU: "
          f"{miou.group(1) if miou else '?'} | whole notebook: {wall:.0f} s wall, "
          f"{kernel_cpu:.0f} s CPU time in the kernel")
    seconds, score = (float(training.group(1)) if training else None), (float(miou.group(1)) if miou else None)
    mode = "grading budget" if arguments.grading else "default CPU budget"
    report([Row(f"segmentation ({mode}): training time, test mIoU",
                f"{seconds if seconds is not None else '?'} s, {score if score is not None else '?'}",
                "" if arguments.grading else "≤ 180 s, ≥ 0.80",
                None if arguments.grading else (seconds is not None and score is not None
                                                and seconds <= 180 and score >= 0.80))], arguments)


if __name__ == "__main__":
    sys.exit(main())
