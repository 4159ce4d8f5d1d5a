"""Generated documents (placeholder until written)."""
