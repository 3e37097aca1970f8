"""``python -m bench.chaos``: the long crash-and-tamper run (kills of writers, then mutations of
copies of the file, each to be named by ``audit verify``)."""
