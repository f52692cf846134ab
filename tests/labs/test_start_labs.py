"""The README's first command: scripts/start-labs.sh opens JupyterLab on labs/ with the
student's view of nbgrader (Validate only); scripts/start-course.sh, the instructor's, keeps
formgrader and "Create Assignment".  Each test starts the real script on a free port."""
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.support.notebooks import ROOT

TOKEN = "dl4cv-test"
INSTRUCTOR_ONLY = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                   "@jupyter/nbgrader:menu")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.fixture
def jupyter(tmp_path):
    """Start a script with arguments for `jupyter lab`; yield its port; stop it."""
    servers = []

    def start(script):
        port = _free_port()
        server = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / script), "--no-browser", f"--port={port}",
             f"--IdentityProvider.token={TOKEN}", "--ServerApp.port_retries=0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")})
        servers.append(server)
        for _ in range(120):
            if server.poll() is not None:
                pytest.fail(f"{script} stopped:\n{server.stdout.read()}")
            try:
                if _get(port, "/api/status")[0] == 200:
                    return port
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"{script} did not answer within a minute")

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


def _page_config(port):
    status, page = _get(port, "/lab")
    assert status == 200
    return json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))


def test_students_get_the_labs_folder_and_only_nbgraders_validate_button(jupyter):
    port = jupyter("start-labs.sh")
    disabled = _page_config(port)["disabledExtensions"]
    assert set(INSTRUCTOR_ONLY) <= set(disabled)
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    assert _get(port, "/formgrader")[0] == 404
    assert _get(port, "/api/contents/lab1_images")[0] == 200  # the root is labs/


def test_the_instructor_gets_the_repository_and_formgrader(jupyter):
    port = jupyter("start-course.sh")
    disabled = _page_config(port).get("disabledExtensions", [])
    assert not set(INSTRUCTOR_ONLY) & set(disabled)
    assert _get(port, "/formgrader")[0] == 200
    assert _get(port, "/api/contents/solutions")[0] == 200
