"""Synchronise a shop's products with one of its catalogue sources."""


def run(source, *, manual=False):
    """Fetch the source, match its items to the shop's products and write the changes.

    Returns the SyncRun recorded, or None when another run of the source holds it."""
    raise NotImplementedError
