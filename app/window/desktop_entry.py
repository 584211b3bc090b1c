"""The desktop's view of Backprop Lab: a menu entry with its icon, and the libraries a screen needs.

No Qt here: ``--install-desktop`` and the library check run before Qt is loaded.
"""

import ctypes.util
import os
import shutil
import sys
from pathlib import Path

DESKTOP_ID = "backprop-lab"
# What Qt's xcb platform plugin loads besides Qt itself, with the Debian package that has each.
XCB_LIBRARIES = {"xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
                 "xkbcommon-x11": "libxkbcommon-x11-0", "EGL": "libegl1", "fontconfig": "libfontconfig1"}


def _data_home():
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def desktop_entry_paths():
    """(the .desktop file, the icon) in the user's folders."""
    data = _data_home()
    return (data / "applications" / f"{DESKTOP_ID}.desktop",
            data / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg")


def install_desktop_entry(icon_source, command=None):
    """Write the menu entry and its icon for this user; returns the paths written."""
    entry, icon = desktop_entry_paths()
    command = command or shutil.which("backprop-lab") or f"{sys.executable} -m app"
    entry.parent.mkdir(parents=True, exist_ok=True)
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(icon_source, icon)
    entry.write_text("[Desktop Entry]\nType=Application\nName=Backprop Lab\n"
                     "Comment=Build a small neural network and watch backpropagation teach it\n"
                     f"Exec={command}\nIcon={DESKTOP_ID}\nTerminal=false\n"
                     "Categories=Education;Science;ArtificialIntelligence;\n"
                     f"StartupWMClass={DESKTOP_ID}\n", encoding="utf-8")
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
    when no X screen is in use)."""
    if sys.platform != "linux" or not os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return []
    return [package for name, package in XCB_LIBRARIES.items() if ctypes.util.find_library(name) is None]
