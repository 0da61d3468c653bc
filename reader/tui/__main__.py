import sys

from reader.tui import main

sys.exit(main())
