"""``python -m adviz``: the same as the ``adviz`` command."""
import sys

from .cli import main

sys.exit(main())
