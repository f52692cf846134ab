"""Pictures the labs share: images with titles, grids of images, pixel values."""
import numpy as np


def pyplot():
    """matplotlib.pyplot, imported on first use (importing dl4cv stays instant)."""
    import matplotlib.pyplot as plt

    return plt


def _image_for_display(image):
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[-1] not in (3, 4)):
        raise ValueError("expected an image of shape (height, width), (height, width, 1), "
                         f"(height, width, 3) or (height, width, 4); got shape {array.shape}")
    return array


def show_images(images, titles=None, *, columns=None, size=2.5, cmap="gray", vmin=None, vmax=None):
    """Show images side by side (grey images in ``cmap``); return the figure."""
    images = [_image_for_display(image) for image in images]
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(images)} images but {len(titles)} titles")
    columns = columns or min(len(images), 6)
    rows = -(-len(images) // columns)
    plt = pyplot()
    figure, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows), squeeze=False)
    for index, axis in enumerate(axes.ravel()):
        axis.axis("off")
        if index < len(images):
            image = images[index]
            axis.imshow(image, cmap=cmap if image.ndim == 2 else None, vmin=vmin, vmax=vmax)
            if titles is not None:
                axis.set_title(titles[index], fontsize=9)
    figure.tight_layout()
    return figure


def show_pixel_values(grid, *, ax=None, fontsize=7, cmap="gray", vmin=None, vmax=None):
    """Draw a small 2-D grid as an image with each value written on its pixel."""
    grid = np.asarray(grid)
    if grid.ndim != 2:
        raise ValueError(f"expected a 2-D grid, got shape {grid.shape}")
    if grid.size > 1024:
        raise ValueError(f"a grid of {grid.size} values is too large to label; crop it to at most 32x32")
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * grid.shape[1] + 1, 0.45 * grid.shape[0] + 1))
    ax.imshow(grid, cmap=cmap, vmin=vmin, vmax=vmax)
    low, high = np.nanmin(grid), np.nanmax(grid)
    middle = (low + high) / 2
    for (row, column), value in np.ndenumerate(grid):
        text = f"{value:.2g}" if np.issubdtype(grid.dtype, np.floating) else str(value)
        ax.text(column, row, text, ha="center", va="center", fontsize=fontsize,
                color="black" if value > middle else "white")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
