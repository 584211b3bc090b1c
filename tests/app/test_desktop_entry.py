"""The menu entry (``backprop-lab --install-desktop``): Exec quoted and escaped per the Desktop Entry
specification, read back here by the specification's rules; special, linked and unwritable targets;
XDG_DATA_HOME; a command that lasts, or a warning that it will not.

No Qt: the entry is written before Qt loads.
"""

import os
import re
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from app.window import desktop_entry
from app.window.desktop_entry import (
    DesktopEntryError,
    desktop_entry_paths,
    exec_value,
    install_desktop_entry,
    launch_command,
)

ROOT = Path(__file__).resolve().parents[2]
ICON = ROOT / "resources" / "icons" / "backprop-lab.svg"
KEYS = ["Type", "Name", "Comment", "Exec", "Icon", "Terminal", "Categories", "StartupWMClass"]
STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


@pytest.fixture
def data_home(monkeypatch, tmp_path):
    """XDG_DATA_HOME pointed at a temporary folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def entry_keys(text):
    """{key: value as written} of the one group, every line a new key (an injected line shows as a key)."""
    first, *lines = text.splitlines()
    assert first == "[Desktop Entry]"
    keys = {}
    for line in lines:
        key, sep, value = line.partition("=")
        assert sep and key not in keys, line
        keys[key] = value
    return keys


def exec_argv(value):
    """An Exec value read as the specification says: string escapes first, then arguments split at
    spaces, a double-quoted one with \\" \\` \\$ \\\\ standing for the character, then %% as %."""
    text = re.sub(r"\\(.)", lambda m: STRING_ESCAPES[m.group(1)], value)
    args, i = [], 0
    while i < len(text):
        if text[i] == " ":
            i += 1
        elif text[i] == '"':
            arg, i = "", i + 1
            while text[i] != '"':
                if text[i] == "\\":
                    i += 1
                    assert text[i] in '"`$\\', text   # the only escapes the quoting rules allow
                arg, i = arg + text[i], i + 1
            args.append(arg)
            i += 1
        else:
            end = text.find(" ", i) % (len(text) + 1)
            assert not set(text[i:end]) & set("\t\n\"'\\><~|&;$*?#()`"), text   # reserved: must be quoted
            args.append(text[i:end])
            i = end
    return [arg.replace("%%", "%") for arg in args]


@pytest.mark.parametrize("folder", ["My Projects", "100% sure %f", 'quote " $HOME `id` back\\slash',
                                    "line\nExec=xterm -e evil", "tab\there"])
def test_exec_reads_back_as_the_exact_command(data_home, folder):
    """A command in a folder with spaces, %, quotes, $, `, a backslash, a tab or a newline: the file has
    exactly its eight keys and Exec gives back the exact arguments (it was written unquoted)."""
    program = str(Path("/opt") / folder / "bin" / "python")
    entry, _ = install_desktop_entry(ICON, [program, "-m", "app"])
    keys = entry_keys(entry.read_text(encoding="utf-8"))
    assert list(keys) == KEYS
    assert exec_argv(keys["Exec"]) == [program, "-m", "app"]


def test_exec_quoting_follows_the_specification():
    """Reserved characters put an argument in double quotes; inside, " ` $ \\ take a backslash, and the
    string escape doubles it again (four backslashes for one); % is %% everywhere."""
    assert exec_value(["/usr/bin/backprop-lab"]) == "/usr/bin/backprop-lab"
    assert exec_value(["/a b/python", "-m", "app"]) == '"/a b/python" -m app'
    assert exec_value(["/x/%f"]) == "/x/%%f"
    assert exec_value(['/a"b$c`d\\e']) == '"/a\\\\"b\\\\$c\\\\`d\\\\\\\\e"'
    assert exec_value(["/a\nb"]) == '"/a\\nb"'
    assert exec_value([""]) == '""'


def test_a_control_character_is_refused_in_one_line():
    """A byte such as \\x01 cannot be in a desktop file: one line saying so."""
    with pytest.raises(DesktopEntryError) as e:
        exec_value(["/a\x01b"])
    assert str(e.value.code).startswith("backprop-lab: cannot write the menu entry: '/a\\x01b' holds a control")


def run_installer(env_home):
    """``python -m app --install-desktop`` with XDG_DATA_HOME ``env_home`` → (status, stdout, stderr)."""
    env = {**os.environ, "XDG_DATA_HOME": str(env_home)}
    done = subprocess.run([sys.executable, "-m", "app", "--install-desktop"], capture_output=True, text=True,
                          env=env, timeout=60, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_folder_at_the_entrys_path_is_refused_in_one_line(data_home, kind):
    """The installer exits 1 with one line naming what is there, never opens it (a FIFO hung it), and
    leaves it as it was; the icon is not written either."""
    entry, icon = desktop_entry_paths()
    entry.parent.mkdir(parents=True)
    os.mkfifo(entry) if kind == "fifo" else entry.mkdir()
    status, out, err = run_installer(data_home)
    what = "a named pipe (FIFO)" if kind == "fifo" else "a folder"
    assert status == 1 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"backprop-lab: cannot write the menu entry: {entry}: is {what}, not a regular file")
    assert (stat.S_ISFIFO(entry.lstat().st_mode) if kind == "fifo" else entry.is_dir())
    assert not icon.exists()


def test_a_file_where_a_folder_should_be_is_one_line(data_home):
    """The applications folder cannot be made (a file has its name): status 1, one line, no traceback."""
    data_home.mkdir()
    (data_home / "applications").write_text("not a folder")
    status, out, err = run_installer(data_home)
    assert status == 1 and out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"backprop-lab: cannot write the menu entry: {data_home / 'applications'}: ")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs permissions that apply")
def test_an_unwritable_folder_is_one_line_not_a_traceback(data_home):
    """A read-only applications folder: status 1 and one line naming the folder."""
    entry, _ = desktop_entry_paths()
    entry.parent.mkdir(parents=True)
    entry.parent.chmod(0o555)
    try:
        status, out, err = run_installer(data_home)
    finally:
        entry.parent.chmod(0o755)
    assert status == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"backprop-lab: cannot write the menu entry: {entry}: the folder {entry.parent} "
                          "is not writable")


def test_a_link_at_the_entrys_path_is_replaced_not_written_through(data_home, tmp_path):
    """A symbolic link to another file: the link becomes the entry; the file it named is untouched,
    and no temporary file is left."""
    entry, _ = desktop_entry_paths()
    entry.parent.mkdir(parents=True)
    victim = tmp_path / "bashrc"
    victim.write_text("untouched\n")
    entry.symlink_to(victim)
    install_desktop_entry(ICON, ["/usr/bin/backprop-lab"])
    assert victim.read_text() == "untouched\n"
    assert not entry.is_symlink() and entry_keys(entry.read_text())["Exec"] == "/usr/bin/backprop-lab"
    assert sorted(p.name for p in entry.parent.iterdir()) == ["backprop-lab.desktop"]


def test_a_relative_xdg_data_home_is_ignored(monkeypatch, tmp_path):
    """XDG_DATA_HOME=relative/data: the entry goes to ~/.local/share, as the XDG specification says."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    monkeypatch.chdir(tmp_path)
    entry, icon = desktop_entry_paths()
    assert entry == tmp_path / "home" / ".local" / "share" / "applications" / "backprop-lab.desktop"
    assert icon.is_relative_to(tmp_path / "home" / ".local" / "share" / "icons")


def test_from_a_checkout_the_entry_works_and_says_it_will_not_last(data_home):
    """Run from this checkout (an editable install): Exec names a program that exists, and the installer
    warns that moving the checkout breaks the entry."""
    status, out, err = run_installer(data_home)
    assert status == 0 and out.startswith("Added "), err
    argv = exec_argv(entry_keys(desktop_entry_paths()[0].read_text())["Exec"])
    assert Path(argv[0]).is_file() and os.access(argv[0], os.X_OK)
    assert err.startswith(f"backprop-lab: warning: the menu entry runs {argv[0]}, which starts Backprop Lab "
                          f"from the checkout {ROOT}; it stops working if that folder moves or goes")


def fake_installation(monkeypatch, tmp_path, scripts):
    """PATH holds only tmp_path/bin/backprop-lab; the environment's scripts folder is ``scripts`` and its
    packages folder the repository (as if installed there)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "backprop-lab").write_text("#!/bin/sh\n")
    (bin_dir / "backprop-lab").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    folders = {"scripts": str(scripts or bin_dir), "purelib": str(ROOT), "platlib": str(ROOT)}
    real = sysconfig.get_path
    monkeypatch.setattr(sysconfig, "get_path", lambda key, *a, **kw: folders.get(key) or real(key, *a, **kw))
    return bin_dir / "backprop-lab"


def test_an_installed_command_on_path_is_what_the_entry_runs(monkeypatch, tmp_path):
    """backprop-lab on PATH in this environment's scripts folder: Exec runs it, and there is no warning."""
    script = fake_installation(monkeypatch, tmp_path, None)
    assert launch_command() == ([str(script)], "")


def test_a_command_of_another_installation_is_not_used(monkeypatch, tmp_path):
    """backprop-lab on PATH from another environment: Exec is this interpreter's python -m app."""
    fake_installation(monkeypatch, tmp_path, tmp_path / "elsewhere")
    assert launch_command()[0] == [sys.executable, "-m", desktop_entry.APP_PACKAGE]


def fake_bundle(monkeypatch, tmp_path):
    """Run as PyInstaller's bundle unpacked in tmp_path/"Backprop Lab" would: sys.frozen, sys.executable
    its backprop-lab program, sys._MEIPASS its _internal folder; returns that program."""
    bundle = tmp_path / "Backprop Lab"
    (bundle / "_internal").mkdir(parents=True)
    program = bundle / "backprop-lab"
    program.write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle / "_internal"), raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    return program


def test_from_the_bundle_the_entry_runs_the_bundles_program(monkeypatch, tmp_path, data_home, capsys):
    """In the no-Python download (frozen), Exec is the bundle's own program, even with an installed
    backprop-lab on PATH, and there is no warning (no checkout, no python -m)."""
    fake_installation(monkeypatch, tmp_path, None)
    program = fake_bundle(monkeypatch, tmp_path)
    assert launch_command() == ([str(program)], "")
    entry, _ = install_desktop_entry(ICON)
    assert exec_argv(entry_keys(entry.read_text(encoding="utf-8"))["Exec"]) == [str(program)]
    assert capsys.readouterr().err == ""


def test_the_bundle_needs_only_the_screen_libraries_it_does_not_carry(monkeypatch, tmp_path):
    """On an X screen with none of the xcb libraries installed, the bundle that carries libxcb-cursor
    asks for the others but not for that one; out of a bundle, all are asked for."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(desktop_entry.ctypes.util, "find_library", lambda name: None)
    everything = list(desktop_entry.XCB_LIBRARIES.values())
    assert desktop_entry.missing_screen_libraries() == everything
    fake_bundle(monkeypatch, tmp_path)
    (Path(sys._MEIPASS) / "libxcb-cursor.so.0").write_bytes(b"")
    assert desktop_entry.missing_screen_libraries() == [p for p in everything if p != "libxcb-cursor0"]
