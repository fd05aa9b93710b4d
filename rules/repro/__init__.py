"""The repro family of the built-in rules."""
