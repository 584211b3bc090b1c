"""Wheel build hook: the installed wheel keeps everything inside one package, ``backprop_lab``.

In the repository (and in the editable install that ``uv sync`` makes) ``app/``, ``nncore/`` and
``resources/`` are top-level folders, and ``app`` imports the core absolutely (``from nncore import
Network``). pyproject.toml has hatch ship the three folders as ``backprop_lab/app``,
``backprop_lab/nncore`` and ``backprop_lab/resources`` (``sources = {"" = "backprop_lab"}``), and
this hook does, for the standard wheel only (never for the editable install), what configuration
cannot:

1. Every shipped ``.py`` file goes in as a copy whose absolute imports of the shipped packages point
   into the wrapper: ``from nncore.costs import COSTS`` -> ``from backprop_lab.nncore.costs import
   COSTS``, ``import nncore`` -> ``import backprop_lab.nncore as nncore`` (same name bound, same
   module). Only import statements found by ``ast`` are edited, by inserting text at the module
   name, so comments, strings and line numbers stay as they are. Relative imports need nothing.
2. The entry points of ``[project.scripts]`` that name a shipped package get the same prefix
   (``app.__main__:main`` -> ``backprop_lab.app.__main__:main``), so pyproject.toml keeps the only
   list of commands, valid for both installs.
3. ``backprop_lab/__init__.py`` is written, so the wrapper is a regular package.

No sys.path or sys.modules tricks: in each layout every module exists under exactly one name.
"""

from __future__ import annotations

import ast
import io
import os
import shutil
import tempfile
import tokenize
import zipfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# Calls that take a module name as a string: the import rewrite cannot see them, so a shipped package
# named there (``importlib.resources.files("nncore")``) would be missing from the wheel at run time.
# Code should use ``__package__`` / ``__name__`` or a relative import instead; the build stops if not.
IMPORT_BY_NAME = frozenset({"import_module", "__import__", "find_spec", "files"})


class WrapInPackageHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if version != "standard":  # editable: the repository root goes on sys.path, nothing to rewrite
            return
        wrapper = self.build_config.sources.get("", "").strip("/\\")
        if not wrapper.isidentifier():
            raise ValueError('hatch_build.py needs [tool.hatch.build.targets.wheel] sources = {"" = "<package>"}')

        selected = list(self.build_config.builder.recurse_selected_project_files())
        python_files = [f.relative_path for f in selected if f.relative_path.endswith(".py")]
        # The shipped packages: the top-level folders that hold Python files (app, nncore).
        packages = {path.split(os.sep)[0] for path in python_files if os.sep in path}

        self.staging = tempfile.mkdtemp(prefix="backprop-lab-wheel-")
        for relative_path in python_files:
            original = os.path.join(self.root, relative_path)
            with open(original, encoding="utf-8", newline="") as f:
                source = f.read()
            try:
                rewritten = rewrite_imports(source, wrapper, packages)
            except ValueError as error:
                raise ValueError(f"{relative_path}: {error}") from None
            staged = os.path.join(self.staging, relative_path)
            os.makedirs(os.path.dirname(staged), exist_ok=True)
            with open(staged, "w", encoding="utf-8", newline="") as f:
                f.write(rewritten)
            shutil.copymode(original, staged)
            # Same relative path as the original: hatch applies `sources` to it as well (so it lands at
            # backprop_lab/<relative_path>) and a forced file takes the place of the selected one.
            build_data["force_include"][staged] = relative_path

        init = os.path.join(self.staging, "__init__.py")
        with open(init, "w", encoding="utf-8") as f:
            f.write('"""Backprop Lab, as installed from its wheel: app, nncore and resources live here."""\n')
        build_data["force_include"][init] = "__init__.py"  # -> backprop_lab/__init__.py

        # hatchling writes entry_points.txt from this metadata after `initialize`; it has no per-target
        # entry points, so the wheel's are set here and put back in `finalize`.
        core = self.metadata.core
        self.entry_point_tables = [core.scripts, core.gui_scripts, *core.entry_points.values()]
        self.original_entry_points = [dict(table) for table in self.entry_point_tables]
        self.moved_entry_points = []
        for table in self.entry_point_tables:
            for name, object_ref in table.items():
                if object_ref.split(":")[0].split(".")[0] in packages:
                    table[name] = f"{wrapper}.{object_ref}"
                    self.moved_entry_points.append(f"{name} = {table[name]}")

    def finalize(self, version, build_data, artifact_path):
        if version != "standard":
            return
        shutil.rmtree(self.staging, ignore_errors=True)
        for table, original in zip(self.entry_point_tables, self.original_entry_points):
            table.clear()
            table.update(original)
        # Guard against a hatchling that no longer reads entry points at that moment: fail, don't ship.
        with zipfile.ZipFile(artifact_path) as wheel:
            names = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
            written = wheel.read(names[0]).decode("utf-8").splitlines() if names else []
        missing = [line for line in self.moved_entry_points if line not in written]
        if missing:
            raise RuntimeError(f"the wheel's entry_points.txt lacks {missing}")


def rewrite_imports(source, wrapper, packages):
    """``source`` with its absolute imports of ``packages`` moved under ``wrapper``; lines kept."""
    tree = ast.parse(source)
    lines = io.StringIO(source, newline="").readlines()  # split as Python counts lines (not str.splitlines)
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    token_at = {token.start: i for i, token in enumerate(tokens)}

    def column(lineno, byte_offset):  # ast counts UTF-8 bytes, tokenize and str slicing count characters
        return len(lines[lineno - 1].encode("utf-8")[:byte_offset].decode("utf-8"))

    edits = []  # (line, column, text to insert there)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in packages:
                    continue
                if alias.asname is None and "." in alias.name:
                    # `import nncore.data` binds `nncore`; no one-alias rewrite keeps that binding.
                    raise ValueError(f"line {alias.lineno}: write `from {alias.name.rsplit('.', 1)[0]} import "
                                     f"{alias.name.rsplit('.', 1)[1]}` instead of `import {alias.name}`")
                edits.append((alias.lineno, column(alias.lineno, alias.col_offset), f"{wrapper}."))
                if alias.asname is None:  # `import nncore` -> `import backprop_lab.nncore as nncore`
                    edits.append((alias.end_lineno, column(alias.end_lineno, alias.end_col_offset),
                                  f" as {alias.name}"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] in packages:
            i = token_at[(node.lineno, column(node.lineno, node.col_offset))]
            keyword, module = tokens[i], tokens[i + 1]  # `from`, then the first part of the module name
            assert keyword.string == "from" and module.string == node.module.split(".")[0], (keyword, module)
            edits.append((*module.start, f"{wrapper}."))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            value = node.args[0].value
            if name in IMPORT_BY_NAME and isinstance(value, str) and value.split(".")[0] in packages:
                raise ValueError(f"line {node.lineno}: {name}({value!r}) names a package by string; "
                                 "use __package__ / __name__ or a relative import")

    for lineno, col, text in sorted(edits, reverse=True):  # from the end, so earlier columns stay valid
        line = lines[lineno - 1]
        lines[lineno - 1] = line[:col] + text + line[col:]
    rewritten = "".join(lines)

    left = [n.lineno for n in ast.walk(ast.parse(rewritten))
            if (isinstance(n, ast.Import) and any(a.name.split(".")[0] in packages for a in n.names))
            or (isinstance(n, ast.ImportFrom) and n.level == 0 and n.module.split(".")[0] in packages)]
    if left:
        raise ValueError(f"imports of {sorted(packages)} left unrewritten on lines {left}")
    return rewritten
