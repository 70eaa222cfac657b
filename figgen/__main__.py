"""``python -m figgen``: the same as the ``figgen`` command."""

import sys

from figgen.cli import main

sys.exit(main())
