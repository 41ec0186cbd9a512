"""Chain access: contract sources, artifacts, deployment and transactions."""
