"""Forms for the agreement pages (shape only; the rules live in the services)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import AgreementKind, PrincipleSet, Template

if TYPE_CHECKING:
    from samverka.areas.models import Area
    from samverka.registry.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"})


def sections_from_text(text: str) -> list[dict]:
    """Sections written as plain text: a line starting with "## " begins a new section with that heading."""
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if line.startswith("## "):
            current = {"heading": line[3:].strip(), "lines": []}
            sections.append(current)
        else:
            if current is None:
                current = {"heading": "", "lines": []}
                sections.append(current)
            current["lines"].append(line)
    return [{"heading": s["heading"], "text": "\n".join(s["lines"]).strip()} for s in sections]


def sections_to_text(sections: list[dict]) -> str:
    return "\n\n".join(f"## {s['heading']}\n{s['text']}" for s in sections)


# Placeholders filled from the parties and dates; the create form asks only for the others.
AUTO_FIELDS = frozenset({"public_body", "organisation", "start_date", "end_date"})


def template_field_names(template: Template | None) -> list[tuple[str, str]]:
    """The (name, label) of each field a person fills in when starting from `template`."""
    if template is None:
        return []
    result: list[tuple[str, str]] = []
    for field in template.fields or []:
        name = str(field.get("name", "")) if isinstance(field, dict) else ""
        if name and name not in AUTO_FIELDS and name not in {n for n, _l in result}:
            result.append((name, str(field.get("label") or name)))
    return result


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    """Organisations by their name in the reader's language."""

    def label_from_instance(self, obj) -> str:
        return obj.display_name


class AgreementCreateForm(forms.Form):
    """Step two of creating an agreement: the template (if any) was chosen in step one and is fixed here; its
    fields to fill in are the `field_<name>` inputs."""

    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(queryset=None, label=_("Public body (area)"))
    kind = forms.ChoiceField(choices=AgreementKind.choices, label=_("Kind"))
    title = forms.CharField(max_length=300, required=False, label=_("Title"))
    organisations: forms.ModelMultipleChoiceField[Organisation] = OrganisationChoiceField(
        queryset=None, required=False, label=_("Organisations (parties)")
    )
    starts = forms.DateField(required=False, label=_("Starts"), widget=DATE)
    ends = forms.DateField(required=False, label=_("Ends"), widget=DATE)
    review_date = forms.DateField(required=False, label=_("Next review"), widget=DATE)
    principle_set: forms.ModelChoiceField[PrincipleSet] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Principles"),
        help_text=_("The agreement carries these principles; each party writes its commitments under them."),
    )

    def __init__(self, *args, areas, organisations, principle_sets, template: Template | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        cast(forms.ModelChoiceField, self.fields["area"]).queryset = areas
        cast(forms.ModelMultipleChoiceField, self.fields["organisations"]).queryset = organisations
        cast(forms.ModelChoiceField, self.fields["principle_set"]).queryset = principle_sets
        if template is not None:
            self.fields["title"].help_text = _("Leave empty to use the template's title.")
            self.fields["kind"].initial = template.kind
            self.fields["principle_set"].initial = template.principle_set_id
            for name, label in template_field_names(template):
                self.fields[f"field_{name}"] = forms.CharField(
                    required=False, label=label, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
                )

    def template_values(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"field_{name}", "") for name, _label in template_field_names(self.template)
        }


class TemplateChoiceForm(forms.Form):
    """Step one: start from a model agreement or from an empty text (a GET form)."""

    template: forms.ModelChoiceField[Template] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Template"), empty_label=_("No template: write my own text")
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = lambda t: f"{t.title} ({t.language})"


class VersionForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Title"))
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Start each section with a line “## Heading”."),
    )
    note = forms.CharField(max_length=500, required=False, label=_("What changed"))


class CommentForm(forms.Form):
    section_index = forms.TypedChoiceField(coerce=int, label=_("Section"))
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_index"].choices = [(i, s["heading"] or str(i + 1)) for i, s in enumerate(sections)]


class SignForm(forms.Form):
    otp_token = forms.CharField(
        max_length=10,
        label=_("Code from your authenticator app"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    text_sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)


class PartyForm(forms.Form):
    """One more party: an organisation or another public body (exactly one of them)."""

    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Organisation")
    )
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("or another public body (area)")
    )

    def __init__(self, *args, organisations, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].label_from_instance = lambda o: o.display_name
        self.fields["area"].queryset = areas

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("area")):
            raise forms.ValidationError(_("Choose either an organisation or a public body."))
        return data


class SignatoryForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"))
    email = forms.EmailField(label=_("Signatory's e-mail (a Samverka user)"))
    position = forms.CharField(max_length=200, required=False, label=_("Position"))

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(str(p.pk), str(p)) for p in parties]


class CommitmentForm(forms.Form):
    principle = forms.ChoiceField(label=_("Principle"))
    party = forms.ChoiceField(label=_("Party"))
    text = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, principles, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principle"].choices = [(str(p.pk), p.title) for p in principles]
        self.fields["party"].choices = [(str(p.pk), str(p)) for p in parties]


class PrincipleForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("New principle"))


class ScoreForm(forms.Form):
    principle = forms.ChoiceField(label=_("Principle"))
    party = forms.ChoiceField(label=_("Party"))
    score = forms.TypedChoiceField(coerce=int, choices=[(i, str(i)) for i in range(1, 6)], label=_("Score (1–5)"))
    comment = forms.CharField(required=False, label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence_links = forms.CharField(
        required=False, label=_("Evidence links (one per line)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    disagreement = forms.CharField(
        required=False, label=_("Disagreement, if any"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, principles, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principle"].choices = [(str(p.pk), p.title) for p in principles]
        self.fields["party"].choices = [(str(p.pk), str(p)) for p in parties]


class RenewForm(forms.Form):
    ends = forms.DateField(label=_("New end date"), widget=DATE)


class TemplateForm(forms.Form):
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(queryset=None, label=_("Area"))
    title = forms.CharField(max_length=300, label=_("Title"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))
    kind = forms.ChoiceField(choices=AgreementKind.choices, label=_("Kind"))
    description = forms.CharField(required=False, label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Start each section with “## Heading”. Write {name} for a field to fill in."),
    )
    principle_set: forms.ModelChoiceField[PrincipleSet] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Principles the agreement carries")
    )

    def __init__(self, *args, areas, principle_sets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["principle_set"].queryset = (
            principle_sets if principle_sets is not None else PrincipleSet.objects.none()
        )


class PrincipleSetForm(forms.Form):
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(queryset=None, label=_("Area"))
    name = forms.CharField(max_length=200, label=_("Name"))
    principles = forms.CharField(label=_("Principles (one per line)"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
