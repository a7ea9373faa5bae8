"""Tests of generator/render/, one file per renderer."""
