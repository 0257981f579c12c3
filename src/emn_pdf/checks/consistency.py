"""Comparing the language editions of one issue.

Editions are translations of one newsletter: they must hold the same blocks in
the same order, pointing to the same addresses and showing the same pictures.
A block that exists in one language only is reported, by name and line, unless
it is marked ``edition_only: true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..issue.errors import Problem
from ..issue.load import FieldPath, LoadedEdition
from ..issue.model import Block


@dataclass(frozen=True)
class _Placed:
    """A block, where it stands in its file, and what must match across editions."""

    block: Block
    location: FieldPath
    links: frozenset[str]
    images: tuple[str, ...]

    @property
    def signature(self) -> tuple[str, frozenset[str], tuple[str, ...]]:
        return (self.block.kind, self.links, self.images)

    @property
    def name(self) -> str:
        label = next(
            (
                getattr(self.block, attribute)
                for attribute in ("title", "text", "intro")
                if getattr(self.block, attribute, None)
            ),
            None,
        )
        return f"{self.block.kind} “{label}”" if label else self.block.kind


def compare_editions(editions: list[LoadedEdition]) -> list[Problem]:
    """Return how each edition departs from the first one."""
    if len(editions) < 2:
        return []
    reference, *others = editions
    problems = []
    for other in others:
        problems += _compare_mastheads(reference, other)
        problems += _compare_blocks(reference, other)
    return problems


def _compare_mastheads(reference: LoadedEdition, other: LoadedEdition) -> list[Problem]:
    problems = []
    for field in ("date", "number"):
        expected = getattr(reference.edition.masthead, field)
        found = getattr(other.edition.masthead, field)
        if expected != found:
            problems.append(
                other.document.problem(
                    ("masthead", field),
                    f"{found} differs from {expected} in {reference.language}.yaml",
                )
            )
    return problems


def _compare_blocks(reference: LoadedEdition, other: LoadedEdition) -> list[Problem]:
    ours, theirs = list(_placed_blocks(reference)), list(_placed_blocks(other))
    matcher = SequenceMatcher(
        a=[placed.signature for placed in ours],
        b=[placed.signature for placed in theirs],
        autojunk=False,
    )
    problems = []
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            continue
        ours_left, theirs_left = ours[a_start:a_end], theirs[b_start:b_end]
        while (
            ours_left
            and theirs_left
            and (ours_left[0].block.kind == theirs_left[0].block.kind)
        ):
            problems.append(
                _difference(reference, ours_left.pop(0), other, theirs_left.pop(0))
            )
        problems += [_missing(reference, placed, other) for placed in ours_left]
        problems += [_missing(other, placed, reference) for placed in theirs_left]
    return problems


def _difference(
    reference: LoadedEdition, ours: _Placed, other: LoadedEdition, theirs: _Placed
) -> Problem:
    details = []
    for what, expected, found in (
        ("links", ours.links, theirs.links),
        ("images", set(ours.images), set(theirs.images)),
    ):
        if missing := sorted(set(expected) - set(found)):
            details.append(f"{what} missing: {', '.join(missing)}")
        if extra := sorted(set(found) - set(expected)):
            details.append(
                f"{what} not in {reference.language}.yaml: {', '.join(extra)}"
            )
    if not details:
        details.append(f"images in another order than in {reference.language}.yaml")
    line = reference.document.line_of(ours.location)
    return other.document.problem(
        theirs.location,
        f"{theirs.name} differs from {reference.language}.yaml:{line}: "
        + "; ".join(details),
    )


def _missing(edition: LoadedEdition, placed: _Placed, other: LoadedEdition) -> Problem:
    return edition.document.problem(
        placed.location,
        f"{placed.name} has no counterpart in {other.language}.yaml "
        "(mark it 'edition_only: true' if it belongs to this edition only)",
    )


def _placed_blocks(loaded: LoadedEdition) -> Iterator[_Placed]:
    for s, section in enumerate(loaded.edition.sections):
        for b, block in enumerate(section.blocks):
            if block.edition_only:
                continue
            yield _Placed(
                block,
                ("sections", s, "blocks", b),
                frozenset(block.addresses()),
                tuple(block.picture_sources()),
            )
