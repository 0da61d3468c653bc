"""Widgets of the terminal reader, one per module."""
