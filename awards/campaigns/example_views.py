"""Advanced example pages (placeholder until written)."""
