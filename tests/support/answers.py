"""Students' answers, one exercise at a time, each with the exact score of every graded cell.

A lab's ``tests/submissions/<lab>.py`` may hold ``ANSWERS``: ``Answer``s written
independently of the solution, right ones (other idioms, other dtypes the text allows,
library shortcuts) and plausible wrong ones (the mistakes the prose warns about).  A right
answer loses nothing; a wrong one names the graded cells it loses points in, how many, and
words the failed check's message must show the student.

Grading one submission per answer would take hours, so ``pack`` puts answers that touch
different cells into one submission (the rest of it is the solution).  That also tests the
rule that a student loses points only on the exercise they got wrong: a wrong answer that
costs a later exercise its points shows up as a score no answer in the submission expects.

    python -m tests.support.answers lab2_convolution     # grade a lab's answers, print what differs
"""
import os
import re
from dataclasses import dataclass, field

import nbformat

from tests.support.notebooks import cells_by_id, solution_path
from tests.support.submissions import Submission, _fixtures


@dataclass(frozen=True)
class Answer:
    """``edits``: grade id -> what the student left in that cell.  ``lost``: grade id of a
    graded cell -> points it loses (empty for a right answer).  ``says``: words every cell
    in ``lost`` must show in its output, so the student learns what went wrong."""
    name: str
    edits: dict
    lost: dict = field(default_factory=dict)
    says: str = ""

    def __post_init__(self):
        if bool(self.lost) != bool(self.says):
            raise ValueError(f"answer {self.name!r}: a wrong answer names the points it loses (lost) and the "
                             f"words its message must contain (says); a right answer gives neither")


def answers(lab):
    """The lab's student answers (``ANSWERS`` in its fixtures module)."""
    return list(getattr(_fixtures(lab), "ANSWERS", []))


def right(name, edits):
    return Answer(name, edits)


def wrong(name, edits, lost, says):
    return Answer(name, edits, lost, says)


def graded_cells(lab):
    """{grade id: points} of the lab's graded cells, in notebook order."""
    return {grade_id: float(cell.metadata["nbgrader"]["points"])
            for grade_id, cell in cells_by_id(solution_path(lab)).items() if cell.metadata["nbgrader"].get("grade")}


@dataclass
class Packed(Submission):
    """A submission made of several answers; ``answers`` in it, ``cells`` {graded cell:
    exact score}."""
    answers: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)

    def owner(self, cell):
        """The answer that edits or loses points in ``cell``, for messages."""
        for answer in self.answers:
            if cell in answer.lost or cell in answer.edits or cell.removesuffix("-check") in answer.edits:
                return answer.name
        return "the solution"


def pack(lab, answers, prefix="answers"):
    """Submissions holding every answer, first fit: no two answers in one submission edit
    the same cell or lose points in the same cell."""
    cells = graded_cells(lab)
    unknown = sorted({cell for answer in answers for cell in answer.lost} - set(cells))
    if unknown:
        raise KeyError(f"{lab}: answers lose points in cells that are not graded: {unknown}")
    for answer in answers:
        over = {cell: lost for cell, lost in answer.lost.items() if not 0 < lost <= cells[cell]}
        if over:
            raise ValueError(f"{lab}, answer {answer.name!r}: points lost must be in (0, the cell's points]: {over}")
    bins = []
    for answer in answers:
        for packed in bins:
            if not any(set(answer.edits) & set(other.edits) or set(answer.lost) & set(other.lost)
                       for other in packed.answers):
                break
        else:
            packed = Packed(f"{prefix}{len(bins) + 1:02d}", expected=0)
            bins.append(packed)
        packed.answers.append(answer)
        packed.edits.update(answer.edits)
    for packed in bins:
        packed.cells = dict(cells)
        for answer in packed.answers:
            for cell, lost in answer.lost.items():
                packed.cells[cell] -= lost
        packed.expected = sum(packed.cells.values())
    return bins


def cell_scores(gradebook_path, lab):
    """{student: {graded cell: score}} from a gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{gradebook_path}") as gradebook:
        return {submission.student.id: {grade.name: grade.score for notebook in submission.notebooks
                                        for grade in notebook.grades}
                for submission in gradebook.assignment_submissions(lab)}


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cell_messages(notebook_path):
    """{grade id: all the text a graded notebook's cell showed}: streams, errors and
    displayed text, colours stripped."""
    messages = {}
    for cell in nbformat.read(notebook_path, as_version=4).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None or cell.cell_type != "code":
            continue
        parts = []
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [output.get("ename", ""), output.get("evalue", ""), *output.get("traceback", [])]
            parts.append(output.get("data", {}).get("text/plain", ""))
        messages[grade_id] = ANSI.sub("", "\n".join(parts))
    return messages


def misjudged(lab, packed, scores, messages):
    """What the grader got wrong for the packed submissions, one line each: a cell's score
    that differs from what its answers expect, or a lost cell whose output lacks the words."""
    problems = []
    for submission in packed:
        got = scores.get(submission.student)
        if got is None:
            problems.append(f"{submission.student}: not graded")
            continue
        for cell, expected in submission.cells.items():
            if abs(got.get(cell, -1) - expected) > 1e-9:
                problems.append(f"{submission.student}, {cell}: {got.get(cell)} points, expected {expected} "
                                f"(answer: {submission.owner(cell)})")
        for answer in submission.answers:
            for cell in answer.lost:
                shown = messages.get(submission.student, {}).get(cell, "")
                if answer.says.lower() not in shown.lower():
                    problems.append(f"{submission.student}, {cell}: answer {answer.name!r} expected the message "
                                    f"to say {answer.says!r}; it showed: {shown.strip()[-600:]!r}")
    return problems


def honest(lab):
    """The solution, the blank lab and the lab's honest fixture submissions."""
    from tests.support.notebooks import points
    from tests.support.submissions import submissions_for

    return [Submission("solution", expected=points(lab)), Submission("blank", expected=0, blank=True),
            *submissions_for(lab)]


def grade_answers(lab, folder, answers, workers=2):
    """Grade the packed ``answers`` of ``lab``, and its ``honest`` submissions, with
    dl4cv-grade in a course at ``folder``; return (packed submissions, lines saying what
    was misjudged)."""
    from dl4cv.course.grading.pool import grade_lab
    from tests.support.submissions import make_course

    packed, fixtures = pack(lab, answers), honest(lab)
    course = make_course(folder, lab, packed + fixtures)
    with open(os.devnull, "w") as quiet:
        results = grade_lab(lab, course, workers=workers, out=quiet)
    problems = [f"{r.student}: grading failed: {r.error.strip()[-400:]}" for r in results if not r.ok]
    totals = {r.student: r.score for r in results if r.ok}
    problems += [f"{s.student}: {totals.get(s.student)} points, expected {s.expected}" for s in fixtures
                 if abs(totals.get(s.student, -1) - s.expected) > 1e-9]
    messages = {submission.student: cell_messages(course / "autograded" / submission.student / lab / f"{lab}.ipynb")
                for submission in packed
                if (course / "autograded" / submission.student / lab / f"{lab}.ipynb").exists()}
    return packed, problems + misjudged(lab, packed, cell_scores(course / "gradebook.db", lab), messages)


def main():
    import argparse
    import tempfile
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lab")
    parser.add_argument("--only", nargs="*", help="answers whose names start with these")
    args = parser.parse_args()
    chosen = [a for a in answers(args.lab) if not args.only or a.name.startswith(tuple(args.only))]
    with tempfile.TemporaryDirectory(prefix="dl4cv-answers-") as folder:
        Path(folder).chmod(0o755)
        packed, problems = grade_answers(args.lab, Path(folder) / "course", chosen)
    print(f"{len(chosen)} answers in {len(packed)} submissions")
    for submission in packed:
        print(f"  {submission.student}: {', '.join(a.name for a in submission.answers)}")
    print("\n".join(problems) or "every cell scored as expected, every message as expected, "
          "the solution, the blank lab and every fixture submission got their exact scores")
    raise SystemExit(1 if problems else 0)


if __name__ == "__main__":
    main()
