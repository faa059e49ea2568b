"""Real-browser tests of Jobsmith's web UI: headless Chromium driven by Selenium.

Run by scripts/checks/browser.sh against a gateway (and the four other services) it started on a
fresh database:

    JOBSMITH_BASE_URL=http://127.0.0.1:PORT            the gateway
    JOBSMITH_TEST_DATABASE_URL=postgresql://...         its database (the queue test empties master_cvs)
    JOBSMITH_SCREENSHOT_DIR=/path                       where screenshots go
    JOBSMITH_ROOT=/path/to/repository

The ids and attributes used here are the UI contract (docs kept beside the pages). The tests run in
order (test_01 … test_11) and share one browser and the jobs they find. Every test fails on a SEVERE
console error raised by the app's own scripts (/assets/*.js).

Pinned: selenium 4.27.1 (installed by browser.sh), Chromium and chromedriver from Debian.
"""

import json
import os
import re
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ.get("JOBSMITH_BASE_URL", "http://127.0.0.1:18080").rstrip("/")
DATABASE_URL = os.environ.get("JOBSMITH_TEST_DATABASE_URL", "")
ROOT = os.environ.get("JOBSMITH_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
SHOTS = os.environ.get("JOBSMITH_SCREENSHOT_DIR", os.path.join(ROOT, ".build", "browser-screenshots", "adhoc"))


# ---------------------------------------------------------------------------------------------------
# The REST API, straight (no browser): loopback without GATEWAY_API_TOKEN accepts writes.

def api(method, path, body=None, content_type="application/json"):
    data = None
    headers = {"Accept": "application/json"}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw and raw[:1] in b"{[" else raw)
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw


def api_ok(method, path, body=None, content_type="application/json"):
    status, answer = api(method, path, body, content_type)
    if status >= 300:
        raise AssertionError(f"{method} {path} answered {status}: {answer}")
    return answer


def eventually(predicate, timeout, what, interval=0.5):
    """Polls predicate until it returns something truthy; fails with `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except Exception as error:  # noqa: BLE001 - a poll may race the page; try again
            last = error
        if last and not isinstance(last, Exception):
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def all_jobs(**query):
    query.setdefault("per_page", 200)
    qs = "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in query.items())
    return api_ok("GET", f"/api/jobs?{qs}")["items"]


def first_number(text):
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else None


class BrowserTests(unittest.TestCase):
    driver = None
    job_id = None  # the job the job-page tests work on
    console_seen = []

    @classmethod
    def setUpClass(cls):
        os.makedirs(SHOTS, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,900", "--hide-scrollbars"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        cls.driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        cls.driver.set_page_load_timeout(30)

    @classmethod
    def tearDownClass(cls):
        if cls.driver:
            cls.driver.quit()

    def tearDown(self):
        # Console errors thrown by the app's own scripts fail the test that was running.
        own = []
        for entry in self.driver.get_log("browser"):
            message = entry.get("message", "")
            if entry.get("level") == "SEVERE" and re.search(re.escape(BASE) + r"/assets/[\w.-]+\.js", message):
                own.append(message)
        if own:
            self.screenshot(f"console-error-{self._testMethodName}")
        self.assertEqual(own, [], "SEVERE console errors from the app's scripts")

    # -- helpers -----------------------------------------------------------------------------------

    def open(self, path):
        self.driver.get(BASE + path)
        WebDriverWait(self.driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def wait(self, condition, timeout=20, what="the page"):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.25,
                                 ignored_exceptions=[StaleElementReferenceException]).until(condition)
        except TimeoutException:
            self.screenshot(f"timeout-{self._testMethodName}")
            raise AssertionError(f"timed out after {timeout}s waiting for {what}") from None

    def css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def screenshot(self, name):
        path = os.path.join(SHOTS, re.sub(r"[^\w.-]+", "_", name) + ".png")
        self.driver.save_screenshot(path)
        return path

    def job_rows(self):
        return self.css("#jobs-table tr[data-job-id]")

    def row_ids(self):
        return [int(row.get_attribute("data-job-id")) for row in self.job_rows()]

    def set_theme(self, theme):
        self.driver.execute_script("localStorage.setItem('jobsmith-theme', arguments[0])", theme)

    def ensure_job_with_cv(self):
        """A job the pipeline took all the way to a CV (set by test_03; found again when run alone)."""
        if BrowserTests.job_id is None:
            jobs = eventually(lambda: [j for j in all_jobs() if j["stages"].get("cv")], 150, "a job with a CV")
            BrowserTests.job_id = jobs[0]["id"]
        return BrowserTests.job_id

    # -- 1. ingestion ------------------------------------------------------------------------------

    def test_01_ingest_fills_jobs_table(self):
        api_ok("POST", "/api/ingest/sample/run")
        self.open("/")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "body").get_attribute("data-page"), "jobs")

        def rows_after_reload(driver):
            if self.job_rows():
                return True
            time.sleep(1)
            driver.refresh()
            return False
        self.wait(rows_after_reload, 90, "job rows in #jobs-table")
        self.assertTrue(self.css("#jobs-table tr[data-job-id] a.job-link[href^='/jobs/']"))
        # The rest of the tests want the pipeline done for at least one job: extraction, research, CV.
        eventually(lambda: [j for j in all_jobs() if j["stages"].get("cv")], 150, "the pipeline to write a CV")

    # -- 2. filtering ------------------------------------------------------------------------------

    def test_02_search_narrows_rows(self):
        jobs = all_jobs()
        self.assertGreater(len(jobs), 1, "need several jobs to filter")
        # A word from one title that the API's full-text search finds in some jobs but not all.
        word, expected = None, None
        for job in jobs:
            for candidate in re.findall(r"[A-Za-z]{5,}", job["title"]):
                found = {j["id"] for j in all_jobs(q=candidate)}
                if 0 < len(found) < len(jobs):
                    word, expected = candidate, found
                    break
            if word:
                break
        self.assertIsNotNone(word, "no title word narrows the list")
        self.open("/")
        self.wait(lambda d: self.job_rows(), 30, "job rows")
        before = len(self.job_rows())
        search = self.driver.find_element(By.ID, "job-search")
        search.clear()
        search.send_keys(word)
        self.driver.find_element(By.ID, "apply-filters").click()
        self.wait(lambda d: self.job_rows() and set(self.row_ids()) == expected, 20,
                  f"the rows matching '{word}' ({sorted(expected)})")
        self.assertLess(len(self.job_rows()), before)

    # -- 3. the job page ---------------------------------------------------------------------------

    def test_03_open_job_page(self):
        self.open("/")
        self.wait(lambda d: self.job_rows(), 30, "job rows")
        with_cv = {j["id"] for j in all_jobs() if j["stages"].get("cv")}
        link = next((row.find_element(By.CSS_SELECTOR, "a.job-link") for row in self.job_rows()
                     if int(row.get_attribute("data-job-id")) in with_cv), None)
        self.assertIsNotNone(link, "no row for a job with a CV")
        href = link.get_attribute("href")
        BrowserTests.job_id = int(href.rstrip("/").rsplit("/", 1)[-1])
        link.click()
        self.wait(lambda d: d.current_url.endswith(f"/jobs/{BrowserTests.job_id}"), 15, "the job page URL")
        self.wait(lambda d: self.css("#description .jd-section"), 30, "#description .jd-section")
        self.assertEqual(self.driver.find_element(By.ID, "job").get_attribute("data-job-id"), str(BrowserTests.job_id))
        self.assertTrue(self.driver.find_element(By.ID, "job-title").text.strip())

    # -- 4. annotating -----------------------------------------------------------------------------

    def test_04_annotate_raises_coverage(self):
        job = self.ensure_job_with_cv()
        self.open(f"/jobs/{job}")
        self.wait(lambda d: self.css("#description .jd-section .section-text"), 30, "section texts")
        # The first section with enough plain text to select a phrase from (by index: the page may
        # re-render its sections after loading, so elements are looked up again each time).
        time.sleep(1)
        index = self.driver.execute_script("""
            for (const s of document.querySelectorAll('#description .jd-section')) {
              const t = s.querySelector('.section-text');
              if (t && t.textContent.trim().length > 30) return s.dataset.sectionIndex;
            }
            return null;""")
        self.assertIsNotNone(index, "no section with text")
        section_selector = f"#description .jd-section[data-section-index='{index}']"
        before = self.driver.find_element(By.CSS_SELECTOR, section_selector + " .coverage").text
        selected = self.driver.execute_script("""
            const text = document.querySelector(arguments[0] + ' .section-text');
            const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && node.textContent.trim().length < 20) {}
            if (!node) return null;
            const start = node.textContent.search(/\\S/);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, Math.min(node.textContent.length, start + 18));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            text.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
            document.dispatchEvent(new Event('selectionchange'));
            return selection.toString();""", section_selector)
        self.assertTrue(selected, "could not select text")
        self.wait(lambda d: d.find_element(By.ID, "annotation-dialog").get_attribute("open") is not None, 10,
                  "#annotation-dialog to open")
        for field in ("annotation-relevance", "annotation-requirement", "annotation-passion", "annotation-identity"):
            select = Select(self.driver.find_element(By.ID, field))
            values = [o.get_attribute("value") for o in select.options if o.get_attribute("value")]
            if values:
                select.select_by_value(values[-1])
        self.driver.find_element(By.ID, "annotation-note").send_keys("browser test note")
        self.driver.find_element(By.ID, "annotation-save").click()
        self.wait(lambda d: (first_number(d.find_element(By.CSS_SELECTOR, section_selector + " .coverage").text) or 0)
                  > (first_number(before) or 0), 15, f"coverage of section {index} to rise from '{before}'")
        self.assertTrue(self.css(section_selector + " mark.annotation[data-annotation-id]"))

    # -- 5. operations -----------------------------------------------------------------------------

    def test_05_operation_from_job_page(self):
        job = self.ensure_job_with_cv()
        self.open(f"/jobs/{job}")
        button = self.wait(lambda d: d.find_element(By.CSS_SELECTOR, 'button[data-operation="full-extraction"]'), 20,
                           "the full-extraction button")
        runs = lambda: {r["id"]: r for key in ("running", "queued", "failed", "recent")  # noqa: E731
                        for r in api_ok("GET", f"/api/operations?job_id={job}")[key] if r["operation"] == "full-extraction"}
        known = set(runs())
        button.click()
        run = eventually(lambda: [r for i, r in runs().items() if i not in known], 20, "the new full-extraction run")[0]
        self.wait(lambda d: d.find_element(By.ID, "operation-status").text.strip() == "succeeded"
                  and runs()[run["id"]]["status"] == "succeeded", 90, "#operation-status to read succeeded")
        self.wait(lambda d: self.css("#operation-log .line"), 10, "#operation-log lines")

    # -- 6. the CV editor --------------------------------------------------------------------------

    def test_06_edit_and_save_cv(self):
        job = self.ensure_job_with_cv()
        self.open(f"/jobs/{job}")
        editor = self.wait(lambda d: d.find_element(By.ID, "cv-editor") if d.find_element(By.ID, "cv-editor")
                           .get_attribute("value").strip() else None, 30, "#cv-editor with the CV")
        versions = lambda: len(self.css("#cv-versions [data-document-id]"))  # noqa: E731
        before = versions()
        marker = f"Browser test edit {int(time.time())}"
        editor.send_keys("\n\n" + marker)
        self.wait(lambda d: marker in d.find_element(By.ID, "cv-preview").text, 10, "the live preview")
        self.driver.find_element(By.ID, "cv-save").click()
        self.wait(lambda d: self.css("#toasts .toast.success"), 15, "a success toast")
        self.wait(lambda d: versions() > before, 15, f"a new version in #cv-versions (had {before})")

    # -- 7. bulk actions ---------------------------------------------------------------------------

    def test_07_bulk_discard(self):
        self.open("/")
        self.wait(lambda d: len(self.job_rows()) >= 3, 30, "three job rows")
        targets = [i for i in self.row_ids() if i != BrowserTests.job_id][:2]
        for job in targets:
            box = self.driver.find_element(By.CSS_SELECTOR, f'tr[data-job-id="{job}"] input.select-job[type=checkbox]')
            if not box.is_selected():
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
                box.click()
        Select(self.driver.find_element(By.ID, "bulk-action")).select_by_value("discard")
        self.wait(lambda d: d.find_element(By.ID, "bulk-apply").is_enabled(), 5, "#bulk-apply to be enabled")
        self.driver.find_element(By.ID, "bulk-apply").click()
        try:  # a confirmation, if the page asks for one
            WebDriverWait(self.driver, 2, ignored_exceptions=[NoAlertPresentException]).until(lambda d: d.switch_to.alert).accept()
        except TimeoutException:
            pass

        def discarded(driver):
            for job in targets:
                cells = self.css(f'tr[data-job-id="{job}"] td.job-status')
                if cells and "discarded" not in cells[0].text.lower():
                    return False
            return True
        self.wait(discarded, 20, f"jobs {targets} to show discarded")
        for job in targets:
            self.assertEqual(api_ok("GET", f"/api/jobs/{job}")["job"]["status"], "discarded")

    # -- 8. the queue: retrying a failed run -------------------------------------------------------

    def test_08_retry_failed_run_on_queue_page(self):
        # A real failure: browser.sh starts the cv-generator with an unreadable MASTER_CV_PATH, so it
        # only ever reads the master CV the gateway and the extraction service seeded into PostgreSQL.
        # Emptying master_cvs leaves it nothing to write from, and a forced generate-cv run fails in
        # its handler (CVGenerationError.noMasterCV). The generator re-reads PostgreSQL after its 5 s
        # cache, hence the pause. PUT /api/master-cv then fixes the cause, and Retry must succeed.
        # Nothing else may read the master CV meanwhile (a gateway/extraction read would re-seed it).
        self.assertTrue(DATABASE_URL, "JOBSMITH_TEST_DATABASE_URL is needed to empty master_cvs")
        job = self.ensure_job_with_cv()
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", DATABASE_URL, "-c", "DELETE FROM master_cvs"],
                       check=True, capture_output=True)
        time.sleep(6)
        run = api_ok("POST", f"/api/jobs/{job}/operations/generate-cv", {"force": True})
        run_id = run.get("id") or run.get("operation_id") or run.get("run", {}).get("id")
        self.assertTrue(run_id, f"no run id in {run}")
        status = lambda: api_ok("GET", f"/api/operations/{run_id}")["run"]["status"]  # noqa: E731
        eventually(lambda: status() in ("failed", "succeeded", "cancelled"), 60, f"run {run_id} to end")
        self.assertEqual(status(), "failed", "the generate-cv run without a master CV should fail")

        with open(os.path.join(ROOT, "samples", "master-cv.json"), "rb") as file:
            api_ok("PUT", "/api/master-cv", file.read())
        self.open("/queue")
        retry = self.wait(lambda d: d.find_element(
            By.CSS_SELECTOR, f'#queue-failed [data-run-id="{run_id}"] button[data-action="retry"]'), 20,
            f"run {run_id} with a retry button under #queue-failed")
        retry.click()
        self.wait(lambda d: any(e.text.strip() == "succeeded" for e in
                                self.css(f'[data-run-id="{run_id}"] .run-status')), 60,
                  f"run {run_id} to show succeeded on the queue page")
        self.assertEqual(status(), "succeeded")

    # -- 9. theme ----------------------------------------------------------------------------------

    def test_09_theme_toggle_persists(self):
        self.open("/queue")
        self.driver.execute_script("localStorage.removeItem('jobsmith-theme')")
        self.driver.refresh()
        effective = "return document.documentElement.getAttribute('data-theme') || " \
                    "(matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')"
        before = self.driver.execute_script(effective)
        self.driver.find_element(By.ID, "theme-toggle").click()
        after = self.wait(lambda d: d.execute_script("return document.documentElement.getAttribute('data-theme')"), 5,
                          "html[data-theme]")
        self.assertIn(after, ("light", "dark"))
        self.assertNotEqual(after, before)
        self.driver.refresh()
        self.assertEqual(self.driver.execute_script("return document.documentElement.getAttribute('data-theme')"), after)
        self.driver.execute_script("localStorage.removeItem('jobsmith-theme')")

    # -- 10. markup in a posting stays text ------------------------------------------------------------

    def test_10_pasted_markup_does_not_run(self):
        stamp = int(time.time())
        description = (
            "<p>Visible marker text</p>"
            "<script>window.__xss=1</script>"
            "<img src=x onerror=\"window.__xss=2\">"
            "<p><a href=\"javascript:window.__xss=3\">click</a> for more details about this role "
            f"and the team ({stamp}).</p>"
        )
        added = api_ok("POST", "/api/jobs", {"title": f"XSS probe <img src=x onerror=window.__xss=4> {stamp}",
                                             "company": "Probe <script>window.__xss=5</script> Co",
                                             "description": description})
        job = added["id"]

        def no_xss(where):
            self.assertIsNone(self.driver.execute_script("return window.__xss"), f"script ran on {where}")
            with self.assertRaises(NoAlertPresentException, msg=f"alert open on {where}"):
                self.driver.switch_to.alert.text  # noqa: B018

        self.open(f"/jobs/{job}")
        self.wait(lambda d: "Visible marker text" in d.find_element(By.TAG_NAME, "body").text, 60,
                  "the marker text on the job page")
        links = [a for a in self.css("#description a") if a.text.strip() == "click"]
        if links:
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", links[0])
            links[0].click()
            time.sleep(0.5)
        no_xss("the job page")
        self.screenshot("xss-job-page")

        self.open("/?q=" + urllib.request.quote("XSS probe"))
        search = self.driver.find_element(By.ID, "job-search")
        search.clear()
        search.send_keys(f"probe {stamp}")
        self.driver.find_element(By.ID, "apply-filters").click()
        self.wait(lambda d: str(job) in [r.get_attribute("data-job-id") for r in self.job_rows()], 20,
                  "the probe in the jobs list")
        no_xss("the jobs list")

    # -- 11. screenshots, phone layout -----------------------------------------------------------------

    def test_11_screenshots_and_no_horizontal_scroll(self):
        job = self.ensure_job_with_cv()
        pages = {"jobs": "/", "job": f"/jobs/{job}", "queue": "/queue", "ingestion": "/ingestion",
                 "pipeline": "/pipeline", "master-cv": "/master-cv"}
        overflow = []
        self.open("/queue")
        try:
            for theme in ("light", "dark"):
                self.set_theme(theme)
                for width in (1280, 390):
                    self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
                    for name, path in pages.items():
                        self.open(path)
                        time.sleep(1.2)  # the page's script fills it from the API
                        self.assertEqual(self.driver.execute_script(
                            "return document.documentElement.getAttribute('data-theme')"), theme)
                        height = self.driver.execute_script(
                            "return Math.min(6000, Math.max(900, document.documentElement.scrollHeight))")
                        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
                        time.sleep(0.2)
                        self.screenshot(f"{name}-{width}-{theme}")
                        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                                    {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
                        if width == 390:
                            scroll, inner = self.driver.execute_script(
                                "return [document.documentElement.scrollWidth, window.innerWidth]")
                            if scroll > inner:
                                overflow.append(f"{name} ({theme}): scrollWidth {scroll} > innerWidth {inner}")
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            self.driver.execute_script("localStorage.removeItem('jobsmith-theme')")
        self.assertEqual(overflow, [], "pages that scroll sideways at 390 px")


if __name__ == "__main__":
    unittest.main(verbosity=2)
