"""The kernel forker: one single-threaded process per worker that has imported what every
kernel needs and forks each sandboxed kernel from itself, instead of each starting a new
Python (``python -m dl4cv.course.grading.forker DESCRIPTOR`` runs its loop).  Its
kernels are not the worker's children, so jupyter_client reaches them through a pidfd
(``ForkedKernelManager``)."""
import ctypes
import importlib
import json
import multiprocessing.util
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from dl4cv.course.grading.course import ROOT
from dl4cv.course.grading.guard import GUARDED_MODULES
from dl4cv.course.grading.sandbox import KERNEL_LAUNCHER, SANDBOX_ENV, kernel_env, launch_kernel

# What every kernel imports before any student code runs, once in the forker instead of
# once per submission.  Matplotlib is left out: it reads its folders when imported.
FORKER_IMPORTS = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "zmq", "jupyter_client",
                  *GUARDED_MODULES, "dl4cv", "dl4cv.data", "dl4cv.plotting")
# Packages TensorFlow imports first (about 0.8 of its 2.5 s), where installed.  TensorFlow
# itself is left out: its import reads settings (oneDNN, Keras' home) each kernel chooses.
FORKER_OPTIONAL_IMPORTS = ("ml_dtypes", "h5py", "jax")


def _run_forker(descriptor):
    """The kernel forker's loop (a process of its own, single-threaded): import what
    kernels need, then for each request on the socket fork a kernel and send back its
    pid and a pidfd for it.  Exits when the worker closes the socket."""
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
                launch_kernel(request["argv"][len(KERNEL_LAUNCHER):], forked=True)
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
        if self.returncode is None and select.select([self.pidfd], [], [], timeout)[0]:
            self.returncode = -1
            os.close(self.pidfd)
        return self.returncode

    def send_signal(self, signum):
        if self.returncode is None:
            signal.pidfd_send_signal(self.pidfd, signum)

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


class KernelForker:
    """A single-threaded process that has imported ``FORKER_IMPORTS`` and forks a sandboxed
    kernel on request, saving every submission the time Python takes to import them.
    One per worker process and thread count; ``fork`` is safe from several threads."""
    _instances = {}

    def __init__(self, threads):
        ours, theirs = socket.socketpair()
        with tempfile.TemporaryDirectory() as home:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "dl4cv.course.grading.forker", str(theirs.fileno())],
                pass_fds=[theirs.fileno()], env=kernel_env(home, threads), cwd=ROOT,
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
        with self.lock:
            self.channel.sendall(json.dumps({"argv": argv, "env": env, "cwd": str(cwd)}).encode() + b"\n")
            message, descriptors, _, _ = socket.recv_fds(self.channel, 4096, 1)
        if not descriptors:
            raise RuntimeError("the kernel forker stopped (see its process for why)")
        return _ForkedKernel(json.loads(message)["pid"], descriptors[0])


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's LocalProvisioner, with the kernel forked by this process's
    ``KernelForker`` instead of started as a new process."""

    async def launch_kernel(self, cmd, **kwargs):
        settings = json.loads(kwargs["env"][SANDBOX_ENV])
        self.cwd = kwargs.get("cwd") or os.getcwd()
        self.process = KernelForker.for_threads(settings["threads"]).fork(cmd, kwargs["env"], self.cwd)
        self.pid = self.pgid = self.process.pid
        return self.connection_info


class ForkedKernelManager(AsyncKernelManager):
    """jupyter_client's AsyncKernelManager, launching kernels through this process's
    ``KernelForker`` (its LocalProvisioner does the rest: connection files, signals)."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                 parent=self)
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    _run_forker(int(sys.argv[1]))
