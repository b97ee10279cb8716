"""Exports meant for a spreadsheet: no cell becomes a formula.

A CSV cell that starts with one of FORMULA_PREFIXES is run as a formula by spreadsheets
("CSV injection"): a product reference `=HYPERLINK(…)` typed by a merchant, a name typed
by a resident. Such a cell gets a leading quote. XLSX cells written by openpyxl are text
already. Machine feeds (a catalogue for a search engine) must not use this: a leading
quote would corrupt their data.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """`value`, with a leading quote when a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SpreadsheetSafeExportMixin:
    """For an admin view with Wagtail's SpreadsheetExportMixin (snippets, reports,
    modeladmin): its CSV cells never start a formula."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return defuse(value) if export_format == self.FORMAT_CSV else value
