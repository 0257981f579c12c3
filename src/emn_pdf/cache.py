"""Skipping work whose inputs have not changed since the last build.

A build's outputs depend only on its inputs (builds are reproducible): the
edition file, its pictures, the catalogue, the layout folder, the fonts,
emn-pdf's own code and the versions of the engine.  Their fingerprint is kept
beside the outputs, in ``<out>/.emn-pdf-cache/``, with a hash of each output;
a build whose fingerprint and outputs are unchanged is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .files import atomic_output, sweep_parts

CACHE_DIR = ".emn-pdf-cache"
#: Engine packages whose upgrade changes the output.
ENGINE_PACKAGES = ("weasyprint", "pydyf", "pikepdf", "pypdfium2", "segno", "pillow")
PACKAGE_DIR = Path(__file__).parent


@dataclass
class Entry:
    """What the cache remembers of one output set."""

    key: str
    outputs: dict[str, str]
    pages: int
    warnings: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    copyfit: str | None = None
    read: list[str] = field(default_factory=list)  # the files the build read


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


#: Digests of the files read by this process (fonts and profiles are large).
_DIGESTS: dict[tuple[Path, int, int, int], bytes] = {}


def lookup(
    out_dir: Path, name: str, key_of: Callable[[list[str]], str]
) -> Entry | None:
    """Return the cache entry of ``name`` if its key and its outputs still hold.

    ``key_of`` gives the key of the inputs, with the files the build that
    wrote the entry read besides them (pictures inside an SVG).
    """
    try:
        entry = Entry(**json.loads(_entry_path(out_dir, name).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if not _well_formed(entry, name) or entry.key != key_of(entry.read):
        return None
    for output, digest in entry.outputs.items():
        path = out_dir / output
        if not path.is_file() or _file_digest(path) != digest:
            return None
    return entry


def store(
    out_dir: Path,
    name: str,
    key: str,
    outputs: list[Path],
    pages: int,
    warnings: list[str],
    findings: list[dict[str, Any]],
    copyfit: str | None,
    read: list[str],
) -> None:
    """Remember the outputs just written for ``key``, with what was said of them."""
    entry = Entry(
        key,
        {path.name: _file_digest(path) for path in outputs},
        pages,
        warnings,
        findings,
        copyfit,
        read,
    )
    path = _entry_path(out_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_parts(path.parent)
    with atomic_output(path) as partial:
        partial.write_text(json.dumps(asdict(entry), indent=1), encoding="utf-8")


def _well_formed(entry: Entry, name: str) -> bool:
    """Tell whether an entry names only this job's outputs, as this code writes.

    The cache folder is only as trustworthy as the output folder: an entry
    pointing at any other file is not believed.
    """
    return (
        isinstance(entry.pages, int)
        and isinstance(entry.outputs, dict)
        and bool(entry.outputs)
        and all(
            isinstance(digest, str)
            and output.startswith(name.rsplit("-", 1)[0])
            and "/" not in output
            and not output.startswith(".")
            for output, digest in entry.outputs.items()
        )
        and isinstance(entry.warnings, list)
        and isinstance(entry.findings, list)
        and isinstance(entry.read, list)
        and all(isinstance(name, str) for name in entry.read)
    )


def _entry_path(out_dir: Path, name: str) -> Path:
    return out_dir / CACHE_DIR / f"{name}.json"


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _versions() -> list[str]:
    return [f"{package}={version(package)}" for package in ENGINE_PACKAGES]


def _own_code() -> list[Path]:
    """emn-pdf's own modules and catalogues: a code change invalidates the cache."""
    return [
        path
        for pattern in ("*.py", "catalogues/*.yaml")
        for path in PACKAGE_DIR.glob(pattern)
    ]
