"""Every QThread the app starts, so that closing (and the tests) can prove none is left running."""

import weakref

from PySide6.QtCore import QThread

_threads = weakref.WeakSet()


def new_thread(name):
    """A named QThread, registered so :func:`running_threads` can find it."""
    thread = QThread()
    thread.setObjectName(name)
    _threads.add(thread)
    return thread


def running_threads():
    """Names of the app's QThreads that are still running."""
    return [t.objectName() for t in list(_threads) if t.isRunning()]
