"""Built-in rule pack."""
