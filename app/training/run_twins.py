"""Runs that would draw exactly on top of each other, and how each is told apart (no Qt here).

Two runs with the same settings from the same start (the same seed) train to the same curves, bit for bit:
the later one would hide the earlier one completely. Each repeat is drawn with a dash pattern of its own
over the first, so that both colours show along the curve, and its row in the runs list says so.
"""

# Dash patterns (in pen widths) of the 1st, 2nd, ... repeat of a run: dashes, dots, dash-dots.
TWIN_DASHES = ((4.0, 4.0), (1.0, 3.0), (6.0, 2.0, 1.0, 2.0))


def twin_ranks(records):
    """{run id: (rank, id of the first run)} for each run whose setup (settings, seed, first epoch, data)
    repeats an earlier run's among ``records`` (oldest first): rank 1 for the first repeat, 2, ...
    Runs that repeat no earlier run are left out."""
    first, count, ranks = {}, {}, {}
    for record in records:
        key = record.setup
        if key in first:
            count[key] += 1
            ranks[record.run_id] = (count[key], first[key])
        else:
            first[key], count[key] = record.run_id, 0
    return ranks


def twin_dashes(rank):
    """The dash pattern of repeat ``rank`` (1, 2, ...), or None for a run that repeats none (rank 0)."""
    return TWIN_DASHES[(rank - 1) % len(TWIN_DASHES)] if rank > 0 else None


def twin_note(rank, first_id):
    """What the runs list adds to a repeat's row."""
    pattern = ("dashed", "dotted", "dash-dotted")[(rank - 1) % len(TWIN_DASHES)]
    return f" · same settings and seed as #{first_id}: the same curves, drawn {pattern} over them"
