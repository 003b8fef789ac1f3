"""programmes models."""
