"""Accessibility of the key pages, checked by axe-core in a real browser on the demo province.

axe-core comes from the npm registry (package.json pins it; `make test` runs `npm ci` when node is here). It is
injected into each page by Playwright and every serious or critical violation fails the page's test, with the
rule, its help and the offending elements in the message. Without node_modules/axe-core those tests are skipped;
the everyday checks at the end (printing, dates as dd/mm/yyyy, names in Vietnamese order) run anyway.
"""

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import DEMO_PASSWORDS, sign_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
needs_axe = pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm ci` at the repository "
                                                         "root (node and npm needed) to check accessibility")
BLOCKING = {"serious", "critical"}


def _follow(page, path: str, *hrefs: str) -> str:
    """Open `path`, then follow in turn the first link whose href matches each pattern; the last one's path."""
    for href in hrefs:
        page.goto(page.base + path)
        for link in page.locator("main a[href]").all():
            target = link.get_attribute("href")
            if re.fullmatch(href, target.split("?")[0].split("#")[0]):
                path = target
                break
        else:
            raise AssertionError(f"no link like {href} on {path}")
    return path


def _open_registration(page) -> str:
    """The register page of the first campaign whose page offers "Đăng ký thi đua"."""
    page.goto(page.base + "/campaigns")
    campaigns = [a.get_attribute("href") for a in page.locator("main a[href^='/campaigns/']").all()]
    for path in campaigns:
        page.goto(page.base + path)
        register = page.get_by_role("link", name="Đăng ký thi đua")
        if register.count():
            return register.first.get_attribute("href")
    raise AssertionError("no campaign open for registration")


def _open_results(page) -> str:
    """The results (minutes) page of the first council session that has them."""
    page.goto(page.base + "/council/sessions")
    sessions = [a.get_attribute("href") for a in page.locator("main a[href^='/council/sessions/']").all()]
    for path in sessions:
        page.goto(page.base + path)
        results = page.get_by_role("link", name="Kết quả kiểm phiếu")
        if results.count():
            return results.first.get_attribute("href")
    raise AssertionError("no council session with results")


# (id, who, how to find the page: a path, or (list page, href patterns…) to follow the first such links)
PAGES = [
    ("login", None, "/login"),
    ("public-list", None, ("/public/announcements", r"/public/announcements/\d+")),
    ("public-results", None, "/public/results"),
    ("public-archive", None, "/public/archive?q=nguyen"),
    ("home", "staff", "/"),
    ("campaigns", "staff", "/campaigns"),
    ("campaign-detail", "staff", ("/campaigns", r"/campaigns/\d+")),
    ("appraisal-queue", "staff", "/nominations/queue"),
    ("appraise", "staff", ("/nominations/queue", r"/nominations/\d+/appraise")),
    ("council-sessions", "staff", "/council/sessions"),
    ("council-session-staff", "staff", ("/council/sessions", r"/council/sessions/\d+")),
    ("council-results", "staff", lambda page: _open_results(page)),
    ("decision", "staff", ("/decisions", r"/decisions/\d+")),
    ("announcements", "staff", "/announcements"),
    ("feedback-cases", "staff", "/feedback"),
    ("decisions", "staff", "/decisions"),
    ("archive-search", "staff", "/archive?q=nguyen"),
    ("reports", "staff", "/reports/"),
    ("people", "staff", "/people"),
    ("registration", "officer", lambda page: _open_registration(page)),
    ("dossier-list", "officer", "/nominations"),
    ("dossier-form", "officer", "/nominations/new"),
    ("dossier-detail", "officer", ("/nominations", r"/nominations/\d+")),
    ("ballot", "council2", ("/council/sessions", r"/council/sessions/\d+")),
    ("help", None, "/help/"),
]


@pytest.fixture(scope="module")
def signed_in(browser, demo_site):
    """One browser context per account, signed in once; the page of a role is reused between checks."""
    contexts = {}

    def page_for(who):
        if who not in contexts:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=True)
            page = context.new_page()
            if who:
                sign_in(page, demo_site, who, DEMO_PASSWORDS[who])
            page.base = demo_site
            contexts[who] = page
        return contexts[who]

    yield page_for
    for page in contexts.values():
        page.context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is; the serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations) -> str:
    return json.dumps([{"rule": v["id"], "impact": v["impact"], "help": v["help"],
                        "nodes": [n["target"] for n in v["nodes"][:5]]} for v in violations],
                      ensure_ascii=False, indent=1)


@needs_axe
@pytest.mark.parametrize(("name", "who", "where"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_violations(signed_in, name, who, where):
    page = signed_in(who)
    path = where(page) if callable(where) else _follow(page, *where) if isinstance(where, tuple) else where
    response = page.goto(page.base + path)
    assert response.status == 200, (name, path, response.status)
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert not violations, f"{name} ({path}):\n{describe(violations)}"


# --- everyday polish: printing, dates, names ---------------------------------------------------------------------

def _hidden(page, selector) -> bool:
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).display === 'none'")


def test_a_public_list_prints_without_the_chrome(signed_in):
    page = signed_in(None)
    page.goto(page.base + _follow(page, "/public/announcements", r"/public/announcements/\d+"))
    page.emulate_media(media="print")
    try:
        assert _hidden(page, "nav.navbar") and _hidden(page, "footer") and _hidden(page, ".feedback-form")
        assert page.locator(".nominee").first.is_visible()
    finally:
        page.emulate_media(media="screen")


def test_the_minutes_print_as_a_plain_table(signed_in):
    page = signed_in("staff")
    page.goto(page.base + _open_results(page))
    page.emulate_media(media="print")
    try:
        assert _hidden(page, "nav.navbar") and _hidden(page, "main .btn")
        assert page.locator("#results").is_visible()
        badge = page.locator("#results .badge").first
        assert badge.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
        assert page.locator("#results thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
    finally:
        page.emulate_media(media="screen")


@pytest.mark.parametrize("path", ["/public/results", "/decisions", "/council/sessions", "/nominations/queue",
                                  "/announcements", "/archive?q=nguyen"])
def test_dates_read_day_month_year(signed_in, path):
    page = signed_in("staff")
    page.goto(page.base + path)
    text = page.locator("main").inner_text()
    assert re.search(r"\b\d{2}/\d{2}/\d{4}\b", text), f"no dd/mm/yyyy date on {path}"
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), f"an ISO date on {path}"


def test_registration_lists_people_by_given_name_the_vietnamese_way(signed_in):
    from awards.core.text import name_sort_key

    page = signed_in("officer")
    page.goto(page.base + _open_registration(page))
    labels = page.locator("select[aria-label^='Danh hiệu đăng ký của ']").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label').replace('Danh hiệu đăng ký của ', ''))")
    assert len(labels) > 5
    assert labels == sorted(labels, key=name_sort_key)
