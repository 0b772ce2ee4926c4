import sys

from circles.cli import main

sys.exit(main())
