"""Mixed workload for Samverka (locust): residents search and read, NGOs edit their organisation, officers work.

Run headless on loopback only, through bench/load_mixed.py (`make bench`) or tests/load/test_smoke.py. Sessions come
from the environment (prepared by bench/load_prepare.py): SAMVERKA_LOAD_NGO_SESSION (an organisation admin)
SAMVERKA_LOAD_OFFICER_SESSION (an officer with a verified MFA device) and
SAMVERKA_LOAD_NGO_ORGANISATION (the NGO admin's organisation), with the cookie names the server's settings use in
SAMVERKA_LOAD_SESSION_COOKIE and SAMVERKA_LOAD_CSRF_COOKIE ("__Host-sessionid" and "__Host-csrftoken" in production).
Request names group URLs by page kind.
"""

import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SESSION_COOKIE = os.environ.get("SAMVERKA_LOAD_SESSION_COOKIE", "sessionid")
CSRF_COOKIE = os.environ.get("SAMVERKA_LOAD_CSRF_COOKIE", "csrftoken")
WORDS = ["hjelp", "eldre", "ungdom", "besøk", "mat", "rus", "psykisk", "stöd", "apu", "vänner"]


def _links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


class _Form(HTMLParser):
    """The fields of the biggest POST form on a page (not the logout button in the header), with their values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    @property
    def fields(self) -> list[tuple[str, str]]:
        return max(self.forms, key=len) if self.forms else []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.in_form = True
            self.forms.append([])
        if not self.in_form:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value") or "on"))
            elif kind not in ("submit", "button", "file"):
                fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea and self.in_form:
            name, text = self.forms[-1][-1]
            self.forms[-1][-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.in_form = False


class Resident(HttpUser):
    """Searches the service finder and reads service and organisation pages."""

    weight = 6
    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.services = _links(self.client.get("/services/", name="/services/ (finder)").text, f"/services/{UUID}/")
        self.orgs = _links(self.client.get("/organisations/", name="/organisations/").text, f"/organisations/{UUID}/")

    @task(4)
    def search(self):
        self.client.get(f"/services/?q={random.choice(WORDS)}", name="/services/?q= (finder search)")

    @task(3)
    def read_service(self):
        if self.services:
            self.client.get(random.choice(self.services), name="/services/[id]/")

    @task(2)
    def read_organisation(self):
        if self.orgs:
            self.client.get(random.choice(self.orgs), name="/organisations/[id]/")

    @task(1)
    def list_organisations(self):
        self.client.get("/organisations/?page=2", name="/organisations/ (page 2)")


class NGO(HttpUser):
    """An organisation admin opens their organisation and saves it (unchanged fields: a real form round trip)."""

    weight = 2
    wait_time = between(0.2, 0.6)

    def on_start(self):
        self.client.cookies.set(SESSION_COOKIE, os.environ.get("SAMVERKA_LOAD_NGO_SESSION", ""))
        self.page = f"/organisations/{os.environ.get('SAMVERKA_LOAD_NGO_ORGANISATION', '')}/"
        home = self.client.get(self.page, name="/organisations/[own]/ (NGO)").text
        self.edit = (_links(home, f"/registry/{UUID}/edit/") or [None])[0]
        self.edit_organisation()  # every NGO user saves at least once, however short the run

    @task(3)
    def open_own_page(self):
        self.client.get(self.page, name="/organisations/[own]/ (NGO)")

    @task(2)
    def edit_organisation(self):
        if not self.edit:
            return
        page = self.client.get(self.edit, name="/registry/[id]/edit/ GET")
        form = _Form()
        form.feed(page.text)
        # Production cookies are Secure; on plain-HTTP loopback hand the CSRF cookie back as a plain one.
        token = next((c.value for c in self.client.cookies if c.name == CSRF_COOKIE), "")
        if token:
            self.client.cookies.set(CSRF_COOKIE, token)
        with self.client.post(
            self.edit, data=form.fields, name="/registry/[id]/edit/ POST", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"save answered {response.status_code}: {response.text[:200]!r}")


class Officer(HttpUser):
    """An officer with vouchers capability works through schemes and residents, and saves a resident's contact
    details (unchanged fields: a real write that is safe to repeat)."""

    weight = 2
    wait_time = between(0.2, 0.6)

    def on_start(self):
        self.client.cookies.set(SESSION_COOKIE, os.environ.get("SAMVERKA_LOAD_OFFICER_SESSION", ""))
        schemes = self.client.get("/vouchers/schemes/", name="/vouchers/schemes/").text
        self.schemes = _links(schemes, f"/vouchers/schemes/{UUID}/")
        residents = self.client.get("/vouchers/residents/", name="/vouchers/residents/").text
        self.residents = _links(residents, f"/vouchers/residents/{UUID}/")
        self.edit_resident()  # every officer saves at least once, however short the run

    @task(2)
    def schemes_list(self):
        self.client.get("/vouchers/schemes/", name="/vouchers/schemes/")

    @task(2)
    def scheme_detail(self):
        if self.schemes:
            self.client.get(random.choice(self.schemes), name="/vouchers/schemes/[id]/")

    @task(1)
    def residents(self):
        self.client.get("/vouchers/residents/", name="/vouchers/residents/")

    @task(1)
    def registry(self):
        self.client.get("/registry/", name="/registry/ (officer)")

    @task(1)
    def edit_resident(self):
        if not self.residents:
            return
        edit = random.choice(self.residents) + "edit/"
        form = _Form()
        form.feed(self.client.get(edit, name="/vouchers/residents/[id]/edit/ GET").text)
        token = next((c.value for c in self.client.cookies if c.name == CSRF_COOKIE), "")
        if token:
            self.client.cookies.set(CSRF_COOKIE, token)
        with self.client.post(
            edit,
            data=form.fields,
            name="/vouchers/residents/[id]/edit/ POST",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"save answered {response.status_code}: {response.text[:200]!r}")


class Probe(HttpUser):
    """/healthz in the same run: the floor the other figures are compared with."""

    weight = 1
    wait_time = between(0.05, 0.2)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz (floor)")
