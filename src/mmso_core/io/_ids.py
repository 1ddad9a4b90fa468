"""Stable ids for exported files, shared by the writers of `mmso_core.io`."""

import uuid

__all__ = ["stable_uuid"]


def stable_uuid(namespace: uuid.UUID, name: str) -> uuid.UUID:
    r"""The name-based (version 5) UUID of any string, the same on every run.

    Any other string gives `uuid.uuid5`'s answer; UTF-8 cannot hold a lone surrogate,
    so its bytes hash as replacement characters (U+FFFD) instead of raising.

    >>> ns = uuid.NAMESPACE_URL
    >>> stable_uuid(ns, "Ёлка") == uuid.uuid5(ns, "Ёлка")
    True
    >>> stable_uuid(ns, "a\ud800") == stable_uuid(ns, "a\ud800")
    True
    """
    safe = name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return uuid.uuid5(namespace, safe)
