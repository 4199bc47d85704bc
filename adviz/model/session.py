"""Session files (``.adviz``): a document and the way it was being looked at, as versioned JSON. No Qt.

A session file never runs code. Loading checks every field's type and size and builds a
:class:`~adviz.model.Document`; its text goes through the safe language only when it is computed.

Example::

    >>> session = Session(Document("f = x*y"), layout="layered", direction="TB")
    >>> save_session("work.adviz", session)                  # doctest: +SKIP
    >>> load_session("work.adviz") == session                # doctest: +SKIP
    True
"""
from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..graph import DIRECTIONS, METHODS
from .document import KINDS, THEME_SETTINGS, Document, VariableSpec
from .files import ReadError, TooLarge, read_limited, write_bytes

FORMAT = "adviz-session"
VERSION = 1
SUFFIX = ".adviz"
MAX_BYTES = 20 * 1024 * 1024        # a session is refused before it is read past this size
MAX_TEXT = 1_000_000                # characters of function text or script
MAX_VALUE = 100_000                 # characters of one variable's value text
MAX_NAME = 200                      # characters of a name, a target or a node id
MAX_VARIABLES = 10_000
MAX_POSITIONS = 100_000
MAX_COORDINATE = 1e9                # scene units; beyond this a position is nonsense
MAX_CALL = 1_000                    # which gradient call of a script
MAX_STEP = 1_000_000
MODES = ("backward", "forward")
_NUMBER_PART = re.compile(r"-?[0-9.eE+-]*")


class SessionError(Exception):
    """A session file that cannot be read or written; ``str()`` is one line saying what is wrong."""


@dataclass
class Session:
    """What a ``.adviz`` file holds: the document, and the view of it (layout, moved nodes, step, theme)."""

    document: Document = field(default_factory=Document)
    layout: str = "layered"
    direction: str = "LR"
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)   # moved nodes only
    step: int = 0
    mode: str = "backward"
    theme: str = "system"


# -- writing ------------------------------------------------------------------------
def session_to_dict(session: Session) -> dict[str, Any]:
    """The JSON object of ``session`` (format ``adviz-session``, version 1)."""
    doc = session.document
    return {
        "format": FORMAT,
        "version": VERSION,
        "document": {
            "text": doc.text,
            "variables": [{"name": v.name, "value": v.value, "kind": v.kind, "source": v.source}
                          for v in doc.variables],
            "persistent": doc.persistent,
            "watch_accessed_variables": doc.watch_accessed_variables,
            "target": doc.target,
            "call": doc.call,
        },
        "view": {
            "layout": session.layout,
            "direction": session.direction,
            "positions": {nid: [float(x), float(y)] for nid, (x, y) in session.positions.items()},
            "step": session.step,
            "mode": session.mode,
            "theme": session.theme,
        },
    }


def dumps(session: Session) -> str:
    """``session`` as JSON text; SessionError if it could not be read back."""
    return encode(session).decode("utf-8")


def encode(session: Session) -> bytes:
    """The bytes of ``session``'s file; SessionError if :func:`loads` would refuse them (a field too
    long, text that is not UTF-8, a file over :data:`MAX_BYTES`): what can be saved can be opened."""
    data = session_to_dict(session)
    session_from_dict(data)     # the field checks first: their messages name the field
    try:
        raw = (json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    except (TypeError, ValueError) as exc:     # UnicodeEncodeError (a lone surrogate) is a ValueError
        raise SessionError(f"cannot save this session: {exc}") from None
    if len(raw) > MAX_BYTES:
        raise SessionError(f"cannot save this session: {_too_large(len(raw))}")
    loads(raw)
    return raw


def save_session(path: str | os.PathLike[str], session: Session) -> None:
    """Write ``session`` to ``path`` atomically (:func:`adviz.model.files.write_bytes`): the old file
    stays whole until the new one is complete, keeps its permission bits, and a failure or a kill
    leaves no temporary file. OS errors become a SessionError."""
    path = Path(path)
    data = encode(session)
    try:
        write_bytes(path, data)
    except OSError as exc:
        raise SessionError(f"cannot save {path.name}: {exc.strerror or exc}") from None


# -- reading ------------------------------------------------------------------------
def _read_limited(path: Path, limit: int, what: str, too_large: Callable[[int], str]) -> bytes:
    """The bytes of ``path`` (:func:`adviz.model.files.read_limited`), refusals as SessionErrors."""
    try:
        return read_limited(path, limit, what)
    except TooLarge as exc:
        raise SessionError(too_large(exc.size)) from None
    except ReadError as exc:
        raise SessionError(str(exc)) from None


def load_session(path: str | os.PathLike[str]) -> Session:
    """Read and check the session at ``path``; SessionError with a one-line reason if it is not one."""
    raw = _read_limited(Path(path), MAX_BYTES, "session file", _too_large)
    return loads(raw)


def loads(raw: bytes | str) -> Session:
    """Parse and check the text of a session file."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SessionError(f"not a valid adviz session: the file is not UTF-8 text (byte {exc.start})") from None
    else:
        text = raw
    if not text.strip():
        raise SessionError("not a valid adviz session: the file is empty")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if _ends_early(text, exc):
            raise SessionError(f"not a valid adviz session: the file is truncated (its JSON stops short, "
                               f"at line {exc.lineno} col {exc.colno})") from None
        reason = exc.msg[:1].lower() + exc.msg[1:]
        raise SessionError(f"not a valid adviz session: the JSON is malformed at line {exc.lineno} "
                           f"col {exc.colno}: {reason}") from None
    except RecursionError:
        raise SessionError("not a valid adviz session: the JSON is nested too deeply") from None
    except ValueError as exc:       # NaN or Infinity, or an integer with too many digits
        raise SessionError(f"not a valid adviz session: {exc}") from None
    return session_from_dict(data)


def _ends_early(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether the JSON was fine up to where the text ends: a cut-off file rather than a wrong one."""
    rest = text[exc.pos:].strip()
    # An unterminated string always runs to the end of the text (a raw newline is a different error).
    return (not rest or exc.msg.startswith("Unterminated string") or _NUMBER_PART.fullmatch(rest) is not None
            or any(word.startswith(rest) for word in ("true", "false", "null")))


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a session may hold")


def _too_large(size: int) -> str:
    return f"the file is too large ({size / 1e6:,.1f} MB; a session is at most {MAX_BYTES // (1024 * 1024)} MB)"


def session_from_dict(data: Any) -> Session:
    """Check every field of a parsed session and build it; SessionError names the first bad field."""
    if not isinstance(data, dict):
        raise SessionError(f"not an adviz session: the file holds a JSON {_kind(data)}, "
                           f"not an object with \"format\": \"{FORMAT}\"")
    if "format" not in data:
        raise SessionError(f"not an adviz session: there is no \"format\": \"{FORMAT}\" field")
    if data["format"] != FORMAT:
        raise SessionError(f"not an adviz session: its format is {_show(data['format'])}, not \"{FORMAT}\"")
    version = data.get("version")
    if version is None:
        raise SessionError("not a valid adviz session: it has no version")
    if not _is_int(version):
        raise SessionError(f"not a valid adviz session: version must be a whole number, not {_show(version)}")
    if version > VERSION:
        raise SessionError(f"made by a newer adviz (version {version}); this adviz reads version {VERSION}")
    if version < 1:
        raise SessionError(f"not a valid adviz session: there is no version {version}")
    document = _object(data, "document", required=True)
    view = _object(data, "view", required=False)
    doc = Document(
        text=_string(document, "text", "document", MAX_TEXT, required=True),
        variables=_variables(document.get("variables", [])),
        persistent=_bool(document, "persistent", "document", False),
        watch_accessed_variables=_bool(document, "watch_accessed_variables", "document", True),
        target=_optional_string(document, "target", "document"),
        call=_index(document, "call", "document", MAX_CALL),
    )
    return Session(
        document=doc,
        layout=_choice(view, "layout", METHODS, "layered"),
        direction=_choice(view, "direction", DIRECTIONS, "LR"),
        positions=_positions(view.get("positions", {})),
        step=_index(view, "step", "view", MAX_STEP),
        mode=_choice(view, "mode", MODES, "backward"),
        theme=_choice(view, "theme", THEME_SETTINGS, "system"),
    )


def _bad(where: str, what: str, value: Any) -> SessionError:
    return SessionError(f"not a valid adviz session: {where} must be {what}, not {_show(value)}")


def _object(data: dict, key: str, required: bool) -> dict:
    if key not in data:
        if required:
            raise SessionError(f"not a valid adviz session: it has no \"{key}\"")
        return {}
    if not isinstance(data[key], dict):
        raise _bad(key, "an object", data[key])
    return data[key]


def _string(data: dict, key: str, where: str, limit: int, required: bool = False, default: str = "") -> str:
    if key not in data:
        if required:
            raise SessionError(f"not a valid adviz session: {where} has no \"{key}\"")
        return default
    value = data[key]
    if not isinstance(value, str):
        raise _bad(f"{where}.{key}", "a string", value)
    if len(value) > limit:
        raise SessionError(f"not a valid adviz session: {where}.{key} is longer than {limit:,} characters")
    return value


def _optional_string(data: dict, key: str, where: str) -> str | None:
    if data.get(key) is None:
        return None
    return _string(data, key, where, MAX_NAME)


def _bool(data: dict, key: str, where: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise _bad(f"{where}.{key}", "true or false", value)
    return value


def _index(data: dict, key: str, where: str, limit: int) -> int:
    value = data.get(key, 0)
    if not _is_int(value) or not 0 <= value <= limit:
        raise _bad(f"{where}.{key}", f"a whole number from 0 to {limit:,}", value)
    return value


def _choice(data: dict, key: str, choices: tuple[str, ...], default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or value not in choices:
        raise _bad(f"view.{key}", "one of " + ", ".join(choices), value)
    return value


def _variables(value: Any) -> list[VariableSpec]:
    if not isinstance(value, list):
        raise _bad("document.variables", "a list", value)
    if len(value) > MAX_VARIABLES:
        raise SessionError(f"not a valid adviz session: more than {MAX_VARIABLES:,} variables")
    out: list[VariableSpec] = []
    seen: set[str] = set()
    for i, item in enumerate(value):
        where = f"document.variables[{i}]"
        if not isinstance(item, dict):
            raise _bad(where, "an object", item)
        name = _string(item, "name", where, MAX_NAME, required=True)
        if not name.isidentifier():
            raise _bad(f"{where}.name", "a name such as x or w1", name)
        if name in seen:
            raise SessionError(f"not a valid adviz session: the variable {name} is declared twice")
        seen.add(name)
        value_text = _string(item, "value", where, MAX_VALUE, default="1.0")
        kind = item.get("kind", "variable")
        if not isinstance(kind, str) or kind not in KINDS:
            raise _bad(f"{where}.kind", "one of " + ", ".join(KINDS), kind)
        out.append(VariableSpec(name, value_text, kind, _bool(item, "source", where, True)))
    return out


def _positions(value: Any) -> dict[str, tuple[float, float]]:
    if not isinstance(value, dict):
        raise _bad("view.positions", "an object of node id: [x, y]", value)
    if len(value) > MAX_POSITIONS:
        raise SessionError(f"not a valid adviz session: more than {MAX_POSITIONS:,} node positions")
    out: dict[str, tuple[float, float]] = {}
    for nid, point in value.items():
        if len(nid) > MAX_NAME:
            raise SessionError(f"not a valid adviz session: a node id in view.positions is longer than "
                               f"{MAX_NAME} characters")
        where = f"view.positions[{_show(nid)}]"
        if not isinstance(point, list) or len(point) != 2:
            raise _bad(where, "a pair [x, y]", point)
        if not all(_is_number(c) and math.isfinite(c) and abs(c) <= MAX_COORDINATE for c in point):
            raise _bad(where, f"two finite numbers within ±{MAX_COORDINATE:g}", point)
        out[nid] = (float(point[0]), float(point[1]))
    return out


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", type(None): "null", int: "number",
            float: "number", dict: "object"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    """A short picture of a bad value for a message: its JSON, cut to one short line."""
    if isinstance(value, (dict, list)):
        return f"a {_kind(value)}" if len(json.dumps(value)) > 40 else f"a {_kind(value)} {json.dumps(value)}"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) or math.isfinite(value) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "…"


def load_text(path: str | os.PathLike[str]) -> str:
    """The text of a tape script or of function lines (``.py``, ``.txt``), with the same refusals as a session."""
    raw = _read_limited(Path(path), 4 * MAX_TEXT, "file",        # UTF-8 needs at most 4 bytes a character
                        lambda _size: f"the file is larger than {MAX_TEXT:,} characters")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SessionError(f"the file is not UTF-8 text (byte {exc.start})") from None
    if len(text) > MAX_TEXT:
        raise SessionError(f"the file is larger than {MAX_TEXT:,} characters")
    return text.replace("\r\n", "\n")


def is_session_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a session by its suffix."""
    return str(path).lower().endswith(SUFFIX)


__all__ = ["FORMAT", "VERSION", "SUFFIX", "MAX_BYTES", "Session", "SessionError", "save_session", "load_session",
           "loads", "dumps", "encode", "session_to_dict", "session_from_dict", "load_text", "is_session_path"]
