"""The web console, end to end in headless Chromium (Debian's chromium and chromedriver through
selenium): log in with the configured password, see the charts drawn from real traffic, the
latest transactions with their symbols, the quarantine and the rules with hit counts; release
one held message (it reaches the downstream) and delete another. The test keeps a screenshot
and checks it for the charts' colours. Also the console's refusals, over plain HTTP."""
import http.client
import os
import shutil
import time
import unittest

from harness import GTUBE, FakeDownstream, Gateway, free_port, message, require_peer, send_message, wait_for

PASSWORD = "correct horse battery"
VERDICT = "[verdict]\nreject = 5000.0\nquarantine = 50.0\n"
ACCEPT_RGB = (0x16, 0xA3, 0x4A)
QUARANTINE_RGB = (0x25, 0x63, 0xEB)

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from PIL import Image
    HAVE_BROWSER = bool(shutil.which("chromium") and shutil.which("chromedriver"))
except ImportError:
    HAVE_BROWSER = False


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    out = (r.status, dict(r.getheaders()), r.read().decode())
    conn.close()
    return out


class ConsoleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.down = FakeDownstream()
        cls.admin = free_port()
        cls.gw = Gateway(downstream=cls.down.url(), shipped_rules=True,
                         extra=f'{VERDICT}[admin]\nlisten = "127.0.0.1:{cls.admin}"\n'
                               f'console_password = "{PASSWORD}"\n')

    @classmethod
    def tearDownClass(cls):
        cls.gw.stop()
        cls.down.stop()

    def send(self, subject, body):
        c = self.gw.client()
        c.banner_and_ehlo("client.test")
        code, text = send_message(c, "sender@example.net", ["bob@example.com"], message(subject, body))
        c.cmd("QUIT")
        c.close()
        self.assertEqual(code, 250, text)
        return text.rsplit(" ", 1)[-1]

    def test_refusals_without_a_session(self):
        status, _, body = request(self.admin, "GET", "/console")
        self.assertEqual(status, 200)
        self.assertIn('type="password"', body)
        status, _, _ = request(self.admin, "POST", "/console/login", "password=wrong",
                               {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 401)
        status, _, _ = request(self.admin, "GET", "/console/api/state", headers={"X-Console": "1"})
        self.assertEqual(status, 401)
        status, headers, _ = request(self.admin, "POST", "/console/login", "password=" + PASSWORD.replace(" ", "+"),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 303)
        cookie = headers["Set-Cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        token = cookie.split(";", 1)[0]
        # A foreign page can make the browser send the cookie, but not the custom header.
        status, _, _ = request(self.admin, "POST", "/console/api/quarantine/delete", "id=x",
                               {"Cookie": token, "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 403)
        status, _, body = request(self.admin, "GET", "/console/api/state", headers={"Cookie": token, "X-Console": "1"})
        self.assertEqual(status, 200)
        self.assertIn('"minutes":[', body)
        # /metrics stays open, as before.
        self.assertEqual(request(self.admin, "GET", "/metrics")[0], 200)

    @require_peer(HAVE_BROWSER, "chromium, chromedriver, selenium or PIL")
    def test_in_chromium(self):
        for i in range(4):
            self.send(f"hello {i}", "an ordinary message")
        held = self.send("held one", "buy now " + GTUBE)
        doomed = self.send("held two", "and now " + GTUBE)
        delivered_before = len(self.down.messages)

        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium")
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--window-size=1400,1300", "--force-device-scale-factor=1"):
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
        self.addCleanup(driver.quit)
        driver.set_page_load_timeout(30)
        base = f"http://127.0.0.1:{self.admin}"
        driver.get(base + "/console")
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "login").click()
        wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "body[data-loaded='1']"), timeout=20,
                 what="console loaded")

        # Charts: bars for accepted and quarantined mail in both.
        for chart in ("throughput", "actions"):
            for action in ("accept", "quarantine"):
                self.assertTrue(driver.find_elements(By.CSS_SELECTOR, f"#{chart} rect[data-action='{action}']"),
                                f"{chart} has no {action} bar")
        latest = driver.find_element(By.ID, "latest").text
        self.assertIn("GTUBE", latest)
        self.assertIn("sender@example.net", latest)
        rules = driver.find_element(By.ID, "rules").text
        self.assertRegex(rules, r"GTUBE \S+ 2 ")  # two hits so far
        quarantine = driver.find_element(By.ID, "quarantine").text
        self.assertIn("held one", quarantine)
        self.assertIn("held two", quarantine)

        shot = os.path.join(self.gw.dir, "console.png")
        driver.save_screenshot(shot)
        keep = os.environ.get("PORTCULLIS_CONSOLE_SCREENSHOT")
        if keep:
            shutil.copy(shot, keep)
        img = Image.open(shot).convert("RGB")
        colours = {}
        for rgb in img.getdata():
            colours[rgb] = colours.get(rgb, 0) + 1
        self.assertGreater(colours.get(ACCEPT_RGB, 0), 500, "no accepted-mail bars in the screenshot")
        self.assertGreater(colours.get(QUARANTINE_RGB, 0), 200, "no quarantine bars in the screenshot")

        # Release the first: it reaches the downstream with the release field, and leaves the list.
        driver.find_element(By.CSS_SELECTOR, f"button.release[data-id='{held}']").click()
        wait_for(lambda: len(self.down.messages) > delivered_before, what="release delivered")
        data = self.down.messages[-1][2].decode()
        self.assertTrue(data.startswith("X-Portcullis-Released: by admin@console on gw.test;"), data[:120])
        self.assertIn("Subject: held one", data)
        # The page reports the downstream's own answer.
        wait_for(lambda: driver.find_element(By.ID, "message").text.startswith(held + ": 250 "),
                 what="release reported")
        wait_for(lambda: held not in driver.find_element(By.ID, "quarantine").text
                 and "held one" not in driver.find_element(By.ID, "quarantine").text, what="released row gone")

        # Delete the second (the page asks first).
        driver.find_element(By.CSS_SELECTOR, f"button.delete[data-id='{doomed}']").click()
        driver.switch_to.alert.accept()
        wait_for(lambda: "Nothing held." in driver.find_element(By.ID, "quarantine").text, what="deleted")
        self.assertEqual(len(self.down.messages), delivered_before + 1)
        self.assertIn("console: quarantine " + doomed + " deleted", self.gw.log())


if __name__ == "__main__":
    from harness import main
    main()
