"""Rebuild the small data files that ship inside the package (utils/dl4cv/resources/).

    python data/make_data.py /path/to/folder/with/mnist.npz

- ``mnist_sample.npz``: the first 100 test digits of each class from the MNIST test
  set (1,000 digits), with their indices into that set.
- ``lecture_matrices.json``: the lecture's small matrices.  The portrait's pixel grid is
  computed from the Grace Hopper photo that ships with matplotlib; the others are
  written out below.
"""
import json
import sys
from pathlib import Path

import numpy as np

from dl4cv.data import _read_npz, sample_photo, verify_mnist

RESOURCES = Path(__file__).resolve().parent.parent / "utils" / "dl4cv" / "resources"
PER_CLASS = 100


def _grid(rows):
    return [[1 if ch == "#" else -1 for ch in row] for row in rows.split()]


X_STRAIGHT = """
.........
.#.....#.
..#...#..
...#.#...
....#....
...#.#...
..#...#..
.#.....#.
.........
"""
X_DEFORMED = """
.........
.#.......
..##...#.
...#..#..
....##...
...##....
..#..#...
.#....##.
.........
"""
O_GRID = """
.........
...###...
..#...#..
.#.....#.
.#.....#.
.#.....#.
..#...#..
...###...
.........
"""


def portrait_grid(rows=16, cols=12):
    """Grey levels (0-255) of the face in the photo, averaged over blocks."""
    grey = sample_photo().astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    face = grey[40:520, 76:436]  # 480 x 360: the head and shoulders
    block_rows, block_cols = face.shape[0] // rows, face.shape[1] // cols
    blocks = face[: rows * block_rows, : cols * block_cols].reshape(rows, block_rows, cols, block_cols)
    return np.rint(blocks.mean(axis=(1, 3))).astype(int).tolist()


def lecture_matrices():
    return {
        "portrait": {"about": "16x12 grey levels of the Grace Hopper photo (matplotlib sample data)",
                     "values": portrait_grid()},
        "conv_image": {"about": "the lecture's 5x5 binary image",
                       "values": [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1],
                                  [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]},
        "conv_filter": {"about": "the lecture's 3x3 filter for the 5x5 image",
                        "values": [[1, 0, 1], [0, 1, 0], [1, 0, 1]]},
        "conv_feature_map": {"about": "the lecture's feature map: conv_image with conv_filter",
                             "values": [[4, 3, 4], [2, 4, 3], [2, 3, 4]]},
        "x_straight": {"about": "the lecture's 9x9 X of -1/+1", "values": _grid(X_STRAIGHT)},
        "x_deformed": {"about": "a shifted, bent X after the lecture's figure", "values": _grid(X_DEFORMED)},
        "o": {"about": "a 9x9 O of -1/+1", "values": _grid(O_GRID)},
        "filter_diagonal": {"about": "the lecture's X filter: the top-left to bottom-right diagonal",
                            "values": [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]]},
        "filter_cross": {"about": "the lecture's X filter: the crossing at the centre",
                         "values": [[1, -1, 1], [-1, 1, -1], [1, -1, 1]]},
        "filter_antidiagonal": {"about": "the lecture's X filter: the top-right to bottom-left diagonal",
                                "values": [[-1, -1, 1], [-1, 1, -1], [1, -1, -1]]},
        "kernel_sharpen": {"about": "the lecture's sharpen kernel",
                           "values": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]},
        "kernel_edge": {"about": "the lecture's edge-detect kernel",
                        "values": [[0, 1, 0], [1, -4, 1], [0, 1, 0]]},
        "kernel_strong_edge": {"about": "the lecture's \"strong\" edge-detect kernel",
                               "values": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]},
    }


def mnist_sample(mnist_path):
    arrays = _read_npz(mnist_path)
    verify_mnist(arrays, mnist_path)
    labels = arrays["y_test"]
    indices = np.sort(np.concatenate([np.flatnonzero(labels == digit)[:PER_CLASS] for digit in range(10)]))
    return {"images": arrays["x_test"][indices], "labels": labels[indices], "test_indices": indices}


def main(mnist_folder):
    np.savez_compressed(RESOURCES / "mnist_sample.npz", **mnist_sample(Path(mnist_folder) / "mnist.npz"))
    (RESOURCES / "lecture_matrices.json").write_text(json.dumps(lecture_matrices(), indent=1) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: python {sys.argv[0]} FOLDER_WITH_MNIST_NPZ")
    main(sys.argv[1])
