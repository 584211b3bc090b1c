"""What the session store writes in one go, and the names it gives network files (no Qt here)."""

import re
from dataclasses import dataclass

NETWORK_NAME = re.compile(r"(run-\d{1,10}|current)-(\d{1,18})\.npz")   # what the store names network files


@dataclass
class State:
    """One state to write: run dicts, current.json's dict (None: leave it), {file: Network} to save first,
    and every network file the JSON files then name."""

    runs: list
    current: object
    networks: dict
    named: set


def network_name(d, prefix):
    """The network file that the stored dict ``d`` names for ``prefix`` ('run-3' or 'current'): its
    "network" if that is a name the store writes for it, None if it names none or another, and the
    older versions' ``<prefix>.npz`` when it has no "network" at all."""
    if "network" not in d:
        return f"{prefix}.npz"
    match = NETWORK_NAME.fullmatch(d["network"]) if isinstance(d["network"], str) else None
    return d["network"] if match and match[1] == prefix else None
