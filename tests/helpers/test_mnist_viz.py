"""dl4cv.mnist_viz: confusion matrix, confident errors, the prediction browser."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dl4cv import mnist_viz  # noqa: E402

LABELS = np.array([0, 1, 2, 2, 1])
PROBABILITIES = np.array([
    [0.9, 0.05, 0.05],   # right
    [0.2, 0.7, 0.1],     # right
    [0.6, 0.1, 0.3],     # wrong (0), confidence 0.6
    [0.05, 0.9, 0.05],   # wrong (1), confidence 0.9
    [0.1, 0.8, 0.1],     # right
])
IMAGES = np.zeros((5, 28, 28, 1), np.float32)


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    matrix = mnist_viz.confusion_matrix(LABELS, PROBABILITIES.argmax(axis=1), classes=3)
    assert matrix.tolist() == [[1, 0, 0], [0, 2, 0], [1, 1, 0]]


def test_confusion_matrix_rejects_bad_input():
    with pytest.raises(ValueError, match="same length"):
        mnist_viz.confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match="class numbers"):
        mnist_viz.confusion_matrix([0, 12], [0, 1])


def test_most_confident_errors_are_sorted_by_confidence():
    assert mnist_viz.most_confident_errors(LABELS, PROBABILITIES).tolist() == [3, 2]
    assert mnist_viz.most_confident_errors(LABELS, PROBABILITIES, count=1).tolist() == [3]


def test_plot_confusion_matrix_and_show_predictions_draw():
    ax = mnist_viz.plot_confusion_matrix(np.eye(3, dtype=int) * 5)
    assert ax.get_xlabel() == "predicted digit"
    figure = mnist_viz.show_predictions(IMAGES, LABELS, PROBABILITIES, [2, 3])
    assert len(figure.axes) == 4
    with pytest.raises(ValueError, match="at least one"):
        mnist_viz.show_predictions(IMAGES, LABELS, PROBABILITIES, [])


def test_browser_falls_back_to_a_static_grid_without_a_front_end(capsys):
    figure = mnist_viz.prediction_browser(IMAGES, LABELS, PROBABILITIES)
    assert "static view" in capsys.readouterr().out
    assert len(figure.axes) == 4  # the two mistakes, each an image and its bars


def test_browser_builds_widgets_when_asked():
    import ipywidgets

    browser = mnist_viz.prediction_browser(IMAGES, LABELS, PROBABILITIES, interactive=True)
    assert isinstance(browser, ipywidgets.VBox)
    which, slider = browser.children[0].children
    assert slider.max == 1  # two mistakes: indices 0 and 1
    which.value = "all"
    assert slider.max == 4


def _browser():
    mistakes = np.flatnonzero(PROBABILITIES.argmax(axis=1) != LABELS)
    return mnist_viz.PredictionBrowser(IMAGES, LABELS, PROBABILITIES, mistakes)


def test_browser_starts_at_the_first_mistake_and_steps_between_mistakes():
    browser = _browser()
    assert (browser.which.value, browser.index, browser.go_to.value) == ("mistakes", 2, 2)
    browser.next_mistake.click()
    assert browser.index == 3
    browser.next_mistake.click()  # no mistake after the last one: stays
    assert browser.index == 3
    browser.previous_mistake.click()
    assert browser.index == 2


def test_browser_jumps_to_an_example_by_its_index():
    browser = _browser()
    browser.go_to.value = 4  # a right answer: the view switches to all examples
    assert (browser.which.value, browser.slider.value, browser.index) == ("all", 4, 4)
    browser.previous_mistake.click()  # from example 4, the mistake before it is 3
    assert (browser.which.value, browser.index) == ("all", 3)
    browser.which.value = "mistakes"  # example 3 is a mistake: it stays shown
    assert (browser.slider.value, browser.index, browser.go_to.value) == (1, 3, 3)
    browser.next_mistake.click()
    assert browser.index == 3
    browser.go_to.value = 0
    browser.next_mistake.click()
    assert browser.index == 2


def test_browser_checks_shapes():
    with pytest.raises(ValueError, match="labels"):
        mnist_viz.prediction_browser(IMAGES, LABELS[:3], PROBABILITIES)
