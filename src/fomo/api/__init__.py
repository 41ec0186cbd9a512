"""FOMO api."""
