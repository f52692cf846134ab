"""Reading a submission before anything grades it (parent only).

A submission is a folder of plain files.  Anything else is rejected with a reason the
instructor can pass on, and the run goes on: a symbolic link (the grader runs as root and
would copy whatever it points at, a solution notebook included), a hard link (the same
trick without the arrow), a device, pipe or socket, a file or a folder over the size
caps, a notebook with more cells than any lab has.  Nothing is followed, nothing is
opened but regular files.
"""
import json
import os
import stat
from pathlib import Path


class SubmissionRejected(Exception):
    """The folder cannot be graded as it is; the message says why and what to do."""


def read_submission(folder, limits):
    """``{relative path: bytes}`` of ``folder``'s files, as ``files.read_tree`` returns them,
    or ``SubmissionRejected`` when the folder holds anything but plain files within
    ``limits`` (``file_mb``, ``submission_mb``, ``notebook_cells``)."""
    folder = Path(folder)
    files, total = {}, 0
    for directory, subfolders, names in os.walk(folder, followlinks=False):
        subfolders[:] = [name for name in subfolders if name != ".ipynb_checkpoints"]
        for name in sorted(subfolders + names):
            path = Path(directory) / name
            relative = path.relative_to(folder).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                raise SubmissionRejected(f"{relative} is a symbolic link: links are not graded, "
                                         "submit the file itself")
            if stat.S_ISDIR(info.st_mode):
                continue
            if not stat.S_ISREG(info.st_mode):
                raise SubmissionRejected(f"{relative} is a device, pipe or socket, not a file")
            if info.st_nlink > 1:
                raise SubmissionRejected(f"{relative} is a hard link ({info.st_nlink} names for one "
                                         "file): submit a copy of the file itself")
            if info.st_size > limits.file_mb * 2 ** 20:
                raise SubmissionRejected(f"{relative} is {info.st_size / 2 ** 20:.0f} MB, over the "
                                         f"{limits.file_mb} MB cap for one file")
            total += info.st_size
            if total > limits.submission_mb * 2 ** 20:
                raise SubmissionRejected(f"the submission is over the {limits.submission_mb} MB cap "
                                         "for all its files together")
            files[relative] = path.read_bytes()
    for relative, content in files.items():
        if relative.endswith(".ipynb"):
            _check_cell_count(relative, content, limits.notebook_cells)
    return dict(sorted(files.items()))


def _check_cell_count(relative, content, cap):
    try:
        cells = json.loads(content).get("cells", [])
    except (ValueError, AttributeError):
        return  # not a notebook: grading says so, as nbformat reports it
    if isinstance(cells, list) and len(cells) > cap:
        raise SubmissionRejected(f"{relative} has {len(cells)} cells, over the cap of {cap} "
                                 "(no lab has that many)")
