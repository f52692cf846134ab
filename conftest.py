"""How pytest runs this repository: the tests in tests/, and every solution notebook as
nbval items, one per code cell, so that a failure names the cell and shows its source.

A solution notebook passes when every cell runs on the CPU, in the student's default mode
(not autograding), without an error and without writing to stderr: nbgrader scores a
test cell 0 when it writes to stderr.  A notebook's cells run in order in one kernel, so
they stay together on one xdist worker; every other test is a unit of its own.
"""
import os
import sys
from pathlib import Path

import pytest
from nbval.plugin import IPyNbCell

# nbgrader runs `alembic` from the environment's bin/ folder.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


def pytest_configure(config):
    if config.option.nbval_lax:
        # The notebooks' kernels inherit this: the CPU, the student's mode.
        os.environ["CUDA_VISIBLE_DEVICES"] = ""
        os.environ.pop("NBGRADER_EXECUTION", None)


def pytest_collection_modifyitems(items):
    for item in items:
        if isinstance(item, IPyNbCell):
            item.add_marker(pytest.mark.notebook)


@pytest.hookimpl(optionalhook=True)  # run without xdist too (-p no:xdist)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class NotebookCellsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.partition("::")[0]
            return path if path.endswith(".ipynb") else nodeid

    return NotebookCellsTogether(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    if isinstance(item, IPyNbCell):
        written = "".join(output.get("text", "") for output in item.test_outputs or []
                          if output.get("output_type") == "stream" and output.get("name") == "stderr")
        if written:
            pytest.fail(f"{item.name} wrote to stderr (a graded cell would score 0):\n{written[:2000]}",
                        pytrace=False)
    return result
