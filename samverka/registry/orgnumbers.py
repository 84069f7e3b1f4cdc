"""Organisation numbers: NO organisasjonsnummer, SE organisationsnummer, FI Y-tunnus (python-stdnum).

Stored compact: NO "123456785", SE "8020028711", FI "01162976" is stored formatted as "0116297-6".
"""

from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.fi import ytunnus
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

_MODULES = {"NO": no_orgnr, "SE": se_orgnr, "FI": ytunnus}
# Identifier schemes from org-id.guide, for exports.
ORG_ID_PREFIXES = {"NO": "NO-BRC", "SE": "SE-ON", "FI": "FI-PRO"}


class OrgNumberError(ValueError):
    """A number that is not valid for its country; the message is for the user."""


def normalise(country: str, raw: str) -> str:
    """The stored form of `raw`, or OrgNumberError with a message the user can act on."""
    module = _MODULES.get(country)
    if module is None:
        raise OrgNumberError(_("Choose Norway, Sweden or Finland."))
    value = (raw or "").strip()
    if not value:
        raise OrgNumberError(_("Enter the organisation number."))
    if len(value) > 20:
        raise OrgNumberError(_("The organisation number is too long."))
    try:
        compact = module.validate(value)
    except InvalidChecksum:
        raise OrgNumberError(_("The check digit does not match: please check the number.")) from None
    except InvalidLength:
        raise OrgNumberError(_("The organisation number has the wrong number of digits.")) from None
    except (InvalidFormat, InvalidComponent):
        raise OrgNumberError(_("This is not an organisation number of the chosen country.")) from None
    except ValidationError:
        raise OrgNumberError(_("This is not a valid organisation number.")) from None
    return ytunnus.format(compact) if country == "FI" else compact


def display(country: str, stored: str) -> str:
    """The number as people write it: NO "123 456 785", SE "802002-8711", FI "0116297-6"."""
    if country == "SE" and len(stored) == 10:
        return f"{stored[:6]}-{stored[6:]}"
    if country == "NO" and len(stored) == 9:
        return f"{stored[:3]} {stored[3:6]} {stored[6:]}"
    return stored


def org_id(country: str, stored: str) -> str:
    """org-id.guide identifier, e.g. NO-BRC-123456785."""
    return f"{ORG_ID_PREFIXES[country]}-{stored}"


def with_check_digit(country: str, base: str) -> str:
    """A valid stored number built from `base` digits (NO 8, SE 9, FI 7) by computing its check digit.

    For demo and test data. A Norwegian base whose check digit would be 10 has no valid number: the base is
    then counted up until one exists.
    """
    if country == "NO":
        number = int(base[:8])
        while True:
            digits = f"{number:08d}"
            total = sum(w * int(d) for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True))
            check = (11 - total % 11) % 11
            if check < 10:
                return f"{digits}{check}"
            number += 1
    if country == "SE":
        from stdnum import luhn

        return base[:9] + luhn.calc_check_digit(base[:9])
    if country == "FI":
        digits = base[:7]
        total = sum(w * int(d) for w, d in zip((7, 9, 10, 5, 8, 4, 2), digits, strict=True))
        check = (11 - total % 11) % 11
        if check == 10:
            return with_check_digit("FI", f"{int(digits) + 1:07d}")
        return f"{digits}-{check}"
    raise OrgNumberError(_("Choose Norway, Sweden or Finland."))
