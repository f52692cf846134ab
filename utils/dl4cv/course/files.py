"""A folder as plain data, ``{relative path: bytes}``, and back: how the course tools
compare generated labs and carry submissions to grading workers."""
from pathlib import Path


def read_tree(folder):
    """Every file below ``folder``, by its relative POSIX path, without Jupyter's
    autosaved copies (``.ipynb_checkpoints``)."""
    folder = Path(folder)
    files = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder)
        if path.is_file() and ".ipynb_checkpoints" not in name.parts:
            files[name.as_posix()] = path.read_bytes()
    return files


def write_tree(folder, files):
    """Write ``files`` (as ``read_tree`` returns them) below ``folder``, refusing any path
    that would land outside it."""
    for name, content in files.items():
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ValueError(f"refusing to write {name!r} outside {folder}")
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
