"""The admin in a real browser (Debian's Chromium, driven by Playwright) against gunicorn.

Staff edit a customer's profile data and groups, and read its activity log, on a laptop screen.
Screenshots of each page are written to ``ADMIN_SCREENSHOTS`` (default: the test's tmp folder)
for a person to look at. Skipped without ``/usr/bin/chromium`` unless ``REQUIRE_BROWSER=1``
(``.ci/run`` installs it and sets that).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.live_server import LiveService

CHROMIUM = Path("/usr/bin/chromium")
LAPTOP = {"width": 1280, "height": 800}
STAFF_EMAIL = "staff@example.com"
STAFF_PASSWORD = "a staff passphrase"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("REQUIRE_BROWSER") != "1",
        reason="needs Debian's chromium (apt-get install chromium)",
    ),
]

SET_UP = f"""
from customer_groups.models import CustomerGroup
from customers.models import Customer
staff = Customer.objects.create_superuser(
    email="{STAFF_EMAIL}", password="{STAFF_PASSWORD}", salutation="Mr",
    first_name="Sam", last_name="Staff",
)
customer = Customer.objects.get(email="browser@example.com")
customer.company, customer.vat_id, customer.language_id = "Nowak GmbH", "DE 123", "de"
customer.save()
CustomerGroup.objects.create(code="wholesale", label="Wholesale").customers.add(customer)
print(customer.pk, staff.customer_reference)
"""


@pytest.fixture(scope="module")
def browser():
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    # Playwright's sync API runs an event loop in this thread, which Django's ORM takes for an
    # async context; the database work here is the test's own, in this thread alone.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        # Without the background-networking flags Chromium keeps calling out of a closed network.
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield chromium
        chromium.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="module")
def accounts(live_service: LiveService) -> dict[str, str]:
    """The customer (its admin pk and reference) and the staff member (its reference)."""
    customer = live_service.register_and_log_in("browser@example.com")
    pk, staff_reference = live_service.manage("shell", "-c", SET_UP).split()[-2:]
    return {"pk": pk, "reference": customer.reference, "staff_reference": staff_reference}


@pytest.fixture
def staff_page(browser, live_service: LiveService, accounts):
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{live_service.base_url}/admin/login/")
    page.fill("#id_username", STAFF_EMAIL)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_service.base_url}/admin/")
    yield page
    page.close()


def screenshot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("ADMIN_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]


def test_staff_edit_the_profile_data_and_see_the_groups(
    staff_page, live_service, accounts, tmp_path
):
    staff_page.goto(f"{live_service.base_url}/admin/customers/customer/{accounts['pk']}/change/")
    screenshot(staff_page, "customer", tmp_path)

    assert fits_the_screen(staff_page)
    assert staff_page.input_value("#id_company") == "Nowak GmbH"
    assert staff_page.input_value("#id_language_id") == "de"
    assert staff_page.get_by_text("Wholesale").count() >= 1

    staff_page.fill("#id_vat_id", "DE 999")
    staff_page.click("input[name=_continue]")
    staff_page.wait_for_load_state()
    assert staff_page.input_value("#id_vat_id") == "DE 999"
    assert staff_page.locator(".messagelist .success").count() == 1


def test_staff_read_the_activity_log(staff_page, live_service, accounts, tmp_path):
    staff_page.goto(f"{live_service.base_url}/admin/customers/customeractivity/")
    screenshot(staff_page, "activities", tmp_path)

    assert fits_the_screen(staff_page)
    rows = staff_page.locator("#result_list tbody tr").all_inner_texts()
    references = [row.split("\t")[2] for row in rows if "\tLogin\t" in row]
    assert accounts["reference"] in references  # the customer's log in through the API
    assert accounts["staff_reference"] in references  # the staff member's, through this page
