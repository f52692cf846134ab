"""nbgrader's preprocessors, adapted to grading untrusted submissions: execution with
caps, a dead kernel scoring 0 and nothing run after the last graded cell
(``GuardedExecute``), duplicate grade ids demoted rather than failing the submission
(``DemoteDuplicateIds``), and stderr kept as text rather than scored as an error."""
import json
import math
import time

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import DeduplicateIds, Execute
from nbgrader.utils import is_grade, is_locked, is_solution, is_task
from traitlets import Integer

from dl4cv.probes import PROBE_MIME


NOT_RUN_AFTER_THE_LAST_GRADED_CELL = ("[not run while grading: no graded cell comes after this one, "
                                      "so it cannot change a score]\n")


def _error_output(name, message):
    return NotebookNode(output_type="error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


class GuardedExecute(Execute):
    """nbgrader's Execute with a wall-clock cap per notebook, a cap on output kept while
    a cell runs, and a kernel that dies (``os._exit``, out of memory) scoring 0 on the
    cell it was running and every cell after it, rather than failing the whole run or
    leaving later test cells without output (which nbgrader would score as passed).

    The code cells after the last graded one are not run: no score depends on them (a
    cell's outputs are its own, and nbgrader reads nothing else), and in a lab they are
    the demonstrations after the exercises, nearly a quarter of Lab 4's grading time.
    Each says so in its output, for the feedback page."""
    wall_timeout = Integer(1200, help="Seconds one notebook may run in all").tag(config=True)
    max_output_bytes = Integer(2 ** 20, help="Stream output kept per cell").tag(config=True)
    max_probe_bytes = Integer(32 * 2 ** 20, help="Probes kept per cell (their own budget)").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.wall_timeout
        self._cell_timeout = self.timeout
        self._stopped = None
        self._output_bytes = {}
        self._probe_bytes = {}
        graded = [index for index, cell in enumerate(nb.cells) if is_grade(cell) or is_task(cell)]
        self._last_graded = max(graded, default=-1)
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if index > self._last_graded:
            cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=NOT_RUN_AFTER_THE_LAST_GRADED_CELL)]
            return cell, resources
        remaining = self._deadline - time.monotonic()
        if self._stopped is None and remaining <= 1:
            self._stopped = _error_output("SubmissionTimeout", f"the notebook ran past its {self.wall_timeout} s "
                                                               "cap; this cell was not run")
        if self._stopped is not None:
            cell.outputs = [self._stopped]
            return cell, resources
        self.timeout = max(1, min(self._cell_timeout, math.floor(remaining)))
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs.append(_error_output("KernelDied", "the kernel died while running this cell "
                                              "(os._exit, a crash, or out of memory)"))
            self._stopped = _error_output("KernelDied", "the kernel had died; this cell was not run")
        if is_grade(cell):
            _stderr_is_not_an_error(cell)
        return cell, resources

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most ``max_output_bytes`` of every kind of output per cell: streams are
        cut with a note, later displays dropped; an error is always kept (it decides the
        score), its message and traceback cut to a readable size."""
        content, kind = msg["content"], msg["msg_type"]
        if kind == "error":
            return super().output(outs, _with_content(msg, _trimmed_error(content)), display_id, cell_index)
        size = _content_size(content)
        if kind == "display_data" and PROBE_MIME in content.get("data", {}):
            used = self._probe_bytes[cell_index] = self._probe_bytes.get(cell_index, 0) + size
            return super().output(outs, msg, display_id, cell_index) if used <= self.max_probe_bytes else None
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used > self.max_output_bytes:
            return None
        note = f"\n[output cut: more than {self.max_output_bytes // 1024} kB]\n"
        text = content["text"][:1000] if kind == "stream" else ""
        cut = _with_content(msg, {"name": content.get("name", "stdout"), "text": text + note}, "stream")
        return super().output(outs, cut, display_id, cell_index)

    def _cleanup_kernel(self):
        try:
            super()._cleanup_kernel()
        except Exception as problem:  # a kernel that died has nothing left to clean up
            self.log.warning("cleaning up the kernel: %s", problem)


ERROR_TEXT_LIMIT = 4000  # characters of an error's message, and of each traceback frame kept
ERROR_FRAMES_LIMIT = 30


def _content_size(content):
    """Characters in a message's text, data and metadata (what would be stored)."""
    parts = [content.get("text", "")] + [value if isinstance(value, str) else json.dumps(value)
                                         for value in content.get("data", {}).values()]
    return sum(len(part) if isinstance(part, str) else len(repr(part)) for part in parts) + \
        len(repr(content.get("metadata", {})))  # a hostile kernel's "text" may be anything


def _trimmed_error(content):
    frames = [frame[:ERROR_TEXT_LIMIT] for frame in content.get("traceback", [])]
    if len(frames) > ERROR_FRAMES_LIMIT:
        frames = frames[:ERROR_FRAMES_LIMIT // 2] + ["[traceback cut]"] + frames[-ERROR_FRAMES_LIMIT // 2:]
    return dict(content, ename=str(content.get("ename", ""))[:200], evalue=str(content.get("evalue", ""))[:ERROR_TEXT_LIMIT],
                traceback=frames)


def _with_content(msg, content, kind=None):
    kind = kind or msg["msg_type"]
    return dict(msg, msg_type=kind, header=dict(msg["header"], msg_type=kind), content=content)


class DemoteDuplicateIds(DeduplicateIds):
    """nbgrader's DeduplicateIds keeps the last cell of a grade id and empties the
    metadata of the others, which its own metadata check then rejects, failing the whole
    submission; here the others become plain cells instead (their source runs as the
    student's code, the kept one is restored from the gradebook)."""

    def preprocess_cell(self, cell, resources, cell_index):
        if is_grade(cell) or is_solution(cell) or is_locked(cell):
            grade_id = cell.metadata.nbgrader["grade_id"]
            if grade_id in self.grade_ids:
                self.log.warning("Cell with id '%s' exists multiple times; this copy is a plain cell now", grade_id)
                del cell.metadata["nbgrader"]
            else:
                self.grade_ids.add(grade_id)
        return cell, resources


def _stderr_is_not_an_error(cell):
    """Our policy (docs/instructors.md, 'What students should expect: the scoring rules'):
    only errors cost points.  nbgrader scores a test cell 0 when it writes to stderr, so a
    warning from a library, or a debug print in a correct answer, would lose the points;
    keep such text, labelled, on stdout instead."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            output["name"] = "stdout"
            output["text"] = "".join(f"[stderr] {line}" for line in output["text"].splitlines(keepends=True))
