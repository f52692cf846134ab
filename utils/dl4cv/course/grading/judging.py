"""The verdicts in nbgrader's autograde (worker side): ``JudgeProbes`` takes the probes
out of every executed cell and judges each graded test cell's (``verdicts.judge_cell``);
``SaveVerdicts`` is nbgrader's SaveAutoGrades scoring those cells by that verdict alone.
A cell's errors, stderr or printed numbers decide nothing: they came from the student's
kernel.  Both live in the grader's process, and the verdicts pass between them in
``resources``, which no kernel can reach."""
import json
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from nbgrader.utils import is_grade, is_solution
from traitlets import Dict, Unicode

from dl4cv.course.grading.verdicts import judge_cell, probes_sent

VERDICTS = "dl4cv_verdicts"


class JudgeProbes(NbGraderPreprocessor):
    """``probes``: {notebook: {grade id: [Probe]}}, read from the instructor's source.
    ``references``: {notebook: {grade id: {name: encoded}}} from the solution's run; left
    empty, this is that run: the probes are written to ``collect_to`` and each cell is
    judged against its own (so a probe that is missing, repeated or off its threshold
    still shows)."""
    probes = Dict(help="{notebook: {grade id: [Probe]}}").tag(config=True)
    references = Dict(help="{notebook: {grade id: {probe name: encoded value}}}").tag(config=True)
    collect_to = Unicode("", help="Where the reference run writes the probes it received").tag(config=True)

    def preprocess(self, nb, resources):
        notebook = resources["nbgrader"]["notebook"]
        expected = self.probes.get(notebook, {})
        verdicts, collected = resources.setdefault(VERDICTS, {}), {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            cell.outputs, sent = probes_sent(cell.get("outputs", []))
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if not is_grade(cell) or is_solution(cell) or grade_id not in expected:
                continue
            collected[grade_id] = sent
            references = self.references.get(notebook, {}).get(grade_id, {}) if self.references else dict(sent)
            verdict = verdicts[grade_id] = judge_cell(expected[grade_id], sent, references)
            if not verdict.passed:
                text = "\n".join(verdict.lines)
                cell.outputs.append(NotebookNode(output_type="error", ename="HiddenTestFailed", evalue=text,
                                                 traceback=["HiddenTestFailed: " + text]))
        if self.collect_to:
            path = Path(self.collect_to)
            known = json.loads(path.read_text()) if path.exists() else {}
            known[notebook] = collected
            path.write_text(json.dumps(known))
        return nb, resources


class SaveVerdicts(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, but a graded test cell scores its points when its
    verdict passed and 0 otherwise (no verdict: 0).  Manually graded cells are left to
    nbgrader."""

    def preprocess(self, nb, resources):
        self._verdicts = resources.get(VERDICTS, {})
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources):
        if is_solution(cell):
            return super()._add_score(cell, resources)
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        grade = self.gradebook.find_grade(grade_id, self.notebook_id, self.assignment_id, self.student_id)
        verdict = self._verdicts.get(grade_id)
        grade.auto_score = grade.max_score if verdict and verdict.passed else 0.0
        grade.needs_manual_grade = grade.manual_score is not None
        self.gradebook.db.commit()
