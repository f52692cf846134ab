"""Feedback for students: checks that say what was expected, what came back, and why.

A visible check cell calls one of these on a small case.  A passing check prints one
line; a failing one raises ``CheckFailed`` (an ``AssertionError``) whose message names
the exercise, the expected and the received value, and, when the answer matches a
known mistake, the mistake.  Floats are compared with a tolerance, so any correct
approach passes.
"""
import sys

import numpy as np


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message says what and why.

    In a notebook, IPython shows only the message (``_render_traceback_``), not a
    traceback through these helpers; a plain Python process shows the usual traceback,
    which ends with the same message."""

    def _render_traceback_(self):
        return [f"CheckFailed: {self.args[0]}" if self.args else "CheckFailed"]


def _summary(value, limit=6):
    array = np.asarray(value)
    if array.ndim == 0:
        return repr(array.item())
    if array.size <= 36:
        return np.array2string(array, precision=4, suppress_small=True, max_line_width=100)
    return f"array of shape {array.shape}, dtype {array.dtype}, first values {array.ravel()[:limit]}"


def _fail(name, problem, expected=None, got=None, hint=None):
    lines = [f"✘ {name}: {problem}"]
    for label, value in (("expected: ", expected), ("got:      ", got), ("hint: ", hint)):
        if value is not None and value != "":
            lines.append(_aligned(f"  {label}", str(value)))
    raise CheckFailed("\n".join(lines))


def _aligned(label, text):
    """``label`` then ``text``, its later lines (a 2-D array's rows) indented under the first."""
    return label + text.replace("\n", "\n" + " " * len(label))


def passed(name, detail=""):
    """Print the one line a passing check shows."""
    print(f"✔ {name}: passed" + (f" ({detail})" if detail else ""))


def _as_numeric_array(name, got):
    if got is None:
        _fail(name, "your function returned None", hint="did you forget a `return` statement?")
    try:
        array = np.asarray(got)
    except Exception as error:  # a ragged list, an object without __array__
        _fail(name, f"the answer could not be read as an array ({error})")
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_)
    ):
        _fail(name, f"expected numbers, got an array of dtype {array.dtype}",
              got=type(got).__name__)
    return array


def _matches(a, b, atol, rtol):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=rtol, equal_nan=True))


def check_array(name, got, expected, *, atol=1e-6, rtol=1e-6, mistakes=(), dtype_kind=None):
    """Check that ``got`` equals ``expected`` element-wise, within a tolerance.

    ``mistakes`` is a sequence of ``(wrong_answer, hint)`` pairs: when ``got`` equals a
    known wrong answer, the hint explains the mistake.  ``dtype_kind`` (``"f"``, ``"i"``,
    ``"u"``, ``"b"``) additionally requires that kind of dtype, for exercises about dtypes.
    """
    expected = np.asarray(expected)
    array = _as_numeric_array(name, got)
    for wrong, hint in mistakes:
        if _matches(array, wrong, atol, rtol) and not _matches(array, expected, atol, rtol):
            _fail(name, "this is a known mistake", expected=_summary(expected),
                  got=_summary(array), hint=hint)
    if array.shape != expected.shape:
        _fail(name, "wrong shape", expected=f"shape {expected.shape}",
              got=f"shape {array.shape}", hint=_shape_hint(array.shape, expected.shape))
    if dtype_kind is not None and array.dtype.kind != dtype_kind:
        kinds = {"f": "floating point", "i": "signed integer", "u": "unsigned integer", "b": "boolean"}
        _fail(name, "wrong dtype", expected=f"a {kinds.get(dtype_kind, dtype_kind)} dtype",
              got=str(array.dtype))
    if not np.allclose(array.astype(np.float64), expected.astype(np.float64),
                       atol=atol, rtol=rtol, equal_nan=True):
        difference = np.abs(array.astype(np.float64) - expected.astype(np.float64))
        worst = np.unravel_index(np.nanargmax(difference), difference.shape) if difference.ndim else ()
        _fail(name, f"values differ (largest difference {np.nanmax(difference):.4g}"
                    + (f" at index {tuple(int(i) for i in worst)}" if worst else "") + ")",
              expected=_summary(expected), got=_summary(array))
    passed(name)


def _shape_hint(got, expected):
    if len(got) == len(expected) and sorted(got) == sorted(expected):
        return "the axes are in the wrong order (channels-first vs channels-last?)"
    if len(got) == len(expected) and all(abs(g - e) <= 2 for g, e in zip(got, expected)):
        return "off by one or two along an axis: check the output-size formula and the padding"
    if len(got) != len(expected):
        return f"expected {len(expected)} axes, got {len(got)}: a missing or extra axis?"
    return None


def check_scalar(name, got, expected, *, atol=1e-6, rtol=1e-6, mistakes=()):
    """Check one number, within a tolerance; ``mistakes`` as in ``check_array``."""
    if got is None:
        _fail(name, "your function returned None", hint="did you forget a `return` statement?")
    try:
        value = float(np.asarray(got).item()) if np.ndim(got) == 0 else None
    except (TypeError, ValueError):
        value = None
    if value is None:
        _fail(name, "expected a single number", got=repr(got)[:80])
    for wrong, hint in mistakes:
        if np.isclose(value, wrong, atol=atol, rtol=rtol) and not np.isclose(value, expected, atol=atol, rtol=rtol):
            _fail(name, "this is a known mistake", expected=expected, got=value, hint=hint)
    if not np.isclose(value, expected, atol=atol, rtol=rtol):
        _fail(name, "wrong value", expected=expected, got=value)
    passed(name)


_PLAIN_TYPES = (bool, int, float, complex, str, bytes, type(None))


def _is_plain(value):
    """True for built-in numbers, strings and None, NumPy's own scalars, and tuples,
    lists and dicts of them: values whose ``==`` an answer cannot have redefined."""
    if type(value) in _PLAIN_TYPES or (isinstance(value, np.generic) and type(value).__module__ == "numpy"):
        return True
    if type(value) in (tuple, list):
        return all(_is_plain(item) for item in value)
    if type(value) is dict:
        return all(_is_plain(key) and _is_plain(item) for key, item in value.items())
    return False


def check_equal(name, got, expected, hint=None):
    """Check exact equality, for integers, shapes, strings and tuples."""
    if isinstance(got, np.ndarray) or isinstance(expected, np.ndarray):
        raise TypeError("check_equal compares plain values; use check_array for arrays")
    try:
        got = tuple(got) if isinstance(expected, tuple) else got
    except (TypeError, ValueError):
        pass
    if not _is_plain(got):
        _fail(name, "expected plain values (numbers, strings, tuples of them)", expected=repr(expected),
              got=f"{type(got).__name__} {got!r}"[:120], hint="return built-in values, not objects of your own class")
    try:
        same = got == expected
    except (TypeError, ValueError):
        same = False
    if not same:
        _fail(name, "wrong answer", expected=repr(expected), got=repr(got), hint=hint)
    passed(name)


def check_true(name, condition, problem, hint=None):
    """Fail with ``problem`` (and ``hint``) unless ``condition`` holds."""
    if not bool(condition):
        _fail(name, problem, hint=hint)
    passed(name)


def python_lines_run(function, *args, limit=None):
    """How many lines of Python run during ``function(*args)``; counting stops (and the
    call is abandoned) once it passes ``limit``."""
    if not callable(function):
        raise TypeError(f"python_lines_run needs a function, got {type(function).__name__}")
    count = 0

    class _TooMany(Exception):
        pass

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
            if limit is not None and count > limit:
                raise _TooMany
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        function(*args)
    except _TooMany:
        pass
    finally:
        sys.settrace(previous)
    return count


def check_vectorised(name, function, small_args, large_args, *, allowance=150, hint=None):
    """Check that ``function`` has no Python loop over its data: called on ``large_args``
    it may run at most ``allowance`` more lines of Python than on ``small_args`` (a loop
    over pixels or rows runs its body once per pixel or row).  Both calls run once
    untraced first, so that one-off work (imports, caches) is not counted."""
    function(*small_args)
    function(*large_args)
    lines_small = python_lines_run(function, *small_args)
    lines_large = python_lines_run(function, *large_args, limit=lines_small + allowance)
    if lines_large > lines_small + allowance:
        _fail(name, f"{lines_small} lines of Python ran for the small input but more than "
                    f"{lines_large - 1} for the large one",
              hint=hint or "a Python loop runs once per element: let NumPy do the work on whole arrays")
    passed(name)
