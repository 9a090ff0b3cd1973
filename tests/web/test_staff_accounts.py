"""The accounts page (docs/staff.md, "The accounts page"): a staff (non-admin) account neither
sees nor can use it; an admin adds an account through it, and that account logs in."""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from staff_harness import PASSWORD, StaffCase, add_staff, page_fetch, staff_login, staff_me, staff_post


class StaffAccounts(StaffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_id = add_staff(cls.world, "Ann Admin", "ann@hub.example.org", "admin")
        cls.staff_id = add_staff(cls.world, "Bo Staff", "bo@hub.example.org", "staff")

    def open_accounts(self):
        self.driver.get(self.world.origin + "/staff/accounts.html")
        self.wait(lambda d: d.find_elements(By.ID, "logout"), "the nav bar")

    def message(self):
        return self.driver.execute_script(
            "const m = document.getElementById('message'); return m.hidden ? null : m.textContent;")

    def test_a_staff_account_does_not_see_or_use_accounts(self):
        staff_login(self.driver, self.world.origin, "bo@hub.example.org")
        self.open_accounts()
        nav = self.driver.find_element(By.CSS_SELECTOR, ".staff-nav").text
        self.assertNotIn("Accounts", nav)
        self.assertIn("Events", nav)
        self.wait(lambda d: self.message(), "the page's refusal")
        self.assertEqual(self.message(), "Only a hub admin manages staff accounts.")
        self.assertFalse(self.driver.find_element(By.ID, "accounts-area").is_displayed())
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "#accounts tbody tr"), [])
        # Nor from the page's own script, with its own token.
        r = staff_post(self.driver, "/staff/api/accounts",
                       {"name": "Eve", "email": "eve@hub.example.org", "role": "admin", "password": PASSWORD})
        self.assertEqual(r["status"], 403)
        r = staff_post(self.driver, f"/staff/api/accounts/{self.admin_id}/disable")
        self.assertEqual(r["status"], 403)
        self.assertEqual(self.world.query("SELECT COUNT(*) FROM staff_accounts WHERE email = 'eve@hub.example.org'"),
                         [(0,)])

    def test_an_admin_adds_an_account_and_it_logs_in(self):
        staff_login(self.driver, self.world.origin, "ann@hub.example.org")
        self.open_accounts()
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'#accounts tr[data-account="{self.staff_id}"]'),
                  "the accounts listed")
        nav = self.driver.find_element(By.CSS_SELECTOR, ".staff-nav").text
        self.assertIn("Accounts", nav)
        # No Disable button on one's own row.
        own = self.driver.find_element(By.CSS_SELECTOR, f'#accounts tr[data-account="{self.admin_id}"]')
        self.assertEqual(own.find_elements(By.CSS_SELECTOR, "button.disable"), [])

        # Names are text, never markup.
        name = "Dee <b>New</b>"
        self.driver.find_element(By.ID, "add-name").send_keys(name)
        self.driver.find_element(By.ID, "add-email").send_keys("dee@hub.example.org")
        Select(self.driver.find_element(By.ID, "add-role")).select_by_value("staff")
        self.driver.find_element(By.ID, "add-password").send_keys("pear orchard at dusk")
        self.driver.find_element(By.ID, "add").click()
        row = self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '#accounts tr[data-email="dee@hub.example.org"]'),
                        "the new account's row")[0]
        self.assertIn(name, row.text)
        self.assertEqual(row.find_elements(By.TAG_NAME, "b"), [])
        self.assertIn("Added", self.message())
        # The audit shows it, by this admin.
        audit_row = self.wait(lambda d: [r.text for r in d.find_elements(By.CSS_SELECTOR, "#audit tbody tr")
                                         if name in r.text and "account added" in r.text], "the audit row")[0]
        self.assertIn("Ann Admin", audit_row)  # by whom

        # The new account logs in (a fresh browser session) with the password the admin typed.
        self.browser.clear_cookies()
        staff_login(self.driver, self.world.origin, "dee@hub.example.org", "pear orchard at dusk")
        me = staff_me(self.driver)
        self.assertEqual(me["name"], name)
        self.assertEqual(me["role"], "staff")

    def test_an_admin_disables_an_account_from_the_page(self):
        cy = add_staff(self.world, "Cy Staff", "cy@hub.example.org", "staff")
        staff_login(self.driver, self.world.origin, "ann@hub.example.org")
        self.open_accounts()
        row = self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'#accounts tr[data-account="{cy}"]'),
                        "Cy's row")[0]
        row.find_element(By.CSS_SELECTOR, "button.disable").click()
        # Read in the page (the table is rebuilt after each change: no element handle outlives it).
        row_text = f"const r = document.querySelector('#accounts tr[data-account=\"{cy}\"]'); return r ? r.textContent : '';"
        self.wait(lambda d: "disabled" in d.execute_script(row_text), "Cy shown disabled")
        self.assertEqual(self.world.query("SELECT disabled_ms IS NOT NULL FROM staff_accounts WHERE id = ?", cy),
                         [(1,)])
        r = page_fetch(self.driver, "/staff/api/accounts")
        self.assertNotIn("argon2", str(r["body"]))


if __name__ == "__main__":
    unittest.main()
