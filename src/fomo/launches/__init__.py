"""Launch naming and metadata rules shared by the CLI, the read API and the indexer."""
