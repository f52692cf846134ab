"""The package installs, imports cheaply, and declares the same dependencies in both
install routes."""
import subprocess
import sys
import tomllib

from notebooks import ROOT
from utils import release


def test_importing_the_helpers_does_not_import_tensorflow():
    code = ("import sys, utils, utils.checks, utils.data, utils.plotting, utils.runtime; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'jax', 'torch') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", check=True)
    assert result.stdout.strip() == "[]"


def test_environment_yml_declares_what_pyproject_declares():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    declared = set(project["dependencies"]) | set(extras["cpu"]) | set(extras["lab"]) | set(extras["test"])
    lines = [line.strip() for line in (ROOT / "environment.yml").read_text().splitlines()]
    pip = {line[2:] for line in lines if line.startswith("- ") and any(c in line for c in "<>=")}
    pip.discard("python=3.11")
    assert pip == declared


def test_colab_cells_come_from_the_repository_address():
    url = release.repository_url()
    assert url.startswith("https://github.com/")
    badge = release.badge_cell("lab9_demo").source
    assert f"github/{url.removeprefix('https://github.com/')}/blob/main/labs/lab9_demo/lab9_demo.ipynb" in badge
    assert url in release.setup_cell().source
