"""Database URLs fit to print. Pure string work (no SQLAlchemy), so the error path of any command can use it."""

from __future__ import annotations

import re

__all__ = ["redact_url", "url_has_password"]

_USERINFO_PASSWORD = re.compile(r"(://[^:/?#@]*:)[^/?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&;][^=&;#]*pass[^=&;#]*=)[^&;#]*", re.IGNORECASE)


def redact_url(url: str) -> str:
    """A database URL fit to print: the password in the user part and any ``?password=`` (or other
    ``*pass*`` parameter) replaced by ``***``."""
    url = _USERINFO_PASSWORD.sub(r"\1***@", url)
    return _QUERY_PASSWORD.sub(r"\1***", url)


def url_has_password(url: str) -> bool:
    return redact_url(url) != url
