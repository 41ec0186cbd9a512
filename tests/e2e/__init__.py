"""End-to-end: `fomo demo` on a fresh devnet."""
