import pytest

from utils import runtime


def test_choose_budget_in_grading_mode(monkeypatch, capsys):
    monkeypatch.setenv(runtime.GRADING_ENV, "autograde")
    budget = runtime.choose_budget(grading={"epochs": 1}, cpu={"epochs": 5})
    assert budget == {"epochs": 1}
    assert "autograding" in capsys.readouterr().out


def test_choose_budget_validates():
    with pytest.raises(TypeError, match="cpu budget must be a dict"):
        runtime.choose_budget(grading={}, cpu=3)
    with pytest.raises(ValueError, match="non-negative integer"):
        runtime.seed_everything(-1)


def test_mixed_precision_only_on_a_gpu_and_never_while_grading(monkeypatch):
    import keras

    try:
        assert runtime.use_mixed_precision("cpu") == "float32"
        assert keras.mixed_precision.global_policy().name == "float32"
        assert runtime.use_mixed_precision("gpu") == "mixed_float16"
        monkeypatch.setenv(runtime.GRADING_ENV, "autograde")
        assert runtime.use_mixed_precision("gpu") == "float32"
        with pytest.raises(ValueError, match="'cpu' or 'gpu'"):
            runtime.use_mixed_precision("tpu")
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_report_device_on_colab_without_gpu_says_how_to_get_one(monkeypatch, capsys):
    monkeypatch.setattr(runtime, "in_colab", lambda: True)
    monkeypatch.setattr(runtime, "accelerator", lambda: "cpu")
    assert runtime.report_device() == "cpu"
    assert "Change runtime type" in capsys.readouterr().out


def test_autograding_follows_nbgrader(monkeypatch):
    monkeypatch.delenv(runtime.GRADING_ENV, raising=False)
    assert not runtime.autograding()
    monkeypatch.setenv(runtime.GRADING_ENV, "validate")
    assert runtime.autograding()
