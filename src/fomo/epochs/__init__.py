"""FOMO epochs."""
