"""`fomo demo`: the whole loop on a devnet, with a report that balances to the wei."""
