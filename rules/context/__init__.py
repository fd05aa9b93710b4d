"""The context family of the built-in rules."""
