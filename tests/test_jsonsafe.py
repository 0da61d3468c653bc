"""reader.jsonsafe: JSON nested deeper than the limit is refused in one line, before it is parsed."""

from __future__ import annotations

import json

import pytest

from reader import jsonsafe
from reader.errors import BadInput
from reader.jsonsafe import BadJSON, depth, load_json, loads


def nested(levels: int) -> str:
    """Lists nested ``levels`` deep around a number, objects at every other level."""
    text = "1"
    for level in range(levels):
        text = f'{{"k": {text}}}' if level % 2 else f"[{text}]"
    return text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 0),
        ('"just a string with [ and {"', 0),
        ("[]", 1),
        ("{}", 1),
        ("[1, [2], {}]", 2),
        ('[{"a": [[]]}]', 4),
        ('["[[[[", "]]]]]]", {"{{{": "}"}]', 2),  # brackets inside strings do not count
        ('["a \\" [[[ still the string", [1]]', 2),  # nor after an escaped quote inside one
        ('["\\\\", [1]]', 2),  # an escaped backslash ends before the closing quote
        ('[1, "unterminated [[[[[', 1),  # an unterminated string runs to the end
        ("]]]]" + "[" * 3, 3),  # unbalanced closers are ignored, not counted below zero
    ],
)
def test_depth(text: str, expected: int) -> None:
    assert depth(text) == expected


def test_depth_agrees_with_the_structure() -> None:
    for levels in (1, 2, 7, 64, 65, 300):
        assert depth(nested(levels)) == levels
        assert depth(json.dumps(json.loads(nested(levels)), indent=2)) == levels


def test_depth_stops_once_past_the_limit() -> None:
    assert depth("[" * 100_000 + "]" * 100_000, stop=10) == 11
    assert depth("[" * 100_000 + "]" * 100_000) == 100_000  # linear: no recursion, however deep


def test_the_limit_is_exact_at_the_boundary() -> None:
    assert loads(nested(64)) == json.loads(nested(64))  # the default: Limits.json_depth = 64
    with pytest.raises(BadJSON, match="JSON nested deeper than 64 levels"):
        loads(nested(65))
    assert loads("[[[1]]]", max_depth=3) == [[[1]]]
    with pytest.raises(BadJSON, match="deeper than 2 levels"):
        loads("[[[1]]]", max_depth=2)
    assert loads("7", max_depth=0) == 7
    with pytest.raises(BadJSON):
        loads("[]", max_depth=0)


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_LIMITS_JSON_DEPTH", "3")
    assert loads("[[[1]]]") == [[[1]]]
    with pytest.raises(BadJSON, match=r"deeper than 3 levels \(limit READER_LIMITS_JSON_DEPTH\)"):
        loads("[[[[1]]]]")


def test_brackets_in_strings_do_not_use_up_the_depth() -> None:
    text = json.dumps({"text": "[" * 1000 + "{" * 1000, "more": ["]" * 50]})
    assert loads(text, max_depth=2) == json.loads(text)


def test_recursion_error_never_escapes() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(BadJSON, match="nested deeper than 64 levels"):
        loads(deep)
    with pytest.raises(BadJSON, match="nested too deeply to parse"):  # a limit raised past what the parser can recurse
        loads(deep, max_depth=1_000_000)
    with pytest.raises(BadJSON):  # deep and invalid
        loads("[" * 100_000 + "}", max_depth=1_000_000)


def test_other_parser_failures_are_one_line_value_errors() -> None:
    with pytest.raises(BadJSON, match=r"invalid JSON at line 2 column 1: Expecting value") as caught:
        loads('[1,\n]')
    assert isinstance(caught.value, ValueError)
    with pytest.raises(BadJSON, match="invalid JSON: Exceeds the limit"):
        loads("[" + "9" * 5000 + "]")  # more digits than Python converts to an int
    with pytest.raises(BadJSON, match=r"not UTF-8 text \(byte 7\)"):
        loads(b'{"a": "\xff"}')
    assert loads(b'\xef\xbb\xbf{"a": "\xc3\xa9"}') == {"a": "é"}  # UTF-8, a BOM tolerated


def test_load_json_names_the_file_printably() -> None:
    assert load_json('{"a": 1}', "ok.json") == {"a": 1}
    with pytest.raises(BadInput) as caught:
        load_json("[" * 100_000, "evil\x1b[2J\u202e.json")
    assert caught.value.message == "evil\\x1b[2J\\u202e.json: JSON nested deeper than 64 levels (limit READER_LIMITS_JSON_DEPTH)"
    assert caught.value.problem == "JSON nested deeper than 64 levels (limit READER_LIMITS_JSON_DEPTH)"
    with pytest.raises(BadInput, match=r"^a\.json: invalid JSON at line 1 column 2"):
        load_json("{", "a.json", max_depth=5)
    assert jsonsafe.DEPTH_VARIABLE == "READER_LIMITS_JSON_DEPTH"
