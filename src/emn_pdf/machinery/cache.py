"""Skipping work whose inputs have not changed since the last build.

A build's outputs depend only on its inputs (builds are reproducible): the
edition file, its pictures, the catalogue, the layout folder, the fonts,
emn-pdf's own code and the versions of the engine.  Their fingerprint is kept
beside the outputs, in ``<out>/.emn-pdf-cache/``, with a hash of each output;
a build whose fingerprint and outputs are unchanged is skipped, its report
what that build said (:func:`report`).

Knowing the fingerprint takes the edition loaded and its layout resolved,
which costs more than the whole answer may.  So an entry also keeps the files
the fingerprint read and the layout folders they came from, and a quick key
of their status (not their contents): if no file was written since (its
change time, which no tool sets back, is the same), no folder gained a file,
and the options as given are the same, the inputs are the same, and
:func:`lookup_unchanged` says so without loading or reading anything.  A
file touched without a change only costs the full check.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import asdict, dataclass, field, replace
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..issue.errors import Finding, display_path
from .files import atomic_output, read_bounded, sweep_parts
from .jobs import BuildReport, Job

CACHE_DIR = ".emn-pdf-cache"
#: Engine packages whose upgrade changes the output, and the module each installs:
#: the PDFs' and, for the web page and the e-mail, MJML's, CSS inlining's and
#: the SVG drawing's.
ENGINE_PACKAGES = {
    "weasyprint": "weasyprint",
    "pydyf": "pydyf",
    "pikepdf": "pikepdf",
    "pypdfium2": "pypdfium2",
    "segno": "segno",
    "pillow": "PIL",
    "mrml": "mrml",
    "css-inline": "css_inline",
    "resvg-py": "resvg_py",
}
#: The most intermediate files (pictures made for the web) kept per kind.
KEPT_FILES = 512
#: The most bytes an intermediate file may hold to be read back.
MAX_KEPT_BYTES = 128 * 1024 * 1024
#: emn-pdf's own folder, wherever this module stands in it.
PACKAGE_DIR = Path(str(files("emn_pdf")))


@dataclass
class Entry:
    """What the cache remembers of one output set."""

    key: str
    outputs: dict[str, str]
    pages: int
    warnings: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    copyfit: str | None = None
    read: list[str] = field(default_factory=list)  # the issue's files the build read
    files: list[str] = field(default_factory=list)  # every input file, absolute
    folders: list[str] = field(default_factory=list)  # the layout's folders
    quick: str = ""  # the key of those, with the options as given; none: never
    seconds: float = 0.0  # what the build took, to schedule the next one


def fingerprint(files: Iterable[Path], settings: Iterable[str]) -> str:
    """Return a digest of the input files' contents and the build settings."""
    digest = hashlib.sha256()
    for value in [*settings, *_versions(), os.environ.get("SOURCE_DATE_EPOCH", "")]:
        digest.update(value.encode() + b"\0")
    # Contents only, in a fixed order: the same inputs give the same key
    # whether the issue was named by a relative or an absolute path.
    for content in sorted({_content_digest(path) for path in [*files, *_own_code()]}):
        digest.update(content)
    return digest.hexdigest()


def _content_digest(path: Path) -> bytes:
    """Return the digest of a file, read again only when it changed."""
    status = path.stat()
    # The change time too: an edit of the same size with its modification
    # time set back (an editor, a sync tool) still changes it.
    signature = (path.resolve(), status.st_mtime_ns, status.st_ctime_ns, status.st_size)
    if signature not in _DIGESTS:
        _DIGESTS[signature] = hashlib.sha256(path.read_bytes()).digest()
    return _DIGESTS[signature]


def content_digest(path: Path) -> str:
    """Return the digest of a file's bytes, read once per version of the file."""
    return _content_digest(path).hex()


#: Digests of the files read by this process (fonts and profiles are large).
_DIGESTS: dict[tuple[Path, int, int, int], bytes] = {}


def quick_key(files: list[Path], folders: list[Path], options: list[str]) -> str:
    """Return a digest of the inputs' status, as a build knows them before loading.

    The folders' files count, listed: a file added to a layout folder may be
    one the layout picks up.  The engine's version is its modules' status.
    """
    digest = hashlib.sha256()
    for value in [*options, os.environ.get("SOURCE_DATE_EPOCH", "")]:
        digest.update(value.encode() + b"\0")
    listed = [path for folder in folders for path in sorted(folder.rglob("*"))]
    for path in [*files, *listed, *_own_code(), *_engine_modules()]:
        status = path.stat()
        signature = (
            status.st_ino,
            status.st_size,
            status.st_mtime_ns,
            status.st_ctime_ns,
        )
        digest.update(f"{path}\0{signature}\0".encode())
    return digest.hexdigest()


def lookup(
    out_dir: Path, name: str, key_of: Callable[[list[str]], str]
) -> Entry | None:
    """Return the cache entry of ``name`` if its key and its outputs still hold.

    ``key_of`` gives the key of the inputs, with the files the build that
    wrote the entry read besides them (pictures inside an SVG).
    """
    entry = _entry(out_dir, name)
    if entry is None or entry.key != key_of(entry.read):
        return None
    return entry if _outputs_hold(out_dir, entry) else None


def lookup_unchanged(out_dir: Path, name: str, options: list[str]) -> Entry | None:
    """Return the entry of ``name`` if no file it was built from changed.

    ``options`` are the build's options as given (not yet resolved).
    """
    entry = _entry(out_dir, name)
    if entry is None or not entry.quick:
        return None
    files = [Path(name) for name in entry.files]
    folders = [Path(name) for name in entry.folders]
    # A file gone misses; a crafted entry never has a device or a pipe read,
    # nor a folder walked that is not a layout's.
    if not all(path.is_file() for path in files) or not all(
        (folder / "theme.yaml").is_file() for folder in folders
    ):
        return None
    try:
        key = quick_key(files, folders, options)
    except OSError:
        return None  # unreadable: the full check says what is wrong
    return entry if key == entry.quick and _outputs_hold(out_dir, entry) else None


def unchanged(job: Job) -> BuildReport | None:
    """Return the report of a job none of whose files changed; loads nothing."""
    started = time.perf_counter()
    if job.force:
        return None
    entry = lookup_unchanged(job.out_dir, job.name, job.options())
    return None if entry is None else report(job, entry, started)


def report(job: Job, entry: Entry, started: float) -> BuildReport:
    """Return the report of a job answered by its entry: what its build said."""
    path, *extras = _written(job, entry)
    return BuildReport(
        job.language,
        job.target,
        path=path,
        extras=extras,
        pages=entry.pages,
        size=output_size(path),
        seconds=time.perf_counter() - started,
        warnings=entry.warnings,
        findings=[Finding.from_json(data) for data in entry.findings],
        copyfit=entry.copyfit,
        cached=True,
    )


def remember(job: Job, built: BuildReport, keys: dict[str, Any]) -> None:
    """Remember what a job built and said, under the ``keys`` of its inputs."""
    assert built.path is not None
    entry = Entry(
        outputs={},
        pages=built.pages,
        warnings=built.warnings,
        findings=[finding.as_json() for finding in built.findings],
        copyfit=built.copyfit,
        seconds=built.seconds,
        **keys,
    )
    store(job.out_dir, job.name, [built.path, *built.extras], entry)


def touched(job: Job, entry: Entry, keys: dict[str, Any]) -> None:
    """Keep an entry whose inputs were touched, not changed, under their new keys.

    The quick check (:func:`unchanged`) then answers the next build.
    """
    entry = replace(entry, **keys)
    store(job.out_dir, job.name, _written(job, entry), entry)


def _written(job: Job, entry: Entry) -> list[Path]:
    """Return the paths of the outputs an entry remembers, the PDF first."""
    return [job.out_dir / name for name in entry.outputs]


def last_seconds(out_dir: Path, name: str) -> float:
    """Return how long the last build of ``name`` took, whatever changed since."""
    entry = _entry(out_dir, name)
    return entry.seconds if entry is not None else 0.0


def _entry(out_dir: Path, name: str) -> Entry | None:
    try:
        entry = Entry(**json.loads(_entry_path(out_dir, name).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    return entry if _well_formed(entry, name) else None


def _outputs_hold(out_dir: Path, entry: Entry) -> bool:
    return all(
        (out_dir / output).exists() and _file_digest(out_dir / output) == digest
        for output, digest in entry.outputs.items()
    )


def store(out_dir: Path, name: str, outputs: list[Path], entry: Entry) -> None:
    """Remember the outputs just written, with what was said of them."""
    entry = replace(entry, outputs={path.name: _file_digest(path) for path in outputs})
    path = _entry_path(out_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_parts(path.parent)
    with atomic_output(path) as partial:
        partial.write_text(json.dumps(asdict(entry), indent=1), encoding="utf-8")


def discard_damaged(out_dir: Path, name: str) -> str | None:
    """Remove the entry of ``name`` if it is not one this code wrote; say so.

    A damaged entry (a build killed while writing it, a hand edit, a crafted
    one) then costs one rebuild, with a warning, and never fails a build.
    """
    path = _entry_path(out_dir, name)
    if not path.is_file() or _entry(out_dir, name) is not None:
        return None
    with suppress(OSError):
        path.unlink()
    return f"the cache entry {display_path(path)} is damaged: discarded, built again"


def _well_formed(entry: Entry, name: str) -> bool:
    """Tell whether an entry holds what this code writes, for this job alone.

    The cache folder is only as trustworthy as the output folder: an entry
    pointing at any other file, or holding a value of another type, is not
    believed.
    """
    return all(
        check(getattr(entry, field)) for field, check in _FIELDS.items()
    ) and all(
        output.startswith(name.rsplit("-", 1)[0])
        and "/" not in output
        and not output.startswith(".")
        for output in entry.outputs
    )


def _of(*types: type) -> Callable[[Any], bool]:
    """Return a test that a value is of ``types`` (a flag is not a number)."""
    return lambda value: (
        isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    )


def _list_of(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, list) and all(map(test, value))


#: What each field of a finding, as :meth:`Finding.as_json` writes it, holds.
_FINDING: dict[str, Callable[[Any], bool]] = {
    "severity": _of(str),
    "code": lambda value: isinstance(value, str) and value[:1] in ("E", "W", "I"),
    "message": _of(str),
    **dict.fromkeys(("file", "field", "edition"), _of(str, type(None))),
    **dict.fromkeys(("line", "page"), _of(int, type(None))),
}


def _is_finding(data: Any) -> bool:
    """Tell whether ``data`` is a finding as :meth:`Finding.as_json` writes it."""
    return (
        isinstance(data, dict)
        and all(name in data and test(data[name]) for name, test in _FINDING.items())
        and isinstance(data.get("figures", {}), dict)
    )


#: What each field of an entry holds.
_FIELDS: dict[str, Callable[[Any], bool]] = {
    "key": _of(str),
    "outputs": lambda value: (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(digest, str) for digest in value.values())
    ),
    "pages": _of(int),
    "warnings": _list_of(_of(str)),
    "findings": _list_of(_is_finding),
    "copyfit": _of(str, type(None)),
    **dict.fromkeys(("read", "files", "folders"), _list_of(_of(str))),
    "quick": _of(str),
    "seconds": _of(int, float),
}


def own_code_digest() -> str:
    """Return a digest of emn-pdf's own code: what makes an intermediate file."""
    digest = hashlib.sha256()
    for content in sorted({_content_digest(path) for path in _own_code()}):
        digest.update(content)
    return digest.hexdigest()


def kept(out_dir: Path, kind: str, key: str) -> bytes | None:
    """Return the intermediate file of ``kind`` kept under ``key``, if any.

    Intermediate files (the pictures made for a web page or an e-mail) are
    kept by the digest of their inputs in ``<out>/.emn-pdf-cache/<kind>/``,
    so a later process makes them no more.  The caller checks what it reads
    and calls :func:`discard_kept` on a damaged one.
    """
    path = _kept_path(out_dir, kind, key)
    try:
        return read_bounded(path, MAX_KEPT_BYTES)
    except (OSError, ValueError):
        if path.exists() or path.is_symlink():
            discard_kept(out_dir, kind, key)
        return None


def keep(out_dir: Path, kind: str, key: str, data: bytes) -> None:
    """Keep an intermediate file under ``key``, written whole or not at all.

    A cache that cannot be written only costs the next process the work:
    never a failure.  The oldest files go past :data:`KEPT_FILES`.
    """
    path = _kept_path(out_dir, kind, key)
    with suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep_parts(path.parent)
        with atomic_output(path) as partial:
            partial.write_bytes(data)
        _prune(path.parent)


def discard_kept(out_dir: Path, kind: str, key: str) -> None:
    """Remove a damaged intermediate file: it is made again."""
    with suppress(OSError):
        _kept_path(out_dir, kind, key).unlink()


def _prune(folder: Path) -> None:
    """Remove the oldest files of ``folder`` past :data:`KEPT_FILES`."""
    files = list(folder.glob("*.json"))
    if len(files) <= KEPT_FILES:
        return
    files.sort(key=lambda path: (path.stat().st_mtime_ns, path.name))
    for path in files[: len(files) - KEPT_FILES]:
        with suppress(OSError):
            path.unlink()


def _kept_path(out_dir: Path, kind: str, key: str) -> Path:
    if not (kind.isalnum() and key.isalnum()):
        raise ValueError(f"not a cache name: {kind}/{key}")
    return out_dir / CACHE_DIR / kind / f"{key}.json"


def _entry_path(out_dir: Path, name: str) -> Path:
    return out_dir / CACHE_DIR / f"{name}.json"


def _file_digest(path: Path) -> str:
    """Return the digest of an output: a file's bytes, a folder's files and names.

    A web edition is a folder; a file of it added, removed or changed
    changes its digest.
    """
    if not path.is_dir():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for file in sorted(item for item in path.rglob("*") if not item.is_dir()):
        digest.update(f"{file.relative_to(path).as_posix()}\0".encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def output_size(path: Path) -> int:
    """Return the bytes of an output: a file, or every file of a folder."""
    if not path.is_dir():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def _versions() -> list[str]:
    from importlib.metadata import version  # 20 ms: not for the quick key

    return [f"{package}={version(package)}" for package in ENGINE_PACKAGES]


def _engine_modules() -> list[Path]:
    """Return the engine packages' own files, found without importing them."""
    specs = (find_spec(module) for module in ENGINE_PACKAGES.values())
    return [Path(spec.origin) for spec in specs if spec and spec.origin]


def _own_code() -> list[Path]:
    """emn-pdf's own modules and catalogues: a code change invalidates the cache.

    Every module of every sub-package counts, not only those at the top.
    """
    return sorted(
        path
        for pattern in ("**/*.py", "catalogues/*.yaml")
        for path in PACKAGE_DIR.glob(pattern)
    )
