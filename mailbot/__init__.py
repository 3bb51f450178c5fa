"""mailbot: collect signatures for open letters and petitions by email."""

__version__ = "0.1.0"
