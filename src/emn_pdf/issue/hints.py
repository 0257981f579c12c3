"""What an editor probably meant: the names allowed where a mistake is.

Pydantic says "Extra inputs are not permitted" without saying which inputs
are; an editor who typed ``titel`` wants to read ``did you mean 'title'?``
and the list to choose from.  The allowed names are read from the models
themselves (walking the error's location through their annotations), so
they never drift from what validation accepts; the closest name is
:mod:`difflib`'s.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

#: Below this similarity a suggestion would be a guess, not a hint.
CUTOFF = 0.6


def closest(word: str, choices: Sequence[str]) -> str | None:
    """Return the choice ``word`` is most probably a misspelling of, if any."""
    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=CUTOFF)
    return close[0] if close else None


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """Return "did you mean 'x'? " for the choice closest to ``word``, or ""."""
    close = closest(word, choices)
    return f"did you mean {close!r}? " if close else ""


def choices_hint(
    word: str, choices: Sequence[str], lead: str = "expected one of"
) -> str:
    """Return " (did you mean 'x'? expected one of: a, b, c)" for a message."""
    listed = ", ".join(choices)
    return f" ({did_you_mean(word, choices)}{lead}: {listed})"


def literal_choices(expected: str) -> list[str]:
    """Return the values of Pydantic's "'a', 'b' or 'c'" (or "1, 2 or 'page'")."""
    return [
        quoted or bare
        for quoted, bare in re.findall(r"'([^']*)'|([^\s,']+)", expected)
        if (quoted or bare) != "or"
    ]


def fields_at(model: type[BaseModel], location: Sequence[str | int]) -> list[str]:
    """Return the fields allowed in the mapping at ``location`` (a Pydantic loc).

    Union tags Pydantic inserts (a block's ``kind``, a date's ``range``) pick
    the union member they name; an empty list means the place is not a model.
    """
    annotation: Any = model
    for part in location:
        annotation = _step(annotation, part)
    models = _models(annotation)
    return list(models[0].model_fields) if len(models) == 1 else []


def _step(annotation: Any, part: str | int) -> Any:
    """Return the annotation of ``part`` inside ``annotation``.

    A part that names nothing (a tag of a union without a ``kind``) leaves
    the annotation as it is, so that the walk goes on below it.
    """
    for member in _members(annotation):
        origin = get_origin(member)
        if isinstance(part, int) and origin in (list, tuple):
            return get_args(member)[0]
        if origin is dict:
            return get_args(member)[1]
    for model in _models(annotation):
        if part in model.model_fields:
            return model.model_fields[str(part)].annotation
        if _kind_of(model) == part:
            return model
    return annotation


def _kind_of(model: type[BaseModel]) -> object:
    kind = model.model_fields.get("kind")
    values = get_args(kind.annotation) if kind is not None else ()
    return values[0] if len(values) == 1 else None


def _members(annotation: Any) -> Iterator[Any]:
    """Yield the types an annotation may be, Annotated and unions unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _members(get_args(annotation)[0])
    elif origin in (Union, types.UnionType):
        for argument in get_args(annotation):
            yield from _members(argument)
    elif origin is not Literal and annotation is not type(None):
        yield annotation


def _models(annotation: Any) -> list[type[BaseModel]]:
    return [
        member
        for member in _members(annotation)
        if isinstance(member, type) and issubclass(member, BaseModel)
    ]
