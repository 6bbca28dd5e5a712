"""``python -m varscope``: run the end-to-end demo (same as ``varscope demo``)."""

import sys

from varscope.demo import main

sys.exit(main())
