"""Benchmarks: each goal is a ratio against a baseline run in the same process (DESIGN §8)."""
