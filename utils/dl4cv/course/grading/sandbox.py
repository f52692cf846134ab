"""The sandbox a student's kernel runs in, and the launcher that puts it there.

The ``dl4cv-sandbox`` kernelspec runs ``python -m dl4cv.course.grading.sandbox
CONNECTION_FILE`` (as the grader), which gives the kernel: no network and a private view
of the file system in which the hidden paths are empty (Linux namespaces, when
permitted), an unprivileged user (when run as root), a memory cap (RLIMIT_AS), no GPU,
seeds, and a folder of its own; then it execs ipykernel.  A kernel forked by the kernel
forker takes the same steps through ``launch_kernel(..., forked=True)``.
"""
import ctypes
import json
import os
import pwd
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

KERNEL_NAME = "dl4cv-sandbox"
# The kernelspec's command, before the connection file.
# -P: the launcher starts (as the grader) in the folder of the student's files, and
# `python -m` would otherwise import a submitted json.py or os.py from there first.
KERNEL_LAUNCHER = (sys.executable, "-P", "-m", "dl4cv.course.grading.sandbox")
SANDBOX_ENV = "DL4CV_SANDBOX"
SANDBOX_USER = "nobody"
# Variables a student's kernel may inherit; everything else (tokens, keys) is dropped.
KERNEL_ENV_KEPT = ("PATH", "JPY_PARENT_PID", "LANG", "LC_ALL", "PYTHONPATH", "NBGRADER_EXECUTION", "DL4CV_DATA",
                   "KERAS_BACKEND", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")


def sandbox_user_ids():
    """(uid, gid) of ``SANDBOX_USER``, whom student code runs as."""
    entry = pwd.getpwnam(SANDBOX_USER)
    return entry.pw_uid, entry.pw_gid


def isolation_available():
    """The strongest isolation this machine permits: "namespace" (a private network and
    mount namespace, plus an unprivileged user), "user" (unprivileged user only) or
    "none" (student code runs as you)."""
    if os.geteuid() != 0:
        return "none"
    try:
        sandbox_user_ids()
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


def write_kernelspec(folder, sandbox, isolation, task):
    """A kernelspec whose launcher starts ipykernel inside the sandbox."""
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    settings = {"sandbox": str(sandbox), "isolation": isolation, "hide": list(task.hide),
                "memory_mb": task.limits.memory_mb, "threads": task.threads}
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [*KERNEL_LAUNCHER, "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)", "language": "python",
        "env": {SANDBOX_ENV: json.dumps(settings)}}))


def kernel_env(sandbox, threads):
    env = {key: os.environ[key] for key in KERNEL_ENV_KEPT if key in os.environ}
    home = Path(sandbox) / "home"
    env.update(HOME=str(home), TMPDIR=str(Path(sandbox) / "tmp"), MPLCONFIGDIR=str(home / ".matplotlib"),
               IPYTHONDIR=str(home / ".ipython"), XDG_CACHE_HOME=str(home / ".cache"),
               PYTHONHASHSEED="0", PYTHONNOUSERSITE="1", CUDA_VISIBLE_DEVICES="",
               OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads), TF_NUM_INTRAOP_THREADS=str(threads),
               TF_NUM_INTEROP_THREADS=str(threads))
    return env


def launch_kernel(argv, forked=False):
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
    owner = sandbox_user_ids() if isolation in ("namespace", "user") else None
    if owner:
        for path in [sandbox, *sandbox.rglob("*")]:
            os.chown(path, *owner, follow_symlinks=False)
    plan = {"sandbox": str(sandbox), "work": str(work), "owner": owner, "isolation": isolation,
            "hide": settings["hide"], "needed": _needed_paths(), "memory_mb": settings["memory_mb"],
            "env": kernel_env(sandbox, settings["threads"]),
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", str(sandbox / "connection.json"),
                     "--IPKernelApp.extensions=dl4cv.course.grading.guard",
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


if __name__ == "__main__":
    launch_kernel(sys.argv[1:])
