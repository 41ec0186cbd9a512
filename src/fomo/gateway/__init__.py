"""FOMO gateway."""
