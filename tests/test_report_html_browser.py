"""The HTML report in a real browser: headless Chromium from Debian's packages (``scripts/setup``
installs ``chromium`` and ``chromium-driver``), driven by Selenium with the packaged chromedriver
(never a downloaded one). The sample report, a 30-document benchmark event and a hostile article
are opened from files; the checks read the DOM (computed direction, ``lang``, elements and
attributes), the layout at phone width (no horizontal overflow at 375 px) and the screenshots'
pixel sizes at phone and desktop width."""

from __future__ import annotations

import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from html_reports import HOSTILE, benchmark_report, hostile_report, sample_report

from reader.model import Report
from reader.report import to_html
from reader.report.html_page import SCRIPT
from reader.untrusted import visible

PHONE = (375, 812)
DESKTOP = (1280, 900)


def _chromium() -> tuple[str, str]:
    """The paths of Chromium and its driver, or a skip saying why there are none."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("chromium not installed: no chromium or chromedriver on PATH "
                    "(scripts/setup installs Debian's chromium and chromium-driver where apt-get can)")
    return browser, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    browser_path, driver_path = _chromium()
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed (the test extra)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser_path
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--no-first-run", "--disable-extensions", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console: a blocked script or style shows there
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver, report: Report, folder: Path, size: tuple[int, int] = DESKTOP, mobile: bool = False) -> str:
    """``to_html(report)`` written to a file and opened at ``size`` (a phone's viewport when ``mobile``)."""
    path = folder / "report.html"
    path.write_text(to_html(report), "utf-8")
    width, height = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    console = [entry["message"] for entry in driver.get_log("browser")]
    assert console == [], console  # no Content-Security-Policy violation: the page's own style and script ran
    return path.read_text("utf-8")


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _directions(driver, lang: str) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll(`.original[lang='${arguments[0]}']`)]"
        ".map(el => getComputedStyle(el).direction)", lang)


def _assert_claims_and_flags(driver, report: Report) -> None:
    """Every claim a card with its id, its outlets' sentences and its flags' details."""
    cards = driver.execute_script(
        "return [...document.querySelectorAll('section.claim')].map(el => ({"
        "id: el.querySelector('h3').textContent, text: el.textContent,"
        "flags: [...el.querySelectorAll('.flag .detail')].map(f => f.textContent)}))")
    assert [c["id"] for c in cards] == [visible(c.id) for c in report.claims]
    for card, claim in zip(cards, report.claims):
        assert card["flags"] == [visible(d.detail) for d in claim.discrepancies]
        for sid in claim.sentence_ids():
            assert visible(report.sentence(sid).text) in card["text"], sid
    flagged = driver.execute_script("return document.querySelectorAll('.flag-index li').length")
    assert flagged == sum(1 for c in report.claims if c.discrepancies)


def _assert_fits_a_phone_and_a_desktop(driver, report: Report, folder: Path) -> None:
    """No horizontal overflow at 375 px (nor at 1280), with every article open too, and screenshots
    of the viewport's pixel size at both widths."""
    for size, mobile in ((PHONE, True), (DESKTOP, False)):
        _open(driver, report, folder, size, mobile)
        assert driver.execute_script("return window.innerWidth") == size[0]
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= size[0], (size, width)
        png = driver.get_screenshot_as_png()
        assert _png_size(png) == size
        (folder / f"report-{size[0]}.png").write_bytes(png)
        width = driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);"
                                      "return document.documentElement.scrollWidth")
        assert width <= size[0], ("every article open", size, width)


def test_the_sample_report_reads_right_to_left_in_arabic_and_fits_a_phone(browser, tmp_path: Path) -> None:
    report = sample_report()
    _open(browser, report, tmp_path)
    arabic = _directions(browser, "ar")
    assert arabic and set(arabic) == {"rtl"}  # in the claims and in the whole article
    assert set(_directions(browser, "ru")) == {"ltr"}
    hindi = browser.execute_script(
        "return [...document.querySelectorAll('.original')].filter(el => el.textContent.match(/[\\u0900-\\u097F]/))"
        ".map(el => el.getAttribute('lang'))")
    assert hindi and set(hindi) == {"hi"}
    _assert_claims_and_flags(browser, report)
    assert browser.execute_script("return document.scripts.length") == 1

    # the whole article opens on a click, without the script (a <details>), and from a link, with it
    article = browser.find_element("css selector", "details.article")
    assert article.get_attribute("open") is None
    article.find_element("css selector", "summary").click()
    assert article.get_attribute("open") is not None
    browser.find_element("css selector", "section.claim .who a").click()
    target = browser.execute_script("return location.hash.slice(1)")
    assert browser.execute_script("return document.getElementById(arguments[0]).closest('details').open", target)
    _assert_fits_a_phone_and_a_desktop(browser, report, tmp_path)


def test_a_thirty_document_benchmark_event(browser, tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    report = benchmark_report(tmp_path / "inbox")
    assert len(report.documents) == 30
    _open(browser, report, tmp_path)
    for lang in ("ar", "fa"):
        directions = _directions(browser, lang)
        assert directions and set(directions) == {"rtl"}, lang
    assert set(_directions(browser, "hi")) == {"ltr"} and _directions(browser, "hi")
    _assert_claims_and_flags(browser, report)
    marks = browser.execute_script("return [...document.querySelectorAll('section.claim mark')].map(m => m.textContent)")
    for claim in report.claims:
        for d in claim.discrepancies:
            assert all(v in marks for v in d.values.values()), d.values
    assert browser.execute_script("return document.querySelectorAll('details.article').length") == 30
    banner = browser.execute_script("return document.querySelector('.banner').textContent")
    assert banner.startswith("No translation was available")
    _assert_fits_a_phone_and_a_desktop(browser, report, tmp_path)


def test_a_hostile_article_runs_nothing_and_links_nowhere(browser, tmp_path: Path) -> None:
    report = hostile_report()
    _open(browser, report, tmp_path)
    found = browser.execute_script("""
        const all = [...document.querySelectorAll('*')];
        return {
          scripts: [...document.scripts].map(s => s.textContent),
          handlers: all.flatMap(el => [...el.attributes].filter(a => /^on/i.test(a.name)).map(a => el.tagName + ' ' + a.name)),
          javascript: document.querySelectorAll('a[href^="javascript" i], [src], [srcdoc], [action], [style]').length,
          foreign: document.querySelectorAll('img, svg, iframe, form, input, base, link, object, embed, b, i').length,
          hrefs: [...document.querySelectorAll('[href]')].map(a => a.getAttribute('href')),
          metas: document.querySelectorAll('meta').length,
          title: document.title,
          text: document.body.textContent,
        };""")
    assert found["scripts"] == [SCRIPT]
    assert found["handlers"] == []
    assert found["javascript"] == 0 and found["foreign"] == 0 and found["metas"] == 4
    assert all(h.startswith("#") for h in found["hrefs"]), found["hrefs"]
    assert found["title"] == "reader: 2 documents, 1 claim"
    for name, hostile in HOSTILE.items():
        assert visible(hostile) in found["text"], name
    _assert_fits_a_phone_and_a_desktop(browser, report, tmp_path)
