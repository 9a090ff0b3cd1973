"""The browser tests' world: a demo hub made by the real `muster` admin tool, the real
muster-sync-server on 127.0.0.1 (HTTPS with the hub's own certificate, as the tablets use
it), headless kiosks fed badge lines on stdin, and headless Chromium driven through
chromedriver. Everything started here is stopped by World.close(), also when a test fails.

Run with /usr/bin/python3 (Debian's, which has python3-selenium); stdlib + selenium only.
The programs' paths come from the environment (tests/web/CMakeLists.txt sets them), or from
a build folder (World(build_dir=...), for the bench). docs/register.md, "Browser tests".

Hooks for the tests that come with marks and the event stream (CONTRACT 1 and 3):
  Page.mark_present / mark_left / undo (the page's buttons and dialogs), Page.post_mark (a
  POST with the session's CSRF token; twice with one body = a retried POST), World.corrections
  (the stored rows), Page.live_state / wait_live (#live data-state), and World.stop_server /
  restart_server (same hub, same port) for stop, scan at a kiosk, restart, recover.
"""
import base64
import hashlib
import json
import os
import re
import select
import shutil
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

try:
    from selenium import webdriver
    from selenium.common.exceptions import (ElementClickInterceptedException, NoAlertPresentException,
                                            StaleElementReferenceException, TimeoutException)
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # a clear failure, never a silent skip
    sys.stderr.write("The browser tests need Selenium for /usr/bin/python3: apt-get install python3-selenium "
                     "(scripts/setup.sh installs scripts/packages.txt)\n")
    raise

# How long a scan may take to reach the page: the requirement, 1 s from the badge line
# at a headless kiosk to the row in #here (the kiosk uploads at once, the hub pushes the new
# state down the page's event stream).
HERE_WITHIN_S = 1.0
# Loading the page, exchanging the code, the first state.
PAGE_LOAD_S = 15.0


def _binaries(build_dir=None):
    """The programs under test: from the environment (ctest), else from a build folder."""
    b = build_dir or os.environ.get("MUSTER_BUILD_DIR", "")
    paths = {
        "admin": os.environ.get("MUSTER_ADMIN") or os.path.join(b, "sync-server/admin/muster"),
        "server": os.environ.get("MUSTER_SERVER") or os.path.join(b, "sync-server/server/muster-sync-server"),
        "kiosk": os.environ.get("MUSTER_KIOSK") or os.path.join(b, "kiosk/app/muster-kiosk"),
        "sign": os.environ.get("MUSTER_SIGN_BADGES") or os.path.join(b, "tests/support/muster-test-sign-badges"),
        "chromium": os.environ.get("MUSTER_CHROMIUM") or "/usr/bin/chromium",
        "chromedriver": os.environ.get("MUSTER_CHROMEDRIVER") or "/usr/bin/chromedriver",
    }
    missing = [f"{k}: {v}" for k, v in paths.items() if not os.access(v, os.X_OK)]
    if missing:
        raise RuntimeError("Missing programs for the browser tests (Chromium: apt-get install chromium "
                           "chromium-driver, or scripts/setup.sh; Muster's: build them first):\n  " + "\n  ".join(missing))
    return paths


def wait_for(condition, timeout, what, interval=0.02):
    """Polls `condition` (another process's state: a log line, a database row) until it is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


class Kiosk:
    """A headless muster-kiosk: badge lines on stdin, one JSON report a scan on stdout."""

    def __init__(self, binary, config, log_path):
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen([binary, "--headless", "--config", config], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._log)
        self._buffer = b""

    def scan(self, token, timeout=10.0):
        """Types one badge line; returns (time.time() when written, the kiosk's report)."""
        at = time.time()
        self.proc.stdin.write(token.encode() + b"\n")
        self.proc.stdin.flush()
        return at, self.read_report(timeout)

    def read_report(self, timeout):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise AssertionError(f"the kiosk wrote no report within {timeout} s (log: {self.log_path})")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"the kiosk exited (log: {self.log_path})")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
                self.proc.kill()
                self.proc.wait()
        self._log.close()


class Server:
    """The real muster-sync-server on 127.0.0.1 over HTTPS, its JSON log in a file."""

    def __init__(self, binary, config, log_path, port=0):
        self.binary, self.config, self.log_path = binary, config, log_path
        start = os.path.getsize(log_path) if os.path.exists(log_path) else 0  # a restart appends
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen([binary, "--config", config, "--listen", "127.0.0.1", "--port", str(port)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log)

        def listening():
            if self.proc.poll() is not None:
                raise AssertionError(f"muster-sync-server exited at start (log: {log_path})")
            with open(log_path, "rb") as f:
                f.seek(start)
                for line in f.read().decode(errors="replace").splitlines():
                    if '"event":"listening"' in line:
                        return json.loads(line)["port"]
            return None

        self.port = wait_for(listening, 20, "the server's listening line")

    def stop(self):
        """SIGTERM (a graceful stop), SIGKILL if it does not end."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


class Browser:
    """Headless Chromium through chromedriver, a fresh profile, trusting only the hub's key."""

    def __init__(self, paths, spki_hash, profile_dir, size=(1024, 768)):
        options = webdriver.ChromeOptions()
        options.binary_location = paths["chromium"]
        for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--user-data-dir=" + profile_dir,
                    # The hub's self-signed certificate, by its public key only (not every certificate).
                    "--ignore-certificate-errors-spki-list=" + spki_hash,
                    f"--window-size={size[0]},{size[1]}"]:
            options.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(paths["chromedriver"]), options=options)
        self.viewport(*size)

    def viewport(self, width, height):
        """The page's own viewport in CSS pixels (the window's size includes Chromium's frame)."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def clear_cookies(self):
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})

    def stop(self):
        try:
            self.driver.quit()
        except Exception:  # a browser that died already: nothing left to stop
            pass


class World:
    """A demo hub, its server, and whatever kiosks and browsers a test asks for."""

    def __init__(self, build_dir=None, keep=None):
        self.paths = _binaries(build_dir)
        self.dir = tempfile.mkdtemp(prefix="muster-web-")
        self.keep = keep if keep is not None else os.environ.get("MUSTER_WEB_KEEP") == "1"
        self.hub = os.path.join(self.dir, "hub")
        self.kiosks, self.browsers = [], []
        self.server = None
        try:
            self.admin("demo", "--replace")
            self.config = os.path.join(self.hub, "sync-server.toml")
            self.server_log = os.path.join(self.dir, "server.log")
            self.server = Server(self.paths["server"], self.config, self.server_log)
            self.port = self.server.port
            self.origin = f"https://localhost:{self.port}"
            self.spki = self._spki_hash()
        except BaseException:
            self.close()
            raise

    # ----- the hub, through the real admin tool and its database -----

    def admin(self, *args):
        r = subprocess.run([self.paths["admin"], *args, "--hub", self.hub], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"muster {' '.join(args[:2])} failed: {r.stderr.strip()}")
        return r.stdout

    def query(self, sql, *params):
        db = sqlite3.connect(f"file:{os.path.join(self.hub, 'hub.db')}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def rooms(self, event=1):
        """{name: id} of the event's rooms."""
        return {name: rid for rid, name in self.query("SELECT id, name FROM rooms WHERE event_id = ? ORDER BY id", event)}

    def enrolled(self, room_id=None, event=1):
        """Participant ids enrolled at the event (in one room when given), not withdrawn."""
        sql = ("SELECT e.participant_id FROM enrolments e JOIN participants p ON p.id = e.participant_id "
               "WHERE e.event_id = ? AND p.withdrawn_ms IS NULL")
        if room_id is None:
            return {r[0] for r in self.query(sql, event)}
        return {r[0] for r in self.query(sql + " AND e.room_id = ?", event, room_id)}

    def not_enrolled(self, event=1):
        """Participants with a badge who are not at the event at all (e.g. mentors at an ECT day)."""
        return [r[0] for r in self.query(
            "SELECT id FROM participants WHERE withdrawn_ms IS NULL AND id NOT IN "
            "(SELECT participant_id FROM enrolments WHERE event_id = ?) ORDER BY id", event)]

    def tokens(self, *participant_ids):
        """A badge line a scanner would type for each person (their current badge, signed by the hub)."""
        args = []
        for pid in participant_ids:
            serial = self.query("SELECT MAX(serial) FROM badges WHERE participant_id = ? AND revoked_ms IS NULL", pid)[0][0]
            args.append(f"{pid}:{serial or 1}")
        out = subprocess.run([self.paths["sign"], os.path.join(self.hub, "hub-key.pem"), *args],
                             capture_output=True, text=True, check=True, timeout=30).stdout
        return out.split()

    def corrections(self, uuid_=None):
        """The hub's corrections rows (all, or one uuid) as dicts: marks and undos from the register."""
        db = sqlite3.connect(f"file:{os.path.join(self.hub, 'hub.db')}?mode=ro", uri=True, timeout=5)
        db.row_factory = sqlite3.Row
        try:
            sql, params = "SELECT * FROM corrections", ()
            if uuid_ is not None:
                sql, params = sql + " WHERE uuid = ?", (uuid_,)
            return [dict(r) for r in db.execute(sql, params).fetchall()]
        finally:
            db.close()

    def device_query(self, device, sql, *params):
        """A read of a kiosk's own database (e.g. whether its sync has brought a mark down yet)."""
        path = os.path.join(self.hub, "devices", device, "device.db")
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    # ----- register links (`muster register link`) -----

    def link(self, room_id=None, event=1):
        """(link id, the page's address on this test server)."""
        args = ["register", "link", "--event", str(event)]
        if room_id is not None:
            args += ["--room", str(room_id)]
        out = self.admin(*args)
        link_id = int(re.search(r"Register link (\d+)", out).group(1))
        code = re.search(r"/register/#code=([A-Za-z0-9_-]+)", out).group(1)
        return link_id, f"{self.origin}/register/#code={code}"

    def revoke(self, link_id):
        self.admin("register", "revoke", "--id", str(link_id))

    def exchange(self, url):
        """Spends a link's code outside the browser (another tablet opened it): the HTTP status."""
        code = url.split("#code=", 1)[1]
        req = urllib.request.Request(f"{self.origin}/register/session", data=json.dumps({"code": code}).encode(),
                                     method="POST", headers={"Content-Type": "application/json", "Origin": self.origin})
        ctx = ssl.create_default_context(cafile=os.path.join(self.hub, "tls/server-cert.pem"))
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    # ----- processes -----

    def _spki_hash(self):
        """base64 SHA-256 of the server certificate's public key, for Chromium's SPKI allow-list."""
        pem = os.path.join(self.hub, "tls/server-cert.pem")
        pub = subprocess.run(["openssl", "x509", "-in", pem, "-pubkey", "-noout"], capture_output=True, check=True).stdout
        der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pub, capture_output=True,
                             check=True).stdout
        return base64.b64encode(hashlib.sha256(der).digest()).decode()

    def kiosk(self, device="room-1"):
        """A headless kiosk for one of the demo's devices (entrance-1, room-1), pointed at this server."""
        toml = os.path.join(self.hub, "devices", device, "device.toml")
        with open(toml) as f:
            text = f.read()
        text = re.sub(r'(?m)^url = .*$', f'url = "{self.origin}"', text)
        with open(toml, "w") as f:
            f.write(text)
        k = Kiosk(self.paths["kiosk"], toml, os.path.join(self.dir, f"{device}.log"))
        self.kiosks.append(k)
        return k

    def browser(self, size=(1024, 768)):
        profile = tempfile.mkdtemp(prefix="profile-", dir=self.dir)
        b = Browser(self.paths, self.spki, profile, size)
        self.browsers.append(b)
        return b

    # ----- hooks for the recovery test (stop the server, scan, restart it on the same port) -----

    def stop_server(self):
        if self.server:
            self.server.stop()
            self.server = None

    def restart_server(self):
        """The same hub and port, so kiosks and open pages find it again."""
        self.server = Server(self.paths["server"], self.config, self.server_log, port=self.port)

    def close(self):
        for b in self.browsers:
            b.stop()
        for k in self.kiosks:
            k.stop()
        if self.server:
            self.server.stop()
        if self.keep:
            sys.stderr.write(f"(kept {self.dir})\n")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


class Page:
    """The register page in one browser: waits on conditions (WebDriverWait), never sleeps."""

    def __init__(self, browser):
        self.b = browser
        self.d = browser.driver

    def open(self, url):
        # From a blank page: a link differing from the open page only after '#' would be a
        # same-document navigation, and the page would not load again.
        self.d.get("about:blank")
        self.d.get(url)
        self.wait(lambda d: not self._hidden("register") or not self._hidden("problem"), PAGE_LOAD_S,
                  "the register or its problem to show")
        return self

    def wait(self, condition, timeout, what):
        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.02).until(condition)
        except TimeoutException:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None

    def _hidden(self, element_id):
        return self.d.execute_script(f"const e = document.getElementById('{element_id}'); return !e || e.hidden;")

    def shows_register(self):
        return not self._hidden("register")

    def problem(self):
        """The problem text when the page shows one, else None."""
        if self._hidden("problem"):
            return None
        return self.d.find_element(By.ID, "problem-text").text

    def wait_problem(self, timeout=PAGE_LOAD_S):
        return self.wait(lambda d: self.problem(), timeout, "the page's problem text")

    def ids(self, list_id):
        """The participant ids of a list's rows (#here, #missing, #visitors), in page order."""
        return [int(x) for x in self.d.execute_script(
            f"return [...document.querySelectorAll('#{list_id} li[data-participant]')].map(li => li.dataset.participant);")]

    def row(self, list_id, participant_id):
        found = self.d.find_elements(By.CSS_SELECTOR, f'#{list_id} li[data-participant="{participant_id}"]')
        return found[0] if found else None

    def row_texts(self, list_id, participant_id):
        """{name, school, time, late, tag, by_hand, note, left} of a row, as the page shows them
        (textContent; None for a part the row does not have)."""
        return self.d.execute_script(
            "const li = document.querySelector(arguments[0]); if (!li) return null;"
            "const t = (s) => { const e = li.querySelector(s); return e ? e.textContent : null; };"
            "return {name: t('.name'), school: t('.school'), time: t('.time'), late: t('.late'), tag: t('.tag'),"
            "        by_hand: t('.by-hand'), note: t('.note'), left: t('.left-early')};",
            f'#{list_id} li[data-participant="{participant_id}"]')

    def wait_row(self, list_id, participant_id, timeout):
        return self.wait(lambda d: self.row(list_id, participant_id), timeout,
                         f"participant {participant_id} in #{list_id}")

    def count(self, name):
        return int(self.d.find_element(By.ID, f"count-{name}").text)

    def fetch(self, path, method="GET", body=None, headers=None):
        """fetch() from the page's own JavaScript context (its cookie, its origin): {status, body}."""
        return self.d.execute_async_script(
            "const [path, method, body, headers, done] = arguments;"
            "fetch(path, {method, headers, body, credentials: 'same-origin', cache: 'no-store'})"
            "  .then(async r => done({status: r.status, body: await r.text()}))"
            "  .catch(e => done({status: -1, body: String(e)}));",
            path, method, body, headers or {})

    def csrf_token(self):
        """The session's CSRF token, as a reloaded page asks for it (GET /register/session)."""
        r = self.fetch("/register/session")
        return json.loads(r["body"])["csrf_token"]

    def alert_present(self):
        try:
            self.d.switch_to.alert
            return True
        except NoAlertPresentException:
            return False

    def screenshot(self, path, width, height):
        self.b.viewport(width, height)
        self.wait(lambda d: d.execute_script("return [innerWidth, innerHeight]") == [width, height], 5,
                  f"a {width}x{height} viewport")
        # Two animation frames: the layout for the new size is painted before the capture.
        self.d.execute_async_script("const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));")
        self.d.save_screenshot(path)

    # ----- arrival times recorded in the page (the bench and the latency checks) -----

    def watch_arrivals(self):
        """A MutationObserver notes, in page time (performance.timeOrigin + now), when each
        participant's row first appears in #here: comparable with time.time() on this machine."""
        self.d.execute_script(
            "window.__arrived = window.__arrived || {};"
            "const note = () => { const at = performance.timeOrigin + performance.now();"
            "  for (const li of document.querySelectorAll('#here li[data-participant]'))"
            "    if (!(li.dataset.participant in window.__arrived)) window.__arrived[li.dataset.participant] = at; };"
            "note(); new MutationObserver(note).observe(document.getElementById('here'), {childList: true, subtree: true});")

    def arrived_at(self, participant_id, timeout):
        """time.time() (seconds) at which the page showed the person in #here."""
        ms = self.wait(lambda d: d.execute_script("return (window.__arrived || {})[arguments[0]];", str(participant_id)),
                       timeout, f"participant {participant_id} in #here")
        return ms / 1000.0

    # ----- hooks for the tests the lead adds with marks and the event stream (CONTRACT 3, 1) -----

    def live_state(self):
        """#live's data-state: 'live' or 'down' (the event stream's indicator)."""
        return self.d.find_element(By.ID, "live").get_attribute("data-state")

    def wait_live(self, state, timeout):
        return self.wait(lambda d: self.live_state() == state, timeout, f"#live data-state={state}")

    def set_author(self, name):
        """Answers the name dialog (asked once, then kept in localStorage) if it is open."""
        # The name dialog opens from the button's click handler, in the same task as the click:
        # it is open (or not needed) by the time the click returns.
        dialogs = self.d.find_elements(By.ID, "name-dialog")
        if dialogs and dialogs[0].is_displayed():
            field = self.d.find_element(By.ID, "author-name")
            field.clear()
            field.send_keys(name)
            self.d.find_element(By.ID, "author-save").click()

    def click_in_row(self, list_id, participant_id, selector, timeout=PAGE_LOAD_S):
        """Clicks a button of a person's row as a finger would: scrolled to the middle of the
        screen (not under the sticky header), found again if a new state redrew the row."""
        def click(d):
            found = d.find_elements(By.CSS_SELECTOR, f'#{list_id} li[data-participant="{participant_id}"] {selector}')
            if not found:
                return False
            try:
                d.execute_script("arguments[0].scrollIntoView({block: 'center'});", found[0])
                found[0].click()
                return True
            except (StaleElementReferenceException, ElementClickInterceptedException):
                return False
        self.wait(click, timeout, f"{selector} of participant {participant_id} in #{list_id} to click")

    def mark_present(self, participant_id, reason="forgot_badge", note="", author="Test Facilitator"):
        """Marks someone on the expected list present through the page's own buttons."""
        self.click_in_row("missing", participant_id, ".mark-present")
        # The page asks the name at the first mark (then keeps it), before its mark dialog.
        self.set_author(author)
        self.wait(lambda d: d.find_element(By.ID, "mark-dialog").is_displayed(), 5, "the mark dialog")
        self.d.execute_script("document.getElementById('mark-reason').value = arguments[0];", reason)
        self._confirm_mark(note)

    def _confirm_mark(self, note):
        self.wait(lambda d: d.find_element(By.ID, "mark-dialog").is_displayed(), 5, "the mark dialog")
        note_field = self.d.find_element(By.ID, "mark-note")
        note_field.clear()
        if note:
            note_field.send_keys(note)
        self.d.find_element(By.ID, "mark-confirm").click()
        self.wait(lambda d: not d.find_element(By.ID, "mark-dialog").is_displayed(), 5, "the mark dialog to close")

    def mark_left(self, participant_id, note="", author="Test Facilitator"):
        """Marks someone in #here as left early: the button, the name (first mark only), then the
        confirm step in #mark-dialog."""
        self.click_in_row("here", participant_id, ".mark-left")
        self.set_author(author)
        self._confirm_mark(note)

    def undo(self, participant_id, author="Test Facilitator"):
        """The row's first .undo (the newest mark: "Undo left" before "Undo mark")."""
        self.click_in_row("here", participant_id, ".undo")
        self.set_author(author)

    def post_mark(self, body, csrf=None):
        """POST /register/api/marks from the page with the session's token: {status, body}. Call it
        twice with one body for the retried POST (201, then 200 and one record)."""
        token = csrf if csrf is not None else self.csrf_token()
        return self.fetch("/register/api/marks", "POST", json.dumps(body),
                          {"Content-Type": "application/json", "X-CSRF-Token": token})

    @staticmethod
    def new_uuid():
        return str(uuid.uuid4())


def png_size(path):
    """(width, height) from a PNG's IHDR chunk."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{path} is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


class WorldCase(unittest.TestCase):
    """One world (hub, server, one browser) for a test file's tests; closed even when one fails."""

    @classmethod
    def setUpClass(cls):
        cls.world = World()
        cls.addClassCleanup(cls.world.close)
        cls.browser = cls.world.browser()

    def page(self):
        return Page(self.browser)

    def open_room(self, room_name="Room 1"):
        """A fresh room link opened in this file's browser (no cookie left from an earlier test)."""
        self.browser.clear_cookies()
        room = self.world.rooms()[room_name]
        _, url = self.world.link(room)
        page = self.page().open(url)
        self.assertTrue(page.shows_register(), f"the register did not open: {page.problem()}")
        return room, page
