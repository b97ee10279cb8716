"""Placeholder until the source formats land."""

FORMATS = {}
