"""Links the hub refuses show the page's problem text, not the register: a revoked link, a link
another tablet used already, and a tablet whose link is revoked while its register is open."""
import unittest

from harness import WorldCase

# A revocation ticks the hub's change clock: the server's watcher hears it within a quarter
# second, the stream checks its session before the event it would send and ends, and the page
# asks why (docs/register.md, "Live updates"). Well under a second here; 5 s for a busy machine.
STREAM_ENDS_S = 5.0


class RefusedLinks(WorldCase):
    def fresh_page(self):
        self.browser.clear_cookies()  # no session from an earlier test to fall back on
        return self.page()

    def test_a_revoked_link_does_not_open(self):
        link_id, url = self.world.link(self.world.rooms()["Room 1"])
        self.world.revoke(link_id)
        page = self.fresh_page().open(url)
        self.assertFalse(page.shows_register())
        self.assertIn("withdrew this link", page.wait_problem())

    def test_a_used_link_does_not_open_a_second_tablet(self):
        _, url = self.world.link(self.world.rooms()["Room 1"])
        self.assertEqual(self.world.exchange(url), 200)  # the first tablet
        page = self.fresh_page().open(url)
        self.assertFalse(page.shows_register())
        self.assertIn("used already", page.wait_problem())

    def test_an_open_register_closes_when_its_link_is_revoked(self):
        link_id, url = self.world.link(self.world.rooms()["Room 1"])
        page = self.fresh_page().open(url)
        self.assertTrue(page.shows_register())
        self.world.revoke(link_id)
        self.assertIn("withdrew this tablet", page.wait_problem(STREAM_ENDS_S))
        self.assertFalse(page.shows_register())


if __name__ == "__main__":
    unittest.main()
