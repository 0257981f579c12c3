"""Issue files to validated models, with the YAML line of every mistake.

The YAML is composed into nodes (not loaded straight into Python objects) so
that every value keeps the line it was written on; Pydantic's errors are then
translated once, here, into :class:`~emn_pdf.issue.errors.Problem` objects that name
the file, the line and the dotted field path.  PyYAML's C parser composes the
nodes; scalars are then typed by the YAML 1.2 core schema, so that ``no`` or
``fr`` never turn into booleans behind the editor's back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..machinery.files import contained, read_bounded
from .errors import Problem, UserError
from .hints import choices_hint, closest, fields_at, literal_choices
from .model import Edition, unprintable_addresses

#: Standard YAML tags an issue file may use; anything else (``!!python/...``,
#: custom tags) is refused rather than silently constructed.
SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
STRING_TAG = "tag:yaml.org,2002:str"
#: YAML 1.2 core schema: the only plain words that are not text.
CORE_NULLS = {"", "~", "null", "Null", "NULL"}
CORE_BOOLEANS = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
CORE_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)"
)
#: Deeper than any issue file needs; stops self-referencing aliases.
MAX_DEPTH = 40
#: PyYAML's C parser when it was built with libyaml (the wheels are).
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Bound on the values one file may expand to, so that aliases nested into a
#: "billion laughs" document fail fast instead of exhausting memory.
MAX_NODES = 100_000
#: A newsletter edition is a few dozen kilobytes; anything far larger is a
#: mistake (or an attack) better refused before parsing.
MAX_YAML_BYTES = 1024 * 1024

FieldPath = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Plain data read from one YAML file, with the line of every value."""

    path: Path
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def line_of(self, location: FieldPath) -> int | None:
        """Return the line of ``location`` or of its closest written parent."""
        for end in range(len(location), -1, -1):
            if location[:end] in self.lines:
                return self.lines[location[:end]]
        return None

    def problem(self, location: FieldPath, message: str) -> Problem:
        """Return a problem located at the field ``location`` of this file."""
        return Problem(
            message,
            file=self.path,
            line=self.line_of(location),
            field=".".join(str(part) for part in location),
        )


@dataclass(frozen=True)
class LoadedEdition:
    """A validated edition and the file it came from, to locate later problems."""

    edition: Edition
    document: YamlDocument

    @property
    def language(self) -> str:
        """Return the edition's language code, the name of its file."""
        return self.document.path.stem


def read_yaml(path: Path) -> YamlDocument:
    """Parse ``path`` into plain data, keeping the line of each value."""
    try:
        text = read_bounded(path, MAX_YAML_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise UserError(Problem("file not found", file=path)) from None
    except UnicodeDecodeError as error:
        raise UserError(
            Problem(f"not UTF-8 text (byte {error.start})", file=path)
        ) from None
    except OSError as error:
        raise UserError(
            Problem(f"cannot be read: {error.strerror}", file=path)
        ) from None
    except ValueError as error:  # a device, a pipe, a file too large
        raise UserError(Problem(str(error), file=path)) from None
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        raise UserError(_syntax_problem(path, error)) from None
    except yaml.reader.ReaderError as error:
        raise UserError(_character_problem(path, text, error)) from None
    except yaml.YAMLError as error:
        raise UserError(Problem(f"invalid YAML: {error}", file=path)) from None
    document = YamlDocument(path, None)
    if root is not None:
        document.data = _NodeReader(document).read(root, ())
    return document


#: PyYAML's words for a ": " inside an unquoted value, which French text
#: ("Atelier : les migrations") meets on every issue.
COLON_IN_TEXT = "mapping values are not allowed"
COLON_HINT = (
    "; a value containing ': ' must be put in quotes (\"...\") or written"
    " as a block after '|' on the lines below"
)

COMMA_HINT = (
    "; a ',' inside {...} starts a new field: put a value containing ', ' in"
    ' quotes ("...")'
)


def _syntax_problem(path: Path, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = f"invalid YAML: {error.problem or error.context}"
    if error.context and error.context_mark and error.problem_mark:
        message += f" ({error.context} on line {error.context_mark.line + 1})"
    if COLON_IN_TEXT in message:
        message += COLON_HINT
    return Problem(message, file=path, line=mark.line + 1 if mark else None)


def _character_problem(
    path: Path, text: str, error: yaml.reader.ReaderError
) -> Problem:
    """Locate a character YAML does not allow, such as a control character.

    The parser gives an offset whose unit depends on which parser it is;
    the character itself says where it is.
    """
    character = chr(error.character)
    index = text.find(character)
    return Problem(
        f"invalid YAML: {error.reason} (U+{ord(character):04X}); text pasted from"
        " another program can carry such invisible characters: delete it",
        file=path,
        line=text.count("\n", 0, index) + 1 if index >= 0 else None,
    )


class _NodeReader:
    """Turn composed nodes into dicts, lists and scalars, recording lines."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.visited = 0

    def read(self, node: yaml.Node, location: FieldPath) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise self.problem(node, f"more than {MAX_NODES} values (nested aliases?)")
        if len(location) > MAX_DEPTH:
            raise self.problem(node, f"nested more than {MAX_DEPTH} levels deep")
        self.document.lines.setdefault(location, node.start_mark.line + 1)
        if node.tag not in SAFE_TAGS:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise self.problem(node, f"unsupported YAML tag {tag}")
        if isinstance(node, yaml.MappingNode):
            return dict(self.read_mapping(node, location))
        if isinstance(node, yaml.SequenceNode):
            return [
                self.read(item, (*location, index))
                for index, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.ScalarNode)
        try:
            return scalar_value(node)
        except ValueError as error:  # an integer of thousands of digits
            raise self.problem(node, f"invalid number: {error}") from None

    def read_mapping(
        self, node: yaml.MappingNode, location: FieldPath
    ) -> Iterator[tuple[str, Any]]:
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = self.read(key_node, (*location, "<key>"))
            if not isinstance(key, str):
                raise self.problem(key_node, f"keys must be text, not {key!r}")
            if key in seen:
                raise self.problem(key_node, f"duplicate key {key!r}")
            seen.add(key)
            yield key, self.read(value_node, (*location, key))

    def problem(self, node: yaml.Node, message: str) -> UserError:
        return UserError(
            Problem(message, file=self.document.path, line=node.start_mark.line + 1)
        )


def scalar_value(node: yaml.ScalarNode) -> Any:
    """Return a scalar by the YAML 1.2 core schema, not PyYAML's YAML 1.1.

    Only unquoted scalars are typed: ``null``, ``true``/``false``, integers
    and floats.  ``no``, ``on`` or ``fr`` stay text, and dates stay text
    too: validation turns them into dates and names the field when it can't.
    """
    text: str = node.value
    if node.style:  # quoted or block scalar: always text (plain is "" or None)
        return text
    if text in CORE_NULLS:
        return None
    if text in CORE_BOOLEANS:
        return CORE_BOOLEANS[text]
    if CORE_INT.fullmatch(text):
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    if CORE_FLOAT.fullmatch(text):
        return float(text.lower().replace(".inf", "inf"))
    return text


def load_edition(path: Path) -> LoadedEdition:
    """Read and validate one language edition (``issues/<id>/<lang>.yaml``).

    Relative paths inside it (images) are checked against the issue folder the
    file lives in, never against the working directory.
    """
    if contained(path.parent, path.name) is None and path.is_file():
        raise UserError(Problem("a link to a file outside the issue folder", file=path))
    document = read_yaml(path)
    if document.data is None:
        raise UserError(Problem("the file is empty", file=path))
    if not isinstance(document.data, dict):
        raise UserError(
            Problem("an edition must be a mapping of fields", file=path, line=1)
        )
    context = {"issue_dir": path.parent, "language": path.stem}
    edition = validated(document, Edition, context)
    if unprintable := list(unprintable_addresses(edition)):
        raise UserError(
            document.problem(location, message) for location, message in unprintable
        )
    return LoadedEdition(edition, document)


M = TypeVar("M", bound=BaseModel)


def validated(
    document: YamlDocument, model: type[M], context: dict[str, Any] | None = None
) -> M:
    """Return ``document`` validated as ``model``, or every mistake located.

    The one place where Pydantic's errors become problems, for issue files,
    themes and catalogues alike.
    """
    try:
        return model.model_validate(document.data, context=context)
    except ValidationError as error:
        errors = error.errors()
        misspelt = _misspelt(errors, model)
        raise UserError(
            problem_from_error(document, details, model)
            for details in errors
            if not (details["type"] == "missing" and details["loc"] in misspelt)
        ) from None


def _misspelt(errors: list[ErrorDetails], model: type[BaseModel]) -> set[Any]:
    """Return the locations of missing fields that an unknown one misspells.

    ``titel`` is reported as an unknown field that means ``title``; saying
    that ``title`` is missing as well would be the same mistake twice.
    """
    meant = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            *parent, name = error["loc"]
            close = closest(str(name), fields_at(model, parent))
            meant.add((*parent, close))
    return meant


def problem_from_error(
    document: YamlDocument, error: ErrorDetails, model: type[BaseModel]
) -> Problem:
    """Translate one Pydantic error into a located, readable problem.

    ``model`` is what the document was validated as: it says which fields
    an unknown one could have meant.
    """
    location = _data_location(document.data, error["loc"], error["type"])
    if error["type"] == "union_tag_invalid":
        location += ("kind",)
    return document.problem(location, _readable_message(error, model))


def _data_location(data: Any, loc: tuple[int | str, ...], error_type: str) -> FieldPath:
    """Keep only the parts of a Pydantic location that the editor wrote.

    Pydantic inserts union tags (the block ``kind``, the ``day``/``range``
    form of a date) into its locations; they are dropped.  The last part of a
    ``missing`` error is kept: it names the field the editor left out.
    """
    location: list[str | int] = []
    node: Any = data
    for index, part in enumerate(loc):
        if _has_part(node, part):
            node = node[part]
        elif not (error_type == "missing" and index == len(loc) - 1):
            continue
        location.append(part)
    return tuple(location)


def _has_part(node: Any, part: int | str) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


def _field_hint(error: ErrorDetails, model: type[BaseModel]) -> str:
    """Return what an unknown field was probably meant to be.

    A name with spaces, or without a value, is most often text cut at a
    comma inside ``{...}`` (``{alt: Une photo, prise en mai}``); otherwise
    the closest allowed field and the list of them.
    """
    name = str(error["loc"][-1])
    allowed = fields_at(model, error["loc"][:-1])
    hint = ""
    if allowed and " " not in name:
        hint = choices_hint(name, allowed, "allowed here")
    if " " in name or error.get("input") is None:
        hint += COMMA_HINT
    return hint


def _readable_message(error: ErrorDetails, model: type[BaseModel]) -> str:
    """Reword the Pydantic messages editors meet most often.

    A name or value that is not allowed comes with the closest allowed one
    and the list to choose from.
    """
    kind = error["type"]
    value = error.get("input")
    context = error.get("ctx", {})
    field_name = str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return f"missing required field {field_name!r}"
    if kind == "extra_forbidden":
        return f"unknown field {field_name!r}{_field_hint(error, model)}"
    if kind == "union_tag_invalid":
        tag = str(context.get("tag"))
        kinds = literal_choices(context.get("expected_tags", ""))
        return f"unknown block kind {tag!r}{choices_hint(tag, kinds)}"
    if kind == "literal_error":
        choices = literal_choices(context.get("expected", ""))
        return f"unknown value {value!r}{choices_hint(str(value), choices)}"
    if kind == "union_tag_not_found":
        return "missing required field 'kind' (which kind of block this is)"
    if kind == "too_short":
        return f"needs at least {error.get('ctx', {}).get('min_length')} item(s)"
    if kind.startswith("date_") and not isinstance(value, dict):
        return f"invalid date {value!r} (expected YYYY-MM-DD)"
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return f"{error['msg']} (got {value!r})"
    return error["msg"]


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Return ``over`` laid on ``base``: tables merge, key by key; the rest replaces.

    A theme that extends another, or a layout's catalogue, says only what it
    changes, as mkdocs merges a theme's configuration: ``page: {size: A5
    portrait}`` keeps the margins, ``colours: {accent: ...}`` the other
    colours; a list (stylesheets, fonts) is given whole.
    """
    result = dict(base)
    for key, value in over.items():
        below = result.get(key)
        if isinstance(below, dict) and isinstance(value, dict):
            value = merged(below, value)
        result[key] = value
    return result
