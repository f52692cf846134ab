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
    """Browse predictions one at a time: a slider steps through all examples or only the
    mistakes, "go to #" jumps to an example by its index, the mistake buttons jump to the
    previous or next wrong prediction, and the probability bars show how sure the model was.

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
    return PredictionBrowser(images, labels, probabilities, mistakes).show()


class PredictionBrowser:
    """The live browser's controls and their wiring; ``index`` is the example shown."""

    def __init__(self, images, labels, probabilities, mistakes):
        import ipywidgets as widgets

        self.images, self.labels, self.probabilities, self.mistakes = images, labels, probabilities, mistakes
        self.everything = np.arange(len(labels))
        self.which = widgets.Dropdown(options=[(f"all {len(labels)} examples", "all"),
                                               (f"only the {len(mistakes)} mistakes", "mistakes")],
                                      value="mistakes" if len(mistakes) else "all", description="show")
        self.slider = widgets.IntSlider(min=0, max=1, value=0, description="step", continuous_update=False)
        self.go_to = widgets.BoundedIntText(min=0, max=len(labels) - 1, description="go to #",
                                            layout=widgets.Layout(width="170px"))
        self.previous_mistake = widgets.Button(description="◀ previous mistake", disabled=not len(mistakes))
        self.next_mistake = widgets.Button(description="next mistake ▶", disabled=not len(mistakes))
        self.picture = widgets.Output()
        self.index = None  # the example shown
        self.which.observe(self._on_which, names="value")
        self.slider.observe(self._draw, names="value")
        self.go_to.observe(self._on_go_to, names="value")
        self.previous_mistake.on_click(lambda _button: self._step_mistake(-1))
        self.next_mistake.on_click(lambda _button: self._step_mistake(+1))
        self.widget = widgets.VBox([widgets.HBox([self.which, self.slider]),
                                    widgets.HBox([self.go_to, self.previous_mistake, self.next_mistake]),
                                    self.picture])
        self._on_which()

    def chosen(self):
        """The examples the slider steps through: every one, or only the mistakes."""
        return self.mistakes if self.which.value == "mistakes" and len(self.mistakes) else self.everything

    def show_example(self, index):
        """Show example ``index`` (an index into the whole set), in the mistakes' view
        when it is one of them, else in the view of all examples."""
        if index not in self.chosen():
            self.which.value = "all"
        self.slider.value = int(np.flatnonzero(self.chosen() == index)[0])

    def _step_mistake(self, direction):
        ahead = self.mistakes[self.mistakes > self.index] if direction > 0 else self.mistakes[self.mistakes < self.index][::-1]
        if len(ahead):
            self.show_example(int(ahead[0]))

    def _on_go_to(self, change):
        if change["new"] != self.index:
            self.show_example(change["new"])

    def _on_which(self, _change=None):
        """A new view keeps the example shown when it is in it, else starts at its first."""
        kept = np.flatnonzero(self.chosen() == self.index) if self.index is not None else []
        self.slider.max = max(len(self.chosen()) - 1, 0)
        step = int(kept[0]) if len(kept) else 0
        if self.slider.value == step:
            self._draw()
        else:
            self.slider.value = step

    def _draw(self, _change=None):
        import matplotlib.pyplot as plt

        index = self.index = int(self.chosen()[self.slider.value])
        self.go_to.value = index
        with self.picture:
            self.picture.clear_output(wait=True)
            figure, (image_ax, bars_ax) = plt.subplots(1, 2, figsize=(6.5, 2.6),
                                                       gridspec_kw={"width_ratios": [1, 1.6]})
            _draw_prediction(image_ax, bars_ax, self.images[index], int(self.labels[index]), self.probabilities[index])
            image_ax.set_title(f"#{index}: " + image_ax.get_title(), fontsize=9)
            figure.tight_layout()
            plt.show()

    def show(self):
        from IPython.display import display

        display(self.widget)
        return self.widget
