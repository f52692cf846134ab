"""Flags for an instructor's review: code in a submission that reaches into the
interpreter or the kernel, which no honest answer to these labs needs (parent only).

A flag is not a verdict: the scores stand as graded, and the instructor reads the flagged
cell.  What is flagged: the IPython shell and its magics, input transformers and events;
frames, tracebacks, ``gc``, ``ctypes``, ``inspect``; ZMQ, jupyter_client and ipykernel;
signals, ``fork`` and killing processes; sending the hidden tests' probes; ``eval``, ``exec``, ``compile`` and
``__import__``; and the dunder attributes that lead from any object to the interpreter's
internals.  Every code cell is read (a cell's metadata is the student's to change); no
cell of any lab's solution notebook, hidden tests included, uses any of these.
"""
import ast
import json

REVIEW_MARK = "[review]"
MODULES = {
    "IPython": "the IPython shell", "ipykernel": "the Jupyter kernel", "jupyter_client": "the Jupyter kernel",
    "zmq": "the kernel's messaging (ZMQ)", "gc": "the garbage collector (gc)", "ctypes": "raw memory (ctypes)",
    "inspect": "frames and source (inspect)", "traceback": "tracebacks", "signal": "signals",
    "builtins": "the builtins", "dl4cv.probes": "the hidden tests' probes (dl4cv.probes)",
}
NAMES = {"get_ipython": "the IPython shell (get_ipython)", "eval": "eval", "exec": "exec", "compile": "compile",
         "__import__": "__import__", "__builtins__": "the builtins", "globals": "globals()"}
ATTRIBUTES = {
    "_getframe": "frames (sys._getframe)", "settrace": "tracing (settrace)", "setprofile": "tracing (setprofile)",
    "excepthook": "the exception hook", "exc_info": "tracebacks (exc_info)",
    "fork": "fork", "forkpty": "fork", "kill": "killing processes", "killpg": "killing processes",
    "_exit": "ending the process (os._exit)",
    "f_back": "frames", "f_globals": "frames", "f_locals": "frames", "f_code": "frames", "tb_frame": "tracebacks",
    "tb_next": "tracebacks", "gi_frame": "frames", "cr_frame": "frames",
    "input_transformers_post": "input transformers", "input_transformers_cleanup": "input transformers",
    "ast_transformers": "input transformers", "run_cell": "the shell's run_cell",
    "showtraceback": "the shell's error display", "set_custom_exc": "the shell's error handling",
    "shell_handlers": "the kernel's handlers", "__class__": "dunder gadgets", "__bases__": "dunder gadgets",
    "__mro__": "dunder gadgets", "__subclasses__": "dunder gadgets", "__globals__": "dunder gadgets",
    "__code__": "dunder gadgets", "__closure__": "dunder gadgets", "__builtins__": "the builtins",
    "__dict__": "dunder gadgets", "__traceback__": "tracebacks", "__reduce_ex__": "dunder gadgets",
    "__getattribute__": "dunder gadgets", "__loader__": "dunder gadgets", "__spec__": "dunder gadgets",
}
PROBE_MARK = "vnd.dl4cv.probe"
HARMLESS_MAGICS = ("%matplotlib", "%time", "%timeit", "%%time", "%%timeit")


def review_flags(files):
    """``[(notebook, answer cell's grade id or None, cell number, what)]`` for every
    notebook in ``files`` (relative path -> bytes, as a ``Task`` holds them).  The grade
    id comes from the submission, so it is only a hint of where to look."""
    flags = []
    for name, content in sorted(files.items()):
        if not name.endswith(".ipynb"):
            continue
        try:
            cells = json.loads(content).get("cells", [])
        except (ValueError, AttributeError):
            continue
        answer = None  # the grade id of the answer cell this cell is, or follows
        for number, cell in enumerate(cells, start=1):
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            meta = (cell.get("metadata") or {}).get("nbgrader") or {}
            if isinstance(meta, dict) and meta.get("solution"):
                answer = meta.get("grade_id")
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            flags += [(name.removesuffix(".ipynb"), answer, number, what) for what in cell_flags(source)]
    return flags


def cell_flags(source):
    """What in one cell's source reaches interpreter or kernel internals (sorted, unique)."""
    found, python = set(), []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(("%", "!")) and not stripped.startswith(HARMLESS_MAGICS):
            found.add(f"an IPython magic or shell command ({stripped.split()[0]})")
            python.append("")
        else:
            python.append(line)
    try:
        tree = ast.parse("\n".join(python))
    except (SyntaxError, ValueError):
        return sorted(found)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                what = MODULES.get(module.split(".")[0]) or MODULES.get(module)
                if what:
                    found.add(f"imports {what}")
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    what = ATTRIBUTES.get(alias.name) or NAMES.get(alias.name)
                    if what:
                        found.add(what)
        elif isinstance(node, ast.Name) and node.id in NAMES:
            found.add(NAMES[node.id])
        elif isinstance(node, ast.Attribute) and node.attr in ATTRIBUTES:
            found.add(ATTRIBUTES[node.attr])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("__") \
                and node.value in ATTRIBUTES:
            found.add(ATTRIBUTES[node.value])  # getattr(x, "__globals__")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and PROBE_MARK in node.value:
            found.add("the hidden tests' probes (their message type)")
    return sorted(found)
