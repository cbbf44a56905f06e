"""Entry point of the frozen app: the same as the `counter-app` console script."""

import sys

from counter_app.app import main

if __name__ == "__main__":
    sys.exit(main())
