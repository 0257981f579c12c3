"""What a layout's templates are given: plain data, never the models.

A layout may come from anyone, and Jinja's sandbox lets a template call any
public method of what it is handed.  A Pydantic model has dozens, some of them
dangerous: the deprecated ``parse_raw(..., proto="pickle")`` unpickles (runs
code), ``parse_file`` reads any file.  So templates get :class:`Record` objects
(named values, no method), lists, dictionaries, strings, numbers and dates; what
a template needs computed from a model (a block's addresses, say) is computed
here, once, and handed over as a value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel

#: Values handed to templates as they are: none has a method that reads,
#: writes, runs or imports anything.
SCALARS = (str, int, float, bool, type(None), dt.date)


class Record(SimpleNamespace):
    """A model's values by name, and nothing else: what a template reads."""


class Fields(Record):
    """A record that answers ``None`` for a name it lacks (the ``fields`` filter).

    For templates that show any kind of block: ``f.date`` asks whether a block
    has a date without the error a strict template gives a kind that has none.
    """

    def __getattr__(self, name: str) -> None:
        if name.startswith("_"):
            raise AttributeError(name)
        return None


def plain(value: Any) -> Any:
    """Return ``value`` as template data: records, lists, dictionaries, scalars.

    A model's fields (or a dataclass's) become a record's values, and so do
    the values its ``derived`` class attribute names (methods computed here,
    once).  Any other type is a defect of emn-pdf: it is refused rather than
    handed over.
    """
    if isinstance(value, BaseModel):
        return _record(value)
    if is_dataclass(value) and not isinstance(value, type):
        return Record(**{f.name: plain(getattr(value, f.name)) for f in fields(value)})
    if isinstance(value, Record):
        return type(value)(**{name: plain(item) for name, item in vars(value).items()})
    if isinstance(value, list | tuple):
        return type(value)(plain(item) for item in value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, SCALARS):
        return value
    raise TypeError(f"{type(value).__name__} is not template data")


def _record(model: BaseModel) -> Record:
    values = {name: getattr(model, name) for name in type(model).model_fields}
    for name in getattr(model, "derived", ()):
        values[name] = getattr(model, name)()
    return Record(**{name: plain(value) for name, value in values.items()})


def fields_of(record: Record) -> Fields:
    """Return ``record`` as :class:`Fields`: ``None`` for any name it lacks."""
    return Fields(**vars(record))
