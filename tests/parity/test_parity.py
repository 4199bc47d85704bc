"""The parity corpus: tape scripts whose standard output under adviz is byte-identical to what
real TensorFlow 2.21 printed for them (stored in ``expected/`` by ``make_reference.py``).

A script may say ``# parity: random lines A-B C`` (output lines, counted from 1): those lines hold
random values, which adviz's generator cannot reproduce, and are compared with every number
replaced by ``#``: the shape, the dtype and the layout must still be TensorFlow's.

``# parity: last digit lines A-B`` marks lines whose float32 values come from TensorFlow's
vectorised ``tanh``, ``exp`` or ``log1p`` (Eigen's polynomial approximations, not correctly rounded:
TensorFlow's ``tanh`` differs from the correctly rounded result in the last place for about two
inputs in three). adviz computes them correctly rounded, so those lines must agree in layout and
within two units in the last place (one from the function, one more carried through a division,
as in ``softmax``).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from adviz.lang import run_script

HERE = Path(__file__).resolve().parent
SCRIPTS = sorted((HERE / "scripts").glob("*.py"))
_RANDOM = re.compile(r"#\s*parity:\s*random lines\s+([\d ,-]+)")
_LAST_DIGIT = re.compile(r"#\s*parity:\s*last digit lines\s+([\d ,-]+)")
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:e[+-]?\d+)?")


def _random_lines(text: str, marker: re.Pattern[str] = _RANDOM) -> set[int]:
    lines: set[int] = set()
    for match in marker.finditer(text):
        for part in re.split(r"[ ,]+", match.group(1).strip()):
            first, _, last = part.partition("-")
            lines.update(range(int(first), int(last or first) + 1))
    return lines


def _numbers_hidden(line: str) -> str:
    return re.sub(r"\s+", " ", _NUMBER.sub("#", line)).replace("[ ", "[").replace(" ]", "]")


def _within_last_digit(ours: str, theirs: str) -> bool:
    a, b = _NUMBER.findall(ours), _NUMBER.findall(theirs)
    if len(a) != len(b) or _numbers_hidden(ours) != _numbers_hidden(theirs):
        return False
    x, y = np.array(a, dtype=np.float32), np.array(b, dtype=np.float32)
    return bool(np.all(np.abs(x - y) <= 2 * np.spacing(np.maximum(np.abs(x), np.abs(y)))))


def comparable(output: str, random: set[int]) -> list[str]:
    return [_numbers_hidden(line) if number in random else line
            for number, line in enumerate(output.split("\n"), start=1)]


def test_the_corpus_is_complete() -> None:
    assert len(SCRIPTS) >= 60
    missing = [s.stem for s in SCRIPTS if not (HERE / "expected" / f"{s.stem}.out").is_file()]
    assert not missing


@pytest.mark.parametrize("module", ["tensorflow", "adviz"])
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_output_is_tensorflows(script: Path, module: str) -> None:
    text = script.read_text()
    if module == "adviz":
        text = text.replace("import tensorflow as tf", "import adviz as tf")
    expected = (HERE / "expected" / f"{script.stem}.out").read_text()
    trace = run_script(text)
    if trace.error is not None:
        pytest.fail(f"{script.name}:{trace.error.line}:{trace.error.col}: {trace.error.message}", pytrace=False)
    random = _random_lines(text)
    ours, theirs = comparable(trace.output, random), comparable(expected, random)
    for number in _random_lines(text, _LAST_DIGIT):
        if number <= min(len(ours), len(theirs)) and _within_last_digit(ours[number - 1], theirs[number - 1]):
            ours[number - 1] = theirs[number - 1]
    assert "\n".join(ours) == "\n".join(theirs)
