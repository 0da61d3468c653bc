"""Scrolling for the reader's Line API widgets, at the cost of the lines on screen.

``Widget.virtual_size`` is a layout reactive: setting it makes Textual lay out and repaint
every widget on screen, which costs a claim move tens of milliseconds. A column or card
list whose content grows or shrinks changes nothing around it, unless its vertical
scrollbar appears or goes; only then is the layout pass needed.

Textual's scrollbar is a widget of its own, and painting one per column doubled the cost
of painting the screen; the widgets here draw a thumb in their last cell instead
(``overflow-y: scroll; scrollbar-size-vertical: 0``, wheel and keys scroll, a click on
the thumb's cell jumps there).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Offset, Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget


def set_content_size(widget: ScrollView, size: Size) -> None:
    """``widget.virtual_size = size``, with a layout pass only when the scrollbar comes or goes.

    For widgets with ``overflow-x: hidden`` (all of the reader's); with ``overflow-y: scroll``
    the scrollbar never comes or goes."""
    if size == widget.virtual_size:
        return
    height = widget.container_size.height
    overflow = widget.styles.overflow_y
    shows = overflow == "scroll" or (overflow == "auto" and size.height > height)
    if not widget.size or not height or shows != widget.show_vertical_scrollbar:
        widget.virtual_size = size  # first size, or the scrollbar changes: the full path
        return
    widget.set_reactive(Widget.virtual_size, size)
    if widget.show_vertical_scrollbar:
        widget.vertical_scrollbar.window_virtual_size = size.height
    if widget.scroll_y > widget.max_scroll_y:
        widget.scroll_to(y=widget.max_scroll_y, animate=False, immediate=True, force=True)
    widget.refresh()


THUMB = 1  # cells on the right of a line for the thumb


def thumb_cell(y: int, height: int, total: int, top: float) -> str:
    """What line ``y`` of a widget ``height`` lines tall shows in its thumb cell, scrolled to
    ``top`` over ``total`` lines: ┃ on the thumb, else a space (all spaces when it all fits)."""
    if total <= height or height <= 0:
        return " "
    size = max(1, round(height * height / total))
    start = min(height - size, round(top * height / total))
    return "┃" if start <= y < start + size else " "


def thumb_target(y: int, height: int, total: int) -> float:
    """The top line a click on line ``y`` of the thumb's cell scrolls to (that height, centred)."""
    return max(0.0, y * total / max(1, height) - height / 2)


def scroll_by_thumb(widget: ScrollView, event: events.Click, offset: Offset, total: int) -> bool:
    """A click at ``offset`` (content coordinates) on the thumb's cell scrolls ``widget`` (of ``total``
    lines) to that height and is handled; anywhere else it is left to the widget."""
    region = widget.scrollable_content_region
    if offset.x < region.width - THUMB:
        return False
    event.stop()
    widget.scroll_to(y=thumb_target(offset.y, region.height, total), animate=False, immediate=True, force=True)
    return True


class CachedLines(ScrollView):
    """A Line API view that keeps each line's strip until its style or focus changes: the widget's
    base style (walking the DOM) once per restyle, the content region once per frame, and the
    thumb's cell drawn by :meth:`with_thumb`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: dict[int, Strip] = {}
        self._base: Style | None = None
        self._frame = Region()  # the content region, taken once a frame

    @property
    def base_style(self) -> Style:
        """The widget's rich style, computed once per focus change or restyle (it walks up the DOM)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _restyled(self) -> None:
        self._base = None
        self._strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyled()

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self._restyled()

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self._restyled()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self.scrollable_content_region  # once a frame: each look-up walks to the screen
        return super().render_lines(crop)

    def with_thumb(self, strip: Strip, y: int, total: int, component: str) -> Strip:
        """Line ``y``'s ``strip`` and, right of it, the thumb's cell for ``total`` lines in the
        ``component`` style."""
        thumb = thumb_cell(y, self._frame.height, total, self.scroll_y)
        segments = list(strip)
        segments.append(Segment(thumb, self.base_style + self.get_component_rich_style(component, partial=True)))
        return Strip(segments, strip.cell_length + THUMB)
