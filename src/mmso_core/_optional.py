"""Optional libraries, imported lazily with an error that names the extra to install."""

import importlib
from types import ModuleType

from mmso_core.errors import MissingExtraError

__all__ = ["require"]


def require(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import an optional module, or raise `MissingExtraError` naming the extra.

    Args:
        module: The module to import (``"icalendar"``, ``"re2"``).
        extra: The extra of ``mmso_core`` that installs it.
        feature: What needs it, for the message (plural: "regex rules need ...").

    Returns:
        The imported module.

    Raises:
        MissingExtraError: when the module cannot be imported.

    >>> require("json", extra="json", feature="JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(feature=feature, module=module, extra=extra) from exc
