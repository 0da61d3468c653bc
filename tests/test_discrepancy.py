"""Discrepancies per claim and omissions per report, on hand-built claims from the sample corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes import HashEmbedder, NoTranslator
from report_checks import assert_discrepancy_spans_hold
from reader.discrepancy import annotate, event_groups
from reader.model import Article, Claim, Discrepancy, Document, Member, Report, Sentence
from reader.eval.perturb import CASES, apply_case, hand_report, load_texts
from reader.report import from_json, to_json, to_markdown
from reader.untrusted import markdown


# ------------------------------------------------------------------ helpers
def small_report(
    docs: dict[str, tuple[str, str | None, list[str] | list[tuple[str, str]]]],
    claims: list[dict[str, list[int]]],
) -> Report:
    """Documents from sentence lists (text, or (text, translation)), joined into claims by index."""
    documents = []
    for doc_id, (lang, published, sents) in docs.items():
        pairs = [(s, None) if isinstance(s, str) else s for s in sents]
        text = "\n".join(t for t, _ in pairs)
        out, at = [], 0
        for i, (t, tr) in enumerate(pairs):
            out.append(Sentence(f"{doc_id}:{i}", doc_id, i, t, at, at + len(t), tr))
            at += len(t) + 1
        documents.append(Document(Article(doc_id, f"{doc_id}.txt", lang, text, 0, len(text), published=published),
                                  tuple(out)))
    cl = tuple(
        Claim(f"c{n}", 0.9, tuple(Member(d, tuple(f"{d}:{i}" for i in idx)) for d, idx in c.items()))
        for n, c in enumerate(claims)
    )
    used = {s for c in cl for s in c.sentence_ids()}
    unmatched = tuple(s.id for d in documents for s in d.sentences if s.id not in used)
    return Report(tuple(documents), cl, unmatched)


def kinds(report: Report, claim: str = "c0") -> list[str]:
    return [d.kind for c in report.claims if c.id == claim for d in c.discrepancies]


def pair_kinds(a: tuple[str, str, str], b: tuple[str, str, str]) -> list[str]:
    """Discrepancy kinds between two one-sentence reports, each (language, published, sentence),
    joined in one claim."""
    docs = {f"{lang}-{n}": (lang, published, [text]) for n, (lang, published, text) in enumerate((a, b), 1)}
    return kinds(annotate(small_report(docs, [{doc: [0] for doc in docs}])))


def only(report: Report, claim: str, kind: str) -> Discrepancy:
    found = [d for c in report.claims if c.id == claim for d in c.discrepancies if d.kind == kind]
    assert len(found) == 1, [d.detail for c in report.claims for d in c.discrepancies]
    return found[0]


def spanned(report: Report, d: Discrepancy, doc: str) -> list[str]:
    text = report.document(doc).article.text
    return [text[s.start : s.end] for s in d.spans[doc]]


@pytest.fixture
def texts(corpus_dir: Path) -> dict[str, str]:
    return load_texts(corpus_dir)


def with_case(texts: dict[str, str], case_id: str) -> Report:
    case = next(c for c in CASES if c.id == case_id)
    changed, _, _ = apply_case(texts, case)
    return annotate(hand_report(changed, reference=texts))


# ------------------------------------------------------------------ the sample corpus, unmodified
def test_unmodified_sample_flags_only_what_a_careful_reader_would(texts: dict[str, str]) -> None:
    report = annotate(hand_report(texts))
    flags = sorted((c.id, d.kind, tuple(sorted(d.values.items()))) for c in report.claims for d in c.discrepancies)
    assert flags == [
        ("schools", "missing-number", (("ar-bishkek", "9"), ("ru-bishkek", ""))),  # ar: a project of 9 schools; ru: no total
        ("trade", "missing-number", (("ar-bishkek", "2000000000 USD"), ("ru-bishkek", ""))),  # ar: $2bn; ru: "keep growing"
    ]
    school = only(report, "schools", "missing-number")
    assert spanned(report, school, "ar-bishkek") == ["9"]
    money = only(report, "trade", "missing-number")
    assert spanned(report, money, "ar-bishkek") == ["ملياري دولار"]
    assert money.spans["ru-bishkek"] == ()


def test_last_year_equals_2024_in_the_trade_claim(texts: dict[str, str]) -> None:
    report = annotate(hand_report(texts))
    assert "date" not in kinds(report, "trade")


def test_two_days_against_25_to_27_november_is_not_a_conflict(texts: dict[str, str]) -> None:
    report = annotate(hand_report(texts))
    assert kinds(report, "visit") == []


def test_omissions_are_among_the_2025_reports_only(texts: dict[str, str]) -> None:
    report = annotate(hand_report(texts))
    groups = event_groups(report)
    en = [d.id for d in report.documents if d.article.lang == "en"]
    assert en and all(groups[e] != groups["ru-bishkek"] for e in en)
    assert report.omissions
    for o in report.omissions:
        assert o.kind == "omission"
        assert not any(e in o.values or e in o.detail for e in en)
    details = {o.detail.split(" (")[0]: o.detail.rsplit("; ", 1)[1] for o in report.omissions}
    assert details["ar-bishkek, ru-bishkek report schools"] == "hi-bishkek does not"
    assert details["hi-bishkek, ru-bishkek report lukashenko"] == "ar-bishkek does not"


def test_an_unmatched_sentence_carrying_the_same_facts_is_no_omission() -> None:
    report = small_report(
        {
            "ru-1": ("ru", "2025-11-26", ["С 1 сентября 2027 г. в Киргизии заработают первые три школы."]),
            "ar-1": ("ar", "2025-11-26", ["ومن المقرر افتتاح المدارس الثلاث الأولى بحلول الأول من سبتمبر 2027."]),
            "hi-1": ("hi", "2025-11-26", ["पुतिन ने कहा कि 1 सितंबर 2027 से किर्गिस्तान में तीन स्कूल खुलेंगे।",
                                          "पुतिन बिश्केक में थे।"]),
        },
        [{"ru-1": [0], "ar-1": [0]}, {"ru-1": [0], "hi-1": [1]}][:1],
    )
    assert annotate(report).omissions == ()


# ------------------------------------------------------------------ done-when checks
def test_three_schools_against_five(texts: dict[str, str]) -> None:
    report = with_case(texts, "ru-schools-five")
    d = only(report, "schools", "number")
    assert d.values == {"ar-bishkek": "3", "ru-bishkek": "5"}
    assert spanned(report, d, "ru-bishkek") == ["пять"]
    assert spanned(report, d, "ar-bishkek") == ["الثلاث"]
    assert "3" in d.detail and "5" in d.detail


def test_2027_against_2028_in_the_arabic_sentence(texts: dict[str, str]) -> None:
    report = with_case(texts, "ar-schools-2028")
    d = only(report, "schools", "date")
    assert d.values == {"ar-bishkek": "2028-09-01", "ru-bishkek": "2027-09-01"}
    assert spanned(report, d, "ar-bishkek") == ["الأول من سبتمبر(أيلول) 2028"]
    assert spanned(report, d, "ru-bishkek") == ["1 сентября 2027 г."]


def test_speaker(texts: dict[str, str]) -> None:
    report = with_case(texts, "ru-relations-japarov")
    d = only(report, "relations", "speaker")
    assert d.values == {"ar-bishkek": "بوتين", "ru-bishkek": "Жапаров"}  # as each outlet writes it
    assert spanned(report, d, "ar-bishkek") == ["بوتين"] and spanned(report, d, "ru-bishkek") == ["Жапаров"]
    assert kinds(report, "relations") == ["speaker"]  # no extra "name" flag for the same people


# ------------------------------------------------------------------ equivalence, hand-built pairs
def test_three_in_four_forms_agree() -> None:
    report = small_report(
        {
            "en-1": ("en", "2025-11-26", ["The first three schools will open."]),
            "ru-1": ("ru", "2025-11-26", ["Заработают первые три школы."]),
            "ar-1": ("ar", "2025-11-26", ["افتتاح المدارس الثلاث الأولى."]),
            "hi-1": ("hi", "2025-11-26", ["पहले 3 स्कूल खुलेंगे।"]),
        },
        [{"en-1": [0], "ru-1": [0], "ar-1": [0], "hi-1": [0]}],
    )
    assert kinds(annotate(report)) == []


def test_a_rounded_figure_does_not_conflict_with_the_exact_one() -> None:
    report = small_report(
        {
            "en-1": ("en", "2020-12-02", ["These centres have a total bed capacity of over 3,000."]),
            "ru-1": ("ru", "2020-12-02", ["Общий коечный фонд центров — 3165 коек."]),
        },
        [{"en-1": [0], "ru-1": [0]}],
    )
    assert kinds(annotate(report)) == []


def test_a_conflicting_figure_across_three_members_is_one_discrepancy() -> None:
    report = small_report(
        {
            "ru-1": ("ru", "2025-11-26", ["Заработают первые пять школ."]),
            "ar-1": ("ar", "2025-11-26", ["افتتاح المدارس الثلاث الأولى."]),
            "hi-1": ("hi", "2025-11-26", ["पहले तीन स्कूल खुलेंगे।"]),
        },
        [{"ru-1": [0], "ar-1": [0], "hi-1": [0]}],
    )
    d = only(annotate(report), "c0", "number")
    assert d.values == {"ru-1": "5", "ar-1": "3", "hi-1": "3"}


def test_a_figure_in_the_translation_counts_as_stated() -> None:
    report = small_report(
        {
            "ar-1": ("ar", "2025-11-26", ["في عام 2023، أطلقنا مشروعًا لبناء 9 مدارس ثانوية في قيرغيزستان."]),
            "ru-1": ("ru", "2025-11-26", [("В 2023 году начался проект строительства девяти школ.",
                                           "In 2023, a project to build nine schools began.")]),
        },
        [{"ar-1": [0], "ru-1": [0]}],
    )
    assert kinds(annotate(report)) == []
    # and without the figure anywhere, the Russian member leaves it out
    bare = small_report(
        {
            "ar-1": ("ar", "2025-11-26", ["في عام 2023، أطلقنا مشروعًا لبناء 9 مدارس ثانوية في قيرغيزستان."]),
            "ru-1": ("ru", "2025-11-26", [("В 2023 году начался проект строительства школ.",
                                           "In 2023, a school construction project began.")]),
        },
        [{"ar-1": [0], "ru-1": [0]}],
    )
    assert kinds(annotate(bare)) == ["missing-number"]


def test_a_figure_without_a_known_noun_is_never_missing() -> None:
    report = small_report(
        {
            "ar-1": ("ar", "2025-11-26", ["وأكد بوتين أن 80 منها تعمل."]),
            "ru-1": ("ru", "2025-11-26", ["Путин заявил, что они работают."]),
        },
        [{"ar-1": [0], "ru-1": [0]}],
    )
    assert kinds(annotate(report)) == []


def test_different_events_are_not_compared() -> None:
    report = small_report(
        {
            "en-1": ("en", "2020-12-02", ["Putin said 30 centres were built in 2020."]),
            "ru-1": ("ru", "2025-11-26", ["Жапаров заявил, что построено 40 центров в 2025 г."]),
            "ar-1": ("ar", "2025-11-26", ["وقال جباروف إنه تم بناء 40 مركزا في 2025."]),
        },
        [{"en-1": [0], "ru-1": [0], "ar-1": [0]}],
    )
    done = annotate(report)
    assert kinds(done) == []
    assert done.omissions == ()


def test_annotate_is_pure_and_idempotent(texts: dict[str, str]) -> None:
    report = hand_report(texts)
    once = annotate(report)
    assert all(c.discrepancies == () for c in report.claims)
    assert annotate(once) == once


def test_discrepancies_survive_json_and_show_in_markdown(texts: dict[str, str]) -> None:
    report = with_case(texts, "ru-schools-five")
    again = from_json(to_json(report))
    assert [c.discrepancies for c in again.claims] == [c.discrepancies for c in report.claims]
    assert again.omissions == report.omissions
    md = to_markdown(report).splitlines()
    ar, ru, hi = (markdown(next(d.id for d in report.documents if d.article.lang == lang)) for lang in ("ar", "ru", "hi"))
    # each flag under its claim with its subject and every outlet's value, the values bold in the outlets' lines
    assert "### schools · 2 of 4 documents · ar, ru · score 1.00 · ⚠ number" in md
    assert f"- ⚠ conflicting figure about school: {ar}: 3 («الثلاث»); {ru}: 5 («пять»)" in md
    assert any(line.startswith(f"- **{ru}** (ru): ") and "первые **пять** школ" in line for line in md)
    assert f"- ⚠ figure about investment given by some, not others: {ar}: 2000000000 USD («ملياري دولار»); {ru}: no figure" in md
    # the omissions one line per outlet, naming the claims it leaves out
    assert f"- **{hi}** (hi) leaves out 8 of 10 claims: relations, residence, trade, cis, language, atom, security, schools" in md
    assert f"- **{ar}** (ar) leaves out 1 of 10 claims: lukashenko" in md


def test_dates_of_different_events_do_not_conflict() -> None:
    report = small_report(
        {
            "ar-1": ("ar", "2025-11-26", ["وستستمر لمدة يومين، قبيل الاجتماع المخطط له لمجلس الأمن الجماعي في بيشكيك "
                                          "يوم الخميس 27 نوفمبر الجاري."]),
            "ru-1": ("ru", "2025-11-26", ["26 ноября запланированы российско-киргизские переговоры."]),
        },
        [{"ar-1": [0], "ru-1": [0]}],
    )
    assert kinds(annotate(report)) == []
    arrival = small_report(
        {
            "ar-1": ("ar", "2025-11-26", ["ووصل بوتين يوم 23 نوفمبر إلى بيشكيك."]),
            "ru-1": ("ru", "2025-11-26", ["25 ноября Путин прибыл в Бишкек с государственным визитом."]),
        },
        [{"ar-1": [0], "ru-1": [0]}],
    )
    d = only(annotate(arrival), "c0", "date")
    assert d.values == {"ar-1": "2025-11-23", "ru-1": "2025-11-25"}


def test_today_is_read_with_a_day_either_side() -> None:
    # «اليوم الأربعاء» in an article of the 26th against «25 ноября»: the publication date may be a day off
    report = small_report(
        {
            "ar-1": ("ar", "2025-11-26", ["ووصل بوتين صباح اليوم الأربعاء، إلى بيشكيك."]),
            "ru-1": ("ru", "2025-11-26", ["25 ноября Путин прибыл в Бишкек с государственным визитом."]),
        },
        [{"ar-1": [0], "ru-1": [0]}],
    )
    assert kinds(annotate(report)) == []


def test_the_first_three_is_a_part_not_the_total() -> None:
    report = small_report(
        {
            "ar-1": ("ar", "2025-11-26", ["أطلقنا مشروعًا لبناء 9 مدارس ثانوية في قيرغيزستان."]),
            "ru-1": ("ru", "2025-11-26", ["В Киргизии заработают первые три школы."]),
        },
        [{"ar-1": [0], "ru-1": [0]}],
    )
    assert kinds(annotate(report)) == []


def test_transcripts_sharing_only_boilerplate_are_not_one_event() -> None:
    filler = [f"Sentence number {i} about something else entirely." for i in range(30)]
    report = small_report(
        {
            "en-1": ("en", "2020-12-02", ["Good afternoon, colleagues.", *filler]),
            "en-2": ("en", "2020-12-02", ["Good afternoon, colleagues.", *filler]),
            "en-3": ("en", "2020-12-02", ["Good afternoon, colleagues.", *filler]),
        },
        [{"en-1": [0], "en-2": [0]}],
    )
    groups = event_groups(report)
    assert len(set(groups.values())) == 3
    assert annotate(report).omissions == ()


def test_different_names_in_sentences_about_different_people_are_not_flagged() -> None:
    report = small_report(
        {
            "ar-1": ("ar", "2025-11-26", ["يتم تنظيم هذه الزيارة بناء على دعوة من رئيس قرغيزستان، صادر جباروف."]),
            "ru-1": ("ru", "2025-11-26", ["Также Путин проведет встречу с президентом Белоруссии Александром Лукашенко."]),
        },
        [{"ar-1": [0], "ru-1": [0]}],
    )
    assert kinds(annotate(report)) == []


@pytest.mark.slow
def test_through_the_pipeline_spans_hold_and_2020_makes_no_omissions(corpus_dir: Path) -> None:
    from reader import pipeline
    from reader.settings import Settings

    settings = Settings.from_env(threads=1)
    parts = pipeline.Components(embedder=HashEmbedder(), translator=NoTranslator())
    report = pipeline.build_report([corpus_dir], settings, components=parts)
    en = {d.id for d in report.documents if d.article.lang == "en"}
    for o in report.omissions:
        assert not (en & set(o.values)), o.detail
    assert_discrepancy_spans_hold(report)


def test_a_weekday_agrees_with_a_date_of_that_weekday_in_the_next_week() -> None:
    """«Dienstag» in a report of Wednesday 3 July reads as 2 July; another outlet's "Tuesday, 9 July"
    is the same weekday a week on (the match still to come), not another date."""
    ru = ("ru", "2024-07-03", "Испания сыграет с Францией в полуфинале во вторник, 9 июля.")
    assert pair_kinds(("de", "2024-07-03", "Spanien trifft am Dienstag im Halbfinale auf Frankreich."), ru) == []
    assert pair_kinds(("de", "2024-07-03", "Spanien trifft am Mittwoch im Halbfinale auf Frankreich."), ru) == ["date"]


def test_one_president_for_another_is_a_name_flag_without_a_list_of_people() -> None:
    """Who is a person comes from the run (a name written after an office), not from a list."""
    report = small_report(
        {
            "en-1": ("en", "2025-11-26", ["Belarusian President Alexander Lukashenko will attend the CSTO summit in Bishkek.",
                                          "Azerbaijani President Ilham Aliyev also spoke."]),
            "ru-1": ("ru", "2025-11-26", ["Президент Белоруссии Александр Лукашенко примет участие в саммите ОДКБ.",
                                          "В саммите ОДКБ в Бишкеке примет участие президент Азербайджана Ильхам Алиев."]),
        },
        [{"en-1": [0], "ru-1": [1]}],
    )
    assert kinds(annotate(report)) == ["name"]


def test_a_working_visit_against_a_state_visit_is_flagged_and_state_against_official_is_not() -> None:
    def pair(ru: str, en: str) -> list[str]:
        return pair_kinds(("ru", "2025-11-25", ru), ("en", "2025-11-25", en))

    assert pair("Путин прибыл в Бишкек с рабочим визитом.", "Putin arrived in Bishkek on a state visit.") == ["event-kind"]
    assert pair("Путин прибыл в Бишкек с официальным визитом.", "Putin arrived in Bishkek on a state visit.") == []
    assert pair("Путин прибыл в Бишкек с визитом.", "Putin arrived in Bishkek on a working visit.") == []


def test_a_figure_the_other_report_states_in_a_sibling_claim_is_not_missing() -> None:
    # alignment splits one sentence against two into two claims that share the one sentence:
    # each claim holds one of its two figures, and the other report gives each in one of them
    docs = {"en-1": ("en", "2025-11-26", ["The first three of nine new schools will open in 2027, the minister said."]),
            "en-2": ("en", "2025-11-26", ["Russia is building 9 schools in the country.",
                                          "The first three schools open in 2027."])}
    report = annotate(small_report(docs, [{"en-1": [0], "en-2": [0]}, {"en-1": [0], "en-2": [1]}]))
    assert [d.detail for c in report.claims for d in c.discrepancies] == []
    # in one claim alone, the figure the other sentence gives is missing
    alone = annotate(small_report(docs, [{"en-1": [0], "en-2": [0]}]))
    assert kinds(alone) == ["missing-number"]


def test_a_weekday_dates_nothing_far_from_the_week_it_was_read_in() -> None:
    # "Tuesday" in a June report against 3 May: two different things (launch, landing)
    assert pair_kinds(("en", "2024-06-26", "The capsule landed on Tuesday, carrying the samples home."),
                      ("en", "2024-06-26", "The capsule, launched on 3 May, landed carrying the samples home.")) == []
    # within the week it is compared: Wednesday against 27 June (a Thursday)
    assert pair_kinds(("en", "2024-06-28", "Ruto withdrew the bill on Wednesday after the protests."),
                      ("en", "2024-06-28", "Ruto withdrew the bill on 27 June after the protests.")) == ["date"]


def test_two_reports_each_dating_a_running_story_by_its_own_day_do_not_conflict() -> None:
    # each report's weekday is its own day of publication: a toll as of that day
    assert pair_kinds(("en", "2023-02-07", "On Tuesday the death toll rose above 5,000, officials said."),
                      ("en", "2023-02-08", "On Wednesday the death toll rose above 5,000, officials said.")) == []
    # a weekday that is not the report's own day still conflicts with another report's weekday
    assert pair_kinds(("en", "2024-07-17", "Southgate resigned on Monday, the day after the final."),
                      ("en", "2024-07-16", "Southgate resigned on Tuesday, two days after the final.")) == ["date"]


def test_a_month_written_without_its_year_agrees_with_that_month_a_year_away() -> None:
    # "in November" in a September 2024 report is read as November 2024, a guess: November 2023
    # elsewhere is the same month
    assert pair_kinds(("fr", "2024-09-10", "L'avocat général avait recommandé en novembre d'annuler le jugement."),
                      ("en", "2024-09-10", "The advocate general recommended in November 2023 that the ruling be set aside.")) == []
    # written with its year on both sides, they still conflict
    assert pair_kinds(("en", "2024-09-10", "The advocate general recommended in November 2022 that the ruling be set aside."),
                      ("en", "2024-09-10", "The advocate general recommended in November 2023 that the ruling be set aside.")) == ["date"]


def test_years_decades_apart_or_past_against_future_date_different_things() -> None:
    # "three years ago" (2021) against "since 1966": a last title and a lost final, not a misdating
    assert pair_kinds(("en", "2024-07-15", "Spain beat England, who lost a final three years ago."),
                      ("en", "2024-07-15", "Spain beat England, still without a title since 1966.")) == []
    # a final lost in 2021 against the next chance in 2026: past and future for both writers
    assert pair_kinds(("en", "2024-07-15", "England lost the 2021 final as well."),
                      ("en", "2024-07-15", "England must now wait for the 2026 World Cup.")) == []
    # two past years a year apart still conflict
    assert pair_kinds(("en", "2024-07-15", "The bridge opened in 2019, the minister said."),
                      ("en", "2024-07-15", "The bridge opened in 2020, the minister said.")) == ["date"]


def test_a_figure_both_outlets_give_in_a_sibling_claim_is_no_conflict() -> None:
    # one report tells two claims in one sentence (the seats won, the majority missed); the other
    # tells them in two. Against the first claim alone, 543 and 272 look like a conflict, but the
    # second report states 272 in the claim that holds the first report's sentence
    docs = {"en-1": ("en", "2024-06-05", ["The party won 240 seats and fell short of the 272 needed for a majority."]),
            "en-2": ("en", "2024-06-05", ["The party won 240 of the 543 seats.",
                                          "It fell short of the 272 seats needed for a majority."])}
    report = annotate(small_report(docs, [{"en-1": [0], "en-2": [0]}, {"en-1": [0], "en-2": [1]}]))
    assert [d.detail for c in report.claims for d in c.discrepancies] == []
    # with the first claim alone, nothing says the two reports agree: the conflict stands
    alone = annotate(small_report(docs, [{"en-1": [0], "en-2": [0]}]))
    assert kinds(alone) == ["number"]


def test_a_figure_inside_another_outlets_range_agrees_and_one_outside_conflicts() -> None:
    assert pair_kinds(("en", "2024-07-15", "Between 300 and 400 people were hurt in the blast, officials said."),
                      ("en", "2024-07-15", "About 350 people were hurt in the blast, officials said.")) == []
    assert pair_kinds(("en", "2024-07-15", "Between 300 and 400 people were hurt in the blast, officials said."),
                      ("en", "2024-07-15", "Some 600 people were hurt in the blast, officials said.")) == ["number"]


def test_two_ranges_agree_only_end_for_end() -> None:
    assert pair_kinds(("en", "2024-07-15", "The bank expects inflation of 7.5-8.0% this year, its governor said."),
                      ("en", "2024-07-15", "The bank expects inflation of 8.0-8.5% this year, its governor said.")) == ["percent"]
    assert pair_kinds(("en", "2024-07-15", "The bank expects inflation of 7.5-8% this year, its governor said."),
                      ("en", "2024-07-15", "The bank expects inflation of 7.5-8.0% this year, its governor said.")) == []
