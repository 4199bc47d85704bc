"""A diagnosis's fix as a one-line change to a tape script, shown to the user and never applied silently.

Example::

    >>> script_change("x = tf.constant(3.0)\\nwith tf.GradientTape() as g:\\n    y = x * x\\n", "watch:x", "g", 3)
    'after line 2 add:  `    g.watch(x)`'
"""
from __future__ import annotations

import re


def _tape_line(lines: list[str], tape: str, before: int) -> int:
    """The last ``with ...GradientTape(...) as tape:`` line at or before ``before`` (1-based), else 0."""
    pattern = re.compile(rf"^\s*with\s.*GradientTape\(.*\)\s+as\s+{re.escape(tape)}\s*:")
    found = 0
    for number, line in enumerate(lines[: before or len(lines)], start=1):
        if pattern.search(line):
            found = number
    return found


def _change(number: int, old: str, new: str) -> str:
    return f"line {number}:  `{old.strip()}`  →  `{new.strip()}`"


def script_change(text: str, action: str, tape: str, before: int) -> str:
    """The edit that applies ``action`` ("persistent", "watch_accessed", "watch:x", "trainable:x")
    to the tape named ``tape`` used on line ``before``; "" when it cannot be written as one line."""
    lines = text.splitlines()
    kind, _, name = action.partition(":")
    number = _tape_line(lines, tape, before) if tape else 0
    if kind in ("persistent", "watch_accessed") and number:
        line = lines[number - 1]
        option = "persistent" if kind == "persistent" else "watch_accessed_variables"
        if re.search(rf"{option}\s*=\s*False", line):
            return _change(number, line, re.sub(rf"{option}\s*=\s*False", f"{option}=True", line))
        new = re.sub(r"GradientTape\(\s*\)", f"GradientTape({option}=True)", line)
        if new == line:
            new = re.sub(r"GradientTape\(", f"GradientTape({option}=True, ", line, count=1)
        return _change(number, line, new)
    if kind == "watch" and number and name:
        body = lines[number] if number < len(lines) else ""
        indent = body[: len(body) - len(body.lstrip())] or lines[number - 1][: len(lines[number - 1]) - len(lines[number - 1].lstrip())] + "    "
        return f"after line {number} add:  `{indent}{tape}.watch({name})`"
    if kind == "trainable" and name:
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=.*Variable\(.*trainable\s*=\s*False")
        for number, line in enumerate(lines, start=1):
            if pattern.search(line):
                return _change(number, line, re.sub(r"trainable\s*=\s*False", "trainable=True", line))
    return ""
