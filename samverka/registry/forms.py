"""Forms for the registry pages: the shape of input only. Rules (numbers, duplicates, reach) live in services."""

from collections.abc import Mapping
from typing import cast

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverka.areas.models import Area, Country
from samverka.areas.selectors import TREE_FIELDS, areas_cached, tree_order
from samverka.core import refcache
from samverka.core.kept_fields import kept_fields_html
from samverka.core.widgets import QuickSelect, QuickTextInput, rendered_options

from .models import LegalForm, OrganisationStatus
from .reference import categories_cached, target_groups_cached


def area_choices(areas) -> list[tuple[str, str]]:
    """(id, label) with the country and an indent by depth, so the list reads as a tree without JavaScript."""
    return [(str(a.pk), f"{'— ' * max(0, a.depth - 1)}{a.display_name} ({a.code})") for a in areas]


FIXED_CHOICES = {
    "legal_form": [("", _("Any")), *LegalForm.choices],
    "status": [("", _("Any")), *OrganisationStatus.choices],
    "sort": [
        ("name", _("Name, A–Z")),
        ("-name", _("Name, Z–A")),
        ("number", _("Number, ascending")),
        ("-number", _("Number, descending")),
        ("-updated", _("Recently updated first")),
        ("updated", _("Least recently updated first")),
        ("municipality", _("Municipality, A–Z")),
        ("-municipality", _("Municipality, Z–A")),
    ],
}


class FilterForm(forms.Form):
    """The registry list's filters, for display only: the list reads its filters with
    selectors.OrganisationFilters.from_mapping (an unknown value is dropped there). So the selects carry no
    choices of their own, only their options rendered once per language (see _select_options): copying and
    normalising the choices on every visit cost more than rendering the rest of the form."""

    q = forms.CharField(
        label=_("Name or number"),
        required=False,
        max_length=200,
        widget=QuickTextInput(attrs={"type": "search"}),
    )
    area = forms.ChoiceField(label=_("Area (includes the areas below it)"), required=False, widget=QuickSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    target_group = forms.ChoiceField(label=_("Target group"), required=False, widget=QuickSelect)
    legal_form = forms.ChoiceField(label=_("Legal form"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, widget=QuickSelect)

    def __init__(self, *args, areas=(), public=False, coarse_areas=False, **kwargs):
        super().__init__(*args, **kwargs)
        if coarse_areas:
            self.fields["area"].help_text = _(
                "Counties, regions and welfare areas. For one municipality, use “Open in the registry” on its "
                "area page."
            )
        if public:
            for name in ("target_group", "legal_form", "status", "sort"):
                del self.fields[name]
        # The rendered options come from this process's cache (see _select_options).
        selects = {"area": _area_options(areas), **_select_options()}
        for name, field in self.fields.items():
            if name in selects:
                cast(QuickSelect, field.widget).rendered_options = selects[name]


# Distinct area lists whose options are kept (per language); the lists are the users' role scopes.
AREA_OPTION_SETS = 256


def _select_options() -> dict[str, SafeString]:
    """The rendered options of the filter's selects that are the same for everyone, in the active language,
    kept with the reference cache: rendering them on every list page cost more than its queries."""

    def build() -> dict[str, SafeString]:
        any_ = [("", str(_("Any")))]
        lists = {
            "category": any_ + [(c.code, c.display_name) for c in categories_cached()],
            "target_group": any_ + [(t.code, t.display_name) for t in target_groups_cached()],
            **{name: [(value, str(label)) for value, label in fixed] for name, fixed in FIXED_CHOICES.items()},
        }
        return {name: rendered_options(values) for name, values in lists.items()}

    return refcache.cached(f"registry.filter_selects.{get_language()}", build)


def _area_options(areas) -> SafeString:
    """The rendered options of the area select for these areas, in the active language, kept per area list
    with the reference cache (an area renamed or added clears it)."""
    return refcache.cached_per_key(
        f"registry.filter_areas.{get_language()}",
        tuple(a.pk for a in areas),
        lambda: rendered_options([("", str(_("All areas"))), *area_choices(areas)]),
        most=AREA_OPTION_SETS,
    )


def filter_fields_html(values: Mapping[str, str], *, areas, public: bool = False, coarse_areas: bool = False) -> str:
    """The filter form's fields (as `{% form_field %}` writes them) showing `values`: what rendering
    `FilterForm(initial=values, …)` gives, kept rendered per language, area list and kind of form (core.kept_fields)."""
    return kept_fields_html(
        f"registry.filter_fields.{get_language()}",
        (tuple(a.pk for a in areas), public, coarse_areas),
        lambda initial: FilterForm(initial=initial, areas=areas, public=public, coarse_areas=coarse_areas),
        values,
        most=AREA_OPTION_SETS,
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    name_nb = forms.CharField(label=_("Name in Norwegian"), max_length=300, required=False)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=300, required=False)
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_("Norway: 9 digits; Sweden: 10 digits (NNNNNN-NNNN); Finland: Y-tunnus (NNNNNNN-N)."),
    )
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    status = forms.ChoiceField(label=_("Status"), choices=OrganisationStatus.choices)
    home_area = forms.ChoiceField(label=_("Registered municipality"), required=False)
    areas = forms.MultipleChoiceField(
        label=_("Areas served"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    categories = forms.MultipleChoiceField(label=_("Categories"), required=False, widget=forms.CheckboxSelectMultiple)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise = forms.CharField(label=_("Special expertise"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    expertise_tags = forms.CharField(
        label=_("Expertise tags"), required=False, max_length=1000, help_text=_("Separate tags with commas.")
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=12, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    in_volunteer_register = forms.BooleanField(label=_("Registered in the volunteer register"), required=False)
    trusted_publisher = forms.BooleanField(
        label=_("Trusted: may publish its services directly"),
        required=False,
        help_text=_("Its changes to published services go live without waiting for a coordinator's approval."),
    )

    def __init__(self, *args, areas=(), staff_fields=True, trust_field=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = area_choices(areas)
        self.fields["home_area"].choices = [("", _("None"))] + choices
        self.fields["areas"].choices = choices
        self.fields["areas"].widget.attrs["size"] = 10
        self.fields["categories"].choices = [(c.code, c.display_name) for c in categories_cached()]
        self.fields["target_groups"].choices = [(t.code, t.display_name) for t in target_groups_cached()]
        if not staff_fields:
            for name in ("country", "org_number", "in_volunteer_register"):
                del self.fields[name]
        if not trust_field:  # coordinators only (permissions.can_trust)
            del self.fields["trusted_publisher"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["home_area"] = data.get("home_area") or None
        return data

    @staticmethod
    def initial_for(org) -> dict:
        return {
            **{
                f: getattr(org, f)
                for f in (
                    "name",
                    "name_nb",
                    "name_sv",
                    "name_fi",
                    "name_en",
                    "country",
                    "org_number",
                    "legal_form",
                    "status",
                    "expertise",
                    "purpose",
                    "email",
                    "phone",
                    "website",
                    "street_address",
                    "postal_code",
                    "city",
                    "in_volunteer_register",
                    "trusted_publisher",
                )
            },
            "home_area": str(org.home_area_id or ""),
            "areas": [str(a.pk) for a in org.areas.all()],
            "categories": [c.code for c in org.categories.all()],
            "target_groups": [t.code for t in org.target_groups.all()],
            "expertise_tags": ", ".join(org.expertise_tags or []),
        }


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    members = forms.IntegerField(label=_("Members"), required=False, min_value=0)
    volunteers = forms.IntegerField(label=_("Volunteers"), required=False, min_value=0)
    peer_supporters = forms.IntegerField(label=_("Peer supporters"), required=False, min_value=0)
    employees = forms.IntegerField(label=_("Employees"), required=False, min_value=0)
    volunteer_hours = forms.IntegerField(label=_("Volunteer hours"), required=False, min_value=0)


def areas_for_form(qs=None, country: str | None = None) -> list[Area]:
    """Areas in tree order (each parent followed by its children by name): all of them (or a country's) from the
    reference cache, or those of `qs` in one query."""
    if qs is None:
        return [a for a in areas_cached() if country is None or a.country == country]
    return tree_order(list(qs.only(*TREE_FIELDS)))
