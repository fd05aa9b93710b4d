"""The label family: LABEL keys and the values a label schema asks for (hadolint DL3048-DL3058)."""
