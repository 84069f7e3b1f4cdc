"""Forms for the dialogue pages (shape only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from .hearing_models import Audience
from .models import ActionStatus, ForumKind

if TYPE_CHECKING:
    from samverka.areas.models import Area
    from samverka.registry.models import Organisation

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ForumForm(forms.Form):
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(queryset=None, label=_("Area"))
    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=ForumKind.choices, label=_("Kind"))
    mandate = forms.CharField(required=False, label=_("Mandate"), widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(required=False, initial=True, label=_("Public (anyone can read it)"))

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class MemberForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Organisation")
    )
    represents_public_body = forms.BooleanField(required=False, label=_("Represents the public body"))
    role = forms.CharField(max_length=100, required=False, label=_("Role"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DT)
    place = forms.CharField(max_length=300, required=False, label=_("Place"))
    link = forms.URLField(required=False, label=_("Online link"))
    send_invitations = forms.BooleanField(
        required=False, label=_("E-mail the members an invitation with a calendar file (.ics) now")
    )


class AgendaForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Agenda item"))
    description = forms.CharField(required=False, label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    proposer_organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Proposed on behalf of"), empty_label=_("Myself")
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations.exists():
            self.fields["proposer_organisation"].queryset = organisations
            self.fields["proposer_organisation"].label_from_instance = lambda o: o.display_name
        else:
            del self.fields["proposer_organisation"]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, PNG, JPEG, DOCX, XLSX or text)"))


class MinutesForm(forms.Form):
    text = forms.CharField(required=False, label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))
    open_space_summary = forms.CharField(
        required=False, label=_("Open space and reflection summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    present = forms.MultipleChoiceField(required=False, label=_("Present"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), m.name) for m in members]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Action"))
    decision = forms.ChoiceField(required=False, label=_("From decision"))
    owner_organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Owner organisation")
    )
    owner_email = forms.EmailField(required=False, label=_("Owner person (e-mail of a Samverka user)"))
    due = forms.DateField(required=False, label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, decisions, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "–")] + [(str(d.pk), str(d)) for d in decisions]
        self.fields["owner_organisation"].queryset = organisations


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))
    comment = forms.CharField(required=False, label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class HearingForm(forms.Form):
    area: forms.ModelChoiceField[Area] = forms.ModelChoiceField(queryset=None, label=_("Area"))
    title = forms.CharField(max_length=300, label=_("Title"))
    intro = forms.CharField(required=False, label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(choices=Audience.choices, label=_("Who may comment"))
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DT)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DT)
    text = forms.CharField(
        label=_("Document"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Start each section with a line “## Heading”."),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class HearingCommentForm(forms.Form):
    section = forms.ChoiceField(required=False, label=_("Section"))
    organisation = forms.ChoiceField(required=False, label=_("Comment as"))
    name = forms.CharField(max_length=200, required=False, label=_("Your name (optional)"))
    text = forms.CharField(label=_("Comment"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, sections, organisations, fixed_section=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_section is not None:
            del self.fields["section"]  # the section page: the comment belongs to that section
        else:
            self.fields["section"].choices = [("", _("The whole document"))] + [
                (str(s.pk), s.heading) for s in sections
            ]
        if organisations:
            self.fields["organisation"].choices = [("", _("Myself"))] + [
                (str(o.pk), o.display_name) for o in organisations
            ]
        else:
            del self.fields["organisation"]


class RespondForm(forms.Form):
    comments = forms.MultipleChoiceField(label=_("Comments"), widget=forms.CheckboxSelectMultiple)
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, comments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = [(str(c.pk), c.text[:80]) for c in comments]


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 6}))
