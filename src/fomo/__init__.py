"""FOMO: the franchise model for AI inference."""

__version__ = "0.1.0"
