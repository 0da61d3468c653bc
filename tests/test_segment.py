"""Sentence segmentation: exact spans on every sample article, and the per-script rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest import read_paths
from reader.model import Article, Sentence
from reader.segment import sentence_spans, split_sentences

# the sample's three English articles share one file, so each id carries a digest of its text (reader.docids)
EN = ("en-kremlin-2020-12-02-4d65bd", "en-kremlin-2020-12-02-84b42b", "en-kremlin-2020-12-02-5bc8f2")


def _article(text: str, lang: str = "en", doc_id: str = "en-1") -> Article:
    return Article(id=doc_id, path="<test>", lang=lang, text=text, body_start=0, body_end=len(text))


def _texts(text: str, lang: str = "en") -> list[str]:
    return [s.text for s in split_sentences(_article(text, lang))]


@pytest.fixture(scope="module")
def sample() -> dict[str, tuple[Article, tuple[Sentence, ...]]]:
    corpus = Path(__file__).resolve().parent.parent / "corpora" / "bishkek-2025"
    articles = read_paths([corpus], lambda e: pytest.fail(str(e)))
    return {a.id: (a, split_sentences(a)) for a in articles}


def _find(sentences: tuple[Sentence, ...], needle: str) -> Sentence:
    found = [s for s in sentences if needle in s.text]
    assert len(found) == 1, (needle, [s.text for s in found])
    return found[0]


def test_spans_exact_for_every_sample_sentence(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    assert sorted(sample) == sorted(["ar-bishkek", *EN, "hi-bishkek", "ru-bishkek"])
    for doc_id, (article, sentences) in sample.items():
        assert sentences, doc_id
        previous_end = article.body_start
        for i, s in enumerate(sentences):
            assert s.id == f"{doc_id}:{i}" and s.index == i and s.document == doc_id
            assert article.text[s.start : s.end] == s.text
            assert s.text == s.text.strip() and s.text
            assert article.body_start <= s.start < s.end <= article.body_end
            assert s.start >= previous_end  # in order, never overlapping
            previous_end = s.end
            assert "---" not in s.text and "lang:" not in s.text  # nothing from the front matter


def test_sample_sentence_counts(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    counts = {doc_id: len(sentences) for doc_id, (_, sentences) in sample.items()}
    assert counts == {"hi-bishkek": 19, "ar-bishkek": 16, "ru-bishkek": 25, EN[0]: 49, EN[1]: 312, EN[2]: 44}


def test_russian_abbreviations_stay_inside(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    _, sentences = sample["ru-bishkek"]
    s = _find(sentences, "2027 г.")
    assert s.text == "С 1 сентября 2027 г. в Киргизии заработают первые три школы с обучением на русском языке."
    s = _find(sentences, "в 2024 г.")
    assert s.text.startswith("По его данным, в 2024 г. товарооборот") and s.text.endswith("продолжают расти.")
    s = _find(sentences, "Переговоры президентов РФ")
    assert s.text.endswith("«Ынтымак Ордо» в Бишкеке начались.")
    assert _find(sentences, "РФ и Киргизия видят").text.endswith("мирного атома.")


def test_title_and_bullet_lines_are_sentences(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    _, sentences = sample["ru-bishkek"]
    assert sentences[0].text == "В Бишкеке стартовали переговоры Путина и Жапарова"
    bullet = _find(sentences, "Лидеры стран находятся")
    assert bullet.text.startswith("Лидеры")  # the "- " marker is outside the span
    assert bullet.text.endswith("двустороннего сотрудничества.")
    assert _find(sentences, "Другие заявления").text == "Другие заявления Путина в начале переговоров"


def test_hindi_danda_ends_a_sentence(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    _, sentences = sample["hi-bishkek"]
    assert sentences[0].text.endswith("जिन पर चर्चा का प्रस्ताव था।")
    assert sentences[1].text.startswith("रूस को यूक्रेन विवाद")
    assert all(s.text[-1] in '।"' for s in sentences)


def test_quotation_stays_with_its_sentence(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    _, sentences = sample["hi-bishkek"]
    first = _find(sentences, "राष्ट्रपति पुतिन ने बताया")
    assert first.text == (
        'राष्ट्रपति पुतिन ने बताया, "हम सहमत हैं कि यूक्रेन के लिए अमेरिका का प्लान भविष्य के समझौते का आधार हो सकता है।'
    )
    last = sentences[first.index + 1]
    assert last.text.startswith("रूस यूक्रेन में निपटान") and last.text.endswith('चर्चा होनी चाहिए।"')
    # a one-sentence quotation, with a nested single-quoted phrase, is one sentence
    whole = _find(sentences, "पुतिन कहते हैं")
    assert whole.text.startswith('पुतिन कहते हैं, "') and whole.text.endswith('झूठ लगता है।"')


def test_arabic_terminators(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    _, sentences = sample["ar-bishkek"]
    assert sentences[0].text.endswith('"على اتصال دائم مع جباروف".')
    quoted = _find(sentences, "وتابع:")
    assert quoted.text == 'وتابع: "نولي اهتماما خاصًا للتعاون في المجال الأمني.'
    assert sentences[quoted.index + 1].text.endswith('عاملًا مهمًا في ضمان الاستقرار في المنطقة".')
    assert _texts("هل تزور موسكو؟ نعم، في الشهر المقبل؛ ربما قبل ذلك. شكرا", "ar") == [
        "هل تزور موسكو؟",
        "نعم، في الشهر المقبل؛ ربما قبل ذلك.",
        "شكرا",
    ]
    assert _texts("یہ ٹھیک ہے۔ اور وہ بھی", "ur") == ["یہ ٹھیک ہے۔", "اور وہ بھی"]


def test_english_file_gives_three_articles(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    titles = [sample[i][0].title for i in EN]
    assert titles == [
        "Opening Defence Ministry’s COVID-19 medical centres",
        "Meeting of the CSTO Collective Security Council",
        "Meeting with Sergei Kulikov",
    ]
    for doc_id in EN:
        _, sentences = sample[doc_id]
        assert sentences[0].text == "Events" and sentences[-1].text == "Text version"


def test_continuation_lines_join(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    _, sentences = sample[EN[1]]
    s = _find(sentences, "Taking part in the meeting")
    assert "\n, President of Belarus Alexander Lukashenko\n" in s.text
    assert s.text.endswith("and Secretary General of the Collective Security Treaty Organisation")
    s = _find(sentences, "In September, for the first time")
    assert s.text.endswith("the Shanghai Cooperation Organisation\n.")
    assert sentences[s.index + 1].text.startswith("We hope that expanded meetings")


def test_non_sentences_are_skipped(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    for _, sentences in sample.values():
        for s in sentences:
            assert s.text not in ("<…>", "* * *", "16:40", "13:15", "18:20")


def test_numbers_and_english_abbreviations(sample: dict[str, tuple[Article, tuple[Sentence, ...]]]) -> None:
    _, sentences = sample[EN[0]]
    assert _find(sentences, "3,165 beds").text.startswith("These medical centres have a total bed capacity")
    assert _texts("Mr. Smith met Dr. Jones at 10 a.m. on Monday. The U.S. Army paid $3.5 million. Fine.") == [
        "Mr. Smith met Dr. Jones at 10 a.m. on Monday.",
        "The U.S. Army paid $3.5 million.",
        "Fine.",
    ]
    assert _texts("See No. 5 and wait... Then go. He said no. Then left.") == [
        "See No. 5 and wait...",
        "Then go.",
        "He said no.",
        "Then left.",
    ]
    assert _texts('"Really?" he asked. Yes! Sure.') == ['"Really?" he asked.', "Yes!", "Sure."]
    assert _texts("It costs 3,165 rubles, i.e. a lot. It was 2020…") == [
        "It costs 3,165 rubles, i.e. a lot.",
        "It was 2020…",
    ]


def test_russian_rules() -> None:
    text = (
        "В. В. Путин прибыл на ул. Ленина, т.е. в центр, и т.д. Затем «Да!» — сказал он. "
        "Встреча прошла в 2024 г. Россия довольна. В г. Москве холодно."
    )
    assert _texts(text, "ru") == [
        "В. В. Путин прибыл на ул. Ленина, т.е. в центр, и т.д.",
        "Затем «Да!» — сказал он.",
        "Встреча прошла в 2024 г.",
        "Россия довольна.",
        "В г. Москве холодно.",
    ]


def test_bullets_and_body_limits() -> None:
    text = "---\nlang: en\n---\n• First point here.\n- Second point.\n* * *\n<…>\nLast line"
    body_start = text.index("•")
    article = Article(id="en-1", path="<t>", lang="en", text=text, body_start=body_start, body_end=len(text) - 5)
    got = split_sentences(article)
    assert [s.text for s in got] == ["First point here.", "Second point.", "Last"]
    assert all(text[s.start : s.end] == s.text for s in got)


def test_crlf_and_blank_lines() -> None:
    text = "Title\r\n\r\nfirst paragraph line one\r\nand two. Next one.\r\n"
    assert _texts(text) == ["Title", "first paragraph line one\r\nand two.", "Next one."]


def test_empty_body() -> None:
    assert split_sentences(_article("   \n\n")) == ()


def test_quotation_rule_in_english() -> None:
    text = 'He said "Go now. We wait" and left. Then "Fine." Done.'
    assert _texts(text) == ['He said "Go now.', 'We wait" and left.', 'Then "Fine."', "Done."]


# ------------------------------------------------------------------ every benchmark language
@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "Der Konzern muss 13 Mrd. Euro zahlen. Das ist viel.", ["Der Konzern muss 13 Mrd. Euro zahlen.", "Das ist viel."]),
        ("de", "Mit 50 Mio. Einwohnern, z. B. in Städten wie Köln, u. a. im Westen. Neu.",
         ["Mit 50 Mio. Einwohnern, z. B. in Städten wie Köln, u. a. im Westen.", "Neu."]),
        ("de", "Am 14. Juli fiel in der 73. Minute das Tor. Im Jahr 2024. Danach nichts.",
         ["Am 14. Juli fiel in der 73. Minute das Tor.", "Im Jahr 2024.", "Danach nichts."]),
        ("de", "Titel Nr. 4 ging an Spanien. Er fragte: „Wo bleibt die Hilfe?“ Niemand antwortete.",
         ["Titel Nr. 4 ging an Spanien.", "Er fragte: „Wo bleibt die Hilfe?“", "Niemand antwortete."]),
        ("fr", "Le pays compte env. 3,4 millions d'habitants. La somme atteint d'env. 14 milliards. Fin.",
         ["Le pays compte env. 3,4 millions d'habitants.", "La somme atteint d'env. 14 milliards.", "Fin."]),
        ("fr", "« Qui pour lui succéder ? », titrait un quotidien. M. Dupont a répondu.",
         ["« Qui pour lui succéder ? », titrait un quotidien.", "M. Dupont a répondu."]),
        ("es", "Sus ingresos tributaron en EE. UU. y en Irlanda. La suma asciende a aprox. 14.000 millones. Fin.",
         ["Sus ingresos tributaron en EE. UU. y en Irlanda.", "La suma asciende a aprox. 14.000 millones.", "Fin."]),
        ("es", "LUXEMBURGO, 10 sep. (AIN) - El tribunal falló el martes. Apple recurrirá.",
         ["LUXEMBURGO, 10 sep. (AIN) - El tribunal falló el martes.", "Apple recurrirá."]),
        ("ru", "МОСКВА, 25 октября. /Корр. «Вестника»/. Банк повысил ставку. Это рекорд.",
         ["МОСКВА, 25 октября. /Корр. «Вестника»/. Банк повысил ставку.", "Это рекорд."]),
        ("ru", "В 2021 г. суд уже признал штраф. Ставка максимальна с 2003 г. Это третье повышение.",
         ["В 2021 г. суд уже признал штраф.", "Ставка максимальна с 2003 г.", "Это третье повышение."]),
        ("ru", "Форум проходит на о. Русский, т. е. во Владивостоке. Пришли 65 тыс. зрителей.",
         ["Форум проходит на о. Русский, т. е. во Владивостоке.", "Пришли 65 тыс. зрителей."]),
        ("ar", "رفع البنك سعر الفائدة إلى ٢١٪.وقال البنك إن التضخم مرتفع.(إعداد: القسم العربي)",
         ["رفع البنك سعر الفائدة إلى ٢١٪.", "وقال البنك إن التضخم مرتفع.", "(إعداد: القسم العربي)"]),
        ("ar", "أعلن الاتحاد (يويفا).كما اختير يامال أفضل لاعب شاب.", ["أعلن الاتحاد (يويفا).", "كما اختير يامال أفضل لاعب شاب."]),
        ("zh", "嫦娥六号返回器成功着陆。6月4日，上升器起飞。他说：“谁赢都一样？”（责任编辑：王立）",
         ["嫦娥六号返回器成功着陆。", "6月4日，上升器起飞。", "他说：“谁赢都一样？”", "（责任编辑：王立）"]),
        ("hi", "विश्लेषक प्रो. वर्मा कहते हैं कि सरकार बनेगी। नतीजे मंगलवार को आए।",
         ["विश्लेषक प्रो. वर्मा कहते हैं कि सरकार बनेगी।", "नतीजे मंगलवार को आए।"]),
        ("tr", "Yardım malzemeleri vb. bölgeye gönderildi. Dr. Yılmaz açıklama yaptı.",
         ["Yardım malzemeleri vb. bölgeye gönderildi.", "Dr. Yılmaz açıklama yaptı."]),
        ("en", "The quake struck at 8:04 p.m. (1704 GMT) on Monday. World War II. ended long ago.",
         ["The quake struck at 8:04 p.m. (1704 GMT) on Monday.", "World War II. ended long ago."]),
        ("uk", "Виборці нагадали про Айодх'ю. «Індія не належить одній партії», — каже соціологиня.",
         ["Виборці нагадали про Айодх'ю.", "«Індія не належить одній партії», — каже соціологиня."]),
        ("fa", "بانک مرکزی نرخ را به ۲۱ درصد رساند. نشست بعدی ۳۰ آذر است.",
         ["بانک مرکزی نرخ را به ۲۱ درصد رساند.", "نشست بعدی ۳۰ آذر است."]),
    ],
)
def test_sentences_in_each_benchmark_language(lang: str, text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text, lang=lang)] == expected
