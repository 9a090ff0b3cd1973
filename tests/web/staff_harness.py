"""The staff pages' browser-test helpers (docs/staff.md), on top of harness.py: staff accounts
made by the real admin tool (password on stdin, at the hub's own Argon2 cost: each login takes
about half a second, so keep them few), and a login through the real login page.

    from staff_harness import StaffCase, add_staff, staff_login
    class MyTest(StaffCase):
        def test_x(self):
            add_staff(self.world, "Ann Admin", "ann@hub.example.org", "admin", "plum orchard at noon")
            staff_login(self.browser.driver, self.world.origin, "ann@hub.example.org", "plum orchard at noon")
"""
import json
import re
import subprocess

from selenium.common.exceptions import JavascriptException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import PAGE_LOAD_S, WorldCase

# One password for test accounts: 12 characters or more and not on the refused list.
PASSWORD = "plum orchard at noon"


def add_staff(hub, name, email, role="staff", password=PASSWORD):
    """Adds an account with `muster staff add` (the password on stdin); its id. hub: the World."""
    r = subprocess.run([hub.paths["admin"], "staff", "add", "--name", name, "--email", email, "--role", role,
                        "--hub", hub.hub], input=password + "\n", capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"muster staff add failed: {r.stderr.strip()}")
    return int(re.search(r"Staff account (\d+) added", r.stdout).group(1))


def _wait(driver, condition, timeout, what):
    # A page navigating away under a check (a login going on, a list rebuilt) is asked again.
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.02,
                             ignored_exceptions=(StaleElementReferenceException, JavascriptException)).until(condition)
    except TimeoutException:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None


def open_login(driver, base_url):
    driver.get(base_url + "/staff/login")
    _wait(driver, lambda d: d.find_elements(By.ID, "login-form"), PAGE_LOAD_S, "the login page")


def login_message(driver):
    """The login page's refusal text, or None while it shows none (read in one script: the
    page may be navigating away meanwhile)."""
    return driver.execute_script(
        "const m = document.getElementById('message'); return m && !m.hidden && m.textContent ? m.textContent : null;")


def staff_login(driver, base_url, email, password=PASSWORD, expect_refusal=False):
    """Logs in through the real login page. Returns None once the browser has left the login
    page (logged in); with expect_refusal, waits for and returns the page's refusal message
    (and fails if it logged in)."""
    open_login(driver, base_url)
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login").click()

    # One script reads the page's state: "left" once it is not the login page, "refused" once
    # it shows a refusal and is ready for another try.
    state = ("if (!location.pathname.startsWith('/staff/login')) return 'left';"
             "const f = document.getElementById('login-form'), b = document.getElementById('login');"
             "const m = document.getElementById('message');"
             "if (f && b && m && f.dataset.refusal && !b.disabled && !m.hidden && m.textContent) return 'refused';"
             "return null;")

    def done(d):
        return d.execute_script(state)

    outcome = _wait(driver, done, PAGE_LOAD_S, "the login to be accepted or refused")
    if expect_refusal:
        if outcome != "refused":
            raise AssertionError("the login page let the browser in")
        return login_message(driver)
    if outcome != "left":
        raise AssertionError(f"the login was refused: {login_message(driver)}")
    return None


def staff_log_in(driver, base_url, email, password=PASSWORD):
    """staff_login for a test that only needs to be logged in: the login's own check may race
    the login page leaving (a stale element while it reads the page the login has just
    replaced); what counts is that the browser then has a session (/staff/api/me answers)."""
    try:
        staff_login(driver, base_url, email, password)
    except StaleElementReferenceException:
        pass
    if not staff_me(driver):
        raise AssertionError("the login did not give a session")


def page_fetch(driver, path, method="GET", body=None, headers=None):
    """fetch() from the page's own context (its cookie, its origin): {status, body (parsed or None)}."""
    r = driver.execute_async_script(
        "const [path, method, body, headers, done] = arguments;"
        "fetch(path, {method, headers, body, credentials: 'same-origin', cache: 'no-store', redirect: 'manual'})"
        "  .then(async r => done({status: r.status, body: await r.text()}))"
        "  .catch(e => done({status: -1, body: String(e)}));",
        path, method, body, headers or {})
    try:
        r["body"] = json.loads(r["body"])
    except (ValueError, TypeError):
        r["body"] = None
    return r


def staff_me(driver):
    """GET /staff/api/me from the page: the JSON ({id, name, role, csrf}) or None without a session."""
    r = page_fetch(driver, "/staff/api/me")
    return r["body"] if r["status"] == 200 else None


def staff_post(driver, path, body=None, csrf=None):
    """A POST from the page with the session's CSRF token (or `csrf` when given) and JSON."""
    token = csrf if csrf is not None else (staff_me(driver) or {}).get("csrf", "")
    headers = {"X-CSRF-Token": token}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body)
    return page_fetch(driver, path, "POST", data, headers)


class StaffCase(WorldCase):
    """One world and browser per test file (harness.WorldCase); each test starts logged out."""

    def setUp(self):
        self.browser.clear_cookies()
        self.driver = self.browser.driver

    def wait(self, condition, what, timeout=PAGE_LOAD_S):
        return _wait(self.driver, condition, timeout, what)
