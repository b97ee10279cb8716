"""Whatever is typed into the follow form, it answers with a page or a redirect, never a
500, and a refused address is kept in the field."""

import pytest
from django.core.cache import cache
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from ..test_fuzz_public_forms import FUZZ, VALUE

pytestmark = pytest.mark.django_db

KINDS = st.one_of(st.sampled_from(["shop", "category", "town_news", "back_in_stock"]), VALUE)


@FUZZ
@given(email=VALUE, kind=KINDS, target=VALUE, website=st.one_of(st.just(""), VALUE))
def test_the_follow_form_takes_any_input(client, bakery, email, kind, target, website):
    cache.clear()  # the rate limit counts every example
    data = {"email": email, "kind": kind, "target": target, "website": website}

    response = client.post("/suivre/", data)

    assert response.status_code in (302, 400)
    if response.status_code == 400 and "\x00" not in email and email.strip():
        page = response.content.decode()
        assert escape(email.strip()) in page or escape(email) in page


@pytest.mark.parametrize("token", ["x" * 3000, "%00", "a:b:c", ".eJwxNDQ1"])
def test_any_token_gives_the_clear_page(client, token):
    for view in ("confirmer", "gerer"):
        assert client.get(f"/suivre/{view}/{token}/").status_code == 404
