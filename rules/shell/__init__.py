"""Rules about shell use in CMD, ENTRYPOINT and RUN."""
