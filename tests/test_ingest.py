"""Reading files and folders into articles: formats, encodings, metadata, ids and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.errors import BadInput
from reader.ingest import normalise_date, read_paths, read_text_articles

SEEDS = Path("/work/shared/seeds")
# the sample's three English articles share one file, so each id carries a digest of its text (reader.docids)
EN = ("en-kremlin-2020-12-02-4d65bd", "en-kremlin-2020-12-02-84b42b", "en-kremlin-2020-12-02-5bc8f2")


def _read(*paths: str | Path) -> tuple[list, list[BadInput]]:
    errors: list[BadInput] = []
    return read_paths(list(paths), errors.append), errors


def test_sample_corpus(corpus_dir: Path) -> None:
    articles, errors = _read(corpus_dir)
    assert errors == []
    assert [a.id for a in articles] == ["ar-bishkek", *EN, "hi-bishkek", "ru-bishkek"]
    by_id = {a.id: a for a in articles}
    assert by_id["ru-bishkek"].title == "В Бишкеке стартовали переговоры Путина и Жапарова"
    assert by_id["hi-bishkek"].title is None and by_id["ar-bishkek"].title is None
    for doc_id in ("hi-bishkek", "ar-bishkek", "ru-bishkek"):
        assert by_id[doc_id].outlet is None and by_id[doc_id].published == "2025-11-26"
    for doc_id in EN:
        a = by_id[doc_id]
        assert a.outlet == "kremlin.ru" and a.published == "2020-12-02" and a.lang == "en"
        assert a.body.startswith("Events\n") and a.body.rstrip().endswith("Text version")
    # the three English articles share one text, so offsets are file offsets
    en = [by_id[i] for i in EN]
    assert en[0].text is en[1].text or en[0].text == en[1].text == en[2].text
    assert en[0].body_end <= en[1].body_start < en[1].body_end <= en[2].body_start
    assert by_id["ru-bishkek"].text == (corpus_dir / "ru-bishkek.txt").read_text(encoding="utf-8")


def test_articles_follow_input_order_and_their_ids_do_not(corpus_dir: Path) -> None:
    articles, _ = _read(corpus_dir / "hi-bishkek.txt", corpus_dir / "ru-bishkek.txt", corpus_dir / "en-kremlin-2020-12-02.txt", corpus_dir / "ar-bishkek.txt")
    assert [a.id for a in articles] == ["hi-bishkek", "ru-bishkek", *EN, "ar-bishkek"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seeds not available")
def test_corpus_text_is_the_seed_text(corpus_dir: Path) -> None:
    for seed, name in (("000_", "hi-bishkek.txt"), ("001_", "ar-bishkek.txt"), ("003_", "ru-bishkek.txt")):
        (source,) = SEEDS.glob(seed + "*")
        (article,) = read_paths([corpus_dir / name], pytest.fail)
        assert article.body == source.read_text(encoding="utf-8")
    (source,) = SEEDS.glob("002_*")
    english = read_paths([corpus_dir / "en-kremlin-2020-12-02.txt"], pytest.fail)
    joined = "".join(a.body.rstrip("\n") for a in english)
    assert joined == source.read_text(encoding="utf-8")


def test_readme_and_gold_are_skipped_in_folders(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About\nThis corpus is English.", encoding="utf-8")
    (tmp_path / "gold.json").write_text('[{"text": "not an article"}]', encoding="utf-8")
    (tmp_path / "x.gold.jsonl").write_text('{"text": "not an article"}', encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden text here.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 binary")
    sub = tmp_path / "b"
    sub.mkdir()
    (sub / "two.txt").write_text("The second article is here.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("The first article is here.", encoding="utf-8")
    articles, errors = _read(tmp_path)
    assert errors == []
    assert [(a.id, Path(a.path).name) for a in articles] == [("a", "a.txt"), ("two", "two.txt")]


def test_encodings(tmp_path: Path) -> None:
    text = "Путин прибыл в Бишкек. Переговоры начались."
    (tmp_path / "1.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "2.txt").write_bytes(text.encode("utf-16"))  # with BOM
    (tmp_path / "3.txt").write_bytes(text.encode("utf-16-le"))  # no BOM
    (tmp_path / "4.txt").write_bytes(text.encode("utf-16-be"))
    (tmp_path / "5.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    articles, errors = _read(tmp_path)
    assert errors == []
    assert [a.text for a in articles] == [text] * 5
    assert [a.id for a in articles] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Putin arrived in Bishkek on Tuesday.", "utf-16-le"),
        ("Putin arrived in Bishkek on Tuesday.", "utf-16-be"),
        ("राष्ट्रपति पुतिन ने बिश्केक में काम किया।", "utf-16-be"),
        ("وصل بوتين إلى بيشكيك يوم الثلاثاء.", "utf-16-le"),
    ],
)
def test_utf16_without_bom(tmp_path: Path, text: str, encoding: str) -> None:
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    (article,) = read_paths([tmp_path / "a.txt"], pytest.fail)
    assert article.text == text


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("latin1.txt", "Le président a été élu.".encode("latin-1"), "not valid UTF-8"),
        ("doc.pdf", b"%PDF-1.4", "unsupported file type"),
        ("fm.txt", b"---\nlang: en\nThe text starts here.\n", "malformed front matter"),
        ("fm2.txt", b"---\nlang: en\n", "malformed front matter"),
        ("lang.txt", b"---\nlang: xx\n---\nSome text.", "unsupported language 'xx'"),
        ("guess.txt", "ሰላም ነው። ".encode() * 3, "could not tell the language"),
        ("date.txt", b"---\nlang: en\npublished: 31 Foo 2020\n---\nSome text.", "not a date"),
        ("date2.txt", b"---\nlang: en\npublished: 2025-02-30\n---\nSome text.", "not a date"),
        ("bad.json", b'{"text": "x",', "invalid JSON"),
        ("notext.json", b'{"title": "x"}', "no article text"),
        ("list.json", b'[1, 2]', "expected a JSON object"),
    ],
)
def test_bad_input(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text("This file is fine and in English.", encoding="utf-8")
    articles, errors = _read(path, good)
    assert [a.id for a in articles] == ["good"]  # the other file goes on
    assert errors and all(isinstance(e, BadInput) for e in errors)
    assert problem in errors[0].problem and errors[0].path == str(path)
    assert "\n" not in errors[0].message


def test_missing_path(tmp_path: Path) -> None:
    articles, errors = _read(tmp_path / "nope.txt")
    assert articles == [] and "no such file" in errors[0].problem


def test_multi_article_text_offsets() -> None:
    text = (
        "---\nlang: en\ntitle: One\n---\nFirst body.\n"
        "---\nlang: en\ntitle: \"Two\"\nurl: https://example.org/2\nextra: ignored\n---\nSecond body.\n"
    )
    one, two = read_text_articles(text)
    assert (one.title, one.body) == ("One", "First body.\n") and one.id.startswith("text-")  # path "<text>"
    assert (two.title, two.url, two.body) == ("Two", "https://example.org/2", "Second body.\n")
    assert two.id.startswith("text-") and two.id != one.id
    assert one.text == two.text == text and text[two.body_start :].startswith("Second body.")


def test_markdown_rule_is_not_front_matter() -> None:
    text = "---\nlang: en\n---\nPart one.\n\n---\n\nPart two after a rule.\n"
    (article,) = read_text_articles(text)
    assert article.body.endswith("Part two after a rule.\n")


def test_language_declared_wins_and_detection() -> None:
    (declared,) = read_text_articles("---\nlang: RU\n---\nThis is English text.")
    assert declared.lang == "ru"
    (detected,) = read_text_articles("Это русский текст без метаданных.")
    assert detected.lang == "ru" and detected.title is None and detected.body_start == 0


def test_json_jsonl(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(
        json.dumps({"title": "T", "body": "Путин прибыл в Бишкек.", "source": "TASS", "date": "26.11.2025", "url": "u"}),
        encoding="utf-8",
    )
    (tmp_path / "many.json").write_text(
        json.dumps([{"text": "Putin arrived in Bishkek.", "lang": "en"}, {"text": ""}]), encoding="utf-8"
    )
    (tmp_path / "lines.jsonl").write_text(
        '{"text": "وصل بوتين إلى بيشكيك.", "published": "2025-11-26T09:00:00+03:00"}\n\nnot json\n',
        encoding="utf-8",
    )
    articles, errors = _read(tmp_path / "one.json", tmp_path / "many.json", tmp_path / "lines.jsonl")
    # one object: the file's name; a list (even of one good item) and lines: the name and a digest
    assert [a.id.rpartition("-")[0] or a.id for a in articles] == ["one", "many", "lines"]
    ru = articles[0]
    assert (ru.title, ru.outlet, ru.published, ru.url, ru.text, ru.body_start, ru.body_end) == (
        "T", "TASS", "2025-11-26", "u", "Путин прибыл в Бишкек.", 0, len(ru.text)
    )
    assert articles[2].published == "2025-11-26"
    assert sorted(e.problem.split(":")[0] for e in errors) == ["item 2", "line 3"]


def test_html(tmp_path: Path) -> None:
    page = """<!doctype html><html lang="ru"><head><title>Переговоры в Бишкеке</title>
    <meta property="og:site_name" content="Example News">
    <meta property="article:published_time" content="2025-11-26T10:00:00Z">
    <link rel="canonical" href="https://example.org/a">
    <style>p { color: red }</style><script>var x = "Не текст.";</script></head>
    <body><h1>Заголовок статьи</h1><p>Путин прибыл в&nbsp;Бишкек.
    Переговоры начались.</p><ul><li>Первый пункт.</li><li>Второй пункт.</li></ul>
    <p>Текст с <b>жирным</b> словом.<br>Новая строка.</p></body></html>"""
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    (article,) = read_paths([tmp_path / "a.html"], pytest.fail)
    assert article.lang == "ru" and article.id == "a"
    assert article.title == "Переговоры в Бишкеке"
    assert (article.outlet, article.published, article.url) == ("Example News", "2025-11-26", "https://example.org/a")
    assert article.text.split("\n") == [
        "Заголовок статьи",
        "Путин прибыл в\xa0Бишкек. Переговоры начались.".replace("\xa0", " "),
        "Первый пункт.",
        "Второй пункт.",
        "Текст с жирным словом.",
        "Новая строка.",
    ]
    assert "color" not in article.text and "Не текст" not in article.text


def test_html_title_from_h1(tmp_path: Path) -> None:
    (tmp_path / "b.htm").write_text("<h1>Main heading</h1><p>The body of the page is here.</p>", encoding="utf-8")
    (article,) = read_paths([tmp_path / "b.htm"], pytest.fail)
    assert article.title == "Main heading" and article.lang == "en"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-11-26", "2025-11-26"),
        ("2025/11/26", "2025-11-26"),
        ("26.11.2025", "2025-11-26"),
        ("December 2, 2020, 16:40", "2020-12-02"),
        ("2 December 2020", "2020-12-02"),
        ("Nov 26 2025", "2025-11-26"),
        ("2025-11-26T10:00:00Z", "2025-11-26"),
        ("yesterday", None),
        ("2025-13-01", None),
    ],
)
def test_normalise_date(value: str, iso: str | None) -> None:
    assert normalise_date(value) == iso
