"""Screenshots of a room's register in landscape (1024x768) and portrait (768x1024), with people
here (one late), expected and a visitor. Written to $MUSTER_SCREENSHOT_DIR when set (the
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
        out = os.environ.get("MUSTER_SCREENSHOT_DIR") or os.path.join(self.world.dir, "screenshots")
        os.makedirs(out, exist_ok=True)
        for name, size in (("register-landscape.png", (1024, 768)), ("register-portrait.png", (768, 1024))):
            path = os.path.join(out, name)
            page.screenshot(path, *size)
            self.assertEqual(png_size(path), size)
            self.assertGreater(os.path.getsize(path), 10_000)  # a drawn page, not a blank one


if __name__ == "__main__":
    unittest.main()
