"""Grade every submission of a lab in parallel, sandboxed, into one nbgrader gradebook.

    dl4cv-grade lab1_images                       # or: python -m utils.grading lab1_images
    dl4cv-grade lab1_images --workers 8 --redo    # regrade what was already graded

It reads nbgrader's ``submitted/<student>/<lab>/`` layout of the course folder (or any
folder given with ``--submitted``), grades each submission with nbgrader's own autograde
converter in a worker process, records every result into the course's one gradebook
from this process only, writes ``autograded/`` and ``feedback/`` (HTML without hidden
tests) like nbgrader does, exports ``grades.csv`` and prints a summary.
See docs/instructors.md.

How the pieces divide the work:

* ``plan`` (parent) reads the course and makes one ``Task`` per submission: plain data
  (the submitted files, a snapshot gradebook that holds only this lab, the limits).
* ``grade_submission(task) -> Result`` (worker) is a pure function of its task: it grades
  in a private scratch course with nbgrader's ``Autograde`` and ``GenerateFeedback`` and
  returns scores, comments and files.  Any ``concurrent.futures.Executor`` can run it:
  local processes by default, or a Dask cluster's ``client.get_executor()``.
* ``record`` (parent) writes a result into the course gradebook, so SQLite has one writer.

Student code runs in a kernel started through the ``dl4cv-sandbox`` kernelspec, whose
launcher (``_launch_kernel``) gives it: no network and a private view of the file system
in which the solutions, the gradebook, the other submissions and the grader's scratch
folders are empty (Linux namespaces, when permitted), an unprivileged user (when run as
root), a memory cap (RLIMIT_AS), no GPU, seeds, and a folder of its own.  On Linux the
kernels are forked from a ``KernelForker`` that has imported their modules once per
worker, instead of each starting a new Python.  Each cell has a
timeout and each submission a wall-clock cap; a kernel that dies or runs out of time
scores 0 on every test cell it did not finish.
"""
import argparse
import base64
import concurrent.futures
import ctypes
import functools
import json
import multiprocessing
import multiprocessing.util
import os
import pwd
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "dl4cv-sandbox"
SANDBOX_ENV = "DL4CV_SANDBOX"
SANDBOX_USER = "nobody"
GUARDED_MODULES = ("builtins", "numpy", "numpy.linalg", "numpy.testing", "utils.checks")
# Names bound to modules of these packages (np, checks, keras, ...) are bound back to
# them before every cell; a student's own `time = 5.0` after `import time` is left alone.
TESTED_PACKAGES = ("numpy", "utils", "keras", "tensorflow", "scipy", "torch", "jax")
# Variables a student's kernel may inherit; everything else (tokens, keys) is dropped.
KERNEL_ENV_KEPT = ("PATH", "JPY_PARENT_PID", "LANG", "LC_ALL", "PYTHONPATH", "NBGRADER_EXECUTION", "DL4CV_DATA",
                   "KERAS_BACKEND", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")
HIDDEN_BEGIN, HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
REDACTED = "[hidden test: not shown]"


@dataclass(frozen=True)
class Limits:
    """What one submission may use.  ``memory_mb`` caps the kernel's address space."""
    cell_timeout: int = 180
    wall_timeout: int = 1200
    memory_mb: int = 8192
    output_kb: int = 1024

    def __post_init__(self):
        for name in ("cell_timeout", "wall_timeout", "memory_mb", "output_kb"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"Limits.{name} must be a positive integer, got {value!r}")


@dataclass
class Task:
    """Everything a worker needs to grade one submission, as plain data."""
    lab: str
    student: str
    files: dict                 # the submitted folder: relative path -> bytes
    gradebook: bytes            # an SQLite gradebook holding only this lab
    source_files: dict          # the lab's non-notebook source files: relative path -> bytes
    limits: Limits = field(default_factory=Limits)
    hide: tuple = ()            # paths student code must not see (absent ones are skipped)
    isolation: str = "auto"     # "namespace", "user", "none", or "auto" (the best permitted)
    threads: int = 1            # CPU threads the student's kernel should use
    fork_kernels: bool = hasattr(os, "pidfd_open")  # start kernels through a KernelForker (Linux)


@dataclass
class Result:
    lab: str
    student: str
    ok: bool
    seconds: float
    error: str = ""
    timestamp: object = None
    grades: dict = field(default_factory=dict)      # notebook -> grade id -> (auto_score, needs_manual)
    comments: dict = field(default_factory=dict)    # notebook -> grade id -> auto comment
    autograded: dict = field(default_factory=dict)  # relative path -> bytes
    feedback: dict = field(default_factory=dict)    # relative path -> bytes
    isolation: str = ""

    @property
    def score(self):
        return sum(score or 0 for cells in self.grades.values() for score, _ in cells.values())


# --------------------------------------------------------------------------- sandbox

def _nobody():
    entry = pwd.getpwnam(SANDBOX_USER)
    return entry.pw_uid, entry.pw_gid


def isolation_available():
    """The strongest isolation this machine permits: "namespace" (a private network and
    mount namespace, plus an unprivileged user), "user" (unprivileged user only) or
    "none" (student code runs as you)."""
    if os.geteuid() != 0:
        return "none"
    try:
        _nobody()
    except KeyError:
        return "none"
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "--net", "--mount", "true"], capture_output=True).returncode == 0:
        return "namespace"
    # Without a mount namespace the unprivileged user must reach Python as it is.
    return "none" if _closed_ancestors(_needed_paths()) else "user"


def isolation_warning(isolation):
    """What an instructor should know about ``isolation``, or "" when nothing is missing."""
    if isolation == "user":
        return ("warning: Linux namespaces are not permitted here, so student code has network "
                "access and can read every world-readable file (keep the course folder mode 700)")
    if isolation == "none":
        return ("warning: student code runs as you (this is not root, or the Python environment "
                "is in a folder others cannot enter and namespaces are not permitted): it can read "
                "the solutions and the gradebook and use the network. Grade as root in a container "
                "for a sandbox (docs/instructors.md)")
    return ""


def _write_kernelspec(folder, sandbox, isolation, task):
    """A kernelspec whose launcher starts ipykernel inside the sandbox."""
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    settings = {"sandbox": str(sandbox), "isolation": isolation, "hide": list(task.hide),
                "memory_mb": task.limits.memory_mb, "threads": task.threads}
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "utils.grading", "_kernel", "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)", "language": "python",
        "env": {SANDBOX_ENV: json.dumps(settings)}}))


def _kernel_env(sandbox, threads):
    env = {key: os.environ[key] for key in KERNEL_ENV_KEPT if key in os.environ}
    home = Path(sandbox) / "home"
    env.update(HOME=str(home), TMPDIR=str(Path(sandbox) / "tmp"), MPLCONFIGDIR=str(home / ".matplotlib"),
               IPYTHONDIR=str(home / ".ipython"), XDG_CACHE_HOME=str(home / ".cache"),
               PYTHONHASHSEED="0", PYTHONNOUSERSITE="1", CUDA_VISIBLE_DEVICES="",
               OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads), TF_NUM_INTRAOP_THREADS=str(threads),
               TF_NUM_INTEROP_THREADS=str(threads))
    return env


def _launch_kernel(argv, forked=False):
    """The kernelspec's command (runs as the grader): move the kernel into its own
    folder, hand it the connection file, then enter the sandbox and exec ipykernel
    (or, in a process the kernel forker forked, start ipykernel in this process)."""
    settings = json.loads(os.environ[SANDBOX_ENV])
    sandbox = Path(settings["sandbox"])
    connection, extra = Path(argv[0]), argv[1:]
    work = sandbox / "work"
    # The kernel starts in nbgrader's autograded folder, next to the notebook that holds
    # the hidden tests: copy only the other files (data the lab ships) to its own folder.
    shutil.copytree(Path.cwd(), work, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    shutil.copy(connection, sandbox / "connection.json")
    isolation = settings["isolation"]
    owner = _nobody() if isolation in ("namespace", "user") else None
    if owner:
        for path in [sandbox, *sandbox.rglob("*")]:
            os.chown(path, *owner, follow_symlinks=False)
    plan = {"sandbox": str(sandbox), "work": str(work), "owner": owner, "isolation": isolation,
            "hide": settings["hide"], "needed": _needed_paths(), "memory_mb": settings["memory_mb"],
            "env": _kernel_env(sandbox, settings["threads"]),
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", str(sandbox / "connection.json"),
                     "--IPKernelApp.extensions=utils.grading",
                     "--HistoryManager.enabled=False", *extra]}  # nobody reads a grading kernel's history
    if isolation == "namespace":
        _unshare()
    _enter(plan, forked)


_MS_RDONLY, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18
_CLONE_NEWNS, _CLONE_NEWNET = 0x00020000, 0x40000000


def _unshare():
    """Move this process into a new network and mount namespace whose mounts do not
    propagate back (``unshare --net --mount --propagation private``, without starting
    two more programs for every submission)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNS | _CLONE_NEWNET) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"unshare: {os.strerror(error)}")
    _mount("none", "/", "", _MS_REC | _MS_PRIVATE)


def _mount(source, target, fstype, flags, data=""):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(source.encode(), str(target).encode(), fstype.encode(), flags, data.encode()) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {source} on {target}: {os.strerror(error)}")


def _closed_ancestors(paths):
    """{the highest ancestor others cannot enter: [paths below it]} (e.g. a Python
    installed under /root, which is mode 700)."""
    closed = {}
    for path in paths:
        for ancestor in reversed(Path(path).parents):
            if ancestor != Path("/") and not os.stat(ancestor).st_mode & 0o001:
                closed.setdefault(str(ancestor), []).append(str(path))
                break
    return closed


def _needed_paths():
    """What the kernel's Python reads: the interpreter, the environment, its import path."""
    paths = {sys.base_prefix, sys.prefix, *(p for p in sys.path if p and Path(p).is_dir())}
    return sorted(p for p in paths if not any(p != q and Path(p).is_relative_to(q) for q in paths))


def _open_paths(needed, sandbox):
    """Make each needed path reachable for the unprivileged user, in this namespace only:
    an empty, enterable tmpfs goes over each closed ancestor, and the needed paths are
    bound back inside it."""
    for ancestor, paths in _closed_ancestors(needed).items():
        held = []
        for path in paths:
            hold = tempfile.mkdtemp(prefix="hold-", dir=sandbox)
            _mount(path, hold, "", _MS_BIND | _MS_REC)
            held.append((hold, path))
        _mount("tmpfs", ancestor, "tmpfs", 0, "size=16k,mode=755")
        for hold, path in held:
            Path(path).mkdir(parents=True, exist_ok=True)
            _mount(hold, path, "", _MS_BIND | _MS_REC)
            ctypes.CDLL(None).umount2(hold.encode(), 2)  # MNT_DETACH: the stand-in is no longer needed


def _private_view(plan):
    """Inside the new mount namespace: the Python environment reachable, shared scratch
    space read-only, the kernel's own folder writable, the hidden paths empty."""
    sandbox = Path(plan["sandbox"])
    if plan["owner"]:
        _open_paths(plan["needed"], sandbox)
    for shared in ("/tmp", "/var/tmp", "/dev/shm"):
        if Path(shared).is_dir():
            _mount(shared, shared, "", _MS_BIND | _MS_REC)
            _mount(shared, shared, "", _MS_REMOUNT | _MS_BIND | _MS_RDONLY)
    _mount(str(sandbox), sandbox, "", _MS_BIND)
    _mount(str(sandbox), sandbox, "", _MS_REMOUNT | _MS_BIND)  # a bind inherits read-only
    for hidden in plan["hide"]:
        path = Path(hidden)
        if path.is_dir():
            _mount("tmpfs", path, "tmpfs", 0, "size=16k,mode=000")
        elif path.exists():
            _mount("/dev/null", path, "", _MS_BIND)


def _enter(plan, forked=False):
    """Last step before the kernel: private view, limits, unprivileged user, exec (or,
    when ``forked``, the kernel in this process, which has imported its modules already)."""
    if plan["isolation"] == "namespace":
        _private_view(plan)
    limit = plan["memory_mb"] * 2 ** 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for folder in ("home", "tmp"):
        (Path(plan["sandbox"]) / folder).mkdir(exist_ok=True)
        if plan["owner"]:
            os.chown(Path(plan["sandbox"]) / folder, *plan["owner"])
    os.chdir(plan["work"])
    if plan["owner"]:
        uid, gid = plan["owner"]
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        ctypes.CDLL(None).prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS: no setuid programs
    # The kernel's own stdout and stderr would reach the grader's terminal (os.write(1, ...)).
    quiet = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(quiet, descriptor)
    if not forked:
        os.execve(plan["argv"][0], plan["argv"], plan["env"])
    from ipykernel import kernelapp

    os.environ.clear()
    os.environ.update(plan["env"])
    sys.path[0] = plan["work"]  # where `python -m` would have put it
    kernelapp.launch_new_instance(argv=plan["argv"][3:])
    os._exit(0)


# ----------------------------------------------------------------- kernel forker

# What every kernel imports before any student code runs, once in the forker instead of
# once per submission.  Matplotlib is left out: it reads its folders when imported.
FORKER_IMPORTS = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "zmq", "jupyter_client",
                  *GUARDED_MODULES, "utils", "utils.data", "utils.plotting")
# Packages TensorFlow imports first (about 0.8 of its 2.5 s), where installed.  TensorFlow
# itself is left out: its import reads settings (oneDNN, Keras' home) each kernel chooses.
FORKER_OPTIONAL_IMPORTS = ("ml_dtypes", "h5py", "jax")


def _run_forker(descriptor):
    """The kernel forker's loop (a process of its own, single-threaded): import what
    kernels need, then for each request on the socket fork a kernel and send back its
    pid and a pidfd for it.  Exits when the worker closes the socket."""
    import importlib
    import signal
    import socket
    import threading

    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the worker
    for name in FORKER_IMPORTS:
        importlib.import_module(name)
    for name in FORKER_OPTIONAL_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    channel = socket.socket(fileno=descriptor)
    for line in channel.makefile("rb"):
        _reap(os.WNOHANG)
        if threading.active_count() != 1:
            raise RuntimeError("the kernel forker must be single-threaded to fork")
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                os.setsid()  # its own process group, which jupyter_client signals
                channel.close()
                os.closerange(3, os.sysconf("SC_OPEN_MAX"))
                os.chdir(request["cwd"])
                os.environ.clear()
                os.environ.update(request["env"])
                _launch_kernel(request["argv"][4:], forked=True)
            finally:
                os._exit(1)
        pidfd = os.pidfd_open(pid)
        socket.send_fds(channel, [json.dumps({"pid": pid}).encode() + b"\n"], [pidfd])
        os.close(pidfd)
    _reap(0)  # the worker is done: wait for the last kernels, so their CPU time is counted


def _reap(options):
    """Collect the exit status of ended child processes (with WNOHANG, only of those that
    have ended already)."""
    while True:
        try:
            if os.waitpid(-1, options)[0] == 0:
                return
        except ChildProcessError:
            return


class _ForkedKernel:
    """The part of ``subprocess.Popen`` jupyter_client uses, for a kernel that the forker
    forked (so not this process's child): it is watched and signalled through a pidfd,
    and its exit status is the forker's to collect, so ``returncode`` is -1 once it ends."""
    stdin = stdout = stderr = None

    def __init__(self, pid, pidfd):
        self.pid, self.pidfd, self.returncode = pid, pidfd, None

    def poll(self):
        return self.wait(timeout=0)

    def wait(self, timeout=None):
        import select

        if self.returncode is None and select.select([self.pidfd], [], [], timeout)[0]:
            self.returncode = -1
            os.close(self.pidfd)
        return self.returncode

    def send_signal(self, signum):
        import signal

        if self.returncode is None:
            signal.pidfd_send_signal(self.pidfd, signum)

    def kill(self):
        import signal

        self.send_signal(signal.SIGKILL)

    def terminate(self):
        import signal

        self.send_signal(signal.SIGTERM)


class KernelForker:
    """A single-threaded process that has imported ``FORKER_IMPORTS`` and forks a sandboxed
    kernel on request, saving every submission the time Python takes to import them.
    One per worker process and thread count; ``fork`` is safe from several threads."""
    _instances = {}

    def __init__(self, threads):
        import socket
        import threading

        ours, theirs = socket.socketpair()
        with tempfile.TemporaryDirectory() as home:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "utils.grading", "_forker", str(theirs.fileno())],
                pass_fds=[theirs.fileno()], env=_kernel_env(home, threads), cwd=ROOT,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        theirs.close()
        self.channel, self.lock = ours, threading.Lock()
        # A pool's worker process ends with os._exit: close the forker before it does.
        multiprocessing.util.Finalize(self, self.close, exitpriority=10)

    def close(self):
        """End the forker once its kernels have ended."""
        self.channel.close()
        self.process.wait()

    @classmethod
    def for_threads(cls, threads):
        forker = cls._instances.get((os.getpid(), threads))
        if forker is None or forker.process.poll() is not None:
            forker = cls._instances[(os.getpid(), threads)] = cls(threads)
        return forker

    def fork(self, argv, env, cwd):
        """Start the kernel that ``argv`` (the sandbox kernelspec's command) would start."""
        import socket

        with self.lock:
            self.channel.sendall(json.dumps({"argv": argv, "env": env, "cwd": str(cwd)}).encode() + b"\n")
            message, descriptors, _, _ = socket.recv_fds(self.channel, 4096, 1)
        if not descriptors:
            raise RuntimeError("the kernel forker stopped (see its process for why)")
        return _ForkedKernel(json.loads(message)["pid"], descriptors[0])


def _forked_kernel_manager_class():
    """jupyter_client's AsyncKernelManager, launching kernels through this process's
    ``KernelForker`` (its LocalProvisioner does the rest: connection files, signals)."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            settings = json.loads(kwargs["env"][SANDBOX_ENV])
            self.cwd = kwargs.get("cwd") or os.getcwd()
            self.process = KernelForker.for_threads(settings["threads"]).fork(cmd, kwargs["env"], self.cwd)
            self.pid = self.pgid = self.process.pid
            return self.connection_info

    class ForkedKernelManager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                     parent=self)
            return await super()._async_pre_start_kernel(**kw)

    return ForkedKernelManager


# ----------------------------------------------------- inside the student's kernel

class _Guard:
    """Undo casual tampering before every cell: attributes of NumPy, the check helpers
    and builtins are put back, and names that were bound to modules (``np``, ``checks``)
    are bound to them again.  It runs in the student's process, so it stops tampering,
    not a student who reads this code and sets out to defeat it (see docs/instructors.md)."""

    def __init__(self, shell):
        import importlib

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


# ----------------------------------------------------------- nbgrader extensions

def _guarded_execute_class():
    """nbgrader's Execute with a wall-clock cap per notebook, a cap on output kept while
    a cell runs, and a kernel that dies (``os._exit``, out of memory) scoring 0 on the
    cell it was running and every cell after it, rather than failing the whole run or
    leaving later test cells without output (which nbgrader would score as passed)."""
    import math

    from nbclient.exceptions import DeadKernelError
    from nbformat import NotebookNode
    from nbgrader.preprocessors import Execute
    from nbgrader.utils import is_grade
    from traitlets import Bool, Integer

    def error(name, message):
        return NotebookNode(output_type="error", ename=name, evalue=message,
                            traceback=[f"{name}: {message}"])

    class GuardedExecute(Execute):
        wall_timeout = Integer(1200, help="Seconds one notebook may run in all").tag(config=True)
        max_output_bytes = Integer(2 ** 20, help="Stream output kept per cell").tag(config=True)
        fork_kernels = Bool(False, help="Start kernels through a KernelForker").tag(config=True)

        def preprocess(self, nb, resources=None, km=None):
            if self.fork_kernels:
                self.kernel_manager_class = _forked_kernel_manager_class()
            self._deadline = time.monotonic() + self.wall_timeout
            self._cell_timeout = self.timeout
            self._stopped = None
            self._output_bytes = {}
            return super().preprocess(nb, resources, km)

        def preprocess_cell(self, cell, resources, index):
            if cell.cell_type != "code":
                return cell, resources
            remaining = self._deadline - time.monotonic()
            if self._stopped is None and remaining <= 1:
                self._stopped = error("SubmissionTimeout", f"the notebook ran past its {self.wall_timeout} s "
                                                           "cap; this cell was not run")
            if self._stopped is not None:
                cell.outputs = [self._stopped]
                return cell, resources
            self.timeout = max(1, min(self._cell_timeout, math.floor(remaining)))
            try:
                cell, resources = super().preprocess_cell(cell, resources, index)
            except DeadKernelError:
                cell.outputs.append(error("KernelDied", "the kernel died while running this cell "
                                          "(os._exit, a crash, or out of memory)"))
                self._stopped = error("KernelDied", "the kernel had died; this cell was not run")
            if is_grade(cell):
                _stderr_is_not_an_error(cell)
            return cell, resources

        def output(self, outs, msg, display_id, cell_index):
            if msg["msg_type"] == "stream":
                used = self._output_bytes.get(cell_index, 0)
                self._output_bytes[cell_index] = used + len(msg["content"].get("text", ""))
                if used >= self.max_output_bytes:
                    return None
                if used + len(msg["content"].get("text", "")) >= self.max_output_bytes:
                    msg = dict(msg, content=dict(msg["content"], text=msg["content"]["text"][:1000]
                               + f"\n[output cut: more than {self.max_output_bytes // 1024} kB]\n"))
            return super().output(outs, msg, display_id, cell_index)

        def _cleanup_kernel(self):
            try:
                super()._cleanup_kernel()
            except Exception as problem:  # a kernel that died has nothing left to clean up
                self.log.warning("cleaning up the kernel: %s", problem)

    return GuardedExecute


def _deduplicate_ids_class():
    """nbgrader's DeduplicateIds keeps the last cell of a grade id and empties the
    metadata of the others, which its own metadata check then rejects, failing the whole
    submission; here the others become plain cells instead (their source runs as the
    student's code, the kept one is restored from the gradebook)."""
    from nbgrader.preprocessors import DeduplicateIds
    from nbgrader.utils import is_grade, is_locked, is_solution

    class DemoteDuplicateIds(DeduplicateIds):
        def preprocess_cell(self, cell, resources, cell_index):
            if is_grade(cell) or is_solution(cell) or is_locked(cell):
                grade_id = cell.metadata.nbgrader["grade_id"]
                if grade_id in self.grade_ids:
                    self.log.warning("Cell with id '%s' exists multiple times; this copy is a plain cell now", grade_id)
                    del cell.metadata["nbgrader"]
                else:
                    self.grade_ids.add(grade_id)
            return cell, resources

    return DemoteDuplicateIds


def _stderr_is_not_an_error(cell):
    """Our policy (docs/instructors.md): only errors cost points.  nbgrader scores a test
    cell 0 when it writes to stderr, so a warning from a library, or a debug print in a
    correct answer, would lose the points; keep such text, labelled, on stdout instead."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            output["name"] = "stdout"
            output["text"] = "".join(f"[stderr] {line}" for line in output["text"].splitlines(keepends=True))


@functools.cache
def _feedback_exporter_class():
    """nbconvert's HTMLExporter, with its compiled Jinja templates kept for the whole
    worker process: nbgrader makes a new exporter for each submission, which would
    compile the feedback templates again every time."""
    from jinja2 import BytecodeCache
    from nbconvert.exporters import HTMLExporter

    class MemoryBytecodeCache(BytecodeCache):
        def __init__(self):
            self.compiled = {}

        def load_bytecode(self, bucket):
            if bucket.key in self.compiled:
                bucket.bytecode_from_string(self.compiled[bucket.key])

        def dump_bytecode(self, bucket):
            self.compiled[bucket.key] = bucket.bytecode_to_string()

    templates = MemoryBytecodeCache()

    class FeedbackHTMLExporter(HTMLExporter):
        def _create_environment(self):
            environment = super()._create_environment()
            environment.bytecode_cache = templates
            return environment

    return FeedbackHTMLExporter


def _strip_ansi(text):
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _redact_hidden_tests_class():
    """For feedback: remove hidden test regions from sources and blank every output line
    (tracebacks included) that quotes a hidden test line."""
    from nbconvert.preprocessors import Preprocessor
    from traitlets import Bool

    class RedactHiddenTests(Preprocessor):
        enabled = Bool(True)

        def preprocess(self, nb, resources):
            hidden = set()
            for cell in nb.cells:
                if cell.cell_type == "code" and HIDDEN_BEGIN in cell.source:
                    cell.source, lines = split_hidden(cell.source)
                    hidden.update(line.strip() for line in lines if len(line.strip()) >= 12)
            for cell in nb.cells:
                for output in cell.get("outputs", []):
                    _redact_output(output, hidden)
            return nb, resources

    return RedactHiddenTests


def split_hidden(source):
    """(source without its hidden test regions, the hidden lines)."""
    kept, hidden, inside = [], [], False
    for line in source.splitlines():
        if HIDDEN_BEGIN in line:
            inside = True
            kept.append("# (hidden tests ran here)")
        elif HIDDEN_END in line:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            kept.append(line)
    return "\n".join(kept), hidden


def _redact_text(text, hidden):
    lines = text.split("\n")
    return "\n".join(REDACTED if any(h in _strip_ansi(line) for h in hidden) else line for line in lines)


def _redact_output(output, hidden):
    if not hidden:
        return
    if "text" in output:
        output["text"] = _redact_text(output["text"], hidden)
    if "traceback" in output:
        output["traceback"] = [_redact_text(frame, hidden) for frame in output["traceback"]]
    if "evalue" in output:
        output["evalue"] = _redact_text(output["evalue"], hidden)
    for key, value in output.get("data", {}).items():
        if key.startswith("text/") and isinstance(value, str):
            output["data"][key] = _redact_text(value, hidden)


# ------------------------------------------------------------------------ worker

def _read_tree(folder):
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write_tree(folder, files):
    for name, content in files.items():
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ValueError(f"refusing to write {name!r} outside {folder}")
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _worker_config(course, sandbox, task):
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import DeduplicateIds, Execute, GetGrades
    from traitlets.config import Config

    guarded = _guarded_execute_class()
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course}/gradebook.db"
    config.CourseDirectory.source_directory = "source"
    config.Autograde.autograde_preprocessors = [
        guarded if pp is Execute else pp for pp in Autograde.class_traits()["autograde_preprocessors"].default()]
    config.Autograde.sanitize_preprocessors = [
        _deduplicate_ids_class() if pp is DeduplicateIds else pp
        for pp in Autograde.class_traits()["sanitize_preprocessors"].default()]
    config.OverwriteCells.add_missing_cells = True
    config.Execute.timeout = task.limits.cell_timeout
    config.Execute.kernel_name = KERNEL_NAME
    # Its outputs are in: stop the kernel at once rather than wait for it to tidy up.
    config.Execute.shutdown_kernel = "immediate"
    config.GuardedExecute.wall_timeout = task.limits.wall_timeout
    config.GuardedExecute.max_output_bytes = task.limits.output_kb * 1024
    config.GuardedExecute.fork_kernels = task.fork_kernels
    # The kernel talks to us over Unix sockets in its own folder: it has no network.
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(Path(sandbox) / "ipc" / "kernel")
    config.GenerateFeedback.preprocessors = [_redact_hidden_tests_class(), GetGrades, CSSHTMLHeaderPreprocessor]
    config.GenerateFeedback.exporter_class = _feedback_exporter_class()
    return config


def grade_submission(task):
    """Grade one submission in private scratch folders; return a ``Result``.

    Pure in the sense that matters for distribution: it reads only ``task`` and writes
    only its own temporary folders, so any worker process on any machine can run it."""
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own autoflush notices
    started = time.monotonic()
    isolation = isolation_available() if task.isolation == "auto" else task.isolation
    scratch = Path(tempfile.mkdtemp(prefix="dl4cv-grade-"))        # mode 700, the grader's
    sandbox = Path(tempfile.mkdtemp(prefix="dl4cv-sandbox-"))      # the student's own folder
    result = Result(task.lab, task.student, ok=False, seconds=0.0, isolation=isolation)
    saved_path = os.environ.get("JUPYTER_PATH")
    try:
        course = scratch / "course"
        _write_tree(course / "source" / task.lab, task.source_files)
        _write_tree(course / "submitted" / task.student / task.lab, task.files)
        (course / "gradebook.db").write_bytes(task.gradebook)
        (sandbox / "ipc").mkdir()
        _seed_matplotlib_cache(sandbox / "home" / ".matplotlib")
        if isolation in ("namespace", "user"):
            os.chown(sandbox / "ipc", *_nobody())
        _write_kernelspec(scratch / "jupyter", sandbox, isolation, _with_hidden(task, scratch))
        os.environ["JUPYTER_PATH"] = str(scratch / "jupyter")
        config = _worker_config(course, sandbox, task)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        for step in (api.autograde, api.generate_feedback):
            reply = step(task.lab, task.student, force=True)
            if not reply["success"]:
                result.error = reply.get("log", "") + reply.get("error", "")
                return result
        with Gradebook(f"sqlite:///{course}/gradebook.db") as gradebook:
            submission = gradebook.find_submission(task.lab, task.student)
            result.timestamp = submission.timestamp
            for notebook in submission.notebooks:
                result.grades[notebook.name] = {grade.name: (grade.auto_score, grade.needs_manual_grade)
                                                for grade in notebook.grades}
                result.comments[notebook.name] = {comment.name: comment.auto_comment
                                                  for comment in notebook.comments}
        result.autograded = _read_tree(course / "autograded" / task.student / task.lab)
        result.feedback = _read_tree(course / "feedback" / task.student / task.lab)
        result.ok = True
        return result
    except Exception as problem:  # one broken submission must not stop the others
        import traceback

        result.error = traceback.format_exc()
        return result
    finally:
        if saved_path is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = saved_path
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(sandbox, ignore_errors=True)
        result.seconds = time.monotonic() - started


def _seed_matplotlib_cache(folder):
    """Give the kernel's empty home the grader's matplotlib font list, which matplotlib
    would otherwise rebuild, font by font, in every student's kernel."""
    folder.mkdir(parents=True)
    for fontlist in _matplotlib_font_lists():
        shutil.copy(fontlist, folder)


@functools.cache
def _matplotlib_font_lists():
    import matplotlib
    import matplotlib.font_manager  # noqa: F401 - builds the font list if it is missing

    return sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))


def _with_hidden(task, scratch):
    """The task, with this worker's scratch course (which holds the hidden tests) hidden."""
    from dataclasses import replace

    return replace(task, hide=(*task.hide, str(scratch)))


# ------------------------------------------------------------------------ parent

def load_course(course):
    """nbgrader's CourseDirectory for ``course``, with its nbgrader_config.py if any."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course = Path(course).resolve()
    if not course.is_dir():
        raise SystemExit(f"no course folder {course}")
    config = Config()
    if (course / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    return CourseDirectory(config=config)


def _generate_assignment(coursedir, lab, db_url, release):
    """nbgrader's generate_assignment of ``lab`` into ``db_url`` (release files to ``release``)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = coursedir.config.copy()
    config.CourseDirectory.db_url = db_url
    config.CourseDirectory.release_directory = str(release)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_assignment(lab, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader generate_assignment {lab} failed:\n{result.get('log', '')}{result.get('error', '')}")


def _source_checksums(db_url, lab):
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        assignment = gradebook.find_assignment(lab)
        return {(notebook.name, cell.name): cell.checksum
                for notebook in assignment.notebooks for cell in notebook.source_cells}


def source_folder(coursedir, lab):
    source = Path(coursedir.root) / coursedir.source_directory / lab
    if not source.is_dir():
        found = sorted(p.name for p in source.parent.glob("*") if p.is_dir())
        raise SystemExit(f"no lab {lab!r} in {source.parent}; the labs there are {found}")
    return source


def lab_snapshot(coursedir, lab):
    """An SQLite gradebook holding only ``lab``, made by nbgrader's generate_assignment
    from the course's source; the course gradebook gets the lab the same way if it lacks
    it, and must agree with the snapshot (else the source changed since)."""
    from nbgrader.api import Gradebook, MissingEntry

    source = source_folder(coursedir, lab)
    with tempfile.TemporaryDirectory() as scratch:
        with Gradebook(coursedir.db_url) as gradebook:
            try:
                gradebook.find_assignment(lab)
                has_lab = bool(gradebook.find_assignment(lab).notebooks)
            except MissingEntry:
                has_lab = False
        if not has_lab:
            _generate_assignment(coursedir, lab, coursedir.db_url, Path(scratch) / "release")
        snapshot = Path(scratch) / "snapshot.db"
        _generate_assignment(coursedir, lab, f"sqlite:///{snapshot}", Path(scratch) / "release")
        if _source_checksums(coursedir.db_url, lab) != _source_checksums(f"sqlite:///{snapshot}", lab):
            raise SystemExit(f"the gradebook's copy of {lab} differs from {source}: the lab changed "
                             f"after it was first graded. See docs/instructors.md, 'The lab changed'.")
        return snapshot.read_bytes()


def find_submissions(submitted, lab):
    """{student: folder} for every ``<submitted>/<student>/<lab>/`` folder."""
    submitted = Path(submitted)
    if not submitted.is_dir():
        raise SystemExit(f"no submissions folder {submitted} (expected <student>/{lab}/ folders in it)")
    return {folder.parent.name: folder for folder in sorted(submitted.glob(f"*/{lab}")) if folder.is_dir()}


def already_graded(coursedir, lab, student):
    from nbgrader.api import Gradebook, MissingEntry

    if not Path(coursedir.format_path(coursedir.autograded_directory, student, lab)).is_dir():
        return False
    with Gradebook(coursedir.db_url) as gradebook:
        try:
            gradebook.find_submission(lab, student)
        except MissingEntry:
            return False
    return True


def plan(coursedir, lab, submitted=None, *, students=None, redo=False, limits=Limits(),
         workers=1, isolation="auto"):
    """(tasks, skipped students) for the submissions of ``lab`` to grade."""
    source = source_folder(coursedir, lab)
    submitted = Path(submitted or Path(coursedir.root) / coursedir.submitted_directory)
    found = find_submissions(submitted, lab)
    if students:
        missing = sorted(set(students) - set(found))
        if missing:
            raise SystemExit(f"no submission of {lab} in {submitted} for {missing}")
        found = {s: found[s] for s in students}
    skipped = [s for s in found if not redo and already_graded(coursedir, lab, s)]
    gradebook = lab_snapshot(coursedir, lab)
    source_files = {name: data for name, data in _read_tree(source).items()
                    if not name.endswith(".ipynb") and ".ipynb_checkpoints" not in name}
    root = Path(coursedir.root)
    hide = tuple(str(p) for p in {root / coursedir.source_directory, root / coursedir.autograded_directory,
                                  root / coursedir.feedback_directory, submitted.resolve(),
                                  ROOT / "solutions", Path(coursedir.db_url.removeprefix("sqlite:///"))})
    threads = max(1, (os.cpu_count() or 1) // max(1, workers))
    tasks = [Task(lab, student, _read_tree(folder), gradebook, source_files, limits, hide, isolation, threads)
             for student, folder in found.items() if student not in skipped]
    return tasks, skipped


def record(coursedir, gradebook, result):
    """Write one worker's result into the course's open ``gradebook`` and its folders
    (parent only)."""
    import warnings

    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own autoflush notices
        gradebook.update_or_create_student(result.student)
        gradebook.update_or_create_submission(result.lab, result.student, timestamp=result.timestamp)
        for notebook, grades in result.grades.items():
            for grade_id, (auto_score, needs_manual) in grades.items():
                grade = gradebook.find_grade(grade_id, notebook, result.lab, result.student)
                grade.auto_score = auto_score
                grade.needs_manual_grade = bool(needs_manual or grade.manual_score is not None)
            for grade_id, comment in result.comments.get(notebook, {}).items():
                gradebook.find_comment(grade_id, notebook, result.lab, result.student).auto_comment = comment
        gradebook.db.commit()
    for directory, files in ((coursedir.autograded_directory, result.autograded),
                             (coursedir.feedback_directory, result.feedback)):
        folder = Path(coursedir.format_path(directory, result.student, result.lab))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        _write_tree(folder, files)


def regenerate_feedback(lab, course=ROOT, out=sys.stdout):
    """Feedback HTML from the course gradebook as it is now (manual grades included),
    without hidden tests, for every autograded submission of ``lab``; no regrading."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import GetGrades
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

    coursedir = load_course(course)
    config = coursedir.config.copy()
    config.GenerateFeedback.preprocessors = [_redact_hidden_tests_class(), GetGrades, CSSHTMLHeaderPreprocessor]
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_feedback(lab, force=True)
    print(f"feedback for {lab}: {'written to ' + str(coursedir.feedback_directory) + '/' if result['success'] else 'FAILED'}",
          file=out)
    if not result["success"]:
        print(result.get("error") or result.get("log", ""), file=out)
    return result["success"]


def export_csv(coursedir, path):
    """nbgrader's CSV export of the whole gradebook."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    with Gradebook(coursedir.db_url) as gradebook:
        CsvExportPlugin(to=str(path)).export(gradebook)


def total_points(task):
    """The lab's maximum score, from the task's snapshot gradebook."""
    from nbgrader.api import Gradebook

    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "gb.db").write_bytes(task.gradebook)
        with Gradebook(f"sqlite:///{scratch}/gb.db") as gradebook:
            return gradebook.find_assignment(task.lab).max_score


def grade_lab(lab, course=ROOT, submitted=None, *, workers=None, redo=False, students=None,
              limits=Limits(), isolation="auto", csv=None, executor=None, out=sys.stdout):
    """Grade ``lab``'s submissions and record them; return the list of ``Result``s.

    ``executor`` is any ``concurrent.futures.Executor`` (default: ``workers`` local
    processes); e.g. a Dask cluster's ``Client(...).get_executor()``."""
    from nbgrader.api import Gradebook

    coursedir = load_course(course)
    workers = workers or os.cpu_count() or 1
    if isolation == "auto" and executor is None:  # elsewhere each worker finds its own
        isolation = isolation_available()
    warning = isolation_warning(isolation)
    if warning:
        print(warning, file=out)
    tasks, skipped = plan(coursedir, lab, submitted, students=students, redo=redo, limits=limits,
                          workers=workers, isolation=isolation)
    print(f"{lab}: {len(tasks)} to grade, {len(skipped)} already graded (--redo to regrade), "
          f"{workers} workers, isolation: {isolation}", file=out, flush=True)
    results, started = [], time.monotonic()
    if tasks:
        maximum = total_points(tasks[0])
        own = executor is None
        if own:
            # Forked workers start with nbgrader already imported (seconds each); Python
            # forks them all before it starts any thread of its own.
            executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=min(workers, len(tasks)), mp_context=multiprocessing.get_context("fork"))
        try:
            futures = [executor.submit(grade_submission, task) for task in tasks]
            with Gradebook(coursedir.db_url) as gradebook:
                for future in concurrent.futures.as_completed(futures):
                    result = future.result()
                    if result.ok:
                        record(coursedir, gradebook, result)
                    results.append(result)
                    _progress(out, len(results), len(tasks), result, maximum, time.monotonic() - started)
        finally:
            if own:
                executor.shutdown()
    export_csv(coursedir, csv or Path(coursedir.root) / "grades.csv")
    _summary(out, results, skipped, time.monotonic() - started, csv or Path(coursedir.root) / "grades.csv")
    return results


def _progress(out, done, total, result, maximum, elapsed):
    width = 30
    bar = "#" * round(width * done / total) + "." * (width - round(width * done / total))
    status = f"{result.score:g}/{maximum:g}" if result.ok else "FAILED"
    print(f"[{bar}] {done}/{total} {elapsed:6.0f}s  {result.student}: {status} ({result.seconds:.1f} s)",
          file=out, flush=True)


def failure_reason(error):
    """The most telling line of a failed grading's log: the last specific exception."""
    import re

    lines = [line.strip() for line in error.splitlines()
             if re.match(r"\s*[\w.]+(Error|Exception|Entry): ", line) and "see the the above traceback" not in line]
    return lines[-1] if lines else (error.strip().splitlines() or ["unknown (no log)"])[-1]


def _summary(out, results, skipped, elapsed, csv):
    graded = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    print(f"graded {len(graded)}, failed {len(failed)}, skipped {len(skipped)} in {elapsed:.0f} s", file=out)
    if graded:
        scores = [r.score for r in graded]
        seconds = [r.seconds for r in graded]
        print(f"scores: mean {statistics.mean(scores):.2f}, median {statistics.median(scores):g}, "
              f"min {min(scores):g}, max {max(scores):g}; seconds per submission: median "
              f"{statistics.median(seconds):.1f}, max {max(seconds):.1f}", file=out)
    for result in failed:
        print(f"FAILED {result.student}: {failure_reason(result.error)}", file=out)
    print(f"grades: {csv}", file=out, flush=True)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_kernel"]:
        return _launch_kernel(argv[1:])
    if argv[:1] == ["_forker"]:
        return _run_forker(int(argv[1]))
    parser = argparse.ArgumentParser(prog="dl4cv-grade", description=__doc__.splitlines()[0],
                                     epilog="See docs/instructors.md.")
    parser.add_argument("lab", help="the lab (a folder of the course's source directory)")
    parser.add_argument("--course", default=".", help="the nbgrader course folder (default: here)")
    parser.add_argument("--submitted", help="folder of <student>/<lab>/ submissions (default: the course's submitted/)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="parallel workers (default: cores)")
    parser.add_argument("--redo", "--force", action="store_true", help="regrade submissions already graded")
    parser.add_argument("--student", action="append", dest="students", help="grade only this student (repeatable)")
    parser.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell (default: the course's Execute.timeout, else 180)")
    parser.add_argument("--wall-timeout", type=int, default=Limits.wall_timeout, help="seconds per submission")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb, help="address space per student kernel")
    parser.add_argument("--isolation", choices=["auto", "namespace", "user", "none"], default="auto")
    parser.add_argument("--csv", help="where to export grades (default: <course>/grades.csv)")
    parser.add_argument("--feedback-only", action="store_true",
                        help="grade nothing; rewrite feedback from the gradebook (after manual grading)")
    args = parser.parse_args(argv)
    if args.feedback_only:
        return 0 if regenerate_feedback(args.lab, args.course) else 1
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    cell_timeout = args.cell_timeout or _course_cell_timeout(args.course)
    results = grade_lab(args.lab, args.course, args.submitted, workers=args.workers, redo=args.redo,
                        students=args.students, isolation=args.isolation, csv=args.csv,
                        limits=Limits(cell_timeout, args.wall_timeout, args.memory_mb))
    return 1 if any(not r.ok for r in results) else 0


def _course_cell_timeout(course):
    from traitlets.config.loader import PyFileConfigLoader

    if (Path(course) / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
        if "Execute" in config and "timeout" in config.Execute:
            return int(config.Execute.timeout)
    return Limits.cell_timeout


if __name__ == "__main__":
    sys.exit(main())
