"""Packaging glue that pyproject.toml cannot say: the top-level ``schedules/`` directory (the source of the
call schedules, edited in place in a checkout) ships inside the wheel as the package data
``scc_tui/schedules/*.toml``. Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["scc_tui", "scc_tui.*"]) + ["scc_tui.schedules"],
    package_dir={"scc_tui.schedules": "schedules"},
)
