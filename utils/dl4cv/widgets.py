"""Interactive explorers for the labs, with a static fallback.

``conv_explorer(conv2d)`` lets a student pick an image and a 3x3 kernel (or type the
kernel's nine values), a stride and a padding, and watch the feature map and its shape
change.  It runs the student's own ``conv2d(image, kernel, stride, padding)``: this
module draws and wires controls, it never convolves anything itself.

Live controls need a Jupyter front end that renders widgets (JupyterLab, Notebook 7,
VS Code, Colab).  Where there is none to talk to (autograding, a plain Python process)
the explorer draws one static figure of its default settings instead (see
``runtime.live_frontend``).
"""
import numpy as np

from dl4cv import runtime

MAX_STRIDE = 4
MAX_PADDING = 3
_LABEL_LIMIT = 32  # larger arrays never get their values written on (plotting's limit)


def default_images():
    """The explorer's images, small enough for a loop-based convolution to keep up."""
    from dl4cv import data

    digits, labels, _ = data.load_mnist_sample()
    grey = data.sample_photo() @ np.array([0.299, 0.587, 0.114])
    return {
        "lecture 5x5 image": data.lecture_matrix("conv_image"),
        "lecture X (9x9)": data.lecture_matrix("x_straight"),
        "handwritten 7 (28x28)": digits[np.flatnonzero(labels == 7)[0]].astype(float),
        "photo (150x128)": grey[::4, ::4].round(),
    }


def default_kernels():
    """The explorer's 3x3 kernels: the lecture's, plus a blur and a vertical-edge finder."""
    from dl4cv import data

    return {
        "lecture filter": data.lecture_matrix("conv_filter"),
        "sharpen": data.lecture_matrix("kernel_sharpen"),
        "edge detect": data.lecture_matrix("kernel_edge"),
        "strong edge detect": data.lecture_matrix("kernel_strong_edge"),
        "vertical edges": np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
        "blur (mean of 3x3)": np.full((3, 3), 1 / 9),
    }


def _checked_choices(kind, choices, expected, acceptable):
    """``choices`` (a non-empty dict of name -> array) as float arrays, each of which
    ``acceptable`` accepts; ``expected`` says in words what one should be."""
    if not isinstance(choices, dict) or not choices:
        raise TypeError(f"{kind}s must be a non-empty dict of name -> {expected}, got {type(choices).__name__}")
    checked = {}
    for name, value in choices.items():
        array = np.asarray(value, dtype=float)
        if not acceptable(array):
            raise ValueError(f"{kind} {name!r} must be {expected}, got shape {array.shape}")
        checked[str(name)] = array
    return checked


def _checked_images(images):
    return _checked_choices("image", images, "a 2-D grey image of at least 3x3 pixels",
                            lambda array: array.ndim == 2 and min(array.shape) >= 3)


def _checked_kernels(kernels):
    return _checked_choices("kernel", kernels, "3x3 (the explorer edits nine values)",
                            lambda array: array.shape == (3, 3))


def _show_grid(ax, grid, title, cmap="gray", symmetric=False):
    from dl4cv import plotting

    limit = float(np.abs(grid).max()) or 1.0
    vmin, vmax = (-limit, limit) if symmetric else (None, None)
    if max(grid.shape) <= _LABEL_LIMIT:
        fontsize = 10 if max(grid.shape) <= 7 else 7
        plotting.show_pixel_values(grid, ax=ax, cmap=cmap, vmin=vmin, vmax=vmax, fontsize=fontsize)
    else:
        ax.imshow(grid, cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_xticks([])
        ax.set_yticks([])
    ax.set_title(title, fontsize=9)


def _drop_overlapping_labels(ax):
    """Remove the values written on ``ax``'s pixels when any of them does not fit inside
    its pixel as drawn, with a margin: numbers that touch are unreadable, the image is not."""
    if not ax.texts:
        return
    renderer = ax.figure.canvas.get_renderer()
    (left, bottom), (right, top) = ax.transData.transform([(0, 0), (1, 1)])
    cell_width, cell_height = 0.85 * abs(right - left), 0.85 * abs(top - bottom)
    extents = [text.get_window_extent(renderer) for text in ax.texts]
    if any(extent.width > cell_width or extent.height > cell_height for extent in extents):
        for text in list(ax.texts):
            text.remove()
        ax.set_title(ax.get_title() + " (values too small to write)", fontsize=9)


def draw_convolution(image, kernel, stride, padding, feature_map=None, error=None):
    """Draw the (padded) image with the first window outlined, the kernel, and the
    feature map, or ``error`` in its place; return the figure."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    padded = np.pad(image, padding)
    figure, axes = plt.subplots(1, 3, figsize=(11, 3.8), gridspec_kw={"width_ratios": [3, 1.4, 3]})
    _show_grid(axes[0], padded, f"input {image.shape[0]}x{image.shape[1]}"
               + (f", padded by {padding} to {padded.shape[0]}x{padded.shape[1]}" if padding else ""))
    for step, colour in ((0, "tab:red"), (stride, "tab:orange")):
        if step + kernel.shape[1] <= padded.shape[1]:
            axes[0].add_patch(Rectangle((step - 0.5, -0.5), kernel.shape[1], kernel.shape[0],
                                        fill=False, edgecolor=colour, linewidth=2))
    if padding:
        axes[0].add_patch(Rectangle((padding - 0.5, padding - 0.5), image.shape[1], image.shape[0],
                                    fill=False, edgecolor="tab:blue", linewidth=1, linestyle="--"))
    _show_grid(axes[1], kernel, f"kernel 3x3, stride {stride}", cmap="coolwarm", symmetric=True)
    if error is not None:
        axes[2].axis("off")
        axes[2].text(0.5, 0.5, error, ha="center", va="center", wrap=True, fontsize=9, color="tab:red")
        axes[2].set_title("feature map: not computed", fontsize=9)
    else:
        feature_map = np.asarray(feature_map, dtype=float)
        shape = "x".join(str(n) for n in feature_map.shape)
        if feature_map.ndim == 2 and feature_map.size:
            _show_grid(axes[2], feature_map, f"feature map {shape}")
        else:
            axes[2].axis("off")
            axes[2].set_title(f"feature map of shape {feature_map.shape}: not a 2-D image", fontsize=9)
    figure.suptitle("red: the first window; orange: the next one, one stride to the right"
                    + ("; dashed blue: the image inside its zero padding" if padding else ""), fontsize=9)
    figure.tight_layout()
    for ax in axes:
        _drop_overlapping_labels(ax)
    return figure


def _run(conv2d, image, kernel, stride, padding):
    """(feature map, None) or (None, message) for what the student's function did."""
    try:
        result = conv2d(image, kernel, stride, padding)
    except NotImplementedError:
        return None, f"{getattr(conv2d, '__name__', 'conv2d')} is not written yet:\nfinish its exercise first"
    except Exception as error:  # show any failure of the student's code next to its inputs
        return None, f"{getattr(conv2d, '__name__', 'conv2d')} raised\n{type(error).__name__}: {error}"
    if result is None:
        return None, f"{getattr(conv2d, '__name__', 'conv2d')} returned None:\na missing `return`?"
    try:
        return np.asarray(result, dtype=float), None
    except (TypeError, ValueError) as error:
        return None, f"the result could not be read as an array of numbers ({error})"


def _shape_text(image, stride, padding, feature_map, error):
    made = "nothing (see the figure)" if error else "x".join(str(n) for n in feature_map.shape)
    return (f"<b>input</b> {image.shape[0]}x{image.shape[1]}, <b>kernel</b> 3x3, "
            f"<b>stride</b> {stride}, <b>padding</b> {padding} &rarr; <b>feature map</b> {made}")


class ConvExplorer:
    """The live explorer's controls and their wiring; ``widget`` is what to display."""

    def __init__(self, conv2d, images, kernels):
        import ipywidgets as w

        self.conv2d, self.images, self.kernels = conv2d, images, kernels
        style = {"description_width": "initial"}
        self.image_choice = w.Dropdown(options=list(images), description="image", style=style)
        self.kernel_choice = w.Dropdown(options=list(kernels), description="kernel", style=style)
        self.cells = [w.FloatText(layout=w.Layout(width="64px")) for _ in range(9)]
        self.stride = w.IntSlider(value=1, min=1, max=MAX_STRIDE, description="stride", style=style)
        self.padding = w.IntSlider(value=0, min=0, max=MAX_PADDING, description="padding", style=style)
        self.shape_label = w.HTML()
        self.output = w.Output()
        self._filling = False
        self._fill_kernel()
        self.kernel_choice.observe(self._on_kernel_choice, names="value")
        for control in [self.image_choice, self.stride, self.padding, *self.cells]:
            control.observe(self._on_change, names="value")
        grid = w.GridBox(self.cells, layout=w.Layout(grid_template_columns="repeat(3, 70px)"))
        controls = w.HBox([
            w.VBox([self.image_choice, self.kernel_choice, self.stride, self.padding]),
            w.VBox([w.HTML("kernel values (edit me):"), grid]),
        ])
        self.widget = w.VBox([controls, self.shape_label, self.output])
        self.update()

    def kernel(self):
        return np.array([cell.value for cell in self.cells], dtype=float).reshape(3, 3)

    def _fill_kernel(self):
        self._filling = True  # one redraw for nine new values, not nine
        try:
            for cell, value in zip(self.cells, self.kernels[self.kernel_choice.value].ravel()):
                cell.value = float(value)
        finally:
            self._filling = False

    def _on_kernel_choice(self, _change):
        self._fill_kernel()
        self.update()

    def _on_change(self, _change):
        if not self._filling:
            self.update()

    def update(self):
        """Run the student's function on the current settings and redraw."""
        import matplotlib.pyplot as plt
        from IPython.display import display

        image, kernel = self.images[self.image_choice.value], self.kernel()
        stride, padding = self.stride.value, self.padding.value
        feature_map, error = _run(self.conv2d, image, kernel, stride, padding)
        self.feature_map, self.error = feature_map, error
        self.shape_label.value = _shape_text(image, stride, padding, feature_map, error)
        self.output.clear_output(wait=True)
        with self.output:
            figure = draw_convolution(image, kernel, stride, padding, feature_map, error)
            display(figure)
            plt.close(figure)


def conv_explorer(conv2d, images=None, kernels=None, *, live=None):
    """Explore ``conv2d(image, kernel, stride, padding)`` on images and 3x3 kernels.

    ``images`` and ``kernels`` are dicts of name -> array (defaults: ``default_images()``
    and ``default_kernels()``).  With a live front end (``runtime.live_frontend()``, or ``live``
    given) this displays the controls; otherwise it draws one static figure for the first
    image and kernel with stride 1 and no padding.
    """
    if not callable(conv2d):
        raise TypeError("conv_explorer needs your convolution function, e.g. "
                        f"conv_explorer(conv2d_fast); got {type(conv2d).__name__}")
    images = _checked_images(default_images() if images is None else images)
    kernels = _checked_kernels(default_kernels() if kernels is None else kernels)
    if live is None:
        live = runtime.live_frontend()
    if live:
        from IPython.display import display

        display(ConvExplorer(conv2d, images, kernels).widget)
        return
    import matplotlib.pyplot as plt

    image_name, kernel_name = next(iter(images)), next(iter(kernels))
    image, kernel = images[image_name], kernels[kernel_name]
    feature_map, error = _run(conv2d, image, kernel, 1, 0)
    print(f"No live widget front end here, so this is a static picture of {image_name!r} with "
          f"{kernel_name!r}, stride 1, padding 0. Open the lab in JupyterLab to explore.")
    draw_convolution(image, kernel, 1, 0, feature_map, error)
    plt.show()
