"""The French catalogue is complete and the committed .mo is compiled from the current .po.

make must not need apt, so the compiled catalogue is committed; this test notices when
someone edits the .po and forgets to recompile (msgfmt -o django.mo django.po).
"""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


def read_po(path):
    """[(flags, msgid, msgid_plural, [msgstr…], msgctxt)] from a .po file (enough of the
    format for ours)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, current = set(), {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
            else:
                current, _, value = line.partition(" ")
                fields[current] = ast.literal_eval(value)
        if "msgid" in fields:
            strings = [fields[key] for key in sorted(fields) if key.startswith("msgstr")]
            entries.append(
                (flags, fields["msgid"], fields.get("msgid_plural"), strings, fields.get("msgctxt"))
            )
    return entries


ENTRIES = [entry for entry in read_po(LOCALE / "django.po") if entry[1]]


def test_catalogue_has_entries():
    assert len(ENTRIES) > 200


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [msgid for _f, msgid, _p, strings, _c in ENTRIES if not all(strings)]
    fuzzy = [msgid for flags, msgid, _p, _s, _c in ENTRIES if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for _flags, msgid, plural, strings, context in ENTRIES:
        if context:  # pgettext: the same msgid may mean something else in another context
            got, expected = [compiled.pgettext(context, msgid)], [strings[0]]
        elif plural:
            got = [compiled.ngettext(msgid, plural, 1), compiled.ngettext(msgid, plural, 5)]
            expected = [strings[0], strings[1]]
        else:
            got, expected = [compiled.gettext(msgid)], [strings[0]]
        if got != expected:
            stale.append(msgid)
    assert stale == [], "recompile: msgfmt -o locale/fr/LC_MESSAGES/django.mo …/django.po"


@pytest.mark.django_db
def test_shop_page_speaks_french_even_to_an_english_browser(client, bakery):
    # The content is French: an English frame around it would read worse than French.
    french = client.get(bakery.url, headers={"accept-language": "en-GB,en"}).content.decode()
    assert ">Horaires</h2>" in french
    assert "Opening hours" not in french


@pytest.mark.django_db
def test_language_switch_cookie_turns_the_interface_to_english(client, bakery):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(bakery.url).content.decode()
    assert "Opening hours" in english
    assert '<html lang="en">' in english


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_french(client, bakery):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="fr">' in client.get(bakery.url).content.decode()


def test_every_message_the_code_marks_is_in_the_catalogue(tmp_path):
    """What makemessages finds in the code and templates today, merged into a copy of the
    catalogue, is all translated: a string marked for translation but never added to the
    .po shows in English to a French resident, and the checks above cannot see it."""
    root = Path(settings.BASE_DIR)
    skipped = shutil.ignore_patterns(".*", "var", "tests", "bench", "node_modules", "__pycache__")
    copy = tmp_path / "portal"
    shutil.copytree(root, copy, ignore=skipped)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"},
        check=True,
        capture_output=True,
    )
    merged = [entry for entry in read_po(copy / "locale/fr/LC_MESSAGES/django.po") if entry[1]]
    missing = [msgid for flags, msgid, _p, strings, _c in merged if not all(strings)]
    guessed = [msgid for flags, msgid, _p, _s, _c in merged if "fuzzy" in flags]
    assert missing == [] and guessed == []
