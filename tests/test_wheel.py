"""The built wheel installs one package, backprop_lab/, and nothing generic at the top of site-packages.

The wheel is built once (``uv build --wheel``, the build hook in hatch_build.py included) and read as a
zip; one slow test installs it into a fresh environment (from uv's cache, offline) and runs every
command it advertises there, away from the checkout.
"""

import ast
import configparser
import os
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = "backprop_lab"
PACKAGES = {"app", "nncore"}  # the repository's top-level packages: backprop_lab.app, backprop_lab.nncore


def _uv():
    return os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to its own executable


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel built from this checkout, as an open zip file."""
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not on PATH, so the wheel cannot be built (install uv to run this test)")
    out = tmp_path_factory.mktemp("wheel")
    # --offline first: `uv sync` already put the build backend (hatchling) in uv's cache. Without
    # network access and with an empty cache that fails; then ask the index, as CI can.
    runs = []
    for offline in (["--offline"], []):
        command = [uv, "build", "--wheel", *offline, "--out-dir", str(out), str(ROOT)]
        run = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
        runs.append(f"$ {' '.join(command)}\n{run.stdout}{run.stderr}")
        if run.returncode == 0:
            break
    else:
        pytest.fail("building the wheel failed:\n" + "\n".join(runs))
    (path,) = out.glob("*.whl")
    with zipfile.ZipFile(path) as archive:
        archive.path = path
        yield archive


def _modules(wheel):
    """Dotted module name -> source text, for every .py file in the wheel."""
    modules = {}
    for name in wheel.namelist():
        if name.endswith(".py"):
            parts = name.removesuffix(".py").split("/")
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = wheel.read(name).decode("utf-8")
    return modules


def _dist_info(wheel):
    (dist_info,) = {n.split("/")[0] for n in wheel.namelist() if n.split("/")[0].endswith(".dist-info")}
    return dist_info


def test_only_backprop_lab_and_dist_info_at_the_top(wheel):
    top = {name.split("/")[0] for name in wheel.namelist()}
    assert top == {WRAPPER, _dist_info(wheel)}
    assert f"{WRAPPER}/__init__.py" in wheel.namelist()  # a regular package, not a namespace one


def test_no_shipped_file_imports_app_or_nncore_as_top_level_names(wheel):
    modules = _modules(wheel)
    assert modules, "no Python files in the wheel"
    for module, source in modules.items():
        for node in ast.walk(ast.parse(source, module)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in PACKAGES, f"{module}:{node.lineno} imports {name}"
                if name.split(".")[0] == WRAPPER:  # and what it imports is in the wheel
                    assert name in modules, f"{module}:{node.lineno} imports {name}, which the wheel lacks"


def _moved(tree):
    """The repository file's syntax tree with its imports moved under backprop_lab, as the hook should."""

    class Move(ast.NodeTransformer):
        def visit_Import(self, node):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    alias.asname = alias.asname or alias.name
                    alias.name = f"{WRAPPER}.{alias.name}"
            return node

        def visit_ImportFrom(self, node):
            if node.level == 0 and node.module.split(".")[0] in PACKAGES:
                node.module = f"{WRAPPER}.{node.module}"
            return node

    return Move().visit(tree)


def test_shipped_modules_are_the_repository_files_with_only_their_imports_moved(wheel):
    repository = sorted(
        path for package in PACKAGES for path in (ROOT / package).rglob("*.py") if "__pycache__" not in path.parts
    )
    assert repository
    for path in repository:
        relative = path.relative_to(ROOT).as_posix()
        shipped = wheel.read(f"{WRAPPER}/{relative}").decode("utf-8")
        original = path.read_text(encoding="utf-8")
        assert ast.dump(ast.parse(shipped)) == ast.dump(_moved(ast.parse(original))), relative
        assert shipped.count("\n") == original.count("\n"), f"{relative}: line numbers moved"


def test_resources_are_the_sibling_of_nncore(wheel):
    names = set(wheel.namelist())
    # nncore finds resources/ as the sibling folder of its package, so they must sit side by side.
    assert f"{WRAPPER}/nncore/data.py" in names
    for path in sorted((ROOT / "resources").rglob("*")):
        if path.is_file():
            assert f"{WRAPPER}/{path.relative_to(ROOT).as_posix()}" in names
    for required in ("default-network.npz", "mnist/train-images-idx3-ubyte.gz", "mnist/t10k-labels-idx1-ubyte.gz"):
        assert f"{WRAPPER}/resources/{required}" in names


def test_commands_point_into_backprop_lab(wheel):
    """nncore (a console script) and backprop-lab (a GUI script) point into backprop_lab, as pyproject says."""
    entry_points = configparser.ConfigParser(delimiters=("=",))
    entry_points.read_string(wheel.read(f"{_dist_info(wheel)}/entry_points.txt").decode("utf-8"))
    scripts = {**dict(entry_points["console_scripts"]), **dict(entry_points["gui_scripts"])}
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    project = {**declared["scripts"], **declared["gui-scripts"]}
    assert set(entry_points["gui_scripts"]) == {"backprop-lab"} and set(entry_points["console_scripts"]) == {"nncore"}
    assert scripts == {name: f"{WRAPPER}.{target}" for name, target in project.items()}
    modules = _modules(wheel)
    for name, target in scripts.items():
        module, _, function = target.partition(":")
        assert module in modules, f"{name}: {module} is not in the wheel"
        bound = set()
        for node in ast.parse(modules[module]).body:
            if isinstance(node, ast.FunctionDef):
                bound.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                bound.update(alias.asname or alias.name for alias in node.names)
        assert function in bound, f"{name}: {module} defines no {function}"


@pytest.mark.slow
def test_the_installed_wheels_commands_all_work(wheel, tmp_path):
    """In a fresh environment holding only the wheel and its dependencies, run from an empty folder:
    `nncore evaluate` reads the bundled network and data, `backprop-lab` opens its window offscreen and
    closes it, and `python -m backprop_lab.app --help` (what app/__main__.py advertises) answers."""
    uv = _uv()
    env_dir = tmp_path / "env"
    created = subprocess.run([uv, "venv", "-q", str(env_dir)], capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    for offline in (["--offline"], []):
        install = subprocess.run([uv, "pip", "install", "-q", *offline, "--python", str(python),
                                  str(wheel.path)], capture_output=True, text=True, timeout=600)
        if install.returncode == 0:
            break
    assert install.returncode == 0, install.stderr[-2000:]
    bin_dir = python.parent
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "UV")}
    env.update(QT_QPA_PLATFORM="offscreen", BACKPROP_LAB_STARTUP_PROBE="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*command):
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=elsewhere, env=env)
        assert done.returncode == 0, f"{command}: {done.stdout[-1000:]}{done.stderr[-2000:]}"
        return done.stdout

    (network,) = env_dir.rglob(f"{WRAPPER}/resources/default-network.npz")
    evaluated = run(str(bin_dir / "nncore"), "evaluate", "--json", str(network))
    assert "accuracy" in evaluated
    assert "window shown and responsive" in run(str(bin_dir / "backprop-lab"))
    assert "--install-desktop" in run(str(python), "-m", f"{WRAPPER}.app", "--help")
