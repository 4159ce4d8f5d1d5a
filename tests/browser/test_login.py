"""Signing in with a real browser: the Vietnamese login page, the greeting, the menu on a phone."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import FULL_NAME, PASSWORD, USERNAME


def _sign_in(page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=f"Xin chào, {FULL_NAME}")).to_be_visible()


def test_sign_in_and_greeting(browser, live_server, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    # Bootstrap is served from static/ (no CDN) and applied: the navbar is styled, not a bare list
    assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"
    screenshot(page, "login")

    _sign_in(page, live_server)
    assert page.url.rstrip("/") == live_server
    nav = page.get_by_role("navigation", name=re.compile("Điều hướng"))
    nav.get_by_role("button", name="Tra cứu", exact=True).click()  # the menu's group of lookups
    expect(nav.get_by_role("link", name="Đơn vị", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Cá nhân", exact=True)).to_be_visible()
    screenshot(page, "home")
    context.close()


def test_wrong_password_stays_on_login(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill("sai-mat-khau-1")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("không đúng")
    assert page.url.endswith("/login")
    context.close()


def test_phone_sized_menu(browser, live_server, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    _sign_in(page, live_server)
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    units_link = page.get_by_role("link", name="Đơn vị", exact=True)
    expect(units_link).to_be_hidden()
    toggler.click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))  # opened, animation over
    page.get_by_role("button", name="Tra cứu", exact=True).click()  # the group that holds it
    expect(units_link).to_be_visible()
    screenshot(page, "home-phone")
    context.close()
