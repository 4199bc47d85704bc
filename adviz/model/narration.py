"""Lesson narration as text a person reads: ``$formula$`` spans in LaTeX-ish notation made
readable Unicode (``\\frac{dL}{dx}`` becomes ``dL/dx``), for the lesson view and the page. No Qt."""
from __future__ import annotations

import re
from html import escape

_LATEX = [
    (re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}"), r"\1/\2"),
    (re.compile(r"\\partial\s*"), "∂"), (re.compile(r"\\cdot\b"), "·"), (re.compile(r"\\times\b"), "×"),
    (re.compile(r"\\sigma\b"), "σ"), (re.compile(r"\\nabla\b"), "∇"), (re.compile(r"\\sum\b"), "Σ"),
    (re.compile(r"\\sqrt\{([^{}]*)\}"), r"√(\1)"), (re.compile(r"\\exp\b"), "exp"), (re.compile(r"\\log\b"), "log"),
    (re.compile(r"\\sin\b"), "sin"), (re.compile(r"\\cos\b"), "cos"), (re.compile(r"\\tanh\b"), "tanh"),
    (re.compile(r"\\ln\b"), "ln"), (re.compile(r"\\approx\b"), "≈"), (re.compile(r"\\to\b"), "→"),
    (re.compile(r"\\leftarrow\b"), "←"), (re.compile(r"\\rightarrow\b"), "→"), (re.compile(r"\\quad\b"), "  "),
    (re.compile(r"\\mathrm\{([^{}]*)\}"), r"\1"), (re.compile(r"\\text\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\left|\\right"), ""), (re.compile(r"\\,|\\;|\\!"), " "),
    (re.compile(r"\\(?:var)?epsilon\b"), "ε"), (re.compile(r"\\mathbb\{R\}"), "ℝ"),
    (re.compile(r"\\dot\{([A-Za-z])\}"), "\\1\u0307"), (re.compile(r"\\infty\b"), "∞"),
]
_SUPER = str.maketrans("0123456789+-nm", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿᵐ")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def readable_math(tex: str) -> str:
    """LaTeX-ish formula text as readable Unicode: ``\\frac{dL}{dx}`` becomes ``dL/dx``."""
    # Fractions written side by side multiply: show the product sign between them.
    text = re.sub(r"\}\s*(?=\\frac)", lambda m: "} \\cdot ", tex)
    for _ in range(3):    # nested \frac
        for pattern, repl in _LATEX:
            text = pattern.sub(repl, text)
    text = re.sub(r"\^\{([0-9+\-nm]+)\}|\^([0-9nm])", lambda m: (m.group(1) or m.group(2)).translate(_SUPER), text)
    text = re.sub(r"_\{([0-9]+)\}|_([0-9])", lambda m: (m.group(1) or m.group(2)).translate(_SUB), text)
    return text.replace("{", "").replace("}", "")


def narration_markdown(text: str) -> str:
    """Markdown with ``$formula$`` spans made readable, for Qt's markdown renderer."""
    text = re.sub(r"\$\$(.+?)\$\$", lambda m: f"\n\n*{readable_math(m.group(1))}*\n\n", text, flags=re.S)
    return re.sub(r"\$(.+?)\$", lambda m: f"*{readable_math(m.group(1))}*", text)




def lesson_title(text: str, fallback: str) -> str:
    """The first markdown heading of a script's narration, else ``fallback``."""
    match = re.search(r"^\s*#{1,3}\s+(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else fallback


_INLINE = re.compile(r"\$(?P<math>[^$]+?)\$|`(?P<code>[^`]+?)`")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")


def _inline(text: str) -> str:
    """One line of narration as HTML: formulas and code kept apart, everything escaped, then
    ``**bold**`` and ``*emphasis*``; no other markup reaches the page (no tags, links or attributes)."""
    out: list[str] = []
    last = 0
    for m in _INLINE.finditer(text):
        out.append(_emphasis(escape(text[last:m.start()], quote=False)))
        if m.group("math") is not None:
            out.append(f'<span class="math">{escape(readable_math(m.group("math")), quote=False)}</span>')
        else:
            out.append(f"<code>{escape(m.group('code'), quote=False)}</code>")
        last = m.end()
    out.append(_emphasis(escape(text[last:], quote=False)))
    return "".join(out)


def _emphasis(escaped: str) -> str:
    # The text is already escaped: the only tags in it are these.
    return _EMPHASIS.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", escaped))


def narration_html(text: str) -> str:
    """A narration cell (markdown with ``$formulas$``) as safe HTML: headings (``#`` to ``###``
    become ``h2`` to ``h4``), paragraphs, bullet lists, ``$$display$$`` formulas, bold, emphasis
    and code. Every character of the text is escaped; nothing in it becomes a script, a link or an
    attribute."""
    text = re.sub(r"\$\$(.+?)\$\$", lambda m: "\n\n\x00" + m.group(1).replace("\n", " ") + "\n\n", text, flags=re.S)
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("\x00"):
            blocks.append(f'<p class="display"><span class="math">'
                          f'{escape(readable_math(" ".join(lines)[1:]), quote=False)}</span></p>')
            continue
        items: list[str] = []
        paragraph: list[str] = []

        def flush() -> None:
            if paragraph:
                blocks.append(f"<p>{_inline(' '.join(paragraph))}</p>")
                paragraph.clear()
            if items:
                blocks.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
                items.clear()

        for line in lines:
            heading = re.match(r"(#{1,3})\s+(.*)", line)
            if heading:
                flush()
                level = len(heading.group(1)) + 1
                blocks.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            elif re.match(r"[-*]\s+", line):
                if paragraph:
                    flush()
                items.append(re.sub(r"^[-*]\s+", "", line))
            elif items and not paragraph:
                items[-1] += " " + line       # a list item continues on the next line
            else:
                paragraph.append(line)
        flush()
    return "\n".join(blocks)
