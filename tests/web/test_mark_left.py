"""Mark someone who is here as left early, through the page's button and its confirm step: the
row says "left HH:MM"; undo takes it away again (a void row after the mark: append-only)."""
import re
import unittest

from harness import HERE_WITHIN_S, wait_for, WorldCase

AUTHOR = "Sam Facilitator"


class MarkLeft(WorldCase):
    def test_left_early_shows_the_time_and_undo_takes_it_back(self):
        room, page = self.open_room("Room 1")
        who = sorted(self.world.enrolled(room))[2]
        kiosk = self.world.kiosk("room-1")
        _, report = kiosk.scan(self.world.tokens(who)[0])
        self.assertEqual(report["outcome"], "checked_in", report)
        page.wait_row("here", who, HERE_WITHIN_S + 1)
        self.assertIsNone(page.row_texts("here", who)["left"])

        page.mark_left(who, author=AUTHOR)
        left = page.wait(lambda d: (page.row_texts("here", who) or {}).get("left"), HERE_WITHIN_S + 1,
                         "the row's left-early time")
        self.assertTrue(re.match(r"^left \d\d:\d\d — " + AUTHOR + "$", left), left)
        self.assertIsNone(page.row("here", who).find_elements("css selector", ".mark-left") or None)
        rows = wait_for(lambda: self.world.corrections(), 5, "the mark's row")
        self.assertEqual([(r["kind"], r["status"], r["reason"], r["participant_id"]) for r in rows],
                         [("mark", "left_early", "left_early", who)])

        page.undo(who, author=AUTHOR)
        page.wait(lambda d: (page.row_texts("here", who) or {"left": "gone"})["left"] is None, HERE_WITHIN_S + 1,
                  "the left-early time to go")
        self.assertIsNotNone(page.row("here", who))  # still here: the scan stands
        self.assertIsNone(page.row("missing", who))
        voids = wait_for(lambda: [r for r in self.world.corrections() if r["kind"] == "void"], 5, "the undo's row")
        self.assertEqual([v["target_uuid"] for v in voids], [rows[0]["uuid"]])
        self.assertEqual(len(self.world.corrections()), 2)
        page.wait(lambda d: page.row("here", who).find_elements("css selector", ".mark-left"), 5,
                  "the Left early button back")


if __name__ == "__main__":
    unittest.main()
