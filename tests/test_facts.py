"""Facts in any script: numbers, number words, percentages, money, dates (relative too), names."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reader.names import quoted_names, skeleton
from reader.facts import Fact, compatible_numbers, extract, normalize_digits

PUB = "2025-11-26"  # a Wednesday


def facts(text: str, lang: str, kind: str | None = None, published: str | None = PUB) -> list[Fact]:
    return [f for f in extract(text, lang, published) if kind is None or f.kind == kind]


def values(text: str, lang: str, kind: str, published: str | None = PUB) -> list[str]:
    return [f.value for f in facts(text, lang, kind, published)]


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("first three schools", "en", "3"),
        ("первые три школы", "ru", "3"),
        ("трёх школ", "ru", "3"),
        ("тремя школами", "ru", "3"),
        ("трем школам", "ru", "3"),
        ("المدارس الثلاث الأولى", "ar", "3"),
        ("تسع مدارس", "ar", "9"),
        ("तीन स्कूल", "hi", "3"),
        ("3 школы", "ru", "3"),
        ("٣ مدارس", "ar", "3"),
        ("۳ مدارس", "ar", "3"),
        ("३ स्कूल", "hi", "3"),
        ("3,165 beds", "en", "3165"),
        ("25 000 человек", "ru", "25000"),
        ("twenty five schools", "en", "25"),
        ("لمدة يومين", "ar", "2"),
    ],
)
def test_numbers_in_every_script_and_word_form(text: str, lang: str, expected: str) -> None:
    assert values(text, lang, "number") == [expected]


def test_one_is_not_a_number_word() -> None:
    # «одним из», "the one in Pskov", «أحد أهم»: far too common to be figures
    assert values("Москва является одним из ключевых партнеров", "ru", "number") == []
    assert values("the one in Pskov", "en", "number") == []


def test_offsets_point_at_the_surface() -> None:
    text = "С 1 сентября 2027 г. в Киргизии заработают первые три школы"
    (three,) = facts(text, "ru", "number")
    assert text[three.start : three.end] == three.surface == "три"
    assert three.extra["concept"] == "school"


def test_lower_bounds_and_hedges() -> None:
    (over,) = facts("a total bed capacity of over 3,000", "en", "number")
    assert (over.value, over.extra["bound"], over.surface) == ("3000", "min", "over 3,000")
    (ru,) = facts("более 3 тысяч коек", "ru", "number")
    assert (ru.value, ru.extra["bound"]) == ("3000", "min")
    (ar,) = facts("أكثر من 80 كيانا", "ar", "number")
    assert (ar.value, ar.extra["bound"]) == ("80", "min")
    (hi,) = facts("3000 से अधिक बिस्तर", "hi", "number")
    assert (hi.value, hi.extra["bound"]) == ("3000", "min")
    (about,) = facts("about 370 ICU beds", "en", "number")
    assert about.extra["bound"] == "approx"


def test_rounded_figures_are_compatible_with_exact_ones() -> None:
    (over,) = facts("over 3,000 beds", "en", "number")
    (exact,) = facts("3,165 beds", "en", "number")
    (far,) = facts("5,000 beds", "en", "number")
    assert compatible_numbers(over, exact) and compatible_numbers(exact, over)
    assert not compatible_numbers(over, far)
    (three,) = facts("три школы", "ru", "number")
    (five,) = facts("пять школ", "ru", "number")
    assert not compatible_numbers(three, five)


def test_percent_and_money() -> None:
    assert values("97 % من التسويات", "ar", "percent") == ["97"]
    assert values("97% of payments", "en", "percent") == ["97"]
    assert values("97 процентов расчетов", "ru", "percent") == ["97"]
    assert values("وصلت إلى ملياري دولار", "ar", "money") == ["2000000000 USD"]  # dual: two billion
    assert values("2 مليار دولار", "ar", "money") == ["2000000000 USD"]
    assert values("$2 billion", "en", "money") == ["2000000000 USD"]
    assert values("2,5 млрд долларов", "ru", "money") == ["2500000000 USD"]
    assert values("1.5 billion roubles", "en", "money") == ["1500000000 RUB"]
    assert values("2 अरब डॉलर", "hi", "money") == ["2000000000 USD"]


def test_digit_normalisation_keeps_offsets() -> None:
    text = "٢٠٢٧ ۲۰۲۸ २०२९"
    assert normalize_digits(text) == "2027 2028 2029"
    assert len(normalize_digits(text)) == len(text)


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("С 1 сентября 2027 г. в Киргизии", "ru", "2027-09-01"),
        ("بحلول الأول من سبتمبر(أيلول) 2027.", "ar", "2027-09-01"),
        ("1 सितंबर 2027 से", "hi", "2027-09-01"),
        ("on September 1, 2027", "en", "2027-09-01"),
        ("on 1 September 2027", "en", "2027-09-01"),
        ("01.09.2027", "ru", "2027-09-01"),
        ("राष्ट्रपति पुतिन ने 25 से 27 नवंबर तक बिश्केक में काम किया।", "hi", "2025-11-25/2025-11-27"),
        ("с 25 по 27 ноября", "ru", "2025-11-25/2025-11-27"),
        ("25–27 November", "en", "2025-11-25/2025-11-27"),
        ("ستبدأ الثلاثاء 25 نوفمبر/ تشرين الثاني الجاري", "ar", "2025-11-25"),
        ("في سان بطرسبرغ، في ديسمبر/ كانون الأول المقبل.", "ar", "2025-12"),
        ("в Санкт-Петербурге в декабре.", "ru", "2025-12"),
        ("в 2024 г. товарооборот", "ru", "2024"),
        ("في عام ٢٠٢٣", "ar", "2023"),
        ("ارتفع إلى مستويات قياسية العام الماضي", "ar", "2024"),
        ("в прошлом году", "ru", "2024"),
        ("last year", "en", "2024"),
        ("पिछले साल", "hi", "2024"),
        ("next year", "en", "2026"),
        ("अगले हफ़्ते मास्को आएगा", "hi", "2025-12-01/2025-12-07"),
        ("next week", "en", "2025-12-01/2025-12-07"),
        ("на следующей неделе", "ru", "2025-12-01/2025-12-07"),
        ("ووصل بوتين صباح اليوم الأربعاء", "ar", "2025-11-26"),
        ("أعلن أول أمس الاثنين", "ar", "2025-11-24"),
        ("yesterday", "en", "2025-11-25"),
    ],
)
def test_dates(text: str, lang: str, expected: str) -> None:
    assert values(text, lang, "date") == [expected]


def test_date_parts_are_not_read_as_numbers() -> None:
    assert facts("С 1 сентября 2027 г. заработают школы", "ru", "number") == []
    assert facts("25 से 27 नवंबर तक", "hi", "number") == []


def test_relative_dates_need_a_publication_date() -> None:
    assert values("last year", "en", "date", published=None) == []
    assert values("в 2024 г.", "ru", "date", published=None) == ["2024"]


def test_a_weekday_is_a_day_of_the_last_four_or_the_next_two_and_a_quoted_one_a_guess() -> None:
    (weekday,) = facts("on Tuesday", "en", "date")  # published Wednesday 26 November 2025
    assert weekday.value == "2025-11-25" and not weekday.extra["approx"] and weekday.extra["weekday"]
    assert values("в четверг", "ru", "date") == ["2025-11-27"]  # tomorrow
    assert values("le vendredi", "fr", "date") == ["2025-11-28"]  # the day after tomorrow
    assert values("am Samstag", "de", "date") == ["2025-11-22"]  # last Saturday, not in three days
    quoted = facts('وقال أوشاكوف: "غدا تبدأ الزيارة"', "ar", "date")
    assert quoted and all(f.extra["approx"] for f in quoted)
    assert all(f.extra["approx"] for f in facts('He said: "we meet on Thursday"', "en", "date"))


def test_may_and_march_need_a_day_or_year() -> None:
    assert values("this may happen", "en", "date") == []
    assert values("9 мая", "ru", "date") == ["2026-05-09"]  # no year: the nearest to publication


def test_facts_modules_do_not_import_ui_or_models() -> None:
    code = (
        "import sys, reader.facts, reader.facts.speakers, reader.discrepancy, reader.eval.perturb;"
        "bad = [m for m in ('textual', 'rich', 'numpy', 'torch', 'sentence_transformers') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr



def test_short_quoted_names_get_one_skeleton_across_scripts() -> None:
    ru = "Переговоры начались в резиденции «Ынтымак Ордо», затем лидеры поехали в «Ала-Арчу»."
    ar = 'ووصل بوتين إلى مجمع "ينتيماك أوردو" الرئاسي، ورئيس شركة "روساتوم" الحكومية'
    assert quoted_names(ru)[0] == quoted_names(ar)[0] == f"{skeleton('Yntymak')} {skeleton('Ordo')}"
    assert quoted_names(ar)[1] == skeleton("Росатом")


def test_quotations_and_the_text_between_them_are_not_names() -> None:
    two_quotes = 'وقال بوتين: "العلاقات بين روسيا وقيرغيزستان تتطور بنجاح"، مشيرًا إلى أنه "على اتصال دائم مع جباروف".'
    assert quoted_names(two_quotes) == []  # two statements; «، مشيرًا إلى أنه» between them is no name
    assert quoted_names("He said «yes» and «no», then «2027 год».") == []  # under three consonants; digits
