"""Appraisal queue pages (placeholder until written)."""
