"""Pictures of a digit classifier's mistakes: the confusion matrix, the most confident
errors, and a browser of predictions with their probability bars (an ipywidgets browser
in a notebook front end, a static grid anywhere else).

Every function takes the predicted probabilities, shape (N, 10), that the student's
model produced; none of them predicts anything itself.
"""
import numpy as np

from dl4cv import runtime


def _check_predictions(images, labels, probabilities):
    images, labels, probabilities = np.asarray(images), np.asarray(labels), np.asarray(probabilities)
    if probabilities.ndim != 2:
        raise ValueError(f"expected probabilities of shape (N, classes), got shape {probabilities.shape}")
    if labels.shape != (len(probabilities),):
        raise ValueError(f"expected {len(probabilities)} labels (one per row of probabilities), "
                         f"got shape {labels.shape}")
    if images is not None and len(images) != len(probabilities):
        raise ValueError(f"expected {len(probabilities)} images, got {len(images)}")
    return images, labels, probabilities


def _grey(image):
    image = np.asarray(image)
    return image[..., 0] if image.ndim == 3 else image


def confusion_matrix(labels, predicted, classes=10):
    """``matrix[true, predicted]`` = how many digits of class ``true`` got ``predicted``."""
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    if labels.shape != predicted.shape or labels.ndim != 1:
        raise ValueError(f"expected two 1-D arrays of the same length, got shapes {labels.shape} "
                         f"and {predicted.shape}")
    for name, values in (("labels", labels), ("predicted", predicted)):
        if len(values) and (values.min() < 0 or values.max() >= classes):
            raise ValueError(f"{name} must be class numbers in 0..{classes - 1}, "
                             f"got values from {values.min()} to {values.max()}")
    return np.bincount(labels * classes + predicted, minlength=classes * classes).reshape(classes, classes)


def plot_confusion_matrix(matrix, ax=None, title="confusion matrix"):
    """Draw a confusion matrix with counts written in the cells; the diagonal (right
    answers) is greyed out so that the mistakes stand out."""
    import matplotlib.pyplot as plt

    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"expected a square matrix, got shape {matrix.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5.5))
    errors = matrix.astype(float).copy()
    np.fill_diagonal(errors, np.nan)
    image = ax.imshow(errors, cmap="Reds")
    for (row, column), count in np.ndenumerate(matrix):
        if count:
            ax.text(column, row, str(count), ha="center", va="center", fontsize=7,
                    color="0.5" if row == column else "black")
    classes = np.arange(len(matrix))
    ax.set_xticks(classes)
    ax.set_yticks(classes)
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="mistakes")
    return ax


def most_confident_errors(labels, probabilities, count=12):
    """Indices of the ``count`` wrong predictions made with the highest probability,
    most confident first."""
    _, labels, probabilities = _check_predictions(np.zeros(len(labels)), labels, probabilities)
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")][:count]


def _draw_prediction(image_ax, bars_ax, image, label, probabilities):
    predicted = int(np.argmax(probabilities))
    image_ax.imshow(_grey(image), cmap="gray")
    image_ax.axis("off")
    verdict = "right" if predicted == label else "WRONG"
    image_ax.set_title(f"true {label}, predicted {predicted} ({verdict})", fontsize=9,
                       color="black" if predicted == label else "crimson")
    colours = ["0.75"] * len(probabilities)
    colours[predicted] = "crimson"
    colours[label] = "seagreen"
    bars_ax.bar(np.arange(len(probabilities)), probabilities, color=colours)
    bars_ax.set_ylim(0, 1)
    bars_ax.set_xticks(np.arange(len(probabilities)))
    bars_ax.set_ylabel("probability", fontsize=8)
    bars_ax.tick_params(labelsize=8)


def show_predictions(images, labels, probabilities, indices):
    """A static grid: each chosen image next to its ten probability bars (green: the
    true class, red: the predicted class when it is wrong)."""
    import matplotlib.pyplot as plt

    images, labels, probabilities = _check_predictions(images, labels, probabilities)
    indices = np.asarray(indices, dtype=int).ravel()
    if len(indices) == 0:
        raise ValueError("expected at least one index to show, got none")
    columns = min(len(indices), 3)
    rows = -(-len(indices) // columns)
    figure, axes = plt.subplots(rows, 2 * columns, figsize=(4.4 * columns, 2.1 * rows), squeeze=False,
                                gridspec_kw={"width_ratios": [1, 1.4] * columns})
    for slot in range(rows * columns):
        image_ax, bars_ax = axes[slot // columns, 2 * (slot % columns)], axes[slot // columns, 2 * (slot % columns) + 1]
        if slot < len(indices):
            index = indices[slot]
            _draw_prediction(image_ax, bars_ax, images[index], int(labels[index]), probabilities[index])
        else:
            image_ax.axis("off")
            bars_ax.axis("off")
    figure.tight_layout()
    return figure


def prediction_browser(images, labels, probabilities, *, interactive=None, static_count=6):
    """Browse predictions one at a time: a slider picks the example, a menu shows all of
    them or only the mistakes, and the probability bars show how sure the model was.

    Without a notebook front end (``interactive=False``, a script, autograding) it shows
    a static grid of the first ``static_count`` mistakes instead and returns the figure.
    """
    images, labels, probabilities = _check_predictions(images, labels, probabilities)
    if interactive is None:
        interactive = runtime.live_frontend()
    mistakes = np.flatnonzero(probabilities.argmax(axis=1) != labels)
    if not interactive:
        chosen = mistakes[:static_count] if len(mistakes) else np.arange(min(static_count, len(labels)))
        print(f"(static view: {len(chosen)} examples; run in Jupyter for the interactive browser)")
        return show_predictions(images, labels, probabilities, chosen)

    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    everything = np.arange(len(labels))
    which = widgets.Dropdown(options=[(f"all {len(everything)} examples", "all"),
                                      (f"only the {len(mistakes)} mistakes", "mistakes")],
                             value="mistakes" if len(mistakes) else "all", description="show")
    slider = widgets.IntSlider(min=0, max=1, value=0, description="example", continuous_update=False)
    picture = widgets.Output()

    def chosen():
        return mistakes if which.value == "mistakes" and len(mistakes) else everything

    def draw(_=None):
        index = chosen()[slider.value]
        with picture:
            picture.clear_output(wait=True)
            figure, (image_ax, bars_ax) = plt.subplots(1, 2, figsize=(6.5, 2.6),
                                                       gridspec_kw={"width_ratios": [1, 1.6]})
            _draw_prediction(image_ax, bars_ax, images[index], int(labels[index]), probabilities[index])
            image_ax.set_title(f"#{index}: " + image_ax.get_title(), fontsize=9)
            figure.tight_layout()
            plt.show()

    def reset(_=None):
        slider.max = len(chosen()) - 1
        slider.value = 0
        draw()

    which.observe(reset, names="value")
    slider.observe(draw, names="value")
    browser = widgets.VBox([widgets.HBox([which, slider]), picture])
    reset()
    display(browser)
    return browser
