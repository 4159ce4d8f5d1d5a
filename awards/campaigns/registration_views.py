"""Registration pages (placeholder until written)."""
