"""Build the student labs from the instructor notebooks.

    python -m dl4cv.course.release            # stamp solutions/, regenerate every lab in labs/
    python -m dl4cv.course.release --check    # change nothing; exit 1 if labs/ is out of date

Before nbgrader turns ``solutions/<lab>/<lab>.ipynb`` into ``labs/<lab>/<lab>.ipynb``,
every solution notebook gets its first two cells stamped from the repository address in
``pyproject.toml``: the "Open in Colab" badge and the Colab setup cell.  So the address
lives in one place and no badge is typed by hand.
"""
import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import nbformat

import dl4cv
from dl4cv.course.files import read_tree

ROOT = Path(__file__).resolve().parents[3]  # the repository (utils/dl4cv/course/ is three below)
SOLUTIONS = ROOT / "solutions"
LABS = ROOT / "labs"
BADGE_ID = "colab-badge"
SETUP_ID = "colab-setup"


def repository_url():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["urls"]["Repository"].rstrip("/")


def course_requirement():
    """What the Colab setup cell installs: this version of the course, from the release
    tag ``v<version>`` of its repository (never whatever the main branch is by then)."""
    return f"dl4cv-labs @ git+{repository_url()}@v{dl4cv.__version__}"


def lab_names():
    """Every lab: a folder of solutions/ holding a notebook of the same name."""
    return sorted(p.parent.name for p in SOLUTIONS.glob("*/*.ipynb") if p.stem == p.parent.name)


def _locked(cell_id):
    return {"grade": False, "grade_id": cell_id, "locked": True, "schema_version": 3,
            "solution": False, "task": False}


def badge_cell(lab):
    github = repository_url().removeprefix("https://github.com/")
    link = f"https://colab.research.google.com/github/{github}/blob/main/labs/{lab}/{lab}.ipynb"
    cell = nbformat.v4.new_markdown_cell(
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({link})")
    cell.id = BADGE_ID
    cell.metadata["nbgrader"] = _locked(BADGE_ID)
    return cell


def setup_cell():
    source = f'''# On Google Colab: install the course helpers (dl4cv) into this session, once.
# Anywhere else this does nothing. Nothing Colab ships is upgraded, and no restart is needed.
import sys

if "google.colab" in sys.modules:
    import importlib
    import subprocess

    try:
        import dl4cv
    except ImportError:
        print("Installing the course helpers ({course_requirement()}) ...", flush=True)
        installed = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--root-user-action=ignore",
                                    "{course_requirement()}"], capture_output=True, text=True)
        if installed.returncode != 0:
            raise RuntimeError("installing the course helpers failed:\\n" + installed.stdout + installed.stderr)
        importlib.invalidate_caches()
        import dl4cv
    print(f"Course helpers ready: dl4cv {{dl4cv.__version__}}")'''
    cell = nbformat.v4.new_code_cell(source)
    cell.id = SETUP_ID
    cell.metadata["nbgrader"] = _locked(SETUP_ID)
    return cell


def stamped(notebook, lab):
    """Return a copy of ``notebook`` whose first cells are the current badge and setup."""
    notebook = copy.deepcopy(notebook)
    body = [cell for cell in notebook.cells if cell.get("id") not in (BADGE_ID, SETUP_ID)]
    notebook.cells = [badge_cell(lab), setup_cell()] + body
    return notebook


def _as_text(notebook):
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _stamp_solution(lab, write):
    path = SOLUTIONS / lab / f"{lab}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    new = stamped(notebook, lab)
    if _as_text(new) == _as_text(notebook):
        return False
    if write:
        nbformat.write(new, path)
    return True


def _generate(labs, release_directory):
    """Run nbgrader's own generate_assignment with this course's config."""
    bin_folder = str(Path(sys.executable).parent)
    env = dict(os.environ, PATH=bin_folder + os.pathsep + os.environ.get("PATH", ""))
    with tempfile.TemporaryDirectory() as scratch:
        for lab in labs:
            command = [
                sys.executable, "-m", "nbgrader", "generate_assignment", lab, "--force",
                f"--CourseDirectory.release_directory={release_directory}",
                f"--CourseDirectory.db_url=sqlite:///{scratch}/gradebook.db",
                "--log-level=WARN",
            ]
            result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"nbgrader generate_assignment {lab} failed:\n{result.stdout}{result.stderr}")


def out_of_date(labs=None):
    """Return a list of what regenerating would change (solutions stamps and labs/)."""
    labs = labs or lab_names()
    problems = [f"solutions/{lab}/{lab}.ipynb: the Colab badge or setup cell is stale"
                for lab in labs if _stamp_solution(lab, write=False)]
    with tempfile.TemporaryDirectory() as fresh:
        _generate(labs, fresh)
        for lab in labs:
            expected, actual = read_tree(Path(fresh) / lab), read_tree(LABS / lab) if (LABS / lab).is_dir() else {}
            for name in sorted(set(expected) | set(actual)):
                if expected.get(name) != actual.get(name):
                    problems.append(f"labs/{lab}/{name} differs from a fresh generate_assignment")
    return problems


def release(labs=None):
    """Stamp the solution notebooks and regenerate their student versions in labs/."""
    labs = labs or lab_names()
    unknown = sorted(set(labs) - set(lab_names()))
    if unknown:
        raise SystemExit(f"no such lab: {unknown}; the labs are {lab_names()}")
    for lab in labs:
        if _stamp_solution(lab, write=True):
            print(f"stamped solutions/{lab}/{lab}.ipynb")
    _generate(labs, LABS)
    for lab in labs:
        print(f"generated labs/{lab}/")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*", help="labs to build (default: all)")
    parser.add_argument("--check", action="store_true", help="change nothing; report what is stale")
    args = parser.parse_args(argv)
    if args.check:
        problems = out_of_date(args.labs)
        print("\n".join(problems) or "labs/ is up to date")
        return 1 if problems else 0
    release(args.labs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
