"""The built-in rule pack, loaded through the ``dockerlint.rules`` entry point
exactly as a third-party plugin would be.

One module per rule, named by its id, in a folder per family
(``rules/packages/DL3042.py``). ``RULE_INDEX`` is the generated index
(``rules/_index.py``, written by ``python -m dockerlint.dev generate``): the
registry builds every rule from it without importing a rule module, and the
engine imports a module only when its rule runs. DL1000 (syntax error) is the
engine's own rule (``dockerlint.registry``).
"""
from dockerlint.rules._index import RULE_INDEX

__all__ = ["RULE_INDEX"]
