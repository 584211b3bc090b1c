"""A pickled object that would create a file if unpickling ever ran it: proof that a loader did not."""


class PicklePayload:
    """Unpickling calls ``open(marker, "w")``, so the file ``marker`` appears only if it ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))
