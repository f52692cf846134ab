"""Data for the labs: MNIST, a small MNIST sample shipped with the project, and the
lecture's matrices.

``load_mnist`` looks in three places, in order:

1. the folder named by the environment variable ``DL4CV_DATA`` (CI points it at a
   shared copy), for a file ``mnist.npz``;
2. the ``data/`` folder of the repository, when the package runs from a clone of it;
3. Keras' own download (``keras.datasets.mnist.load_data``), on a machine online.

Every route is verified against the published array checksums, so a truncated or
altered file is reported rather than used.  Files are read with ``np.load``, never
through Keras' cache: Keras checks the zip container's hash and deletes a cache file
whose container differs, even when the arrays are right.
"""
import hashlib
import importlib.resources
import json
import os
from pathlib import Path

import numpy as np

DATA_ENV = "DL4CV_DATA"
# A clone keeps an optional mnist.npz in its data/ folder; an installed package has none.
PROJECT_DATA = Path(__file__).resolve().parents[2] / "data"
RESOURCES = importlib.resources.files("dl4cv.resources")

MNIST_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}
MNIST_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
SAMPLE_FILE = "mnist_sample.npz"
LECTURE_FILE = "lecture_matrices.json"


class DataError(RuntimeError):
    """A data file is missing, damaged, or could not be downloaded."""


def _candidate_files():
    folders = []
    if os.environ.get(DATA_ENV):
        folders.append((f"${DATA_ENV}", Path(os.environ[DATA_ENV]).expanduser()))
    folders.append(("the repository's data folder", PROJECT_DATA))
    return [(label, folder / "mnist.npz") for label, folder in folders]


def verify_mnist(arrays, source):
    """Check the four MNIST arrays' keys, shapes, dtypes and checksums; raise ``DataError``."""
    missing = sorted(set(MNIST_SHAPES) - set(arrays))
    if missing:
        raise DataError(f"{source} is not an MNIST file: it lacks {missing} "
                        f"(expected the keys {sorted(MNIST_SHAPES)}).")
    for key, shape in MNIST_SHAPES.items():
        array = arrays[key]
        if array.shape != shape or array.dtype != np.uint8:
            raise DataError(f"{source}: {key} should be uint8 of shape {shape}, "
                            f"got {array.dtype} of shape {array.shape}.")
    for key in MNIST_SHAPES:
        digest = hashlib.sha256(np.ascontiguousarray(arrays[key])).hexdigest()  # hashed in place, not copied
        if digest != MNIST_SHA256[key]:
            raise DataError(f"{source}: the checksum of {key} does not match the published "
                            "MNIST arrays; the file is damaged or not MNIST. Delete it and "
                            "load again.")


def _read_npz(path):
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except Exception as error:  # a truncated zip, a file that is not npz, ...
        raise DataError(f"{path} could not be read as an .npz file ({error}). "
                        "Delete it and load again.") from error


def load_mnist():
    """Return MNIST as Keras does: ``((x_train, y_train), (x_test, y_test))``, uint8.

    Raises ``DataError`` with the places it looked when no verified copy is found.
    """
    looked = []
    for label, path in _candidate_files():
        if path.is_file():
            arrays = _read_npz(path)
            verify_mnist(arrays, path)
            return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
        looked.append(f"{path} ({label}): no such file")
    try:
        import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:
        looked.append(f"Keras download: failed ({type(error).__name__}: {error})")
        raise DataError(
            "MNIST could not be loaded. Looked in:\n  - " + "\n  - ".join(looked)
            + f"\nFix: connect to the internet so Keras can download it, or put Keras' "
            f"mnist.npz in a folder and set {DATA_ENV} to that folder."
        ) from error
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    verify_mnist(arrays, "the MNIST arrays Keras downloaded")
    return (x_train, y_train), (x_test, y_test)


def load_mnist_sample():
    """Return ``(images, labels, test_indices)``: 100 MNIST test digits of each class,
    shipped with the project so that labs and tests never need the full set."""
    path = _resource(SAMPLE_FILE)
    with importlib.resources.as_file(path) as file:
        arrays = _read_npz(file)
    images, labels, indices = arrays["images"], arrays["labels"], arrays["test_indices"]
    if images.shape != (len(labels), 28, 28) or images.dtype != np.uint8:
        raise DataError(f"{path}: expected uint8 images of shape (N, 28, 28), "
                        f"got {images.dtype} {images.shape}.")
    return images, labels, indices


def _resource(name):
    path = RESOURCES / name
    if not path.is_file():
        raise DataError(f"{name} is missing from the installed package ({RESOURCES}); it ships "
                        "inside dl4cv: reinstall the course (pip install dl4cv-labs).")
    return path


def lecture_matrices():
    """Return the lecture's small matrices (the portrait's pixel grid, the X and O grids,
    the 5x5 image, the filters) as a dict of NumPy arrays."""
    entries = json.loads(_resource(LECTURE_FILE).read_text())
    return {name: np.array(entry["values"]) for name, entry in entries.items()}


def lecture_matrix(name):
    """Return one of ``lecture_matrices()`` by name, with a clear error for a wrong name."""
    matrices = lecture_matrices()
    if name not in matrices:
        raise KeyError(f"no lecture matrix called {name!r}; the names are {sorted(matrices)}")
    return matrices[name]


def sample_photo():
    """Return a real RGB photo (uint8, height x width x 3): Grace Hopper's portrait, which
    ships with matplotlib, so the labs work offline."""
    import matplotlib.cbook
    import matplotlib.image

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as file:
        return np.asarray(matplotlib.image.imread(file, format="jpg"))
