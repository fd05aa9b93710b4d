"""Rules about package managers run in RUN: pins, caches."""
