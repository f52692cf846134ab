import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# nbgrader runs `alembic` from the environment's bin/ folder.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture
def no_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
