"""Grading throughput: serial ``nbgrader autograde`` against ``dl4cv-grade``, in one run.

    python benchmarks/bench_grading.py                      # 50 submissions of Lab 1 and of the MNIST lab
    python benchmarks/bench_grading.py --lab lab4_mnist_cnn -n 20 --workers 2

Both grade the same N generated submissions (the lab's fixture submissions from
tests/submissions/<lab>.py, the full solution and the blank lab, repeated) in fresh course
folders.  Per-submission seconds for nbgrader come from the times its autograded notebooks
were written (one process grades them one after another); for ours, from the workers.
Ours also writes feedback HTML and the CSV, which the serial baseline does not.
Targets (issues 7 and 21): ``MEDIAN_TARGET_SECONDS`` and ``SPEED_UP_TARGET`` below.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDIAN_TARGET_SECONDS, SPEED_UP_TARGET = 10, 1.8  # median per submission at most; serial time / ours at least
sys.path.insert(0, str(ROOT))  # the tests package: fixture submissions

from common import Row, parse_args, report, require  # noqa: E402

require("grading throughput", "nbformat", "nbgrader")

import nbformat  # noqa: E402

from tests.support.notebooks import points  # noqa: E402
from tests.support.submissions import Submission, submissions_for  # noqa: E402
from dl4cv.course.grading.course import lab_snapshot, load_course  # noqa: E402
from dl4cv.course.grading.pool import grade_lab  # noqa: E402
from dl4cv.probes import PROBES_ENV  # noqa: E402
from dl4cv.course.grading.sandbox import sandbox_description  # noqa: E402
from dl4cv.course.grading.tasks import Limits  # noqa: E402


def make_course(folder, lab, n):
    """A course folder with ``n`` submissions cycling through the lab's fixtures."""
    kinds = [Submission("solution", expected=points(lab)), Submission("blank", expected=0, blank=True),
             *submissions_for(lab)]
    shutil.copytree(ROOT / "solutions" / lab, folder / "source" / lab)
    for index in range(n):
        kind = kinds[index % len(kinds)]
        target = folder / "submitted" / f"student{index:03d}" / lab
        target.mkdir(parents=True)
        nbformat.write(kind.notebook(lab), target / f"{lab}.ipynb")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def nbgrader(*args, course):
    # Plain nbgrader cannot judge probes, so the hidden tests would stop at their first one;
    # this lets them send every probe (nbgrader ignores them), to time the same work.
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
               **{PROBES_ENV: "1"})
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}",
                             "--log-level=ERROR"], cwd=course, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)


def cpu_seconds():
    """Busy CPU seconds of the whole machine so far (/proc/stat): a kernel in its own
    sandbox is no child of this process, so this process' rusage would miss it.  Measure
    on an otherwise idle machine."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def serial(course, lab, cell_timeout):
    nbgrader("generate_assignment", lab, f"--CourseDirectory.release_directory={course}/release", course=course)
    started, cpu = time.time(), cpu_seconds()
    nbgrader("autograde", lab, "--create", f"--Execute.timeout={cell_timeout}", course=course)
    total, cpu = time.time() - started, cpu_seconds() - cpu
    written = sorted([started] + [p.stat().st_mtime for p in (course / "autograded").glob(f"*/{lab}/{lab}.ipynb")])
    return total, statistics.median(b - a for a, b in zip(written, written[1:])), cpu


def ours(course, lab, workers, limits):
    lab_snapshot(load_course(course), lab)  # the gradebook gets the lab untimed, as for serial
    started, cpu = time.time(), cpu_seconds()
    with open(os.devnull, "w") as quiet:
        results = grade_lab(lab, course, workers=workers, limits=limits, out=quiet)
    total, cpu = time.time() - started, cpu_seconds() - cpu
    failed = [r.student for r in results if not r.ok]
    if failed:
        raise RuntimeError(f"our grader failed on {failed}")
    return total, statistics.median(r.seconds for r in results), cpu


def load():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def options(parser):
    parser.add_argument("--lab", nargs="+", default=["lab1_images", "lab4_mnist_cnn"], help="labs to grade")
    parser.add_argument("-n", type=int, default=50, help="submissions (default 50)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cell-timeout", type=int, default=180)


def main():
    args = parse_args(__doc__.splitlines()[0], options)
    if args.quick:
        args.n = min(args.n, 10)
    report([row for lab in args.lab for row in compare(lab, args)], args)


def compare(lab, args):
    """Grade the same submissions of ``lab`` serially and with our command; the two rows."""
    limits = Limits(cell_timeout=args.cell_timeout)
    print(f"{lab}, {args.n} submissions, {os.cpu_count()} cores, {sandbox_description('sandbox')}")
    print(f"load before: {load()}")
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("serial", "ours"):
            make_course(Path(scratch) / name, lab, args.n)
        serial_total, serial_median, serial_cpu = serial(Path(scratch) / "serial", lab, args.cell_timeout)
        print(f"serial nbgrader autograde: {serial_total:7.1f} s total, median {serial_median:5.1f} s per "
              f"submission, {serial_cpu / args.n:5.1f} CPU s per submission")
        ours_total, ours_median, ours_cpu = ours(Path(scratch) / "ours", lab, args.workers, limits)
        print(f"dl4cv-grade, {args.workers} workers: {ours_total:7.1f} s total, median {ours_median:5.1f} s per "
              f"submission (worker time, feedback included), {ours_cpu / args.n:5.1f} CPU s per submission")
    print(f"load after:  {load()}")
    ratio = serial_total / ours_total
    print(f"speed-up: {ratio:.2f}x (target >= {SPEED_UP_TARGET}x: {'met' if ratio >= SPEED_UP_TARGET else 'NOT met'}); "
          f"median {ours_median:.1f} s (target <= {MEDIAN_TARGET_SECONDS} s: "
          f"{'met' if ours_median <= MEDIAN_TARGET_SECONDS else 'NOT met'})")
    # On a busy machine wall time measures the neighbours; CPU time does not.
    print(f"CPU work per submission, ours / serial: {ours_cpu / serial_cpu:.2f} "
          f"(with {args.workers} idle cores the speed-up would be about {args.workers * serial_cpu / ours_cpu:.2f}x)")
    return [
        Row(f"grading {lab}, {args.n} submissions: median seconds per submission (dl4cv-grade)",
            f"{ours_median:.1f} s", f"≤ {MEDIAN_TARGET_SECONDS} s", ours_median <= MEDIAN_TARGET_SECONDS),
        Row(f"grading {lab}, {args.n} submissions: serial nbgrader / dl4cv-grade with {args.workers} workers",
            f"{serial_total:.0f} s / {ours_total:.0f} s = {ratio:.2f}x", f"≥ {SPEED_UP_TARGET}x",
            ratio >= SPEED_UP_TARGET),
    ]


if __name__ == "__main__":
    main()
