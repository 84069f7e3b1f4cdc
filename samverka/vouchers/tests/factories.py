"""Builders for voucher tests, going through the services as users would. Identity numbers are fictitious:
valid check digits computed here (NO), or the published test numbers (SE 19121212-1212, FI 131052-308T)."""

import datetime
import itertools

from stdnum.no import fodselsnummer

from samverka.accounts.tests.factories import (
    grant_area_role,
    grant_organisation_role,
    make_organisation,
    make_user,
)
from samverka.catalogue.models import Taxonomy, TaxonomyTerm
from samverka.registry.tests.factories import area
from samverka.vouchers import services
from samverka.vouchers.models import Accreditation

_seq = itertools.count(100)


def no_national_id(day: datetime.date = datetime.date(1980, 1, 1)) -> str:
    """A valid Norwegian fødselsnummer with check digits, never the same twice in a test run."""
    while True:
        individual = next(_seq) % 500
        base = f"{day:%d%m%y}{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        k2 = fodselsnummer.calc_check_digit2(base + k1) if len(k1) == 1 else "10"
        # A check digit of 10 has no number: try the next individual number.
        if len(k1) == 1 and len(k2) == 1 and fodselsnummer.is_valid(base + k1 + k2):
            return base + k1 + k2


def akershus():
    return area("NO", "32", "county")


def baerum():
    return area("NO", "3201")


def officer(area_obj=None, **kwargs):
    user = make_user(**kwargs)
    grant_area_role(user, area_obj or akershus(), role="officer", capabilities=["vouchers"])
    return user


def service_category(code: str = "older-people", name: str = "Older people", parent=None) -> TaxonomyTerm:
    """A catalogue service category: the seeded one with this code (created again, in the catalogue's taxonomy,
    if a transactional test flushed the reference data)."""
    term = TaxonomyTerm.objects.filter(code=code).first()
    if term is None:
        taxonomy = (
            parent.taxonomy
            if parent is not None
            else Taxonomy.objects.order_by("created_at").first()
            or Taxonomy.objects.create(name="Samverka service categories")
        )
        term = TaxonomyTerm.objects.create(taxonomy=taxonomy, code=code, name=name, name_en=name, parent=parent)
    return term


def older_people() -> TaxonomyTerm:
    return service_category("older-people", "Older people")


def scheme(actor, area_obj=None, **overrides):
    data = {
        "category": older_people(),
        "name": "Home help voucher",
        "kind": "unit_voucher",
        "unit": "hour",
        "currency": "NOK",
        "valid_from": datetime.date(2020, 1, 1),
        "valid_to": None,
        "price_ceiling": "500",
        "criteria": ["Describe your staff's training"],
        "budget": "1000000",
    }
    data.update(overrides)
    return services.scheme_create(actor=actor, area=area_obj or baerum(), data=data)


def provider(actor, scheme_obj, name="Frivillig hjemmehjelp", price="450") -> tuple[Accreditation, object]:
    """An approved provider and its admin user."""
    org = make_organisation(name, areas=[scheme_obj.area])
    admin = make_user()
    grant_organisation_role(admin, org, "admin")
    acc = services.accreditation_apply(
        actor=admin,
        scheme=scheme_obj,
        organisation=org,
        data={"price": price, "answers": dict.fromkeys(scheme_obj.criteria, "Yes"), "languages": "nb, en"},
    )
    acc = services.accreditation_decide(actor=actor, accreditation=acc, action="approve")
    return acc, admin


def resident(actor, area_obj=None, **overrides):
    data = {
        "full_name": "Ola Testperson",
        "id_country": "NO",
        "national_id": no_national_id(),
        "phone": "+47 400 00 000",
        "preferred_language": "nb",
    }
    data.update(overrides)
    return services.resident_create(actor=actor, area=area_obj or baerum(), data=data)


def voucher(actor, scheme_obj, resident_obj, accreditation=None, units="10", **kwargs):
    today = datetime.date.today()
    kwargs.setdefault("valid_from", today - datetime.timedelta(days=60))
    kwargs.setdefault("valid_to", today + datetime.timedelta(days=300))
    if scheme_obj.per_unit:
        kwargs.setdefault("units", units)
    else:
        kwargs.setdefault("amount", "5000")
    return services.voucher_issue(
        actor=actor, scheme=scheme_obj, resident=resident_obj, provider=accreditation, **kwargs
    )


class World:
    """An officer in Akershus, a Bærum home-help scheme, one approved provider, a resident with a voucher."""

    def __init__(self, units="10"):
        self.officer = officer()
        self.scheme = scheme(self.officer)
        self.accreditation, self.provider_user = provider(self.officer, self.scheme)
        self.resident = resident(self.officer)
        self.voucher = voucher(self.officer, self.scheme, self.resident, self.accreditation, units=units)

    def claim(self, key="k1", units="1", day=None, actor=None, **kwargs):
        return services.claim_create(
            actor=actor or self.provider_user,
            voucher_id=self.voucher.pk,
            idempotency_key=key,
            units=units,
            service_date=day or datetime.date.today() - datetime.timedelta(days=1),
            **kwargs,
        )
