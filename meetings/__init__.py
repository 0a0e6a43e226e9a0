"""meetings domain."""
