import pytest

from .servers import CatalogueServer


@pytest.fixture
def catalogue_server():
    """A real HTTP server on 127.0.0.1 for this test (tests/catalogue/servers.py)."""
    server = CatalogueServer()
    yield server
    server.close()
