"""Synthetic region-sized data for benchmarks (`w2 seed-scale`)."""
