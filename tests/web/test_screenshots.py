"""Screenshots of a room's register in landscape (1024x768) and portrait (768x1024), with people
here (one late, one marked by hand, one left early), expected and a visitor. Written to $MUSTER_SCREENSHOT_DIR when set (the
reference pictures: MUSTER_SCREENSHOT_DIR=$PWD/docs/screenshots ctest --test-dir build/dev
-R web_screenshots), else to the test's own folder."""
import os
import unittest

from harness import HERE_WITHIN_S, WorldCase, png_size


class Screenshots(WorldCase):
    def test_register_screenshots_landscape_and_portrait(self):
        room, page = self.open_room("Room 1")
        kiosk = self.world.kiosk("room-1")
        people = sorted(self.world.enrolled(room))[:6] + self.world.not_enrolled()[:1]
        for token in self.world.tokens(*people):
            kiosk.scan(token)
        for who in people[:6]:
            page.wait_row("here", who, HERE_WITHIN_S + 1)
        page.wait_row("visitors", people[6], HERE_WITHIN_S + 1)
        # Marks from the tablet: one person present by hand, one left early.
        by_hand = sorted(self.world.enrolled(room))[6]
        page.mark_present(by_hand, reason="forgot_badge", note="Badge left at home", author="Sam Facilitator")
        page.wait(lambda d: (page.row_texts("here", by_hand) or {}).get("by_hand"), HERE_WITHIN_S + 1,
                  "the row marked by hand")
        # The row under it (in sight at the top of both pictures) leaves early.
        left_early = next(p for p in page.ids("here") if p != by_hand)
        page.mark_left(left_early, author="Sam Facilitator")
        page.wait(lambda d: (page.row_texts("here", left_early) or {}).get("left"), HERE_WITHIN_S + 1,
                  "the row marked left early")
        page.d.execute_script("window.scrollTo(0, 0); document.activeElement.blur();")
        # The marks' confirmations (toasts) fade after 5 s: the pictures show the register alone.
        page.wait(lambda d: not d.find_element("id", "toast").is_displayed(), 7, "the toast to go")
        out = os.environ.get("MUSTER_SCREENSHOT_DIR") or os.path.join(self.world.dir, "screenshots")
        os.makedirs(out, exist_ok=True)
        for name, size in (("register-landscape.png", (1024, 768)), ("register-portrait.png", (768, 1024))):
            path = os.path.join(out, name)
            page.screenshot(path, *size)
            self.assertEqual(png_size(path), size)
            self.assertGreater(os.path.getsize(path), 10_000)  # a drawn page, not a blank one


if __name__ == "__main__":
    unittest.main()
