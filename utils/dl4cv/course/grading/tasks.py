"""What the parent hands a worker and what comes back: plain data, so that any
``concurrent.futures.Executor`` (local processes, a Dask cluster) can carry it."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    """What one submission may use.  ``memory_mb`` caps the kernel's address space,
    ``disk_mb`` its sandbox's tmpfs (and any one file), ``processes`` the processes and
    threads of its user; the last three cap what is accepted for grading at all
    (``intake``)."""
    cell_timeout: int = 180
    wall_timeout: int = 1200
    memory_mb: int = 8192
    output_kb: int = 1024
    disk_mb: int = 512
    processes: int = 512
    file_mb: int = 25
    submission_mb: int = 100
    notebook_cells: int = 2000

    def __post_init__(self):
        for name in ("cell_timeout", "wall_timeout", "memory_mb", "output_kb", "disk_mb", "processes", "file_mb",
                     "submission_mb", "notebook_cells"):
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
    isolation: str = "sandbox"  # "sandbox" (bubblewrap, required) or "unsafe" (no sandbox)
    threads: int = 1            # CPU threads the student's kernel should use
    probes: dict = field(default_factory=dict)      # notebook -> grade id -> [verdicts.Probe], from the source
    references: dict = field(default_factory=dict)  # notebook -> grade id -> {name: encoded}; empty: the reference run


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
    strays: int = 0             # processes of the submission still alive after grading (killed)
    uid: int | None = None      # the user id its sandbox ran as (root only)
    probes: dict = field(default_factory=dict)      # the reference run's: notebook -> grade id -> [(name, encoded)]

    @classmethod
    def failed(cls, lab, student, error):
        """A submission that got no grade, and why."""
        return cls(lab, student, ok=False, seconds=0.0, error=error)

    @property
    def score(self):
        return sum(score or 0 for cells in self.grades.values() for score, _ in cells.values())
