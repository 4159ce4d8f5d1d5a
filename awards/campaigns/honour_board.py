"""The public honour board (placeholder until written)."""
