"""Imports every sub-command module so each registers itself on `cli`."""
