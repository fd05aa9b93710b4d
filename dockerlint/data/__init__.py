"""Data tables the model and rules read, each file naming its source."""
