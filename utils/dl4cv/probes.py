"""Probes: what a hidden test sends the grader instead of judging in the student's kernel.

A hidden test runs in the student's kernel, which is the student's: anything it decides
there (a pass, a failed assert, a rule) can be forged.  So a hidden test only computes
values from the student's work on given inputs and sends each as a named probe:

    from dl4cv.probes import probe, close
    probe("to_grayscale(random 5x6 image)", to_grayscale(colour), close(atol=1e-3),
          "to_grayscale must weight R, G, B by 0.299, 0.587, 0.114")

The grader (``dl4cv.course.grading.verdicts``) compares every probe with the value the
solution sent for the same code, under the rule written in the instructor's copy of the
test; here the rule and its words are inert.  Nothing in this module knows an expected
value, and nothing a kernel sends can change a rule.

Outside grading (a notebook run by hand, ``nbgrader validate``) a probe only checks
that its value can be sent.  Under plain ``nbgrader autograde``, which cannot judge
probes, it raises, so that every hidden test scores 0 rather than a silent full mark.
"""
import base64
import builtins
import os

PROBE_MIME = "application/vnd.dl4cv.probe+json"
PROBES_ENV = "DL4CV_PROBES"        # set by dl4cv-grade's kernel: someone judges the probes
GRADING_ENV = "NBGRADER_EXECUTION"
NUMERIC_KINDS = "biufc"
MAX_DEPTH = 8


def probe(name, value, rule=None, says=""):
    """Send ``value`` to the grader as the probe ``name``.  ``rule`` (``close``, ``exact``,
    ``at_least``, ``at_most``) and ``says`` (what the exercise requires, shown when the
    probe fails) are read by the grader from the instructor's copy of the test."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"a probe's name must be a non-empty str, got {name!r}")
    payload = {"name": name, "value": encode(value)}
    mode = os.environ.get(GRADING_ENV, "")
    if mode == "autograde":
        if not os.environ.get(PROBES_ENV):
            raise RuntimeError("this hidden test sends its values to dl4cv-grade, which judges them; plain "
                               "`nbgrader autograde` cannot, so grade this lab with dl4cv-grade "
                               "(docs/instructors.md)")
        from IPython.display import display

        display({PROBE_MIME: payload}, raw=True)


def raised(function, *args, **kwargs):
    """The name of the built-in exception class ``function(*args, **kwargs)`` raised (a
    student's own subclass counts as its built-in base), or None when it returned."""
    try:
        function(*args, **kwargs)
    except Exception as error:  # what is raised is the value being probed
        for cls in type(error).__mro__:
            if getattr(builtins, cls.__name__, None) is cls:
                return cls.__name__
        return "Exception"
    return None


def close(atol=1e-8, rtol=1e-5, kind=None):
    """Rule: the same shape and values within ``atol + rtol * |reference|`` (integers and
    booleans on both sides compare exactly: probe them as floats to allow a tolerance);
    ``kind``, if given, the dtype kinds allowed (``"u"``, ``"f"``, ``"iu"``)."""
    return ("close", {"atol": atol, "rtol": rtol, "kind": kind})


def exact(kind=None):
    """Rule: the same value (shape and every element, strings and None alike)."""
    return ("exact", {"kind": kind})


def at_least(threshold):
    """Rule: one number, at least ``threshold`` (the solution's value is not used)."""
    return ("at_least", {"threshold": threshold})


def at_most(threshold):
    """Rule: one number, at most ``threshold`` (the solution's value is not used)."""
    return ("at_most", {"threshold": threshold})


def encode(value, depth=0):
    """``value`` as plain JSON: None, bools, ints, floats and strings; NumPy arrays and
    scalars (and anything with ``__array__``, e.g. a tensor) of a numeric dtype; lists,
    tuples and dicts with str keys of these.  Anything else is sent as its class name,
    which matches nothing."""
    import numpy as np

    if depth > MAX_DEPTH:
        return {"type": "other", "class": "nested too deeply"}
    if value is None:
        return {"type": "none"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, str):
        return {"type": "str", "value": str(value)}
    if isinstance(value, int) and type(value) is int:
        return {"type": "int", "value": str(value)}
    if isinstance(value, float) and type(value) is float:
        return {"type": "float", "value": repr(value)}
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        return {"type": "list", "items": [encode(item, depth + 1) for item in value]}
    if type(value) is dict and all(type(key) is str for key in value):
        return {"type": "dict", "items": {key: encode(item, depth + 1) for key, item in value.items()}}
    if isinstance(value, (np.ndarray, np.generic)) or hasattr(value, "__array__"):
        try:
            array = np.asarray(value)
        except Exception:  # a tensor that cannot become an array is sent as what it is
            array = None
        if array is not None and array.dtype.kind in NUMERIC_KINDS:
            return {"type": "array", "dtype": array.dtype.str, "shape": list(array.shape),
                    "data": base64.b64encode(array.tobytes()).decode("ascii")}
    return {"type": "other", "class": type(value).__name__}
