"""The sentences of a diagnosis: for each cause, why (in the user's names) and the fix.

Placeholders: ``{s}`` the source, ``{t}`` the target, ``{tape}`` the tape's name, ``{v}`` the
value where the chain breaks, ``{how}`` the source text that broke it, ``{line}`` its line,
``{op}`` an op's name, ``{dtype}`` a dtype's name, ``{when}`` ``before`` or ``after``.
"""
from __future__ import annotations

from typing import Any

from .model import Cause

# code -> (why, fix, fix_action)
SOURCE_TEXTS: dict[str, tuple[str, str, str]] = {
    "constant-not-watched": (
        "{s} is a constant the tape was never told to watch, so the tape recorded nothing that depends on it.",
        "Call `{tape}.watch({s})` inside the `with` block, or make {s} a `tf.Variable`.",
        "watch:{s}"),
    "variable-not-trainable": (
        "{s} is a Variable made with `trainable=False`, and a tape watches only trainable Variables by "
        "itself, so it recorded nothing that depends on {s}.",
        "Make it with `tf.Variable(..., trainable=True)`, or call `{tape}.watch({s})` inside the `with` block.",
        "trainable:{s}"),
    "variable-not-watched": (
        "{s} is a Variable, but the tape was made with `watch_accessed_variables=False` and never told to "
        "watch {s}, so it recorded nothing that depends on it.",
        "Call `{tape}.watch({s})` inside the `with` block, or make the tape with "
        "`watch_accessed_variables=True`.",
        "watch_accessed"),
    "variable-unread": (
        "{s} is a Variable the tape did not watch: it was not read inside the tape's `with` block, so the "
        "tape recorded nothing that depends on it.",
        "Use {s} inside the `with` block, or call `{tape}.watch({s})` there.",
        "watch:{s}"),
    "computed-before-tape": (
        "{v} was computed {when} the tape's `with` block (line {line}), so the tape never recorded the path "
        "from {s} to {t}.",
        "Move the computation on line {line} inside the `with` block.",
        ""),
    "recording-stopped": (
        "{v} was computed inside `{tape}.stop_recording()`, so the tape did not record the path from {s} to {t}.",
        "Compute {v} outside the `stop_recording()` block, still inside the `with` block.",
        ""),
    "integer-dtype": (
        "{v} holds {dtype} values on the path from {s} to {t}; gradients flow only through floating-point "
        "tensors, so none reaches {s}.",
        "Keep every value between {s} and {t} floating-point: no cast to {dtype} on the way.",
        ""),
    "integer-source": (
        "{s} holds {dtype} values, and gradients exist only for floating-point tensors.",
        "Make {s} floating-point: `tf.constant(..., dtype=tf.float32)` or `tf.cast({s}, tf.float32)` "
        "before the tape uses it.",
        ""),
    "not-connected": (
        "{t} does not use {s} at all, so no gradient can flow back to {s}.",
        "Differentiate a target computed from {s}, or pass "
        "`unconnected_gradients=tf.UnconnectedGradients.ZERO` to get 0 instead of None.",
        ""),
    "left-the-tape": (
        "The path from {s} to {t} leaves TensorFlow at `{how}` (line {line}): the tape cannot follow numpy "
        "values or Python numbers, so what comes back ({v}) is a new constant to it.",
        "Stay with tensors: use TensorFlow's functions (such as `tf.reduce_mean` for `np.mean`) and call "
        "`.numpy()` or `float()` only on results.",
        ""),
    "variable-replaced": (
        "{s} no longer holds the Variable: line {line} rebound {s} to a tensor computed from it outside the "
        "tape, and the tape was never told to watch that tensor.",
        "Change the Variable in place with `{s}.assign(...)`, `{s}.assign_add(...)` or `{s}.assign_sub(...)` "
        "instead of rebinding {s}.",
        ""),
    "state-update": (
        "{v} got its value from {s} through `{how}` (line {line}); assign, assign_add and assign_sub are "
        "not differentiable, so the tape cannot follow the path to {t}.",
        "Use the tensor you assign directly in computing {t} instead of going through the Variable {v}.",
        ""),
    "stop-gradient": (
        "The path from {s} to {t} runs through {v}: `tf.stop_gradient` lets the value through but no gradient.",
        "Remove `tf.stop_gradient` from the path if {s} should get a gradient.",
        ""),
    "op-no-gradient": (
        "The path from {s} to {t} runs through {v} = `tf.{op}(…)`: TensorFlow defines no gradient for "
        "`{op}`, so the value passes and no gradient does.",
        "Use a differentiable expression in its place if {s} should get a gradient (for rounding, a "
        "straight-through `x + tf.stop_gradient(tf.{op}(x) - x)`).",
        ""),
    "no-gradient-defined": (
        "The path from {s} to {t} runs through `{how}` (line {line}), a comparison, which has no gradient.",
        "Let {s} reach {t} through arithmetic (such as `tf.maximum` or `tf.nn.relu`) rather than only "
        "through a comparison.",
        ""),
    "tape-reset": (
        "{v} was recorded before `{tape}.reset()` on line {line} erased the tape, so the tape no longer "
        "holds the path from {s} to {t}.",
        "Compute {t} again after `{tape}.reset()`, or ask for the gradient before resetting.",
        ""),
}
# Variants that share a code: the code they report.
VARIANTS = {"variable-unread": "variable-not-watched", "integer-source": "integer-dtype",
            "op-no-gradient": "no-gradient-defined"}

FAILURE_TEXTS: dict[str, tuple[str, str, str]] = {
    "tape-already-used": (
        "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians): "
        "`{tape}` was already used{earlier}.",
        "Make the tape with `tf.GradientTape(persistent=True)` to ask it more than once, or record a new "
        "tape for each call.",
        "persistent"),
    "target-not-tensor": (
        "The target {t} is not a tensor, so there is nothing to differentiate.",
        "Pass a tensor computed inside the `with` block (or a Variable) as the target.",
        ""),
    "source-not-tensor": (
        "A source of this call is not a tensor or Variable: {message}",
        "Pass tensors or Variables as sources (such as `[x, y]`), not numbers.",
        ""),
    "bad-output-gradients": (
        "{message}", "Give `output_gradients` one tensor per target, each of its target's shape.", ""),
    "bad-unconnected-gradients": (
        "{message}", "Use `tf.UnconnectedGradients.NONE` or `tf.UnconnectedGradients.ZERO`.", ""),
    "too-large": ("{message}", "Make the tensors smaller, or ask for fewer gradients at once.", ""),
    "call-error": ("{message}", "Check the arguments of the call on line {line}.", ""),
}

_FAILURE_MARKS = (
    ("non-persistent GradientTape can only be used", "tape-already-used"),
    ("differentiates tensors or Variables, not", "target-not-tensor"),
    ("Argument `target` should be", "target-not-tensor"),
    ("target must be a tensor", "target-not-tensor"),
    ("a target is None", "target-not-tensor"),
    ("sources must be tensors or Variables", "source-not-tensor"),
    ("not an adviz.Tensor or adviz.Variable", "source-not-tensor"),
    ("output_gradients", "bad-output-gradients"),
    ("unconnected_gradients", "bad-unconnected-gradients"),
)


class _Words(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, words: dict[str, Any]) -> str:
    return template.format_map(_Words(words))


def cause_for(code: str, words: dict[str, Any], breaks: tuple[str, ...]) -> Cause:
    """The cause ``code`` (or one of its :data:`VARIANTS`) in the user's names."""
    text, fix, action = SOURCE_TEXTS[code]
    return Cause(VARIANTS.get(code, code), _fill(text, words), _fill(fix, words),
                 tuple(b for b in breaks if b), _fill(action, words))


def failure_for(message: str, kind: str, words: dict[str, Any], line: int) -> Cause:
    """The cause of a failed call, recognised from its error message and kind."""
    code = next((c for mark, c in _FAILURE_MARKS if mark in message), "")
    if not code:
        code = "too-large" if kind == "limit" else "call-error"
    words = dict(words, message=message)
    earlier = words.get("earlier")
    words["earlier"] = f" by the call on line {earlier}" if earlier else ""
    text, fix, action = FAILURE_TEXTS[code]
    return Cause(code, _fill(text, words), _fill(fix, words), (), action, line)


# A cause in a few words, for the badge over its source.
BADGE_WORDS = {
    "constant-not-watched": "not watched", "variable-not-trainable": "not trainable",
    "variable-not-watched": "not watched", "computed-before-tape": "computed outside the tape",
    "recording-stopped": "recording stopped", "integer-dtype": "not a float", "not-connected": "not used",
    "left-the-tape": "left the tape", "variable-replaced": "no longer the Variable",
    "state-update": "through assign", "stop-gradient": "stop_gradient", "no-gradient-defined": "no gradient",
    "tape-reset": "tape reset",
}
STATUS_WORDS = {"recording": "still recording", "stopped": "paused by stop_recording()",
                "finished": "finished (its with block is over)", "released": "released (already used)"}


def tape_summary(state) -> str:
    """The tape of a call in one line: its state, options, how often it was asked, what it watches."""
    parts = [STATUS_WORDS.get(state.status, state.status),
             "persistent" if state.persistent else "not persistent",
             f"asked {state.asked}×"]
    if not state.watch_accessed_variables:
        parts.append("watch_accessed_variables=False")
    watched = "; ".join(f"{label} ({how})" for label, how in state.watched) or "nothing"
    return f"The tape: {', '.join(parts)}. It watches {watched}."


def tape_line(state) -> str:
    """The tape of a call in a few words, for a narrow panel: state, persistence, calls, what it watches."""
    watched = ", ".join(label for label, _how in state.watched) or "nothing"
    status = {"finished": "finished", "released": "released", "stopped": "paused", "recording": "recording"}
    return (f"tape: {status.get(state.status, state.status)} · {'persistent' if state.persistent else 'not persistent'}"
            f" · asked {state.asked}× · watches {watched}")
