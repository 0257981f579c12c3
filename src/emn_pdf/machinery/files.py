"""Reading and writing files safely: contained paths, bounded reads, atomic outputs.

Issue folders and layouts come from other people, so every path they name is
resolved (symbolic links included) and must stay inside the folder that names
it, and every file is read only if it is a regular file, with a bound: a link
to ``/dev/zero`` or a named pipe is refused instead of hanging the build.
Outputs are written to a temporary file with a unique name (the writer's
process id in it) and renamed; temporary files a killed build left behind are
swept by the next one.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

PART_SUFFIX = ".part"


def contained(folder: Path, name: str) -> Path | None:
    """Return the file ``name`` of ``folder`` if it resolves inside ``folder``.

    ``None`` when it does not exist, is not a regular file, or leads out of
    the folder by ``..``, an absolute path or a symbolic link.
    """
    root = folder.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def read_bounded(path: Path, limit: int) -> bytes:
    """Return the bytes of the regular file ``path``, at most ``limit`` of them.

    Raises ``ValueError`` saying why for anything else (a device, a pipe, a
    folder, a file over the limit); ``OSError`` when it cannot be read.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ValueError("not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit // 1024} KiB")
    return data


@contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path that replaces ``target`` only on success.

    The temporary file is removed on failure, and on SIGTERM or Ctrl-C too
    (see :mod:`emn_pdf.machinery.workers`); one a killed process left is swept by
    :func:`sweep_parts`, which knows it by the process id in its name.
    """
    with atomic_outputs(target) as (partial,):
        yield partial


@contextmanager
def atomic_outputs(*targets: Path) -> Iterator[list[Path]]:
    """Yield temporary paths that replace ``targets`` together, once all are written.

    The outputs of one edition (a web PDF and its cover) are published
    together or not at all: a failure or an interruption while any is
    written leaves every previous one as it was, and an interruption while
    they are renamed waits until they all are (:func:`held_while_publishing`).
    """
    partials: list[Path] = []
    try:
        partials.extend(_partial(target) for target in targets)
        try:
            yield partials
        except OSError as error:
            raise _named(error, dict(zip(partials, targets, strict=True))) from None
        _publish(list(zip(partials, targets, strict=True)))
    finally:
        for partial in partials:
            _PARTIALS.discard(partial)
            with suppress(FileNotFoundError):
                partial.unlink()


def _named(error: OSError, targets: dict[Path, Path]) -> OSError:
    """Return ``error`` naming the output a temporary file stands for.

    A person knows ``build/2025-03-fr-web.pdf``, not its temporary name; an
    error naming no file names the output, when there is one.
    """
    if error.errno is None:
        return error
    if error.filename is None and len(targets) == 1:
        named = next(iter(targets.values()))
    elif error.filename is not None and Path(os.fsdecode(error.filename)) in targets:
        named = targets[Path(os.fsdecode(error.filename))]
    else:
        return error
    return type(error)(error.errno, error.strerror, str(named))


def _partial(target: Path) -> Path:
    """Return a new, empty temporary file beside ``target``, with this process's id."""
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=PART_SUFFIX, dir=target.parent
    )
    os.close(handle)
    _PARTIALS.add(Path(name))
    return Path(name)


def _publish(renames: list[tuple[Path, Path]]) -> None:
    """Rename each temporary file onto its target, with no signal in between."""
    for partial, target in renames:
        partial.chmod(0o644)
        if target.is_dir():  # found before any rename, not between two
            raise IsADirectoryError(
                errno.EISDIR, os.strerror(errno.EISDIR), str(target)
            )
    try:
        with _PUBLISHING:
            if _INTERRUPTED.is_set():  # and the interruption was swallowed on the way
                raise KeyboardInterrupt
            for partial, target in renames:
                partial.replace(target)
    finally:
        held, _HELD[:] = list(_HELD), []
        for handle in held:
            handle()


#: Temporary files this process is writing, for a signal handler to remove.
_PARTIALS: set[Path] = set()
#: Set when this process is interrupted: from then on nothing is published.
_INTERRUPTED = threading.Event()
#: Held while outputs are renamed into place: a process ending waits for it.
_PUBLISHING = threading.Lock()
#: What signals asked while outputs were renamed, done once they are.
_HELD: list[Callable[[], None]] = []

SignalHandler = Callable[[int, FrameType | None], None]


def held_while_publishing(handler: SignalHandler) -> SignalHandler:
    """Return ``handler`` made to wait while outputs are renamed into place.

    A web PDF and its cover are two renames: a signal ending the process
    between them would leave a new PDF with the old cover.
    """

    def held(signum: int, frame: FrameType | None) -> None:
        if _PUBLISHING.locked():
            _HELD.append(lambda: handler(signum, frame))
        else:
            handler(signum, frame)

    return held


def publishing() -> bool:
    """Tell whether outputs are being renamed into place (a deadline waits)."""
    return _PUBLISHING.locked()


def end_of_publishing() -> None:
    """Wait until no outputs are renamed, and let none be: the process ends."""
    _PUBLISHING.acquire()


def stop_publishing() -> None:
    """Remove the temporary files this process is writing, and publish no more.

    An interruption is an exception raised wherever the process happens to
    be, and code that catches every exception swallows it (WeasyPrint's SVG
    drawing catches ``BaseException``): the work then goes on, and what it
    writes, a picture short, must not be renamed into place.
    """
    _INTERRUPTED.set()
    remove_partials()


def remove_partials() -> None:
    """Remove the temporary files this process is writing (it is ending)."""
    for partial in list(_PARTIALS):
        _remove(partial)


def sweep_parts(folder: Path) -> None:
    """Remove the temporary files of processes that no longer run."""
    for path in folder.glob(f".*{PART_SUFFIX}"):
        if not _writer_alive(path.name):
            _remove(path)


def _writer_alive(name: str) -> bool:
    """Tell whether the process named in a temporary file's name still runs."""
    parts = name.split(".")  # .<target>.<pid>.<random>.part
    if len(parts) < 4 or not parts[-3].isdigit():
        return False
    try:
        os.kill(int(parts[-3]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder that replaces the folder ``target`` only on success.

    A web edition is a folder (a page and its pictures): it is written
    aside, then swapped for the previous one, the two renames with no signal
    between them (:func:`held_while_publishing`); a failure or an
    interruption while it is written leaves the previous one as it was.
    """
    partial = Path(
        tempfile.mkdtemp(
            prefix=f".{target.name}.{os.getpid()}.",
            suffix=PART_SUFFIX,
            dir=target.parent,
        )
    )
    _PARTIALS.add(partial)
    try:
        yield partial
        _publish_folder(partial, target)
    finally:
        _PARTIALS.discard(partial)
        _remove(partial)


def _publish_folder(partial: Path, target: Path) -> None:
    """Swap the written folder ``partial`` for ``target``, and remove the old one."""
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
    for path in [partial, *partial.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    previous = partial.with_name(
        partial.name.removesuffix(PART_SUFFIX) + f"-old{PART_SUFFIX}"
    )
    try:
        with _PUBLISHING:
            if _INTERRUPTED.is_set():
                raise KeyboardInterrupt
            if target.is_dir():
                target.rename(previous)
            partial.rename(target)
    finally:
        _remove(previous)
        held, _HELD[:] = list(_HELD), []
        for handle in held:
            handle()


def _remove(path: Path) -> None:
    """Remove a temporary file or folder, if it is still there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with suppress(OSError):
            path.unlink()
