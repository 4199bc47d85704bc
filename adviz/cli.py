"""The ``adviz`` command: open the app, run a tape script, render a graph.

Qt is imported only by the commands that draw.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence


def _run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="adviz run", description="Run a GradientTape script safely and print what it prints.")
    parser.add_argument("file", help="a tape script (.py)")
    parser.add_argument("--long", action="store_true",
                        help="allow long honest work (up to 10 minutes, 10 million loop iterations; "
                             "nothing is kept for pictures)")
    args = parser.parse_args(argv)
    from .lang.limits import RUN_LIMITS, Limits
    from .run import run_command
    return run_command(args.file, limits=RUN_LIMITS if args.long else Limits())


def _render(argv: Sequence[str]) -> int:
    from .render import render_command
    return render_command(argv)


def _app(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="adviz", description="See reverse-mode automatic differentiation.")
    parser.add_argument("input", nargs="?", help="function text, a tape script (.py) or a session (.adviz)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save a picture of the window and exit")
    parser.add_argument("--step", default=None, help="with --screenshot: play the pass to step N or 'end'")
    parser.add_argument("--mode", default=None, choices=("backward", "forward", "tangent"),
                        help="with --screenshot: the pass the canvas plays (tangent: forward mode); default backward")
    parser.add_argument("--theme", choices=("light", "dark", "system"), default=None)
    parser.add_argument("--size", default=None, metavar="WxH",
                        help="with --screenshot: the window's size, e.g. 1280x720 (default 1400x860)")
    parser.add_argument("--present", action="store_true",
                        help="with --screenshot: the picture in presentation mode (projector palette)")
    for flag, meaning in (("var", "a Variable"), ("const", "a constant, not watched"), ("watch", "a watched constant")):
        parser.add_argument(f"--{flag}", action="append", default=[], metavar="NAME=VALUE",
                            help=f"an input of the functions: {meaning}")
    parser.add_argument("--version", action="version", version="adviz 0.1.0")
    args = parser.parse_args(argv)
    from .ui.app import run_app
    return run_app(args)


COMMANDS = {"run": _run, "render": _render}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``adviz`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        code = COMMANDS[argv[0]](argv[1:]) if argv and argv[0] in COMMANDS else _app(argv)
        sys.stdout.flush()      # a closed pipe shows here rather than as a traceback at exit
    except BrokenPipeError:
        from .run import quiet_broken_pipe
        return quiet_broken_pipe()
    return code


if __name__ == "__main__":
    sys.exit(main())
