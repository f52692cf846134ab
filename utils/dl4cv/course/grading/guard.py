"""Inside the student's kernel: an IPython extension (``--IPKernelApp.extensions=``) that
undoes casual tampering before every cell.  It is imported before any student code runs,
so it imports only the standard library."""
import importlib
import sys
import types

GUARDED_MODULES = ("builtins", "numpy", "numpy.linalg", "numpy.testing", "dl4cv.checks", "dl4cv.probes")
# Names bound to modules of these packages (np, checks, keras, ...) are bound back to
# them before every cell; a student's own `time = 5.0` after `import time` is left alone.
TESTED_PACKAGES = ("numpy", "dl4cv", "keras", "tensorflow", "scipy", "torch", "jax")


class _Guard:
    """Undo casual tampering before every cell: attributes of NumPy, the check helpers
    and builtins are put back, and names that were bound to modules (``np``, ``checks``)
    are bound to them again.  It runs in the student's process, so it stops tampering,
    not a student who reads this code and sets out to defeat it (see docs/instructors.md,
    'Limits worth knowing')."""

    def __init__(self, shell):
        self.shell = shell
        self.modules = {}
        for name in GUARDED_MODULES:
            module = importlib.import_module(name)
            attributes = {key: value for key, value in vars(module).items()
                          if name != "builtins" or isinstance(value, (types.BuiltinFunctionType, type))}
            self.modules[name] = (module, attributes)
        self.bound_modules = {}

    def restore(self, *_):
        for name, (module, attributes) in self.modules.items():
            sys.modules[name] = module
            namespace = vars(module)
            for key, value in attributes.items():
                if namespace.get(key, self) is not value:
                    namespace[key] = value
        user = self.shell.user_ns
        for key, module in self.bound_modules.items():
            if user.get(key) is not module:
                user[key] = module

    def remember_modules(self, *_):
        for key, value in list(self.shell.user_ns.items()):
            if (isinstance(value, types.ModuleType) and not key.startswith("_")
                    and value.__name__.partition(".")[0] in TESTED_PACKAGES):
                self.bound_modules.setdefault(key, value)


def load_ipython_extension(shell):
    """Loaded by the sandbox kernel at start, before any student code."""
    guard = _Guard(shell)
    shell.events.register("pre_run_cell", guard.restore)
    shell.events.register("post_run_cell", guard.remember_modules)
