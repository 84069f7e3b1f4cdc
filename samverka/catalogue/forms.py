"""Forms of the catalogue pages: the shape of input only. Rules live in services and finder.FinderFilters."""

from dataclasses import dataclass
from typing import cast

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverka.areas.models import Area, AreaKind
from samverka.core import refcache
from samverka.core.kept_fields import kept_fields_html
from samverka.core.widgets import QuickCheckboxInput, QuickNumberInput, QuickSelect, QuickTextInput
from samverka.registry.models import TargetGroup

from .models import (
    CONTENT_LANGUAGES,
    LANGUAGE_NAMES,
    LOCALISED_FIELDS,
    OFFERED_LANGUAGES,
    AccessMode,
    Fee,
    ScheduleKind,
    ServiceKind,
    ServiceStatus,
    TaxonomyTerm,
)
from .schedules import WEEKDAY_CODES

LABELS = {
    "name": _("Name"),
    "summary": _("Summary (one or two sentences)"),
    "description": _("Description"),
    "eligibility": _("Who it is for"),
    "fees_description": _("Cost details"),
    "how_to_access": _("How to start"),
}


def area_choices() -> list[tuple[str, str]]:
    areas = Area.objects.exclude(kind=AreaKind.COUNTRY).order_by("country", "path")
    return [(str(a.pk), f"{'— ' * max(0, a.depth - 1)}{a.display_name}") for a in areas]


@dataclass(frozen=True)
class FinderChoices:
    """The finder form's option lists in one language, with the area <option>s rendered once."""

    area_ids: frozenset[str]
    area_options: SafeString
    # field name → (choices, their <option>s)
    selects: dict[str, tuple[list[tuple[str, str]], SafeString]]


def _options(choices: list[tuple[str, str]]) -> SafeString:
    return format_html_join("", '<option value="{}">{}</option>', choices)


def finder_choices() -> FinderChoices:
    """The option lists in the reader's language, kept with the reference cache (core.refcache: saving an area,
    category or target group clears it): building them, the thousand area options above all, cost more than the
    search itself."""
    language = get_language() or ""
    return refcache.cached(f"catalogue.finder_choices.{language}", _finder_choices)


def _finder_choices() -> FinderChoices:
    areas = [("", str(_("Everywhere"))), *area_choices()]
    any_ = [("", str(_("Any")))]
    lists = {
        "category": any_ + [(t.code, t.display_name) for t in TaxonomyTerm.objects.all()],
        "target_group": any_ + [(t.code, t.display_name) for t in TargetGroup.objects.all()],
        "language": any_ + [(code, str(name)) for code, name in OFFERED_LANGUAGES],
        "weekday": any_ + [(c, str(WEEKDAYS[i])) for i, c in enumerate(WEEKDAY_CODES)],
        "access": [(value, str(label)) for value, label in FinderForm.base_fields["access"].choices],  # type: ignore[attr-defined]
        "sort": [(value, str(label)) for value, label in FinderForm.base_fields["sort"].choices],  # type: ignore[attr-defined]
    }
    choices = FinderChoices(
        area_ids=frozenset(value for value, _label in areas),
        area_options=_options(areas),
        selects={name: (values, _options(values)) for name, values in lists.items()},
    )
    return choices


class AreaChoiceField(forms.ChoiceField):
    """The area filter: its value checked against the cached area ids (see finder_choices); AreaSelect renders
    the cached options, so the thousand choices are never copied into each form."""

    area_ids: frozenset[str] = frozenset()

    def valid_value(self, value) -> bool:
        return str(value) in self.area_ids


class AreaSelect(QuickSelect):
    """The area select, from the options rendered once (see finder_choices)."""

    mark_blank = False


class FinderForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=200,
        widget=QuickTextInput(attrs={"type": "search"}),
    )
    area = AreaChoiceField(label=_("Where (includes the areas below it)"), required=False, widget=AreaSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    target_group = forms.ChoiceField(label=_("For whom"), required=False, widget=QuickSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=QuickSelect)
    age = forms.CharField(label=_("Age"), required=False, widget=QuickNumberInput(attrs={"min": 0, "max": 120}))
    access = forms.ChoiceField(
        label=_("How to access"),
        required=False,
        choices=[("", _("Any"))] + list(AccessMode.choices),
        widget=QuickSelect,
    )
    weekday = forms.ChoiceField(label=_("Open on"), required=False, widget=QuickSelect)
    free = forms.BooleanField(label=_("Free of charge"), required=False, widget=QuickCheckboxInput)
    vouchers = forms.BooleanField(label=_("Accepts service vouchers"), required=False, widget=QuickCheckboxInput)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Best match")), ("name", _("Name")), ("updated", _("Recently updated"))],
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = finder_choices()
        area = cast(AreaChoiceField, self.fields["area"])
        area.area_ids = choices.area_ids
        cast(AreaSelect, area.widget).rendered_options = choices.area_options
        for name, (values, options) in choices.selects.items():
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = values
            cast(QuickSelect, field.widget).rendered_options = options


def finder_fields_html(filters) -> SafeString:
    """The finder form's fields showing these (valid) filters, as rendering FinderForm with them gives: kept
    rendered per language (core.kept_fields), so a search does not build and render the form."""
    values = {name: getattr(filters, name) for name in FinderForm.base_fields if name != "age"}
    values["age"] = "" if filters.age is None else str(filters.age)
    return kept_fields_html(
        f"catalogue.finder_fields.{get_language()}", None, lambda initial: FinderForm(initial=initial), values, most=1
    )


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    categories = forms.MultipleChoiceField(label=_("Categories"), required=False, widget=forms.CheckboxSelectMultiple)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"), required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas served"), required=False, help_text=_("Hold Ctrl (or Cmd) to choose several.")
    )
    locations = forms.MultipleChoiceField(label=_("Locations"), required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"), required=False, choices=OFFERED_LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    min_age = forms.CharField(label=_("Minimum age"), required=False)
    max_age = forms.CharField(label=_("Maximum age"), required=False)
    fee = forms.ChoiceField(label=_("Cost"), choices=Fee.choices)
    accepts_vouchers = forms.BooleanField(label=_("Accepts service vouchers"), required=False)
    access_mode = forms.ChoiceField(label=_("How to access"), choices=AccessMode.choices)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    website = forms.CharField(label=_("Website"), required=False, max_length=200)

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        for code in CONTENT_LANGUAGES:
            for field, _label, max_length in LOCALISED_FIELDS:
                label = f"{LABELS[field]} ({LANGUAGE_NAMES[code]})"
                widget = forms.TextInput if max_length and max_length <= 300 else forms.Textarea(attrs={"rows": 3})
                self.fields[f"{field}_{code}"] = forms.CharField(
                    label=label, required=False, max_length=max_length, widget=widget
                )
        self.fields["categories"].choices = [(t.code, t.display_name) for t in TaxonomyTerm.objects.all()]
        self.fields["target_groups"].choices = [(t.code, t.display_name) for t in TargetGroup.objects.all()]
        self.fields["areas"].choices = area_choices()
        self.fields["locations"].choices = [(str(loc.pk), f"{loc.name} — {loc.address_line}") for loc in locations]

    def language_fields(self, code: str):
        return [self[f"{field}_{code}"] for field, _l, _m in LOCALISED_FIELDS]

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class ScheduleForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=ScheduleKind.choices)
    location = forms.ChoiceField(
        label=_("Place"), required=False, help_text=_("One of the service's locations, if it is tied to one.")
    )
    rrule = forms.CharField(
        label=_("Repeats"),
        max_length=500,
        required=False,
        help_text=_("An iCalendar RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,WE or FREQ=MONTHLY;BYDAY=1TU."),
    )
    dtstart = forms.CharField(label=_("From (YYYY-MM-DD)"), required=False)
    opens_at = forms.CharField(label=_("Opens at (HH:MM)"), required=False)
    closes_at = forms.CharField(label=_("Closes at (HH:MM)"), required=False)
    exceptions = forms.CharField(
        label=_("Not on these dates"), required=False, help_text=_("Dates as YYYY-MM-DD, separated by spaces.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)
    DELETE = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Every place of the owner is offered; the service function checks it is one of the service's own.
        self.fields["location"].choices = [("", _("Any of the service's places"))] + [
            (str(loc.pk), loc.name) for loc in locations
        ]

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("rrule") and not data.get("dtstart") and not data.get("id")


ScheduleFormSet = forms.formset_factory(ScheduleForm, extra=1, max_num=30, can_delete=False)


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name of the place"), max_length=200)
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=12, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    latitude = forms.CharField(label=_("Latitude"), required=False)
    longitude = forms.CharField(label=_("Longitude"), required=False)
    accessibility = forms.CharField(label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    transportation = forms.CharField(
        label=_("How to get there"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, country: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Area.objects.filter(kind=AreaKind.MUNICIPALITY).order_by("name")
        if country:
            qs = qs.filter(country=country)
        field = cast(forms.ChoiceField, self.fields["municipality"])
        field.choices = [("", "—")] + [(str(a.pk), a.display_name) for a in qs]


class ReportForm(forms.Form):
    message = forms.CharField(label=_("What is wrong?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    email = forms.EmailField(label=_("Your e-mail (optional, if you want an answer)"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
