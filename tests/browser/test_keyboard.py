"""Everything by keyboard, with the focus always visible: a council member signs in, chooses on each dossier of
the open session with Tab, Space and the arrow keys, confirms, sends the ballot and returns from the receipt."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORDS

FOCUSED = "() => { const e = document.activeElement; return e ? (e.id || e.name || e.textContent.trim()) : ''; }"
# the focus ring of the focused element, or of the label that shows a visually hidden radio (Bootstrap btn-check)
RING = """() => {
  let e = document.activeElement;
  if (e.classList.contains('btn-check')) e = document.querySelector(`label[for="${e.id}"]`);
  const s = getComputedStyle(e);
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
}"""


def tab_to(page, wanted: str, limit: int = 120):
    """Press Tab until the focused element's id (or name, or text) matches `wanted`; its focus must show."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if re.fullmatch(wanted, page.evaluate(FOCUSED)):
            assert page.evaluate(RING), f"no visible focus on {wanted}"
            return
    pytest.fail(f"Tab never reached {wanted}")


def test_a_member_votes_with_the_keyboard_only(browser, demo_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{demo_site}/login")
    tab_to(page, "username")
    page.keyboard.type("council")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORDS["council"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("^Xin chào, "))).to_be_visible()

    page.goto(f"{demo_site}/council/sessions")
    session = page.locator("main a[href^='/council/sessions/']", has_text="bổ sung").first
    session.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#ballot-note")).to_be_visible()
    radios = page.locator("input.btn-check[value='yes']")
    assert radios.count() == 2
    first, second = (radios.nth(i).get_attribute("id").split("-")[1] for i in range(2))

    tab_to(page, f"vote-{first}-yes")  # Tab enters the group on its first choice…
    page.keyboard.press("Space")  # …Space picks it
    expect(page.locator(f"#vote-{first}-yes")).to_be_checked()
    tab_to(page, f"vote-{second}-yes")
    page.keyboard.press("ArrowRight")  # the arrow moves to "Không đồng ý" and picks it
    expect(page.locator(f"#vote-{second}-no")).to_be_checked()
    expect(page.locator(f"#vote-{second}-yes")).not_to_be_checked()

    tab_to(page, "submit")  # sent without the confirmation: refused, the choices kept
    page.keyboard.press("Enter")
    expect(page.get_by_text("Hãy đánh dấu ô xác nhận trước khi gửi phiếu.")).to_be_visible()
    expect(page.locator(f"#vote-{second}-no")).to_be_checked()
    tab_to(page, "confirm")
    page.keyboard.press("Space")
    expect(page.locator("#confirm")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator("#receipt")).to_have_text(re.compile(r"^\s*[0-9A-F]{4}(-[0-9A-F]{4}){3}\s*$"))
    tab_to(page, "Tôi đã ghi lại mã.*")
    page.keyboard.press("Enter")
    expect(page.locator("#voted")).to_contain_text("Bạn đã bỏ phiếu.")
    context.close()
