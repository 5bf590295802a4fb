"""The review page in Debian's headless Chromium: run, inspect evidence, edit, accept, sign."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from tests.conftest import require_or_skip
from tests.server.conftest import TRANSCRIPT, Live, start_live

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_live(tmp_path_factory) -> Iterator[Live]:
    from evident.server import register_task_adapter
    from tests.server.fake_task import SLOW_ADAPTER

    register_task_adapter(SLOW_ADAPTER)
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'evident.db'}"
    server, handle = start_live(url, demo=True)
    try:
        yield handle
    finally:
        handle.client.close()
        server.__exit__()


@pytest.fixture(scope="module")
def page(demo_live) -> Iterator[object]:
    require_or_skip(
        os.path.exists(CHROMIUM),
        "EVIDENT_REQUIRE_BROWSER",
        f"Debian's chromium is not installed at {CHROMIUM}",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        blocked: list[str] = []
        # Nothing may leave the machine: fail on any request that is not to our server.
        context.route(
            re.compile(r"^(?!http://127\.0\.0\.1:).*"),
            lambda route: (blocked.append(route.request.url), route.abort()),
        )
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        yield pg
        context.close()
        browser.close()
        assert blocked == []


def _login(page, live: Live) -> None:
    page.goto(live.url + "/")
    if page.url.endswith("/login"):  # the module's tests share one browser session
        page.click("#demo-login")
        page.wait_for_url(live.url + "/")
    assert page.locator("#run-form").is_visible()


def test_demo_transcript_with_scribe_renders_a_checked_draft(page, demo_live):
    from evident.server import demo_transcripts

    demos = sorted(demo_transcripts())
    assert demos, "no bundled demo transcripts in evident/resources/examples"
    _login(page, demo_live)
    page.select_option("#task", "scribe")
    page.select_option("#demo", demos[0])
    page.click("#run-button")
    page.wait_for_selector("#review")
    statements = page.locator("li.stmt")
    assert statements.count() > 0
    first = statements.first
    label = first.get_attribute("data-label")
    assert first.locator(".badge").inner_text().strip().lower().replace(" ", "_") == label
    assert "offline engine" in page.inner_text(".runhead")


def test_review_flow_evidence_edit_accept_sign(page, demo_live):
    _login(page, demo_live)
    page.select_option("#task", "echo-slow")
    page.set_input_files(  # upload a transcript file; the page reads it into the box
        "#upload",
        files=[{"name": "visit.txt", "mimeType": "text/plain", "buffer": TRANSCRIPT.encode()}],
    )
    page.wait_for_function("() => document.querySelector('#transcript').value.length > 100")
    assert page.input_value("#transcript") == TRANSCRIPT
    page.select_option("#sex", "female")
    page.fill("#age", "47")
    page.click("#run-button")
    page.wait_for_selector("#progress .spinner")  # progress is shown while the run works
    assert page.inner_text("#progress-status") in ("queued", "running")
    page.wait_for_selector("#review")
    run_id = page.get_attribute("#review", "data-run")

    # A contradicted statement: its evidence is highlighted and the reason shown.
    bad = page.locator("li.stmt.label-contradicted").first
    bad.click()
    evidence = bad.get_attribute("data-evidence").split()
    assert evidence
    for seg in evidence:
        assert "evidence" in page.get_attribute(f'li.seg[data-seg="{seg}"]', "class")
    assert "10 mg" in page.inner_text("#detail-reason")
    assert page.inner_text("#detail-badge") == "Contradicted"
    if os.environ.get("EVIDENT_SCREENSHOT"):  # development aid: look at the page
        page.screenshot(path=os.environ["EVIDENT_SCREENSHOT"])

    # Edit a supported statement in place.
    good = page.locator("li.stmt.label-supported")
    target = good.nth(0)
    target.click()
    page.click("#btn-edit")
    assert page.locator("li.stmt.selected #edit-text").is_visible()
    page.fill("#edit-text", "Dry cough for two weeks, no fever.")
    page.click("#btn-save")
    page.wait_for_function(
        "id => document.querySelector('#stmt-' + id + ' .decision').dataset.decision === 'edited'",
        arg=target.get_attribute("data-id"),
    )
    assert target.locator(".stmt-text").inner_text() == "Dry cough for two weeks, no fever."

    # Accept another.
    other = good.nth(1)
    other.click()
    page.click("#btn-accept")
    page.wait_for_function(
        "id => document.querySelector('#stmt-' + id + ' .decision').textContent === 'Accepted'",
        arg=other.get_attribute("data-id"),
    )

    # Signing is not offered while flagged statements or omissions are undecided: only
    # an override, which needs a reason, the attestation and a name.
    assert not page.locator("#sign-button").is_visible()
    assert page.locator("#override-button").is_visible() and page.locator("#sign-hint").is_visible()
    page.click("#override-button")
    assert page.locator("#override-reason").is_visible()
    page.click("#sign-confirm")
    assert "attestation" in page.inner_text("#action-error")
    page.click("#sign-cancel")
    flagged = page.locator("li.stmt.label-contradicted, li.stmt.label-unsupported")
    for i in range(flagged.count()):
        flagged.nth(i).click()
        page.click("#btn-reject")
        page.wait_for_function(
            "el => el.classList.contains('decision-rejected')", arg=flagged.nth(i).element_handle()
        )
    assert page.inner_text("#flag-count") == "0"
    omissions = page.locator("li.omission")
    assert omissions.count() > 0 and not page.locator("#sign-button").is_visible()
    for i in range(omissions.count()):
        omissions.nth(i).locator("button.ack").click()
        page.wait_for_function(
            "el => el.classList.contains('acknowledged')", arg=omissions.nth(i).element_handle()
        )
    assert page.inner_text("#omission-count") == "0"
    assert page.locator("#sign-button").is_visible()
    assert not page.locator("#override-button").is_visible()
    page.click("#sign-button")
    assert not page.locator("#override-reason").is_visible()
    assert "I have reviewed this note" in page.inner_text("#attest-text")
    page.check("#attest-check")
    page.click("#sign-confirm")
    assert "name" in page.inner_text("#action-error")
    page.fill("#clinician-name", "Dr Demo Example")
    if os.environ.get("EVIDENT_SCREENSHOT_SIGN"):  # docs/server.md's signing screenshot
        page.screenshot(path=os.environ["EVIDENT_SCREENSHOT_SIGN"])
    page.click("#sign-confirm")
    page.wait_for_selector("#run-status.status-signed")
    assert "Signed by Dr Demo Example (user demo-clinician)" in page.inner_text("#run-status")
    assert "I have reviewed this note" in page.inner_text("#attestation")
    assert page.locator("#sign-button").count() == 0
    assert page.locator("#trail li").count() == 3 + flagged.count() + omissions.count()

    # The audit trail recorded every action, by whom, and the chain verifies.
    store = demo_live.state.store
    stored = store.get_run(run_id)
    actions = [(a.action, a.user) for a in stored.actions]
    assert actions[:2] == [("edit", "demo-clinician"), ("accept", "demo-clinician")]
    assert actions[-1] == ("sign", "demo-clinician")
    assert stored.attested_by == "Dr Demo Example" and stored.attestation
    assert [a for a, _ in actions].count("reject") == flagged.count()
    assert [a for a, _ in actions].count("acknowledge") == omissions.count()
    assert stored.patient == {"sex": "female", "age_band": stored.patient["age_band"]}
    assert stored.patient["age_band"] and "47" not in str(stored.patient)
    assert store.verify_chain().ok

    # Exports.
    text = page.request.get(f"{demo_live.url}/api/runs/{run_id}/export?format=text")
    assert "Dry cough for two weeks, no fever." in text.text()
    fhir = page.request.get(f"{demo_live.url}/api/runs/{run_id}/export?format=fhir").json()
    assert fhir["docStatus"] == "final"
    assert fhir["authenticator"]["display"] == "Dr Demo Example (user demo-clinician)"


@pytest.mark.parametrize("reason", ["Omissions are charted by the nurse today."])
def test_sign_with_override_from_the_page_is_in_the_trail(page, demo_live, reason):
    _login(page, demo_live)
    page.select_option("#task", "echo")
    page.select_option("#demo", "")
    page.fill("#transcript", TRANSCRIPT)
    page.fill("#encounter", "room 3 follow-up")
    page.click("#run-button")
    page.wait_for_selector("#review")
    assert "room 3 follow-up" in page.inner_text("#encounter")
    pending = int(page.inner_text("#flag-count")) + int(page.inner_text("#omission-count"))
    assert pending > 0
    page.click("#override-button")
    assert f"over {pending} undecided" in page.inner_text("#attest-text")
    page.check("#attest-check")
    page.fill("#clinician-name", "Dr Demo Example")
    page.click("#sign-confirm")
    assert "reason" in page.inner_text("#action-error")
    page.fill("#override-reason", reason)
    page.click("#sign-confirm")
    page.wait_for_selector("#run-status.status-signed")
    last = page.locator("#trail li").last.inner_text()
    assert "sign" in last and "Dr Demo Example" in last and reason in last
    page.goto(demo_live.url + "/")
    row = page.locator("table.runs tbody tr").first
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "room 3 follow-up" and cells[3] == "demo-clinician"
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", cells[2])


@pytest.mark.parametrize("keys", [("j", "a"), ("ArrowDown", "a")])
def test_statement_ids_keyboard_review_and_favicon(page, demo_live, keys):
    from evident.server import demo_transcripts

    _login(page, demo_live)
    statuses: list[tuple[str, int]] = []
    page.on("response", lambda r: statuses.append((r.url, r.status)))
    page.select_option("#task", "scribe")
    page.select_option("#demo", sorted(demo_transcripts())[0])
    page.click("#run-button")
    page.wait_for_selector("#review")
    first = page.locator("li.stmt").first
    sid = first.get_attribute("data-id")
    assert first.locator(".stmt-id").inner_text() == sid  # the id the audit trail uses
    page.locator("h1, h2").first.click()  # focus outside any input
    nav, act = keys
    page.keyboard.press(nav)
    assert "selected" in first.get_attribute("class")
    assert page.inner_text("#detail-id") == f"{sid}:"  # the panel repeats the statement
    assert page.inner_text("#detail-text") == first.locator(".stmt-text").inner_text()
    page.keyboard.press(act)
    page.wait_for_function(
        "id => document.querySelector('#stmt-' + id + ' .decision').dataset.decision"
        " === 'accepted'",
        arg=sid,
    )
    icon = page.get_attribute("link[rel=icon]", "href")
    assert page.request.get(demo_live.url + icon).status == 200
    assert [u for u, s in statuses if s == 404] == []


@pytest.mark.parametrize(
    ("note", "label"),
    [
        ("Takes lisinopril 20 mg once daily.", "contradicted"),
        ("Dry cough for two weeks.", "supported"),
    ],
)
def test_check_my_note_page(page, demo_live, note, label):
    _login(page, demo_live)
    page.select_option("#task", "check_note")
    assert page.locator("#note-text").is_visible()
    page.select_option("#demo", "")
    page.fill("#transcript", TRANSCRIPT)
    page.fill("#note-text", f"HPI:\n{note}\n")
    page.click("#run-button")
    page.wait_for_selector("#review")
    stmt = page.locator("li.stmt").first
    assert stmt.locator(".stmt-text").inner_text() == note
    assert stmt.get_attribute("data-label") == label


@pytest.mark.parametrize("new_text", ["Dry cough for two weeks, no fever."])
def test_accept_all_supported_diff_of_edits_and_encounter_header(page, demo_live, new_text):
    from evident.server import demo_transcripts

    _login(page, demo_live)
    demo = sorted(demo_transcripts())[0]
    page.select_option("#task", "scribe")
    page.select_option("#demo", demo)
    page.click("#run-button")
    page.wait_for_selector("#review")
    assert demo in page.inner_text("#encounter") and "clinician" in page.inner_text("#encounter")
    page.click("#btn-accept-supported")
    page.wait_for_function(
        "() => [...document.querySelectorAll('li.stmt.label-supported .decision')]"
        ".every(d => d.dataset.decision === 'accepted')"
    )
    target = page.locator("li.stmt").first
    before = target.locator(".stmt-text").inner_text()
    assert not target.locator(".was").is_visible()
    target.click()
    page.click("#btn-edit")
    page.fill("#edit-text", new_text)
    page.click("#btn-save")
    page.wait_for_function("() => !document.querySelector('li.stmt .was').hidden")
    assert target.locator(".was").inner_text() == before  # the edit shown as a diff
    assert target.locator(".stmt-text").inner_text() == new_text
