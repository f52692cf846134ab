"""Probes and the verdicts the grader draws from them, outside any kernel: what a kernel
may send, how the rules compare, what a student is told, and what makes a lab broken."""
import json

import numpy as np
import pytest

from dl4cv import probes
from dl4cv.course.grading.verdicts import (Probe, ProbeSpecError, Unreadable, cell_probes, decode, judge_cell,
                                           make_rule, probes_sent, reference_problems)
from dl4cv.probes import PROBE_MIME, encode


def sent(value):
    """A value as it reaches the grader: encoded in the kernel, through JSON."""
    return json.loads(json.dumps(encode(value)))


@pytest.mark.parametrize("value", [None, True, "regression", 3, 2 ** 70, -0.5, float("inf"), [1, "a", None],
                                   {"a": [1, 2], "b": "x"}])
def test_plain_values_arrive_as_they_were_sent(value):
    assert decode(sent(value)) == value


@pytest.mark.parametrize("array", [np.arange(6, dtype=np.uint8).reshape(2, 3), np.float32(0.25),
                                   np.array([[True, False]]), np.zeros((0, 4)), np.array([1 + 2j])])
def test_arrays_keep_their_dtype_shape_and_values(array):
    got = decode(sent(array))
    assert got.dtype == np.asarray(array).dtype and got.shape == np.shape(array)
    assert np.array_equal(got, array)


def test_what_is_not_plain_data_arrives_as_unreadable_and_matches_nothing():
    class Sneaky(int):
        def __eq__(self, other):
            return True

    for value in (Sneaky(3), object(), np.array(["a"], dtype=object), {1: "a"}):
        assert isinstance(decode(sent(value)), Unreadable), value
    rule = make_rule("exact")
    assert rule.problem(decode(sent(Sneaky(3))), decode(sent(3)))


@pytest.mark.parametrize("forged", [
    {"type": "array", "dtype": "O", "shape": [1], "data": ""},                       # objects
    {"type": "array", "dtype": "<f8", "shape": [1000], "data": "AAAAAAAAAAA="},      # shape larger than data
    {"type": "array", "dtype": "<f8", "shape": [-1], "data": ""},
    {"type": "int", "value": "9" * 5000}, {"type": "float", "value": 1.5}, {"type": "bool", "value": 1},
    {"type": "pickle", "value": "gASV"}, [1, 2], "text", {"type": "list", "items": "abc"},
])
def test_forged_encodings_decode_to_unreadable_without_raising(forged):
    assert isinstance(decode(forged), Unreadable)


def test_close_compares_shape_kind_and_values_and_never_shows_the_reference():
    rule = make_rule("close", atol=1e-3)
    reference = sent(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert rule.problem(decode(sent([[1.0004, 2], [3, 4]])), decode(reference)) == ""
    assert "shape (2, 1)" in rule.problem(decode(sent(np.ones((2, 1)))), decode(reference))
    wrong = rule.problem(decode(sent([[1.0, 2.0], [3.0, 4.5]])), decode(reference))
    assert "1 of 4 differ" in wrong and "4.0" not in wrong
    assert "numbers" in rule.problem(decode(sent("4")), decode(reference))
    kinds = make_rule("close", kind="u")
    assert "unsigned" in kinds.problem(decode(sent(np.array([1], np.int64))), decode(sent(np.array([1], np.uint8))))


def test_exact_compares_text_lists_and_dicts_without_naming_the_wrong_key():
    rule = make_rule("exact")
    assert rule.problem(decode(sent((2, 3, 4))), decode(sent([2, 3, 4]))) == ""
    assert rule.problem(decode(sent(np.str_("regression"))), decode(sent("regression"))) == ""
    answers = {"age": "regression", "digit": "classification"}
    problem = rule.problem(decode(sent({**answers, "age": "classification"})), decode(sent(answers)))
    assert problem == "has a wrong value for one key"
    assert "item 1" in rule.problem(decode(sent(["a", "c"])), decode(sent(["a", "b"])))


def test_thresholds_ignore_the_reference_and_need_one_number():
    rule = make_rule("at_least", threshold=0.99)
    assert rule.problem(decode(sent(0.9912)), None) == ""
    assert "not at least 0.99" in rule.problem(decode(sent(np.float32(0.95))), None)
    assert "one number" in rule.problem(decode(sent([0.995, 0.995])), None)
    assert make_rule("at_most", threshold=1.0).problem(decode(sent(float("nan"))), None)


def test_a_cell_passes_only_when_every_probe_arrived_once_and_matches():
    specs = [Probe("a", make_rule("exact"), "a must be 1"), Probe("b", make_rule("close"), "b must be 0.5")]
    references = {"a": sent(1), "b": sent(0.5)}
    assert judge_cell(specs, [("a", sent(1)), ("b", sent(0.5))], references).passed
    assert judge_cell(specs, [("b", sent(0.5)), ("a", sent(1)), ("extra", sent(2))], references).passed
    missing = judge_cell(specs, [("a", sent(1))], references)
    assert not missing.passed and missing.lines == ["hidden test 'b' did not run (the cell stopped before it: "
                                                    "see the error above): b must be 0.5"]
    twice = judge_cell(specs, [("a", sent(1)), ("a", sent(1)), ("b", sent(0.5))], references)
    assert not twice.passed and "sent 2 times" in twice.lines[0]
    wrong = judge_cell(specs, [("a", sent(2)), ("b", sent(0.5))], references)
    assert not wrong.passed and wrong.lines[0].endswith("a must be 1")


def test_only_probe_outputs_are_taken_out_of_a_cell():
    outputs = [{"output_type": "stream", "name": "stdout", "text": "hi"},
               {"output_type": "display_data", "data": {PROBE_MIME: {"name": "a", "value": sent(1)}}},
               {"output_type": "execute_result", "data": {PROBE_MIME: {"name": "b", "value": sent(1)}}}]
    kept, found = probes_sent(outputs)
    assert found == [("a", sent(1))] and kept == [outputs[0], outputs[2]]


def test_probes_are_read_from_the_hidden_region_with_their_literal_rules():
    source = ('checks.check_equal("visible", f(1), 2)\n### BEGIN HIDDEN TESTS\n'
              'from dl4cv.probes import close, probe\n'
              'probe("f(2)", f(2), close(atol=1e-3), "f must double")\n'
              'probe(name="f(3)", value=f(3), rule=close(), says="f must "\n      "double")\n'
              '### END HIDDEN TESTS\n')
    first, second = cell_probes(source)
    assert (first.name, first.rule.atol, first.says) == ("f(2)", 1e-3, "f must double")
    assert (second.name, second.rule.name, second.says) == ("f(3)", "close", "f must double")


@pytest.mark.parametrize("hidden, problem", [
    ('probe(name, f(2), exact(), "x")', "literals"),
    ('probe("a", f(2), exact(), "x")\nprobe("a", f(3), exact(), "x")', "unique"),
    ('for n in range(3):\n    probe("a", f(n), exact(), "x")', "loop"),
    ('probe("a", f(2), exact())', "all four"),
    ('probe("a", f(2), looks_right(), "x")', "rule must be"),
    ('probe("a", f(2), close(atol=tol), "x")', "literals"),
    ('probe("a", f(2), close(atol=-1), "x")', ">= 0"),
    ('probe("a", f(2), exact(kind="s"), "x")', "kind"),
])
def test_a_hidden_test_the_grader_cannot_read_is_refused_with_the_line(hidden, problem):
    with pytest.raises(ProbeSpecError, match=problem):
        cell_probes(f"### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS\n")


def test_the_solution_must_send_every_probe_and_meet_its_own_thresholds():
    specs = [Probe("accuracy", make_rule("at_least", threshold=0.99), "train longer"),
             Probe("shape", make_rule("exact"), "keep the shape")]
    assert reference_problems(specs, [("accuracy", sent(0.995)), ("shape", sent((2, 2)))]) == []
    problems = reference_problems(specs, [("accuracy", sent(0.98))])
    assert len(problems) == 2 and "not at least 0.99" in problems[0] and "did not run" in problems[1]


def test_outside_grading_a_probe_only_checks_its_name(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    probes.probe("a", np.arange(3), probes.exact(), "x")
    with pytest.raises(TypeError, match="name"):
        probes.probe("", 1, probes.exact(), "x")


def test_plain_nbgrader_autograde_cannot_judge_probes_so_it_is_told(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.delenv(probes.PROBES_ENV, raising=False)
    with pytest.raises(RuntimeError, match="dl4cv-grade"):
        probes.probe("a", 1, probes.exact(), "x")


def test_raised_names_the_builtin_exception_even_for_a_students_subclass():
    class ShapeError(ValueError):
        pass

    def refuses(x):
        raise ShapeError(x)

    assert probes.raised(refuses, 1) == "ValueError"
    assert probes.raised(int, "3") is None
    assert probes.raised(int, "x") == "ValueError"
