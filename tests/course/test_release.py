"""Releasing the labs: the Colab cells are stamped from the repository address (that
labs/ is exactly what nbgrader generates is tested with the labs, tests/labs)."""
from dl4cv.course import release


def test_colab_cells_come_from_the_repository_address():
    url = release.repository_url()
    assert url.startswith("https://github.com/")
    badge = release.badge_cell("lab9_demo").source
    assert f"github/{url.removeprefix('https://github.com/')}/blob/main/labs/lab9_demo/lab9_demo.ipynb" in badge
    assert url in release.setup_cell().source


def test_the_setup_cell_installs_the_tagged_release_and_does_nothing_outside_colab(capsys):
    import dl4cv

    assert release.course_requirement() == \
        f"dl4cv-labs @ git+{release.repository_url()}@v{dl4cv.__version__}"
    source = release.setup_cell().source
    assert release.course_requirement() in source and "-e" not in source.split()
    exec(compile(source, "setup-cell", "exec"), {})  # no google.colab here
    assert capsys.readouterr() == ("", "")
