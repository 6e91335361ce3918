"""Pure analysis core: who, what, how much, how important, how sure.

No Kafka, no network, no file I/O except loading the package's own data files.
"""
