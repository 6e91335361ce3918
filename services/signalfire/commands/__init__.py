"""One module per `signalfire` command; `cli.py` parses arguments and calls them."""
