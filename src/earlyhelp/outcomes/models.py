"""outcomes models."""
