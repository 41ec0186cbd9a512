"""The `fomo` command line."""
