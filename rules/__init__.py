"""The built-in rule pack, loaded through the ``dockerlint.rules`` entry point
exactly as a third-party plugin would be.

Each family is a folder; each module holds one rule or one tight group of
rules that share a mechanism. Modules are imported only when the engine loads
rules, never by ``import dockerlint``. DL1000 (syntax error) is the engine's
own rule (``dockerlint.registry``): it is documented there, not here.
"""

RULE_MODULES = (
    "dockerlint.rules.base.image_tag",
    "dockerlint.rules.packages.version_pins",
    "dockerlint.rules.packages.pip_cache",
    "dockerlint.rules.shell.exec_form",
    "dockerlint.rules.security.root_user",
)
