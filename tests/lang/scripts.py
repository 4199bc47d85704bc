"""Running a script in a test: its output when it must succeed, its error when it must fail."""
from adviz.lang import LangError, run_script


def run(text, **kwargs):
    """What the script prints; it must run to the end."""
    trace = run_script(text, **kwargs)
    assert trace.error is None, trace.error
    return trace.output


def error(text, **kwargs):
    """The located error that stops the script."""
    trace = run_script(text, **kwargs)
    assert isinstance(trace.error, LangError), trace.output
    assert trace.error.line >= 1 and trace.error.col >= 1
    return trace.error
