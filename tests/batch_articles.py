"""Short articles for the batch tests: a visit in two languages and a follow-up, an event in
another city the same day, and one of another year (original text written for the tests)."""


def article(lang: str, date: str, title: str, body: str) -> str:
    return f"---\nlang: {lang}\ntitle: {title}\noutlet: test\npublished: {date}\n---\n{body}\n"


VISIT_EN = article(
    "en", "2025-11-26", "Putin in Bishkek",
    "Vladimir Putin arrived in Bishkek for talks with Sadyr Japarov. The two presidents signed 12 agreements. "
    "Japarov said Kyrgyzstan values the partnership with Russia.",
)
VISIT_RU = article(
    "ru", "2025-11-26", "Путин в Бишкеке",
    "Владимир Путин прибыл в Бишкек на переговоры с Садыром Жапаровым. Президенты подписали 12 соглашений. "
    "Жапаров заявил, что Киргизия ценит партнёрство с Россией.",
)
VISIT_EN2 = article(
    "en", "2025-11-27", "Japarov and Putin sign deals",
    "In Bishkek, Japarov and Putin discussed energy and trade. Kyrgyzstan will receive new investment.",
)
MINSK = article(
    "en", "2025-11-26", "Lukashenko in Minsk",
    "Alexander Lukashenko met officials in Minsk on Wednesday. Belarus plans a new budget for 2026.",
)
OLD = article(
    "en", "2020-12-02", "Rosatom meeting",
    "Putin met the head of Rosatom in Moscow. The company reported its results for the year.",
)
