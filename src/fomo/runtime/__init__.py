"""`fomo up`: the orchestration that runs anvil, migrations, the HTTP server and the workers."""
