import socket

import pytest

from .servers import CatalogueServer


@pytest.fixture
def catalogue_server():
    """A real HTTP server on 127.0.0.1 for this test (tests/catalogue/servers.py)."""
    server = CatalogueServer()
    yield server
    server.close()


REAL_CONNECT = socket.socket.connect


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No catalogue test reaches beyond loopback, even when the code under test is wrong:
    any connection to another address fails the test (the fetcher connects its own
    sockets; nothing here may use socket.create_connection)."""

    def connect(sock, address):
        if address[0] != "127.0.0.1":
            pytest.fail(f"a connection to {address} was attempted")
        return REAL_CONNECT(sock, address)

    def create_connection(*args, **kwargs):
        pytest.fail(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
