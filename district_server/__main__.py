"""``python -m district_server`` is ``counter-server``."""

import sys

from district_server.cli import main

sys.exit(main())
