"""A name that looks like HTML is shown as those characters: no element made from it, no
script run (the page sets textContent, never HTML)."""
import unittest

from harness import HERE_WITHIN_S, WorldCase

from selenium.webdriver.common.by import By

NAME = "<img src=x onerror=alert(1)>"


class NamesAsText(WorldCase):
    def test_a_name_like_html_is_shown_as_text(self):
        room = self.world.rooms()["Room 1"]
        who, scanned = sorted(self.world.enrolled(room))[:2]
        self.world.admin("roster", "edit", str(who), "--first-name", NAME)
        self.world.admin("roster", "edit", str(scanned), "--last-name", NAME)
        _, page = self.open_room("Room 1")
        self.world.kiosk("room-1").scan(self.world.tokens(scanned)[0])
        page.wait_row("here", scanned, HERE_WITHIN_S + 1)
        self.assertTrue(page.row_texts("missing", who)["name"].startswith(NAME))
        self.assertTrue(page.row_texts("here", scanned)["name"].endswith(NAME))
        self.assertEqual(page.d.find_elements(By.TAG_NAME, "img"), [])
        self.assertFalse(page.alert_present())


if __name__ == "__main__":
    unittest.main()
