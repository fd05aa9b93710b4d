"""Rules about what the running container may do: users, secrets."""
