import numpy as np
import pytest

from dl4cv import checks


def test_check_array_passes_within_tolerance(capsys):
    checks.check_array("conv", np.array([[1.0, 2.0 + 1e-9]]), [[1, 2]])
    assert "✔ conv: passed" in capsys.readouterr().out


def test_check_array_names_a_known_mistake():
    with pytest.raises(checks.CheckFailed, match="kernel is flipped"):
        checks.check_array("conv", [[3, 2, 1]], [[1, 2, 3]], mistakes=[([[3, 2, 1]], "the kernel is flipped")])


def test_check_array_reports_shapes_with_a_hint():
    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_array("out", np.zeros((3, 5)), np.zeros((5, 3)))
    message = str(failure.value)
    assert "shape (5, 3)" in message and "shape (3, 5)" in message and "channels" in message


def test_check_array_off_by_one_hint():
    with pytest.raises(checks.CheckFailed, match="off by one"):
        checks.check_array("out", np.zeros((4, 4)), np.zeros((3, 3)))


def test_check_array_reports_where_values_differ():
    with pytest.raises(checks.CheckFailed, match=r"largest difference 5 at index \(1, 0\)"):
        checks.check_array("grid", [[0, 0], [5, 0]], [[0, 0], [0, 0]])


def test_check_array_rejects_none_and_non_numbers():
    with pytest.raises(checks.CheckFailed, match="returned None"):
        checks.check_array("f", None, [1])
    with pytest.raises(checks.CheckFailed, match="expected numbers"):
        checks.check_array("f", ["a"], [1])


def test_check_array_dtype_kind():
    with pytest.raises(checks.CheckFailed, match="wrong dtype"):
        checks.check_array("b", np.array([1, 2], np.int64), [1, 2], dtype_kind="u")
    checks.check_array("b", np.array([1, 2], np.uint8), [1, 2], dtype_kind="u")


def test_check_scalar():
    checks.check_scalar("loss", np.float32(0.1), 0.1, atol=1e-6)
    with pytest.raises(checks.CheckFailed, match="natural log"):
        checks.check_scalar("loss", 0.0434, 0.1, atol=1e-3, mistakes=[(0.0434, "use the natural log")])
    with pytest.raises(checks.CheckFailed, match="single number"):
        checks.check_scalar("loss", [1, 2], 1)


def test_check_equal_and_true():
    checks.check_equal("shape", (np.int64(3), 4), (3, 4))
    with pytest.raises(checks.CheckFailed, match="expected: \\(3, 4\\)"):
        checks.check_equal("shape", (4, 3), (3, 4))
    with pytest.raises(TypeError):
        checks.check_equal("x", np.zeros(2), (0, 0))
    with pytest.raises(checks.CheckFailed, match="went wrong"):
        checks.check_true("thing", False, "it went wrong")


def test_a_failed_check_is_an_assertion_error():
    assert issubclass(checks.CheckFailed, AssertionError)


def _row_sums_in_numpy(image):
    return np.asarray(image).sum(axis=1)


def _row_sums_in_a_loop(image):
    return [sum(row) for row in np.asarray(image).tolist()]


def _row_sums_in_a_while_loop(image):
    image, sums, row = np.asarray(image), [], 0
    while row < len(image):
        sums.append(image[row].sum())
        row += 1
    return sums


def test_check_vectorised_accepts_numpy_and_names_a_loop(capsys):
    small, large = (np.ones((10, 10)),), (np.ones((500, 10)),)
    checks.check_vectorised("sums", _row_sums_in_numpy, small, large)
    assert "✔ sums: passed" in capsys.readouterr().out
    # A comprehension and a while loop both run Python once per row.
    for looping in (_row_sums_in_a_loop, _row_sums_in_a_while_loop):
        with pytest.raises(checks.CheckFailed, match="lines of Python ran for the small input") as failure:
            checks.check_vectorised("sums", looping, small, large, hint="sum along an axis")
        assert "hint: sum along an axis" in str(failure.value)


def test_python_lines_run_counts_and_stops_at_the_limit():
    assert checks.python_lines_run(_row_sums_in_a_while_loop, np.ones((50, 2))) > 150
    assert checks.python_lines_run(_row_sums_in_a_while_loop, np.ones((10 ** 6, 2)), limit=100) == 101
    with pytest.raises(TypeError, match="needs a function"):
        checks.python_lines_run(42)


def test_a_failed_check_shows_its_message_not_a_traceback_and_rows_line_up():
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy as np\nfrom dl4cv import checks\n"
        "checks.check_array('conv2d', np.zeros((2, 2)), [[1, 2], [3, 4]])")])
    NotebookClient(notebook, timeout=60, allow_errors=True).execute()
    [error] = [output for output in notebook.cells[0].outputs if output.output_type == "error"]
    assert error.ename == "CheckFailed"
    assert error.traceback == [
        "CheckFailed: ✘ conv2d: values differ (largest difference 4 at index (1, 1))\n"
        "  expected: [[1 2]\n"
        "             [3 4]]\n"
        "  got:      [[0. 0.]\n"
        "             [0. 0.]]"]
