"""Package discovery only (metadata lives in pyproject.toml).

The built-in rule pack sits in the top-level ``rules/`` folder but installs as
``dockerlint.rules``; setuptools' declarative config cannot map a folder's
sub-packages, so they are listed here.
"""
from setuptools import find_packages, setup

rule_packages = ["dockerlint.rules"] + [f"dockerlint.rules.{p}" for p in find_packages("rules")]
setup(
    packages=find_packages(include=["dockerlint", "dockerlint.*"]) + rule_packages,
    package_dir={"dockerlint.rules": "rules"},
)
