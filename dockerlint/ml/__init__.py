"""Knowledge about ML images and Python packages, as data tables with their sources.

The ML rules (``rules/ml``) and the model (``Stage.base_facts``) read these
tables; nothing here is computed from the network. Each table says where its
facts come from; an image or package a table does not know is None, and the
rules that depend on it stay silent.
"""
