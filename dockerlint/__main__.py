"""``python -m dockerlint``: the same as the ``dockerlint`` command."""
import sys

from dockerlint.cli import main

sys.exit(main())
