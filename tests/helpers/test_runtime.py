import pytest

from dl4cv import runtime


def test_choose_budget_in_grading_mode(monkeypatch, capsys):
    from dl4cv import training

    traced_once, as_traced = [], []
    monkeypatch.setattr(training, "trace_each_step_once", lambda: traced_once.append(True))
    monkeypatch.setattr(training, "run_graphs_as_traced", lambda: as_traced.append(True))
    monkeypatch.setenv(runtime.GRADING_ENV, "autograde")
    budget = runtime.choose_budget(grading={"epochs": 1}, cpu={"epochs": 5})
    assert budget == {"epochs": 1}
    assert "autograding" in capsys.readouterr().out
    assert traced_once == [True], "while grading, Keras should trace each step once"
    assert as_traced == [True], "while grading, TensorFlow should skip its graph optimizer"
    monkeypatch.delenv(runtime.GRADING_ENV)
    runtime.choose_budget(grading={"epochs": 1}, cpu={"epochs": 5})
    assert traced_once == as_traced == [True], "outside grading, Keras and TensorFlow are left as they are"


def test_choose_budget_validates():
    with pytest.raises(TypeError, match="cpu budget must be a dict"):
        runtime.choose_budget(grading={}, cpu=3)
    with pytest.raises(ValueError, match="non-negative integer"):
        runtime.seed_everything(-1)


@pytest.fixture
def precision(monkeypatch):
    """No override and no grading to start with; the global policy back to float32 after."""
    import keras

    monkeypatch.delenv(runtime.PRECISION_ENV, raising=False)
    monkeypatch.delenv(runtime.GRADING_ENV, raising=False)
    yield keras.mixed_precision
    keras.mixed_precision.set_global_policy("float32")


def test_mixed_precision_on_a_gpu_and_never_while_grading(monkeypatch, precision):
    monkeypatch.setattr(runtime, "cpu_multiplies_bfloat16", lambda: False)
    assert runtime.use_mixed_precision("cpu") == "float32"
    assert precision.global_policy().name == "float32"
    assert runtime.use_mixed_precision("gpu") == "mixed_float16"
    monkeypatch.setenv(runtime.GRADING_ENV, "autograde")
    assert runtime.use_mixed_precision("gpu") == "float32"
    with pytest.raises(ValueError, match="'cpu' or 'gpu'"):
        runtime.use_mixed_precision("tpu")


def test_bfloat16_on_a_cpu_with_bfloat16_units_while_onednn_is_on(monkeypatch, precision):
    import keras

    monkeypatch.setattr(runtime, "cpu_multiplies_bfloat16", lambda: True)
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    assert runtime.use_mixed_precision("cpu") == "mixed_bfloat16"
    assert precision.global_policy().name == "mixed_bfloat16"
    assert runtime.use_mixed_precision("gpu") == "mixed_float16"
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")  # TensorFlow's own CPU kernels: bfloat16 is slow there
    assert runtime.use_mixed_precision("cpu") == "float32"
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    assert runtime.use_mixed_precision("cpu") == "float32"


def test_cpu_multiplies_bfloat16_reads_the_avx512_bf16_and_amx_flags(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    for flags in ("fpu avx512f avx512_bf16 amx_bf16 amx_tile",  # Intel Sapphire Rapids
                  "fpu avx2 avx512f avx512_bf16",              # AMD Zen 4, Intel Cooper Lake
                  "fpu avx2 amx_bf16"):
        cpuinfo.write_text(f"processor\t: 0\nflags\t\t: {flags}\n\n")
        assert runtime.cpu_multiplies_bfloat16(cpuinfo), flags
    for flags in ("fpu avx2 avx512f avx512_vnni",  # AVX-512 without bfloat16 (Ice Lake)
                  "fpu avx2 fma"):
        cpuinfo.write_text(f"processor\t: 0\nflags\t\t: {flags}\n\n")
        assert not runtime.cpu_multiplies_bfloat16(cpuinfo), flags
    cpuinfo.write_text("processor\t: 0\nmodel name\t: avx512_bf16 amx_bf16\n\n")  # only the flags line counts
    assert not runtime.cpu_multiplies_bfloat16(cpuinfo)
    assert not runtime.cpu_multiplies_bfloat16(tmp_path / "absent")


def test_grading_without_override_keeps_float32(monkeypatch, precision):
    monkeypatch.setattr(runtime, "cpu_multiplies_bfloat16", lambda: True)
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    monkeypatch.setenv(runtime.GRADING_ENV, "autograde")
    for device in ("gpu", "cpu"):
        assert runtime.use_mixed_precision(device) == "float32"
        assert precision.global_policy().name == "float32"


def test_precision_override_turns_mixed_precision_on_in_every_mode(monkeypatch, precision):
    monkeypatch.setenv(runtime.PRECISION_ENV, "mixed_float16")
    assert runtime.use_mixed_precision("cpu") == "mixed_float16"
    assert precision.global_policy().name == "mixed_float16"
    monkeypatch.setenv(runtime.GRADING_ENV, "autograde")
    assert runtime.use_mixed_precision("cpu") == "mixed_float16"
    monkeypatch.setattr(runtime, "accelerator", lambda: pytest.fail("the override should not ask for the device"))
    assert runtime.use_mixed_precision() == "mixed_float16"


def test_precision_override_turns_mixed_precision_off_on_a_gpu(monkeypatch, precision):
    monkeypatch.setenv(runtime.PRECISION_ENV, "float32")
    assert runtime.use_mixed_precision("gpu") == "float32"
    assert precision.global_policy().name == "float32"


def test_precision_override_rejects_other_values(monkeypatch, precision):
    monkeypatch.setenv(runtime.PRECISION_ENV, "float16")
    with pytest.raises(ValueError, match=r"DL4CV_PRECISION must be one of 'mixed_float16', 'mixed_bfloat16', 'float32'.*got 'float16'"):
        runtime.use_mixed_precision("gpu")
    assert precision.global_policy().name == "float32"


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


@pytest.mark.parametrize("device, chosen, other", [("gpu", "epochs=12", "a CPU would run epochs=3"),
                                                   ("cpu", "epochs=3", "a GPU would run epochs=12")])
def test_choose_budget_says_which_budget_it_chose_and_the_other(monkeypatch, capsys, device, chosen, other):
    monkeypatch.delenv(runtime.GRADING_ENV, raising=False)
    monkeypatch.setattr(runtime, "accelerator", lambda: device)
    budget = runtime.choose_budget(grading={"epochs": 1}, cpu={"epochs": 3}, gpu={"epochs": 12})
    printed = capsys.readouterr().out
    assert budget == {"epochs": int(chosen.split("=")[1])}
    assert f"Running on: {device.upper()}. Budget: {chosen}." in printed and other in printed


def test_on_a_colab_cpu_the_lab_says_how_to_get_a_gpu_and_what_it_does_meanwhile(monkeypatch, capsys):
    monkeypatch.setattr(runtime, "accelerator", lambda: "cpu")
    monkeypatch.setattr(runtime, "in_colab", lambda: True)
    assert runtime.report_device() == "cpu"
    printed = capsys.readouterr().out
    assert "Runtime > Change runtime type" in printed and "Meanwhile the lab runs on the CPU" in printed
    monkeypatch.setattr(runtime, "in_colab", lambda: False)
    runtime.report_device()
    assert "Change runtime type" not in capsys.readouterr().out
