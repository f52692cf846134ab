"""The ``dl4cv-grade`` command (also ``python -m dl4cv.course.grading``)."""
import argparse
import os

from dl4cv.course import grading
from dl4cv.course.grading.course import course_cell_timeout
from dl4cv.course.grading.pool import grade_lab, regenerate_feedback
from dl4cv.course.grading.tasks import Limits


def main(argv=None):
    parser = argparse.ArgumentParser(prog="dl4cv-grade", description=grading.__doc__.splitlines()[0],
                                     epilog="See docs/instructors.md.")
    parser.add_argument("lab", help="the lab (a folder of the course's source directory)")
    parser.add_argument("--course", default=".", help="the nbgrader course folder (default: here)")
    parser.add_argument("--submitted", help="folder of <student>/<lab>/ submissions (default: the course's submitted/)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="parallel workers (default: cores)")
    parser.add_argument("--redo", "--force", action="store_true", help="regrade submissions already graded")
    parser.add_argument("--student", action="append", dest="students", help="grade only this student (repeatable)")
    parser.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell (default: the course's Execute.timeout, else 180)")
    parser.add_argument("--wall-timeout", type=int, default=Limits.wall_timeout, help="seconds per submission")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb, help="address space per student kernel")
    parser.add_argument("--output-kb", type=int, default=Limits.output_kb, help="output kept per cell, every kind")
    parser.add_argument("--disk-mb", type=int, default=Limits.disk_mb, help="tmpfs size per student sandbox")
    parser.add_argument("--unsafe", action="store_true",
                        help="grade without a sandbox where bubblewrap cannot run (student code runs as you)")
    parser.add_argument("--csv", help="where to export grades (default: <course>/grades.csv)")
    parser.add_argument("--feedback-only", action="store_true",
                        help="grade nothing; rewrite feedback from the gradebook (after manual grading)")
    args = parser.parse_args(argv)
    if args.feedback_only:
        return 0 if regenerate_feedback(args.lab, args.course) else 1
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    cell_timeout = args.cell_timeout or course_cell_timeout(args.course)
    results = grade_lab(args.lab, args.course, args.submitted, workers=args.workers, redo=args.redo,
                        students=args.students, unsafe=args.unsafe, csv=args.csv,
                        limits=Limits(cell_timeout, args.wall_timeout, args.memory_mb, args.output_kb,
                                      args.disk_mb))
    return 1 if any(not r.ok for r in results) else 0

