"""The shape of the code: feature packages meet only in the window; the models need no Qt."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
FEATURES = ("training", "pad", "inside", "pixels", "diagram", "lessons", "sweeps")
QT_FREE_MODELS = ("app.training.training_config", "app.training.run_history",
                  "app.pad.handwriting_store", "app.sweeps.parameters", "app.sweeps.sweep_plan",
                  "app.sweeps.sweep_tally", "app.sweeps.lr_finder", "app.training.axis_ranges")


def imported_packages(path):
    """The app sub-packages a module imports ('window', 'pad', ...), relative or absolute."""
    package = path.parent.name
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("app.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 1:
                found.add(package)
            elif node.level == 2 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 0 and node.module and node.module.startswith("app."):
                found.add(node.module.split(".")[1])
    return found


@pytest.mark.parametrize("feature", FEATURES)
def test_feature_packages_do_not_import_each_other(feature):
    """Each feature imports only itself, the shared widgets, the help texts and the thread registry."""
    for path in (APP / feature).glob("*.py"):
        others = imported_packages(path) - {feature, "widgets", "help", "threads"}
        assert not others, f"{path.name} imports {sorted(others)}"


@pytest.mark.parametrize("shared", ("widgets", "help"))
def test_shared_packages_know_no_feature(shared):
    """The shared widgets and the help texts import no feature and not the window."""
    for path in (APP / shared).glob("*.py"):
        assert imported_packages(path) <= {"widgets", "help"}, path.name


def test_qt_free_models_load_without_qt():
    """The run config, the run history and the handwriting store import neither PySide6 nor pyqtgraph."""
    code = ("import sys\n" + "".join(f"import {m}\n" for m in QT_FREE_MODELS)
            + "print(sorted(m for m in ('PySide6', 'pyqtgraph') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=APP.parent)
    assert out.stdout.strip() == "[]"


def test_every_module_is_small():
    """No module in app/ past about 300 lines (STYLE: rooms, not god classes)."""
    long = {p.relative_to(APP).as_posix(): n for p in APP.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert not long


def test_tests_never_touch_the_users_settings_or_data(isolated_user_folders):
    """The default settings store and the handwriting folder both live in the tests' own folder."""
    from PySide6.QtCore import QStandardPaths

    from app.window.app_settings import AppSettings, user_data_dir

    assert AppSettings().path.startswith(isolated_user_folders)
    assert str(user_data_dir()).startswith(isolated_user_folders)
    data = QStandardPaths.writableLocation(QStandardPaths.GenericDataLocation)
    assert data.startswith(isolated_user_folders)


def test_the_data_folder_is_one_level_and_old_nested_data_moves_up():
    """…/Backprop Lab/Backprop Lab/my-handwriting from earlier versions ends up in …/Backprop Lab."""
    from app.window.app_settings import user_data_dir

    nested = user_data_dir() / "Backprop Lab" / "my-handwriting"
    nested.mkdir(parents=True)
    (nested / "a.digit").write_bytes(b"x")
    folder = user_data_dir()
    assert folder.name == "Backprop Lab" and folder.parent.name != "Backprop Lab"
    assert (folder / "my-handwriting" / "a.digit").read_bytes() == b"x"
    assert not (folder / "Backprop Lab").exists()


@pytest.mark.filterwarnings("ignore:use_one_blas_thread")
def test_install_and_uninstall_the_desktop_entry(monkeypatch, tmp_path, capsys):
    """--install-desktop writes a .desktop entry and the icon in the user's folders; --uninstall removes them."""
    from app.__main__ import main
    from app.window.desktop_entry import desktop_entry_paths

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["--install-desktop"]) == 0
    entry, icon = desktop_entry_paths()
    text = entry.read_text()
    assert "Name=Backprop Lab" in text and "Icon=backprop-lab" in text and icon.read_bytes().startswith(b"<")
    assert main(["--uninstall-desktop"]) == 0
    assert not entry.exists() and not icon.exists()
    assert "Removed" in capsys.readouterr().out


@pytest.mark.filterwarnings("ignore:use_one_blas_thread")
def test_a_missing_screen_library_is_named_not_a_crash(monkeypatch, capsys):
    """With an X display and no libxcb-cursor, the app says what to install and exits 1 before Qt."""
    import ctypes.util

    from app.__main__ import main

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else real(name))
    assert main([]) == 1
    assert "apt-get install libxcb-cursor0" in capsys.readouterr().err
