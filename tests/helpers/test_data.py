import os

import numpy as np
import pytest

from dl4cv import data


def _write_mnist(path, **changes):
    rng = np.random.default_rng(0)
    arrays = {key: rng.integers(0, 10, size=shape, dtype=np.uint8) for key, shape in data.MNIST_SHAPES.items()}
    arrays.update(changes)
    np.savez(path, **arrays)


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No shared copy, an empty project data folder, and a Keras that cannot download."""
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "env"))
    monkeypatch.setattr(data, "PROJECT_DATA", tmp_path / "project")
    import keras

    def offline():
        raise OSError("no network")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    (tmp_path / "env").mkdir()
    (tmp_path / "project").mkdir()
    return tmp_path


def test_missing_everywhere_says_where_it_looked_and_how_to_fix(isolated):
    with pytest.raises(data.DataError) as failure:
        data.load_mnist()
    message = str(failure.value)
    assert str(isolated / "env" / "mnist.npz") in message
    assert str(isolated / "project" / "mnist.npz") in message
    assert "Keras download: failed" in message and data.DATA_ENV in message


def test_corrupt_file_is_reported(isolated):
    (isolated / "env" / "mnist.npz").write_bytes(b"not a zip")
    with pytest.raises(data.DataError, match="could not be read as an .npz"):
        data.load_mnist()


def test_wrong_arrays_fail_the_checksum(isolated):
    _write_mnist(isolated / "env" / "mnist.npz")
    with pytest.raises(data.DataError, match="checksum of x_train"):
        data.load_mnist()


def test_wrong_shape_and_missing_keys(isolated):
    _write_mnist(isolated / "env" / "mnist.npz", x_test=np.zeros((5, 28, 28), np.uint8))
    with pytest.raises(data.DataError, match=r"x_test should be uint8 of shape \(10000, 28, 28\)"):
        data.load_mnist()
    np.savez(isolated / "env" / "mnist.npz", x_train=np.zeros(3))
    with pytest.raises(data.DataError, match="lacks"):
        data.load_mnist()


@pytest.mark.skipif(not os.environ.get(data.DATA_ENV), reason=f"{data.DATA_ENV} not set (CI sets it)")
def test_load_mnist_from_the_shared_copy():
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert abs(x_train.mean() - 33.318) < 1e-3


@pytest.mark.skipif(not os.environ.get(data.DATA_ENV), reason=f"{data.DATA_ENV} not set (CI sets it)")
def test_the_shipped_sample_is_the_first_hundred_test_digits_of_each_class():
    _, (x_test, y_test) = data.load_mnist()
    images, labels, indices = data.load_mnist_sample()
    assert np.array_equal(images, x_test[indices]) and np.array_equal(labels, y_test[indices])
    for digit in range(10):
        assert np.array_equal(indices[labels == digit], np.flatnonzero(y_test == digit)[:100])


def test_mnist_sample_is_stratified():
    images, labels, indices = data.load_mnist_sample()
    assert images.shape == (1000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [100] * 10
    assert len(np.unique(indices)) == 1000


def test_lecture_matrices():
    m = data.lecture_matrices()
    assert m["portrait"].shape == (16, 12) and 0 <= m["portrait"].min() and m["portrait"].max() <= 255
    for name in ("x_straight", "x_deformed", "o"):
        assert m[name].shape == (9, 9) and set(np.unique(m[name])) == {-1, 1}
    assert np.array_equal(m["x_straight"], m["x_straight"][:, ::-1]), "the X is mirror-symmetric"
    for name in ("filter_diagonal", "filter_cross", "filter_antidiagonal"):
        assert m[name].shape == (3, 3)
    assert m["conv_feature_map"].tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    with pytest.raises(KeyError, match="the names are"):
        data.lecture_matrix("lincoln")


def test_sample_photo():
    photo = data.sample_photo()
    assert photo.shape == (600, 512, 3) and photo.dtype == np.uint8
