"""The pure economic core: plain functions, exact arithmetic, no I/O, no clock, no database."""
