"""partners models."""
