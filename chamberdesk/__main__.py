"""Allows `python -m chamberdesk`."""

from chamberdesk.cli import main

raise SystemExit(main())
