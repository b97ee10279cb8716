"""One log line per request, logfmt, on portal.requests: method, path, status, duration."""

import logging
import re

import pytest

from operations.middleware import logfmt

LINE = re.compile(r"^method=(\S+) path=(\S+|\"[^\"]*\") status=(\d{3}) duration_ms=(\d+\.\d)$")


@pytest.fixture
def request_log(caplog):
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        yield caplog


def lines(log):
    return [record.getMessage() for record in log.records if record.name == "portal.requests"]


@pytest.mark.django_db
def test_each_request_writes_one_parseable_line(client, home, request_log):
    client.get("/")
    client.get("/no-such-page/")
    client.post("/health/")

    logged = [LINE.match(line) for line in lines(request_log)]

    assert all(logged), lines(request_log)
    assert [match.groups()[:3] for match in logged] == [
        ("GET", "/", "200"),
        ("GET", "/no-such-page/", "404"),
        ("POST", "/health/", "405"),
    ]
    assert all(float(match[4]) > 0 for match in logged)


@pytest.mark.django_db
def test_the_query_string_is_left_out(client, home, request_log):
    client.get("/search/?q=marie.dubois@example.org")

    assert lines(request_log)[0].startswith("method=GET path=/search/ status=200 ")
    assert "marie" not in request_log.text


def test_values_that_would_break_the_line_are_quoted():
    assert logfmt(path="/a b", note='say "hi"', empty="", status=200) == (
        'path="/a b" note="say \\"hi\\"" empty="" status=200'
    )
    assert logfmt(path="/x\nstatus=500") == 'path="/x\\nstatus=500"'
