"""``python -m bot`` is the ``faqbot`` command."""
import sys

from .cli import main

sys.exit(main())
