"""Names a package exports, each imported from its module on first use (PEP 562), so that importing
the package loads nothing heavy (NumPy included) until a name is asked for."""

import importlib


def lazy_exports(package, exports, namespace):
    """``(__getattr__, __dir__)`` for ``package`` (its ``__name__``) exporting ``exports``
    ({name: module of the package that defines it}); ``namespace`` is the package's ``globals()``,
    where a name is kept once imported, so later look-ups are plain attribute reads."""

    def attribute(name):
        try:
            module = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def names():
        return sorted(set(namespace) | set(exports))

    return attribute, names
