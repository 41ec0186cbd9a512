"""FOMO db."""
