"""`python -m signalfire.testing webhook --port 8765`: a local receiver that prints what it gets."""

from signalfire.testing.receivers import main

raise SystemExit(main())
