"""The staff login page (docs/staff.md, "The login page"): logging in through it, the refusals
it shows (wrong password, locked), a staff page without a session going to it, and logout."""
import unittest

from selenium.webdriver.common.by import By

from staff_harness import PASSWORD, StaffCase, add_staff, login_message, page_fetch, staff_login, staff_me


class StaffLogin(StaffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_id = add_staff(cls.world, "Ann Admin", "ann@hub.example.org", "admin")

    def test_no_session_goes_to_the_login_page_and_back_after(self):
        self.driver.get(self.world.origin + "/staff/accounts.html")
        self.wait(lambda d: d.find_elements(By.ID, "login-form"), "the login page")
        self.assertTrue(self.driver.current_url.startswith(self.world.origin + "/staff/login?next="))
        self.driver.find_element(By.ID, "email").send_keys("ann@hub.example.org")
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.driver.find_element(By.ID, "login").click()
        self.wait(lambda d: d.execute_script("return location.pathname") == "/staff/accounts.html",
                  "the page asked for at first")
        me = staff_me(self.driver)
        self.assertEqual(me["id"], self.admin_id)
        self.assertEqual(me["role"], "admin")

    def test_a_wrong_password_is_refused_with_one_message(self):
        wrong = staff_login(self.driver, self.world.origin, "ann@hub.example.org", "not the password at all",
                            expect_refusal=True)
        unknown = staff_login(self.driver, self.world.origin, "nobody@hub.example.org", "not the password at all",
                              expect_refusal=True)
        self.assertEqual(wrong, "That email and password do not match an account.")
        self.assertEqual(unknown, wrong)  # nobody learns which emails have accounts
        self.assertIsNone(staff_me(self.driver))

    def test_the_lock_is_shown_after_five_wrong_passwords(self):
        add_staff(self.world, "Cy Locked", "cy@hub.example.org", "staff")
        for _ in range(5):
            message = staff_login(self.driver, self.world.origin, "cy@hub.example.org", "wrong password typed",
                                  expect_refusal=True)
            self.assertEqual(message, "That email and password do not match an account.")
        # The fifth locked it: now even the right password is refused, and the page says for how long.
        message = staff_login(self.driver, self.world.origin, "cy@hub.example.org", PASSWORD, expect_refusal=True)
        self.assertIn("this account is locked for 1 more minute", message)
        self.assertIsNone(staff_me(self.driver))

    def test_log_out_ends_the_session(self):
        staff_login(self.driver, self.world.origin, "ann@hub.example.org")
        self.driver.get(self.world.origin + "/staff/accounts.html")
        self.wait(lambda d: d.find_elements(By.ID, "logout"), "the nav bar's Log out")
        cookie = self.driver.get_cookie("muster_staff")
        self.assertIsNotNone(cookie)
        self.driver.find_element(By.ID, "logout").click()
        self.wait(lambda d: d.find_elements(By.ID, "login-form"), "the login page after logging out")
        self.assertIsNone(self.driver.get_cookie("muster_staff"))
        # The old cookie is dead at the hub too, not only gone from the browser.
        self.driver.add_cookie({"name": "muster_staff", "value": cookie["value"], "path": "/staff/", "secure": True})
        r = page_fetch(self.driver, "/staff/api/me")
        self.assertEqual(r["status"], 401)
        self.assertEqual(r["body"]["code"], "revoked")


if __name__ == "__main__":
    unittest.main()
