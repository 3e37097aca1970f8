"""The national line at scale for the benchmarks (issues 11 and 23): the mix as data, the plan
of contacts, and each case's life after the call."""
