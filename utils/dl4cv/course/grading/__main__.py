"""``python -m dl4cv.course.grading``: the ``dl4cv-grade`` command."""
import sys

from dl4cv.course.grading.cli import main

sys.exit(main())
