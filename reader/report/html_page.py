"""The fixed parts of the HTML report (:mod:`reader.report.html`): its style sheet, its one small
script and the Content-Security-Policy that allows exactly these two and nothing else.

Nothing here holds article text. The policy is a second wall behind the escaping: even a piece of
markup that got through could load nothing from the network (``default-src 'none'``) and run no
script or style but these (each allowed by its SHA-256 hash, not by ``'unsafe-inline'``).
"""

from __future__ import annotations

import base64
import hashlib

# Phones first: one column, text that wraps anywhere (a long file name, a URL or a run of
# letters with no space never widens the page), no table. System fonts only: nothing to fetch.
STYLE = """
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5f6368; --bg: #fff; --card: #f6f7f9;
  --line: #d9dce1; --flag: #b3261e; --mark: #ffe08a; --mark-fg: #1d1d1f; --claim: #e8f0fe; --link: #0b57d0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8eaed; --muted: #a8adb4; --bg: #16181b; --card: #202328; --line: #3a3f46;
    --flag: #f2b8b5; --mark: #8a6d00; --mark-fg: #fff; --claim: #233048; --link: #8ab4f8; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 0.75rem 1rem 3rem; }
h1, h2, h3, p, li, summary, dd, dt, div, span, bdi, a { overflow-wrap: anywhere; }
h1 { font-size: 1.45rem; margin: 0.5rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 0; }
a { color: var(--link); }
ul, ol { padding-left: 1.25rem; }
.muted, .who, .score, .translation, .count { color: var(--muted); }
.banner { border: 2px solid var(--flag); border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0.75rem 0; }
.run { margin: 0.25rem 0; }
.docs { list-style: none; padding: 0; }
.docs li { padding: 0.25rem 0; border-bottom: 1px solid var(--line); }
.claim { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 0.6rem 0.8rem; margin: 0.9rem 0; }
.claim.flagged { border-left: 5px solid var(--flag); }
.claim header { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; }
.flags { margin: 0.4rem 0; padding-left: 1.1rem; }
.flag { color: var(--flag); }
.flag .detail { color: var(--fg); }
.flag .values { color: var(--muted); }
.kind { font-weight: 600; }
.members { list-style: none; padding: 0; margin: 0.5rem 0 0; }
.member { border-top: 1px solid var(--line); padding: 0.45rem 0; }
.who { font-size: 0.85rem; }
.states { font-size: 0.85rem; }
.original { margin: 0.15rem 0 0; font-size: 1.05rem; }
.original:lang(ar), .original:lang(fa), .original:lang(ur) { font-size: 1.15rem; line-height: 1.8; }
.translation { margin: 0.1rem 0 0; font-size: 0.93rem; font-style: italic; }
mark { background: var(--mark); color: var(--mark-fg); border-radius: 3px; padding: 0 0.12em; }
.article { border: 1px solid var(--line); border-radius: 8px; margin: 0.5rem 0; padding: 0.3rem 0.7rem; }
.article > summary { cursor: pointer; padding: 0.2rem 0; }
.sentence { margin: 0.35rem 0; padding: 0.1rem 0.35rem; border-radius: 4px; }
.sentence.in-claim { background: var(--claim); }
.sentence:target { outline: 2px solid var(--link); }
.tags { font-size: 0.8rem; margin-inline-end: 0.4rem; }
.tags a { text-decoration: none; border: 1px solid var(--line); border-radius: 3px; padding: 0 0.25em; }
.gap { height: 0.6rem; }
@media (max-width: 30rem) {
  main { padding: 0.5rem 0.6rem 2rem; }
  h1 { font-size: 1.25rem; }
  .claim { padding: 0.5rem 0.55rem; }
}
"""

# Opens the whole article (a <details>) that holds the element a link points at, so "in the
# article" links work where the browser does not open <details> for a fragment by itself.
# Without it the page still reads: every <details> opens with a click.
SCRIPT = """
(function () {
  function reveal() {
    var target = document.getElementById(location.hash.slice(1));
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  if (location.hash) { reveal(); }
})();
"""


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


# allows the style sheet and the script above, by hash, and nothing else: no network, no other script
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {_sha256(STYLE)}; script-src {_sha256(SCRIPT)}; "
    "img-src 'none'; form-action 'none'; base-uri 'none'"
)
