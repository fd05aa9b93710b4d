"""Rules about whether the file parses at all."""
