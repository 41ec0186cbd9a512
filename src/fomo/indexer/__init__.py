"""FOMO indexer."""
