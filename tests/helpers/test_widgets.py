"""The convolution explorer: when it is live, that its controls drive the student's
function, and that it falls back to one static figure where no front end can show it."""
import types

import matplotlib

matplotlib.use("Agg")

import IPython  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dl4cv import runtime, widgets  # noqa: E402

IMAGES = {"ramp 6x5": np.arange(30.0).reshape(6, 5), "ones 4x4": np.ones((4, 4))}
KERNELS = {"centre": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]), "ones": np.ones((3, 3))}


class RecordingConv:
    """Stands in for a student's conv2d: records its calls, returns a map of a fixed shape."""

    __name__ = "recording_conv"

    def __init__(self, result_shape=(2, 3)):
        self.calls, self.result_shape = [], result_shape

    def __call__(self, image, kernel, stride, padding):
        self.calls.append((np.array(image), np.array(kernel), stride, padding))
        return np.full(self.result_shape, float(len(self.calls)))


@pytest.fixture
def kernel_shell(monkeypatch):
    """Pretend to run inside a Jupyter kernel, with grading and the static switch unset."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv(runtime.STATIC_WIDGETS_ENV, raising=False)
    shell = types.SimpleNamespace(kernel=object())
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)


@pytest.fixture
def shown(monkeypatch):
    """Collect the figures the static fallback shows (figures other tests left open are
    closed first, so they are not counted)."""
    plt.close("all")
    figures = []

    def show(*args, **kwargs):
        figures.extend(plt.figure(number) for number in plt.get_fignums())
        plt.close("all")

    monkeypatch.setattr(plt, "show", show)
    return figures


def test_no_live_front_end_in_a_plain_python_process(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert runtime.live_frontend() is False


def test_terminal_ipython_without_a_kernel_is_not_live(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(IPython, "get_ipython", lambda: types.SimpleNamespace())
    assert runtime.live_frontend() is False


def test_a_jupyter_kernel_is_live(kernel_shell):
    assert runtime.live_frontend() is True


def test_autograding_is_never_live(kernel_shell, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert runtime.live_frontend() is False


@pytest.mark.parametrize("value, live", [("1", False), ("yes", False), ("0", True), ("", True)])
def test_the_static_switch(kernel_shell, monkeypatch, value, live):
    monkeypatch.setenv(runtime.STATIC_WIDGETS_ENV, value)
    assert runtime.live_frontend() is live


def test_fallback_draws_one_static_figure_of_the_first_image_and_kernel(shown, capsys, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    conv = RecordingConv(result_shape=(4, 3))
    widgets.conv_explorer(conv, IMAGES, KERNELS)
    assert len(conv.calls) == 1
    image, kernel, stride, padding = conv.calls[0]
    assert np.array_equal(image, IMAGES["ramp 6x5"]) and np.array_equal(kernel, KERNELS["centre"])
    assert (stride, padding) == (1, 0)
    assert "static picture of 'ramp 6x5' with 'centre'" in capsys.readouterr().out
    assert len(shown) == 1
    titles = [axis.get_title() for axis in shown[0].axes]
    assert "input 6x5" in titles and "feature map 4x3" in titles


def test_fallback_explains_an_unfinished_exercise_instead_of_failing(shown, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")

    def conv2d_fast(image, kernel, stride, padding):
        raise NotImplementedError()

    widgets.conv_explorer(conv2d_fast, IMAGES, KERNELS)
    texts = [text.get_text() for axis in shown[0].axes for text in axis.texts]
    assert any("conv2d_fast is not written yet" in text for text in texts)


def test_live_controls_drive_the_students_function(kernel_shell):
    conv = RecordingConv()
    explorer = widgets.ConvExplorer(conv, widgets._checked_images(IMAGES), widgets._checked_kernels(KERNELS))
    assert len(conv.calls) == 1 and "feature map</b> 2x3" in explorer.shape_label.value

    explorer.stride.value = 2
    explorer.padding.value = 1
    _, _, stride, padding = conv.calls[-1]
    assert (stride, padding) == (2, 1) and "<b>stride</b> 2, <b>padding</b> 1" in explorer.shape_label.value

    explorer.image_choice.value = "ones 4x4"
    assert np.array_equal(conv.calls[-1][0], IMAGES["ones 4x4"])

    calls_before = len(conv.calls)
    explorer.kernel_choice.value = "ones"
    assert len(conv.calls) == calls_before + 1, "choosing a kernel redraws once, not once per value"
    assert np.array_equal(conv.calls[-1][1], np.ones((3, 3)))

    explorer.cells[4].value = -7.5
    edited = np.ones((3, 3))
    edited[1, 1] = -7.5
    assert np.array_equal(conv.calls[-1][1], edited) and np.array_equal(explorer.kernel(), edited)


def test_live_explorer_reports_errors_of_the_students_function(kernel_shell):
    def broken(image, kernel, stride, padding):
        return image[10 ** 6]

    explorer = widgets.ConvExplorer(broken, widgets._checked_images(IMAGES), widgets._checked_kernels(KERNELS))
    assert explorer.feature_map is None and "IndexError" in explorer.error
    assert "nothing" in explorer.shape_label.value


def test_default_images_and_kernels_are_valid():
    images = widgets._checked_images(widgets.default_images())
    kernels = widgets._checked_kernels(widgets.default_kernels())
    assert "lecture 5x5 image" in images and images["photo (150x128)"].shape == (150, 128)
    assert all(kernel.shape == (3, 3) for kernel in kernels.values())


@pytest.mark.parametrize("images, kernels, message", [
    ({"flat": np.ones(9)}, KERNELS, "2-D grey image"),
    ({"rgb": np.ones((5, 5, 3))}, KERNELS, "2-D grey image"),
    ([np.ones((5, 5))], KERNELS, "non-empty dict"),
    (IMAGES, {"big": np.ones((5, 5))}, "must be 3x3"),
    (IMAGES, {}, "non-empty dict"),
])
def test_bad_inputs_say_what_was_expected(images, kernels, message):
    with pytest.raises((TypeError, ValueError), match=message):
        widgets.conv_explorer(RecordingConv(), images, kernels, live=False)


def test_the_explorer_needs_a_function():
    with pytest.raises(TypeError, match="needs your convolution function"):
        widgets.conv_explorer(np.ones((3, 3)), IMAGES, KERNELS)


def test_values_are_written_on_pixels_only_while_they_do_not_overlap():
    lecture = np.arange(25.0).reshape(5, 5)
    figure = widgets.draw_convolution(lecture, np.ones((3, 3)), 1, 0, np.ones((3, 3)))
    assert [len(ax.texts) for ax in figure.axes] == [25, 9, 9]
    wide = np.random.default_rng(0).uniform(-10, 10, (16, 16)).round(2)  # labels like "-9.7"
    figure = widgets.draw_convolution(wide, np.ones((3, 3)), 1, 0, wide[:14, :14] * 100)
    input_ax, kernel_ax, map_ax = figure.axes
    assert len(kernel_ax.texts) == 9
    assert len(input_ax.texts) == 0 and len(map_ax.texts) == 0
    assert "too small to write" in map_ax.get_title()
    plt.close("all")
