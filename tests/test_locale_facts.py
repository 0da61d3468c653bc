"""Numbers and dates as each benchmark language writes them, read from CLDR (Babel) data."""

from __future__ import annotations

import pytest

from reader import calendar_words, numerals
from reader.discrepancy import plausible
from reader.facts import extract

PUB = "2024-06-27"  # a Thursday


def values(text: str, lang: str, kind: str) -> list[str]:
    return [f.value for f in extract(text, lang, PUB) if f.kind == kind]


@pytest.mark.parametrize(("raw", "lang", "value"), [
    ("13.000", "de", 13000.0), ("13.000", "es", 13000.0), ("13.000", "tr", 13000.0),
    ("0,005", "fr", 0.005), ("1,5", "ru", 1.5), ("1,700", "en", 1700.0), ("1,935.3", "en", 1935.3),
    ("1.234,5", "de", 1234.5), ("1.234.567", "es", 1234567.0), ("25 000", "ru", 25000.0), ("4.1", "en", 4.1),
    ("13,5", "de", 13.5), ("1.5", "ru", 1.5),
])
def test_separators_are_read_the_way_the_language_writes_them(raw: str, lang: str, value: float) -> None:
    assert numerals.read_figure(raw, lang) == value


def test_scale_words_come_from_cldr_for_every_language() -> None:
    assert numerals.scale_words("de")["mrd"] == 1e9 and numerals.scale_words("de")["milliarden"] == 1e9
    assert numerals.scale_words("hi")["लाख"] == 1e5 and numerals.scale_words("hi")["करोड़"] == 1e7
    assert numerals.scale_words("zh")["亿"] == 1e8 and numerals.scale_words("tr")["milyar"] == 1e9
    assert numerals.scale_words("es")["mil millones"] == 1e9 and numerals.scale_words("fa")["میلیارد"] == 1e9
    assert numerals.scale_words("en")["bln"] == 1e9  # the newswire supplement


@pytest.mark.parametrize(("text", "lang", "kind", "value"), [
    ("$4.1 bln in trade", "en", "money", "4100000000 USD"),
    ("4,1 Mrd. $ Umsatz", "de", "money", "4100000000 USD"),
    ("Die Strafe beträgt 13.000 Euro", "de", "money", "13000 EUR"),
    ("13 mil millones de euros", "es", "money", "13000000000 EUR"),
    ("13 milliards d'euros", "fr", "money", "13000000000 EUR"),
    ("13,5 milyar avroluk vergi", "tr", "money", "13500000000 EUR"),
    ("130亿欧元", "zh", "money", "13000000000 EUR"),
    ("13 میلیارد یورو", "fa", "money", "13000000000 EUR"),
    ("€13bn", "en", "money", "13000000000 EUR"),
    ("1,7 тыс. компаний", "ru", "number", "1700"),
    ("१.३५ करोड़ लोग", "hi", "number", "13500000"),
    ("un taux de 0,005 %", "fr", "percent", "0.005"),
    ("5 millionaires", "en", "number", "5"),
    ("Ölü sayısı 41 bini aştı", "tr", "number", "41000"),  # a scale word with its case ending
    ("Depremde 41 bina yıkıldı", "tr", "number", "41"),  # "bina" (building) is no "bin"
])
def test_figures_with_scale_words_and_currencies_in_each_language(text: str, lang: str, kind: str, value: str) -> None:
    assert values(text, lang, kind) == [value]


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("Am 15. Juli 2024 trat er zurück", "de", "2024-07-15"),
    ("le 13 décembre 2024", "fr", "2024-12-13"),
    ("el 15 de julio de 2024", "es", "2024-07-15"),
    ("13 Aralık'ta toplanacak", "tr", "2024-12-13"),
    ("2024年6月25日着陆", "zh", "2024-06-25"),
    ("6月25日着陆", "zh", "2024-06-25"),
    ("25 червня", "uk", "2024-06-25"),
    ("Çarşamba günü açıkladı", "tr", "2024-06-26"),
    ("у середу заявив", "uk", "2024-06-26"),
    ("周三宣布", "zh", "2024-06-26"),
    ("روز چهارشنبه", "fa", "2024-06-26"),
    ("il a démissionné mardi", "fr", "2024-06-25"),
    ("Ruto bugün açıkladı", "tr", "2024-06-27"),
    ("gestern", "de", "2024-06-26"),
])
def test_dates_weekdays_and_relative_days_in_each_language(text: str, lang: str, value: str) -> None:
    assert values(text, lang, "date") == [value]


def test_month_abbreviations_and_ordinary_words_need_a_day_or_a_year() -> None:
    assert values("la mer est calme", "fr", "date") == []
    assert values("He said in March that", "en", "date") == []
    assert values("Nov. 5", "en", "date") == ["2024-11-05"]


def test_cyrillic_names_take_their_case_endings() -> None:
    assert "ноябр" in calendar_words.month_patterns("ru")[11]
    assert values("в ноябре 2024 года", "ru", "date") == ["2024-11"]


@pytest.mark.parametrize(("x", "y", "ok"), [
    (1700, 1800, True), (3, 6, True), (1953.3, 1935.3, True), (0.05, 0.005, True), (116, 106, True),
    (21, 200, False), (543, 272, True), (7, 19, False), (5400, 16000, False), (2, 14, False),
])
def test_two_figures_are_a_plausible_disagreement_when_close_or_a_digit_slip(x: float, y: float, ok: bool) -> None:
    assert plausible(x, y) is ok


@pytest.mark.parametrize(("text", "lang", "value", "bound"), [
    ("almost a quarter of firms", "en", "25", "approx"),
    ("почти треть компаний", "ru", "33.3", "approx"),
    ("fast ein Viertel", "de", "25", "approx"),
    ("près d'un quart des entreprises", "fr", "25", "approx"),
    ("more than half of them", "en", "50", "min"),
])
def test_fractions_are_shares_with_their_hedge(text: str, lang: str, value: str, bound: str) -> None:
    (f,) = [f for f in extract(text, lang, PUB) if f.kind == "percent"]
    assert (f.value, f.extra.get("bound")) == (value, bound)


@pytest.mark.parametrize(("text", "lang", "bound"), [
    ("mehr als 1.700 Firmen", "de", "min"), ("plus de 1 700 entreprises", "fr", "min"),
    ("1700'den fazla şirket", "tr", "min"), ("超过1700家", "zh", "min"), ("约130亿欧元", "zh", "approx"),
    ("حدود ۲۰ درصد", "fa", "approx"), ("menos de 20 muertos", "es", "max"),
])
def test_bounds_and_approximations_in_each_language(text: str, lang: str, bound: str) -> None:
    (f,) = [f for f in extract(text, lang, PUB) if f.kind in ("number", "percent", "money")]
    assert f.extra.get("bound") == bound


def test_almost_a_quarter_is_not_twenty_two_percent_but_about_two_billion_is_two_point_oh_three() -> None:
    from reader.facts import compatible_numbers

    (quarter,) = [f for f in extract("almost a quarter", "en") if f.kind == "percent"]
    (share,) = [f for f in extract("22.3%", "en") if f.kind == "percent"]
    assert not compatible_numbers(quarter, share)  # "about N" holds within 10%
    (rough,) = extract("about 2 billion dollars", "en")
    (exact,) = extract("2.03 billion dollars", "en")
    assert compatible_numbers(rough, exact)
    (plain,) = extract("2 billion dollars", "en")
    assert compatible_numbers(plain, exact)  # a figure of 1,000 or more written rounder rounds to it
    assert not compatible_numbers(extract("1,700 firms", "en")[0], extract("1,800 firms", "en")[0])


@pytest.mark.parametrize(("text", "dateline"), [
    ("ANKARA, Feb 7 (MWS) - President Erdogan declared", "ANKARA, Feb 7 (MWS) - "),
    ("أنقرة، ٧ فبراير (الضفاف) - أعلن الرئيس", "أنقرة، ٧ فبراير (الضفاف) - "),
    ("МОСКВА, 25 октября. /СИА/. Совет директоров", "МОСКВА, 25 октября. /СИА/. "),
    ("本报乌兰巴托9月3日电（记者林远）俄罗斯总统普京3日抵达", "本报乌兰巴托9月3日电（记者林远）"),
    ("The bank (CBR) - raised rates by 2 points", ""),
])
def test_a_dateline_is_found_where_it_opens_a_sentence(text: str, dateline: str) -> None:
    from reader.segment import dateline_end

    assert text[:dateline_end(text)] == dateline


def test_the_place_and_date_of_a_dateline_are_not_claims() -> None:
    found = extract("ANKARA, Feb 7 (MWS) - Erdogan declared a state of emergency in 10 provinces on Feb 8.", "en", PUB)
    dates = [(f.value, bool(f.extra.get("dateline"))) for f in found if f.kind == "date"]
    assert dates == [("2024-02-07", True), ("2024-02-08", False)]


def test_basis_points_and_percentage_points_are_one_unit_family() -> None:
    """CLDR has no basis point: data/units.json adds it; 200 basis points are 2 percentage points."""
    from reader.facts import compatible_numbers, extract

    def figure(text: str, lang: str):
        (f,) = [f for f in extract(text, lang) if f.kind == "number"]
        return f

    bp = figure("The bank raised its key rate by 200 basis points.", "en")
    pp = figure("ЦБ повысил ставку сразу на 2 п.п.", "ru")
    assert (bp.extra["unit"], pp.extra["unit"]) == ("point-basis-point", "point-percentage-point")
    assert compatible_numbers(bp, pp)
    assert not compatible_numbers(bp, figure("Die Notenbank erhöhte den Leitzins um 1 Prozentpunkt.", "de"))


@pytest.mark.parametrize("text, lang, value", [
    ("The town was flooded three years ago.", "en", "2021"),
    ("Город затопило три года назад.", "ru", "2021"),
    ("Die Brücke wurde vor 5 Jahren gebaut.", "de", "2019"),
    ("غرقت المدينة قبل ثلاث سنوات.", "ar", "2021"),
    ("قبل سنتين غرقت المدينة.", "ar", "2022"),
    ("Köprü 5 yıl önce açıldı.", "tr", "2019"),
    ("Мост открыли 2 дня назад.", "ru", "2024-06-25"),
    ("The talks began 2 weeks ago.", "en", "2024-06-10/2024-06-16"),
])
def test_counts_back_from_the_publication_date_in_each_language(text: str, lang: str, value: str) -> None:
    # CLDR's "{0} years ago" patterns, the count in digits or a number word
    assert values(text, lang, "date") == [value]


def test_an_ago_phrase_needs_a_count_it_can_read() -> None:
    assert values("The bridge opened many years ago.", "en", "date") == []
    assert values("The ruins date from 3000 years ago.", "en", "date") == []


@pytest.mark.parametrize("text, lang, value", [
    ("Il y a eu quatre-vingt-cinq morts.", "fr", "85"),
    ("vingt et un blessés", "fr", "21"),
    ("deux cents maisons", "fr", "200"),
    ("fünfundachtzig Menschen", "de", "85"),
    ("ochenta y cinco personas", "es", "85"),
    ("seksen beş kişi", "tr", "85"),
    ("هشتاد و پنج نفر", "fa", "85"),
    ("قتل خمسة وثمانون شخصا.", "ar", "85"),
    ("eighty-five people died", "en", "85"),
    ("الدورة الخامسة والثمانين للجمعية العامة", "ar", "85"),  # an ordinal: the 85th session
    ("вісімдесят п'ять людей", "uk", "85"),
])
def test_number_words_of_every_language_num2words_spells(text: str, lang: str, value: str) -> None:
    assert values(text, lang, "number") == [value]


def test_number_words_are_read_in_their_own_language_and_one_alone_is_an_article() -> None:
    assert values("On kişi öldü.", "tr", "number") == ["10"]
    assert values("He went on to say more.", "en", "number") == []
    assert values("un homme et une femme", "fr", "number") == []


def test_two_after_a_definite_article_means_both() -> None:
    assert values("Les deux pays ont signé trois accords.", "fr", "number") == ["3"]
    assert values("The two leaders signed three agreements.", "en", "number") == ["3"]
    assert values("Two leaders signed the agreements.", "en", "number") == ["2"]


def test_indian_grouping_reads_lakhs_and_crores() -> None:
    assert values("मौतों की संख्या 12,34,567 हो गई।", "hi", "number") == ["1234567"]
    assert values("The relief fund reached 1,23,45,678.5 rupees.", "en", "money") == ["12345678.5 INR"]
    assert values("The toll is 1,234,567.", "en", "number") == ["1234567"]


@pytest.mark.parametrize("text, lang, value", [
    ("Between 300 and 400 people were hurt.", "en", "300–400"),
    ("От 300 до 400 человек пострадали.", "ru", "300–400"),
    ("من 300 إلى 400 شخص أصيبوا.", "ar", "300–400"),
    ("300 से 400 लोग घायल हुए।", "hi", "300–400"),
    ("۳۰۰ تا ۴۰۰ نفر زخمی شدند.", "fa", "300–400"),
    ("300 ile 400 kişi arasında yaralandı.", "tr", "300–400"),
    ("10-15 people were hurt.", "en", "10–15"),
])
def test_ranges_are_one_figure_in_each_language(text: str, lang: str, value: str) -> None:
    assert values(text, lang, "number") == [value]


def test_a_score_is_no_range_and_the_low_end_takes_the_scale() -> None:
    assert values("Spain won 2-1 in Berlin.", "en", "number") == ["2", "1"]
    assert values("zwischen 3 und 4 Milliarden Euro", "de", "money") == ["3000000000–4000000000 EUR"]
