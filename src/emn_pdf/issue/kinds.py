"""What is said of each kind of block, derived from its model.

A kind of block is its model (:data:`emn_pdf.issue.model.BLOCK_KINDS`), its
template and its style; what else names it is made from the model here: the
README's table of kinds (``make docs`` writes it, a test checks it is
current) and, for a kind that has no hand-written example in the scaffold,
the example ``emn-pdf new`` writes.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from .model import BLOCK_KINDS, BlockBase

#: Where the README's table of kinds starts and ends.
TABLE_START = "<!-- kinds: made from the models by `make docs` -->"
TABLE_END = "<!-- end of kinds -->"


def own_fields(kind: type[BaseModel]) -> dict[str, FieldInfo]:
    """Return the fields of a kind beyond those every block has, in order."""
    return {
        name: field
        for name, field in kind.model_fields.items()
        if name not in BlockBase.model_fields and name != "kind"
    }


def kinds_table() -> str:
    """Return the README's table of kinds: each one's purpose and fields."""
    shared = _shared_models()
    rows = [
        f"| `{kind}` | {_summary(model)} | {_field_list(model, shared)} |"
        for kind, model in BLOCK_KINDS.items()
    ]
    return "\n".join(["| kind | what it is | fields |", "|---|---|---|", *rows])


def _summary(model: type[BaseModel]) -> str:
    """Return the first line of a model's docstring."""
    return (model.__doc__ or "").strip().splitlines()[0]


def _field_list(model: type[BaseModel], shared: set[type[BaseModel]]) -> str:
    """Return a kind's fields, those of a model of its own in brackets."""
    names = []
    for name, field in own_fields(model).items():
        nested = [each for each in _models_in(field.annotation) if each not in shared]
        inner = (
            ", ".join(f"`{each}`" for each in nested[0].model_fields) if nested else ""
        )
        names.append(f"`{name}` ({inner})" if inner else f"`{name}`")
    return ", ".join(names)


def _shared_models() -> set[type[BaseModel]]:
    """Return the models more than one kind uses (links, pictures, bylines)."""
    seen: dict[type[BaseModel], int] = {}
    for model in BLOCK_KINDS.values():
        used = {
            each
            for field in own_fields(model).values()
            for each in _models_in(field.annotation)
        }
        for each in used:
            seen[each] = seen.get(each, 0) + 1
    return {model for model, count in seen.items() if count > 1}


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """Yield the models an annotation holds: ``list[Link] | None`` holds Link."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    if get_origin(annotation) in (list, Union, types.UnionType, Annotated):
        for argument in get_args(annotation):
            yield from _models_in(argument)


def example_block(kind: str, date: dt.date) -> dict[str, Any]:
    """Return a block of ``kind`` that validates, every simple field filled.

    For the scaffold's kinds that have no hand-written example: placeholders
    an editor replaces, a picture in ``images/``, the issue's date.
    """
    model = BLOCK_KINDS[kind]
    block: dict[str, Any] = {"kind": kind}
    for name, field in own_fields(model).items():
        value = _example(field, name, date)
        if value is not None and (field.is_required() or not isinstance(value, list)):
            block[name] = value
    return _without_unfit_options(model, block)


def _without_unfit_options(
    model: type[BaseModel], block: dict[str, Any]
) -> dict[str, Any]:
    """Leave out the optional fields a placeholder cannot fill in this block.

    A pull quote must be a sentence of the body: a placeholder is not one.
    """
    try:
        model.model_validate(block)
    except ValidationError as error:
        fields = own_fields(model)
        for details in error.errors():
            name = details["loc"][0] if details["loc"] else None
            if name in fields and not fields[str(name)].is_required():
                block.pop(str(name), None)
    return block


def _example(field: FieldInfo, name: str, date: dt.date) -> Any:
    """Return the first placeholder the field accepts, if any does."""
    annotation: Any = field.annotation
    if field.metadata:
        annotation = Annotated[annotation, *field.metadata]
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    for candidate in _candidates(field, name, date):
        try:
            adapter.validate_python(candidate)
        except ValidationError:
            continue
        return candidate
    return None


def _candidates(field: FieldInfo, name: str, date: dt.date) -> Iterator[Any]:
    """Yield placeholders for a field, the plainest first."""
    yield f"TODO: {name.replace('_', ' ')}"
    yield "https://example.org/"
    yield "contact@example.org"
    yield date.isoformat()
    yield {"src": "images/picture.png", "alt": "TODO: what the picture shows"}
    for model in _models_in(field.annotation):
        inner = {
            each: _example(info, each, date)
            for each, info in model.model_fields.items()
            if info.is_required()
        }
        yield inner
        yield [inner]
