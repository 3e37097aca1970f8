"""The scale bars' parts: reads, saves and verify at each size, and the 5 M run."""
