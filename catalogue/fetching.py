"""Placeholder until the safe fetcher lands: every fetch fails."""


class FetchError(Exception):
    retry_after = None


def fetch(url, **kwargs):
    raise FetchError("The fetcher is not installed yet.")
