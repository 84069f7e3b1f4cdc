"""Multilingual full-text search of the catalogue (see docs/catalogue.md)."""
