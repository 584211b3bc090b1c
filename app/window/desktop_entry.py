"""The desktop's view of Backprop Lab: a menu entry with its icon, and the libraries a screen needs.

No Qt here: ``--install-desktop`` and the library check run before Qt is loaded.

The entry follows the Desktop Entry specification. ``Exec`` is the command as arguments, each with a
reserved character (a space, a quote, ``$``, ...) in double quotes, inside which ``"``, `````, ``$``
and ``\\`` are escaped, and every ``%`` doubled (``%f`` would be a field code); that text is then
escaped as any string value (``\\\\``, ``\\n``, ``\\t``, ``\\r``), so no path can split the line
and add a key. The command is the bundle's own program when this runs from the no-Python download (a
PyInstaller bundle, ``sys.frozen``), the ``backprop-lab`` on PATH when it belongs to this installation,
else this interpreter's ``python -m app``; when the code runs from a checkout (an editable install, as
``uv sync`` makes), installing prints a warning: moving the checkout breaks the entry. A relative
``XDG_DATA_HOME`` is ignored, as the XDG specification says. Both files are written atomically, in
their own folders, replacing a symbolic link at their path rather than writing through it; a folder,
FIFO or other special file there is refused without being opened, and every refusal is one line
(:class:`DesktopEntryError`).
"""

import ctypes.util
import os
import re
import shutil
import sys
import sysconfig
from pathlib import Path

from nncore.errors import NNCoreError
from nncore.fileio import atomic_write, check_save_target

DESKTOP_ID = "backprop-lab"
APP_PACKAGE = __package__.rsplit(".", 1)[0]   # "app", or "backprop_lab.app" in the installed wheel
# What Qt's xcb platform plugin loads besides Qt itself, with the Debian package that has each.
XCB_LIBRARIES = {"xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
                 "xkbcommon-x11": "libxkbcommon-x11-0", "EGL": "libegl1", "fontconfig": "libfontconfig1"}
# Characters that put an Exec argument in double quotes, and those escaped by a backslash inside them.
EXEC_RESERVED = frozenset(" \t\n\r\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = re.compile(r'(["`$\\])')
_STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


class DesktopEntryError(SystemExit):
    """The menu entry cannot be written: its one-line message, ``backprop-lab: ...``, is what the
    program prints as it exits with status 1 (a SystemExit, so no traceback is shown)."""

    def __init__(self, message):
        super().__init__(f"backprop-lab: {message}")


def _data_home():
    """``$XDG_DATA_HOME`` when it is an absolute path, else ``~/.local/share`` (the XDG specification)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def desktop_entry_paths():
    """(the .desktop file, the icon) in the user's folders."""
    data = _data_home()
    return (data / "applications" / f"{DESKTOP_ID}.desktop",
            data / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg")


def launch_command():
    """``(argv, warning)``: the command the menu entry runs, and '' or why it may not last.

    ``argv`` is the bundle's ``backprop-lab`` in the no-Python download (there ``sys.executable`` is that
    program), the ``backprop-lab`` found on PATH when it is this environment's own script (as ``uv tool
    install`` or pip put it), else ``[python, "-m", "app"]`` of this interpreter.
    """
    if getattr(sys, "frozen", False):   # PyInstaller's bundle: no Python, no checkout, one program
        return [os.path.abspath(sys.executable)], ""
    script = shutil.which(DESKTOP_ID)
    ours = script is not None and _same_folder(Path(os.path.realpath(script)).parent, sysconfig.get_path("scripts"))
    argv = [os.path.abspath(script)] if ours else [sys.executable, "-m", APP_PACKAGE]
    checkout = _checkout()
    warning = "" if checkout is None else (
        f"the menu entry runs {argv[0]}, which starts Backprop Lab from the checkout {checkout}; it stops "
        "working if that folder moves or goes. For an entry that lasts, install it (uv build; uv tool install "
        "dist/backprop_lab-*.whl) and run the installed backprop-lab --install-desktop")
    return argv, warning


def _same_folder(a, b):
    try:
        return os.path.samefile(a, b)
    except (OSError, TypeError):
        return False


def _checkout():
    """The folder holding this code when it is not inside the environment's installed packages (a
    checkout run through an editable install), else None."""
    root = Path(__file__).resolve().parents[len(APP_PACKAGE.split(".")) + 1]
    installed = {Path(sysconfig.get_path(key)).resolve() for key in ("purelib", "platlib")}
    return None if any(root == folder or folder in root.parents for folder in installed) else root


def exec_value(argv):
    """The value of ``Exec=`` that runs ``argv``, quoted and escaped per the Desktop Entry
    specification; DesktopEntryError for an argument a desktop file cannot hold (a control character
    other than tab or line ends, or bytes that are not UTF-8)."""
    return "".join(_STRING_ESCAPES.get(c, c) for c in " ".join(map(_quoted, argv)))


def _quoted(arg):
    """One Exec argument: ``%`` doubled, in double quotes (with ``"`$\\`` escaped) if it holds a reserved
    character or is empty."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        raise DesktopEntryError(f"cannot write the menu entry: {arg!r} is not UTF-8 text, which a desktop "
                                "file needs") from None
    if any((ord(c) < 32 and c not in "\t\n\r") or ord(c) == 127 for c in arg):
        raise DesktopEntryError(f"cannot write the menu entry: {arg!r} holds a control character, which a "
                                "desktop file cannot hold")
    arg = arg.replace("%", "%%")
    if arg and not EXEC_RESERVED.intersection(arg):
        return arg
    return '"' + _ESCAPED_IN_QUOTES.sub(r"\\\1", arg) + '"'


def entry_text(argv):
    """The whole .desktop file that runs ``argv``."""
    return ("[Desktop Entry]\nType=Application\nName=Backprop Lab\n"
            "Comment=Build a small neural network and watch backpropagation teach it\n"
            f"Exec={exec_value(argv)}\nIcon={DESKTOP_ID}\nTerminal=false\n"
            "Categories=Education;Science;ArtificialIntelligence;\n"
            f"StartupWMClass={DESKTOP_ID}\n")


def install_desktop_entry(icon_source, command=None):
    """Write the menu entry and its icon for this user; returns the paths written.

    ``command`` is the argv the entry runs (by default :func:`launch_command`'s, whose warning, if
    any, is printed on stderr once the files are written). Raises :class:`DesktopEntryError` (one
    line, nothing written) when a target is a folder or a special file, a folder cannot be made or
    written, or the icon cannot be read.
    """
    warning = ""
    if command is None:
        command, warning = launch_command()
    entry, icon = desktop_entry_paths()
    text = entry_text(command).encode("utf-8")
    try:
        picture = Path(icon_source).read_bytes()
        for path in (entry, icon):
            path.parent.mkdir(parents=True, exist_ok=True)
            check_save_target(path, follow_links=False)   # both checked before either is written
        for path, content in ((entry, text), (icon, picture)):
            atomic_write(path, lambda f, content=content: f.write(content), follow_links=False)
    except NNCoreError as e:
        raise DesktopEntryError(f"cannot write the menu entry: {e}") from None
    except OSError as e:
        raise DesktopEntryError(f"cannot write the menu entry: {e.filename or ''}: {e.strerror or e}") from None
    if warning:
        print(f"backprop-lab: warning: {warning}", file=sys.stderr)
    return entry, icon


def uninstall_desktop_entry():
    """Remove the menu entry and its icon; returns the paths that were removed."""
    removed = []
    for path in desktop_entry_paths():
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def missing_screen_libraries():
    """Debian packages that Qt's xcb plugin needs and this machine lacks (empty when all are there, or
    when no X screen is in use); a library that the no-Python download carries is not missing."""
    if sys.platform != "linux" or not os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return []
    return [package for name, package in XCB_LIBRARIES.items()
            if ctypes.util.find_library(name) is None and not _bundled_library(name)]


def _bundled_library(name):
    """True when this runs from a PyInstaller bundle that holds ``lib<name>.so*`` itself."""
    folder = getattr(sys, "_MEIPASS", None)
    return folder is not None and any(Path(folder).glob(f"lib{name}.so*"))
