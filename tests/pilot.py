"""Driving the terminal app in tests: let it run until something holds."""

from __future__ import annotations


async def pause_until(pilot, condition, what: str = "the condition") -> None:
    """Let the app run until ``condition()`` holds (50 pauses at most)."""
    for _ in range(50):
        await pilot.pause()
        if condition():
            return
    raise AssertionError(f"{what} never happened")
