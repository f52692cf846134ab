"""Verdicts decided outside the student's kernel (grader side only).

A lab's hidden tests send named probes (``dl4cv.probes``).  Here, in the grader's own
process:

* ``lab_probes`` reads, from the instructor's source notebook, which probes each graded
  cell sends and the rule and words of each (``Probe``): the rules come from this trusted
  copy, never from anything a kernel sends;
* ``decode`` turns a probe a kernel sent into a plain value, refusing anything else;
* ``judge_cell`` compares a cell's probes with the solution's (the references, sent by
  the same hidden code in a trusted run of the solution): the cell scores its points only
  if every probe arrived, once, and matches.  What it says names the probe, what went
  wrong and the rule's words, never the expected value.
"""
import ast
import base64
import math
import textwrap
from dataclasses import dataclass

import numpy as np

from dl4cv.course.grading.feedback import split_hidden
from dl4cv.probes import NUMERIC_KINDS, PROBE_MIME

MAX_ITEMS = 100_000          # elements in one decoded list, dict or array dimension
KIND_NAMES = {"b": "booleans", "i": "signed integers", "u": "unsigned integers", "f": "floats", "c": "complex numbers"}


class ProbeSpecError(ValueError):
    """A hidden test whose probes the grader cannot read: a lab to fix, not a submission."""


# ------------------------------------------------------------- rules (trusted side)

@dataclass(frozen=True)
class Rule:
    name: str                # close, exact, at_least, at_most
    atol: float = 0.0
    rtol: float = 0.0
    kind: str | None = None
    threshold: float | None = None

    def problem(self, got, reference):
        """What is wrong with ``got`` under this rule ("" when it matches)."""
        if self.name in ("at_least", "at_most"):
            number = _one_number(got)
            if number is None:
                return f"should be one number, got {_described(got)}"
            if math.isnan(number) or (number < self.threshold if self.name == "at_least" else number > self.threshold):
                return f"is {number:.6g}, not {'at least' if self.name == 'at_least' else 'at most'} {self.threshold:g}"
            return ""
        return _difference(got, reference, self.atol, self.rtol, self.kind)


RULE_DEFAULTS = {"close": {"atol": 1e-8, "rtol": 1e-5, "kind": None}, "exact": {"kind": None},
                 "at_least": {"threshold": None}, "at_most": {"threshold": None}}


def make_rule(name, **arguments):
    """A ``Rule`` from a rule call's name and literal arguments, checked."""
    if name not in RULE_DEFAULTS:
        raise ProbeSpecError(f"unknown rule {name}(); the rules are {sorted(RULE_DEFAULTS)}")
    unknown = set(arguments) - set(RULE_DEFAULTS[name])
    if unknown:
        raise ProbeSpecError(f"{name}() takes {sorted(RULE_DEFAULTS[name])}, not {sorted(unknown)}")
    values = {**RULE_DEFAULTS[name], **arguments}
    kind = values.get("kind")
    if kind is not None and (not isinstance(kind, str) or not kind or set(kind) - set(NUMERIC_KINDS)):
        raise ProbeSpecError(f"{name}(kind=...) must be dtype kind letters from {NUMERIC_KINDS!r}, got {kind!r}")
    for key in ("atol", "rtol", "threshold"):
        if key in values and not (isinstance(values[key], (int, float)) and not isinstance(values[key], bool)
                                  and math.isfinite(values[key]) and (key == "threshold" or values[key] >= 0)):
            raise ProbeSpecError(f"{name}({key}=...) must be a finite number{'' if key == 'threshold' else ' >= 0'}, "
                                 f"got {values[key]!r}")
    return Rule(name, **{key: float(value) if key != "kind" else value for key, value in values.items()})


@dataclass(frozen=True)
class Probe:
    """One probe a graded cell's hidden test sends: its name, its rule, and what the
    exercise requires in words (shown to the student when it fails)."""
    name: str
    rule: Rule
    says: str


# ------------------------------------------------------------- reading the probes of a lab

def lab_probes(notebook):
    """{grade id: [Probe]} for every graded test cell of an instructor's source notebook
    (an nbformat node), read from its hidden regions; ``ProbeSpecError`` names the cell
    and line of anything that cannot be read."""
    found = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        try:
            found[meta["grade_id"]] = cell_probes(cell.source)
        except ProbeSpecError as problem:
            raise ProbeSpecError(f"cell {meta['grade_id']}: {problem}") from None
    return found


def cell_probes(source):
    """The ``Probe``s one test cell's hidden region sends, in order."""
    hidden = textwrap.dedent("\n".join(split_hidden(source)[1]))
    try:
        tree = ast.parse(hidden)
    except SyntaxError as error:
        raise ProbeSpecError(f"its hidden tests do not parse: {error}") from None
    probes = []
    _collect(tree, probes, repeated=False)
    names = [p.name for p in probes]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ProbeSpecError(f"probe names must be unique in a cell: {twice}")
    return probes


REPEATING = (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp,
             ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _collect(node, probes, repeated):
    if isinstance(node, ast.Call) and _called_name(node.func) == "probe":
        if repeated:
            raise ProbeSpecError(f"line {node.lineno}: a probe inside a loop or function would be sent more than "
                                 "once, or not at all; probe a list of the values instead")
        probes.append(_probe_from_call(node))
    for child in ast.iter_child_nodes(node):
        _collect(child, probes, repeated or isinstance(node, REPEATING))


def _called_name(func):
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _probe_from_call(call):
    where = f"line {call.lineno}"
    arguments = dict(zip(("name", "value", "rule", "says"), call.args))
    arguments.update({keyword.arg: keyword.value for keyword in call.keywords})
    if set(arguments) != {"name", "value", "rule", "says"}:
        raise ProbeSpecError(f"{where}: a probe is probe(name, value, rule, says), all four given")
    name, says = _literal(arguments["name"], where), _literal(arguments["says"], where)
    if not isinstance(name, str) or not name or not isinstance(says, str) or not says:
        raise ProbeSpecError(f"{where}: a probe's name and words must be non-empty string literals")
    rule = arguments["rule"]
    if not isinstance(rule, ast.Call) or rule.args or _called_name(rule.func) not in RULE_DEFAULTS:
        raise ProbeSpecError(f"{where}: the rule must be a call of one of {sorted(RULE_DEFAULTS)} with keyword "
                             "arguments, e.g. close(atol=1e-6)")
    try:
        return Probe(name, make_rule(_called_name(rule.func),
                                     **{k.arg: _literal(k.value, where) for k in rule.keywords}), says)
    except ProbeSpecError as problem:
        raise ProbeSpecError(f"{where}: {problem}") from None


def _literal(node, where):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise ProbeSpecError(f"{where}: probe names, rules and words must be literals, found {ast.unparse(node)}") \
            from None


# ------------------------------------------------------------- values a kernel sent

class Unreadable:
    """A probe value that is none of the plain kinds; it matches nothing."""

    def __init__(self, what):
        self.what = what

    def __repr__(self):
        return f"<{self.what}>"


def decode(encoded, depth=0):
    """The plain value ``dl4cv.probes.encode`` sent: None, bool, str, int, float, a
    numeric NumPy array, or lists and dicts of these.  Whatever else arrives (it came
    from the student's kernel) decodes to ``Unreadable``; nothing raises."""
    try:
        return _decode(encoded, depth)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError):
        return Unreadable("a value that could not be read")


def _decode(encoded, depth):
    if depth > 16 or not isinstance(encoded, dict):
        return Unreadable("a value that could not be read")
    kind = encoded.get("type")
    if kind == "none":
        return None
    if kind in ("bool", "str"):
        value = encoded["value"]
        if type(value) is not {"bool": bool, "str": str}[kind]:
            raise TypeError(kind)
        return value
    if kind == "int":
        text = encoded["value"]
        if not isinstance(text, str) or len(text) > 400:
            raise ValueError(kind)
        return int(text)
    if kind == "float":
        text = encoded["value"]
        if not isinstance(text, str) or len(text) > 40:
            raise ValueError(kind)
        return float(text)
    if kind == "list":
        items = encoded["items"]
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise ValueError(kind)
        return [_decode(item, depth + 1) for item in items]
    if kind == "dict":
        items = encoded["items"]
        if not isinstance(items, dict) or len(items) > MAX_ITEMS:
            raise ValueError(kind)
        return {str(key): _decode(item, depth + 1) for key, item in items.items()}
    if kind == "array":
        dtype = np.dtype(str(encoded["dtype"]))
        shape = encoded["shape"]
        if dtype.kind not in NUMERIC_KINDS or dtype.hasobject or not isinstance(shape, list) or len(shape) > 32 \
                or not all(type(n) is int and 0 <= n for n in shape):
            raise ValueError(kind)
        data = base64.b64decode(encoded["data"], validate=True)
        if len(data) != math.prod(shape) * dtype.itemsize:
            raise ValueError(kind)
        return np.frombuffer(data, dtype=dtype).reshape(tuple(shape))
    if kind == "other":
        return Unreadable(f"a {str(encoded.get('class', 'value'))[:60]}")
    raise ValueError(kind)


def probes_sent(outputs):
    """(the outputs without probes, [(name, encoded value)] of the probes among them, in
    order)."""
    kept, sent = [], []
    for output in outputs:
        data = output.get("data", {}) if output.get("output_type") == "display_data" else {}
        if PROBE_MIME in data:
            payload = data[PROBE_MIME]
            if isinstance(payload, dict) and isinstance(payload.get("name"), str):
                sent.append((payload["name"], payload.get("value")))
        else:
            kept.append(output)
    return kept, sent


# ------------------------------------------------------------- comparing

def _numeric(value):
    """``value`` as a numeric array, or None when it is not numbers (strings, None, a list
    of mixed things, unreadable)."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (bool, int, float)):
        return np.asarray(value)
    if isinstance(value, list):
        try:
            array = np.asarray(value)
        except (ValueError, TypeError, OverflowError):
            return None
        return array if array.dtype.kind in NUMERIC_KINDS and array.size else None
    return None


def _one_number(value):
    array = _numeric(value)
    if array is None or array.size != 1 or array.dtype.kind == "c":
        return None
    return float(array.reshape(()))


def _described(value):
    array = _numeric(value)
    if array is not None:
        return f"an array of shape {array.shape} and dtype {array.dtype}" if array.ndim else f"the number {array}"
    if isinstance(value, str):
        return f"the text {value[:80]!r}"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value)[:10]}"
    return "None" if value is None else repr(value)


def _difference(got, reference, atol, rtol, kind):
    """What differs between ``got`` and ``reference`` ("" if nothing), in words that do
    not show the reference."""
    wanted = _numeric(reference)
    if wanted is not None:
        array = _numeric(got)
        if array is None:
            return f"should be numbers, got {_described(got)}"
        if kind and array.dtype.kind not in kind:
            return (f"should hold {' or '.join(KIND_NAMES[k] for k in kind)}, got dtype {array.dtype}")
        if array.shape != wanted.shape:
            return f"has shape {array.shape}, not the shape the exercise asks for"
        if array.dtype.kind in "fc" or wanted.dtype.kind in "fc":
            differ = ~np.isclose(array, wanted, atol=atol, rtol=rtol, equal_nan=True)
        else:
            differ = array.astype(object) != wanted.astype(object)
        if np.any(differ):
            return (f"has the right shape but wrong values ({int(np.count_nonzero(differ))} of {array.size} differ)"
                    if array.ndim else f"is {array.reshape(()).item()!r}, which is not right")
        return ""
    if isinstance(reference, list):
        if not isinstance(got, list):
            return f"should be a list, got {_described(got)}"
        if len(got) != len(reference):
            return f"has {len(got)} items, not the number the exercise asks for"
        for index, (item, expected) in enumerate(zip(got, reference)):
            problem = _difference(item, expected, atol, rtol, kind)
            if problem:
                return f"item {index} {problem}"
        return ""
    if isinstance(reference, dict):
        if not isinstance(got, dict):
            return f"should be a dict, got {_described(got)}"
        if set(got) != set(reference):
            return f"has the keys {sorted(got)[:10]}, not the keys the exercise asks for"
        wrong = sum(bool(_difference(got[key], reference[key], atol, rtol, kind)) for key in reference)
        return f"has a wrong value for {'one key' if wrong == 1 else f'{wrong} keys'}" if wrong else ""
    if type(got) is not type(reference) or got != reference:
        return f"is {_described(got)}, which is not right"
    return ""


@dataclass
class Verdict:
    passed: bool
    lines: list


def judge_cell(probes, sent, references):
    """The verdict on one graded cell: ``probes`` its ``Probe``s (trusted), ``sent``
    [(name, encoded)] from the student's kernel, ``references`` {name: encoded} from the
    solution's run."""
    arrived = {}
    for name, encoded in sent:
        arrived.setdefault(name, []).append(encoded)
    lines = []
    for spec in probes:
        values = arrived.get(spec.name, [])
        if not values:
            problem = "did not run (the cell stopped before it: see the error above)"
        elif len(values) > 1:
            problem = f"was sent {len(values)} times, not once"
        else:
            problem = spec.rule.problem(decode(values[0]), decode(references.get(spec.name)))
        if problem:
            lines.append(f"hidden test '{spec.name}' {problem}: {spec.says}")
    return Verdict(not lines, lines)


def reference_problems(probes, sent):
    """What is wrong with the solution's own probes for one cell: each must arrive once
    and satisfy its own rule (a threshold the solution misses is a broken lab)."""
    verdict = judge_cell(probes, sent, dict(sent))
    return verdict.lines
