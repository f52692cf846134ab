"""Grade every submission of a lab in parallel, sandboxed, into one nbgrader gradebook.

    dl4cv-grade lab1_images                       # or: python -m dl4cv.course.grading lab1_images
    dl4cv-grade lab1_images --workers 8 --redo    # regrade what was already graded

It reads nbgrader's ``submitted/<student>/<lab>/`` layout of the course folder (or any
folder given with ``--submitted``), grades each submission with nbgrader's own autograde
converter in a worker process, records every result into the course's one gradebook
from this process only, writes ``autograded/`` and ``feedback/`` (HTML without hidden
tests) like nbgrader does, exports ``grades.csv`` and prints a summary.
See docs/instructors.md.

How the pieces divide the work:

* ``course.plan`` (parent) reads the course and makes one ``tasks.Task`` per submission:
  plain data (the submitted files, a snapshot gradebook that holds only this lab, the
  limits).
* ``worker.grade_submission(task) -> Result`` (worker) is a pure function of its task: it
  grades in a private scratch course with nbgrader's ``Autograde`` and ``GenerateFeedback``
  and returns scores, comments and files.  Any ``concurrent.futures.Executor`` can run
  it: local processes by default, or a Dask cluster's ``client.get_executor()``.
* ``pool.grade_lab`` (parent) runs the workers; ``pool.record`` writes each result into
  the course gradebook, so SQLite has one writer.
* ``verdicts`` decides scores outside the student's kernel: hidden tests send probes
  (``dl4cv.probes``), and each is compared with the solution's (``references``: the source
  notebook graded once per lab version) under the rule in the instructor's source;
  ``judging`` holds the two preprocessors that do it inside nbgrader's autograde.
* ``preprocessors`` are nbgrader's, adapted: execution with caps and a dead kernel
  scoring 0, duplicate grade ids demoted to plain cells, stderr not an error.
  ``feedback`` writes the feedback HTML without the hidden tests; ``metadata`` makes
  nbgrader check its metadata schema once per worker, not once per cell.
* ``cli`` is the ``dl4cv-grade`` command.

Student code runs in a kernel started through the ``dl4cv-sandbox`` kernelspec, whose
launcher (``sandbox.launch_kernel``) starts it in a bubblewrap sandbox of its own: new
user, PID, IPC, UTS, network and mount namespaces, the runtime read-only, one capped
tmpfs, nothing of the course folder, and (as root) a user id no other sandbox holds
(``sandbox.Sandbox``); plus caps on memory, processes, disk, no GPU and seeds.  Inside
the kernel, ``guard`` undoes tampering with NumPy, the check helpers and the probes before
every cell (an honest slip should not cost later exercises; scores never depend on it).  Each cell has a timeout and each submission a wall-clock cap; a kernel that dies
or runs out of time scores 0 on every test cell it did not finish.

This package imports none of its modules: the kernel imports ``guard`` and the sandbox's
launcher alone, without nbgrader or the rest of the grader.
"""
