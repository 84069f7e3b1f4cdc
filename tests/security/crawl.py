"""A small same-site crawler for the security suites: follows links as one user and collects every form."""

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.db import connection
from django.urls import Resolver404, resolve

# Rows that may change while a request is refused: sessions, login attempts, access logs, queued tasks.
VOLATILE_MODELS = {"sessions.session", "audit.accessevent", "audit.auditevent"}
VOLATILE_APPS = {"axes", "django_tasks_db", "otp_totp", "otp_static"}


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> options (empty: free text)
    hidden: dict[str, str] = field(default_factory=dict)

    @property
    def route(self) -> str:
        try:
            return resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            return self.action


class _PageParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self.forms.append(Form(self.page, action, (a.get("method") or "get").lower()))
        elif self.forms and tag in {"input", "textarea"} and a.get("name"):
            form = self.forms[-1]
            kind = (a.get("type") or "text").lower()
            if kind == "hidden":
                form.hidden[a["name"]] = a.get("value") or ""
            elif kind not in {"submit", "button", "reset", "file", "image"}:
                form.fields.setdefault(a["name"], [])
        elif self.forms and tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1].fields.setdefault(a["name"], [])
        elif self.forms and tag == "option" and self._select:
            self.forms[-1].fields[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


@dataclass
class Crawl:
    pages: dict[str, int] = field(default_factory=dict)  # url -> status
    forms: list[Form] = field(default_factory=list)


SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/api/", "/i18n/", "/accounts/logout")
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".ics")


def crawl(client, start: list[str], *, limit: int = 150, per_route: int = 1, downloads: bool = False) -> Crawl:
    """Breadth-first over same-site links (at most `per_route` pages per URL pattern), collecting forms.
    With `downloads`, CSV/XLSX/PDF/ICS links are fetched too (their status is kept; their bodies are not read)."""
    out = Crawl()
    queue = deque(start)
    seen_routes: dict[str, int] = {}
    while queue and len(out.pages) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or url in out.pages:
            continue
        path = parts.path
        if path.startswith(SKIP_PREFIXES) or (path.endswith(SKIP_SUFFIXES) and not downloads):
            continue
        try:
            route = resolve(path).view_name
        except Resolver404:
            continue
        if seen_routes.get(route, 0) >= per_route:
            continue
        seen_routes[route] = seen_routes.get(route, 0) + 1
        response = client.get(path + (f"?{parts.query}" if parts.query else ""))
        out.pages[url] = response.status_code
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        parser = _PageParser(f"http://testserver{path}")
        parser.feed(response.content.decode("utf-8", "replace"))
        out.forms.extend(parser.forms)
        queue.extend(link.split("#")[0] for link in parser.links)
    return out


def row_counts() -> dict[str, int]:
    """Rows per table (every row, whatever a model's default manager hides), except the tables a refused request
    may legitimately touch. One query, so the suites can count before and after every hostile request."""
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        label, meta = model._meta.label_lower, model._meta
        if label in VOLATILE_MODELS or meta.app_label in VOLATILE_APPS or not meta.managed or meta.proxy:
            continue
        tables.setdefault(label, model._meta.db_table)
    quote = connection.ops.quote_name
    # Table names come from the models, quoted: nothing from a request reaches this SQL.
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables.values())  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))
