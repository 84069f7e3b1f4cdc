"""Page forms: shape only; the rules live in the services."""

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from samverka.catalogue.models import TaxonomyTerm

from .models import BudgetPeriod, CopaymentKind, IdCountry, SchemeKind, Unit
from .money import Currency, fmt

DATE = forms.DateInput(attrs={"type": "date"})


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ModelChoiceField(
        label=_("Service category"),
        queryset=TaxonomyTerm.objects.all(),
        to_field_name="code",
        help_text=_("The catalogue's category of the services the vouchers pay for."),
        error_messages={"required": _("Choose the service category of the scheme.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=SchemeKind.choices)
    unit = forms.ChoiceField(label=_("Unit (voucher per unit)"), choices=[("", "–"), *Unit.choices], required=False)
    budget_period = forms.ChoiceField(
        label=_("Budget period (personal budget)"), choices=[("", "–"), *BudgetPeriod.choices], required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE, required=False)
    price_ceiling = forms.CharField(
        label=_("Price ceiling"),
        max_length=20,
        help_text=_("Highest price per unit (per claim for a fixed voucher or budget), e.g. 450.00"),
    )
    budget = forms.CharField(
        label=_("Budget"), max_length=20, required=False, help_text=_("Money available for decisions, e.g. 2000000")
    )
    copayment_kind = forms.ChoiceField(label=_("Co-payment"), choices=CopaymentKind.choices)
    copayment_fixed = forms.CharField(label=_("Fixed co-payment"), max_length=20, required=False)
    copayment_table = forms.CharField(
        label=_("Income table"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One band a line: "highest income; share in %". Leave the income empty on the last line.'),
    )
    criteria = forms.CharField(
        label=_("Accreditation criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question a line; providers answer each when they apply."),
    )
    provider_terms = forms.CharField(
        label=_("Terms for providers"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        table = []
        for line in (data.pop("copayment_table") or "").splitlines():
            if line.strip():
                upper, _sep, percent = line.partition(";")
                table.append({"income_up_to": upper.strip() or None, "percent": percent.strip()})
        data["copayment_table"] = table
        data["criteria"] = [c for c in (data["criteria"] or "").splitlines() if c.strip()]
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern); the services check their content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ApplyForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    price = forms.CharField(label=_("Your price"), max_length=20)
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False)
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    accessibility = forms.CharField(label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    quality_info = forms.CharField(
        label=_("Quality information"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    documents = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("PDF, PNG, JPEG, DOCX or ODT, at most 10 MB each; you can choose several files."),
    )
    document_titles = forms.CharField(
        label=_("Document titles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One title a line, in the order of the files; the file name is used where a line is missing."),
    )

    def __init__(self, *args, scheme, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        self.criteria = list(scheme.criteria)
        for i, criterion in enumerate(self.criteria):
            self.fields[f"answer_{i}"] = forms.CharField(
                label=criterion, widget=forms.Textarea(attrs={"rows": 2}), required=True
            )

    def answers(self) -> dict:
        return {c: self.cleaned_data.get(f"answer_{i}", "") for i, c in enumerate(self.criteria)}

    def document_list(self) -> list:
        files = self.cleaned_data.get("documents") or []
        titles = [t.strip() for t in (self.cleaned_data.get("document_titles") or "").splitlines()]
        return [(titles[i] if i < len(titles) and titles[i] else f.name, f) for i, f in enumerate(files)]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject")), ("suspend", _("Suspend")), ("end", _("End"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting, suspending or ending."),
    )


class ResidentForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    id_country = forms.ChoiceField(label=_("Country of the identity number"), choices=IdCountry.choices)
    national_id = forms.CharField(label=_("National identity number"), max_length=20)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"] = forms.ChoiceField(label=_("Municipality"), choices=[(str(a.pk), a.name) for a in areas])
        self.order_fields(["area"])


class IssueForm(forms.Form):
    scheme = forms.ChoiceField(label=_("Scheme"))
    units = forms.CharField(label=_("Units (voucher per unit)"), max_length=20, required=False)
    amount = forms.CharField(label=_("Amount (fixed voucher or budget)"), max_length=20, required=False)
    amount_per_period = forms.CharField(
        label=_("Amount per period (personal budget)"),
        max_length=20,
        required=False,
        help_text=_("What can be claimed for each period of the scheme (month, quarter or year). Empty: no limit."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE)
    income = forms.CharField(label=_("Yearly income (income-based co-payment)"), max_length=20, required=False)
    budget_lines = forms.CharField(
        label=_("Budget lines (personal budget)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('One line each: "purpose; amount". They must add up to the amount.'),
    )

    def __init__(self, *args, schemes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(str(s.pk), s.name) for s in schemes]

    def lines(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("budget_lines") or "").splitlines():
            if line.strip():
                label, _sep, amount = line.rpartition(";")
                rows.append((label.strip(), amount.strip()))
        return rows


class ProviderChoiceForm(forms.Form):
    accreditation = forms.ChoiceField(label=_("Provider"))

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accreditation"].choices = [
            (str(a.pk), f"{a.organisation.name} – {fmt(a.price_minor, a.scheme.currency)}") for a in providers
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ClaimForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    service_date = forms.DateField(label=_("Date delivered"), widget=DATE)
    units = forms.CharField(label=_("Units delivered"), max_length=20, required=False)
    amount = forms.CharField(label=_("Amount (fixed voucher or budget)"), max_length=20, required=False)
    budget_line = forms.ChoiceField(label=_("Budget line"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, budget_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        if budget_lines:
            self.fields["budget_line"].choices = [("", "–"), *((str(b.pk), b.label) for b in budget_lines)]
        else:
            del self.fields["budget_line"]

    @staticmethod
    def fresh_key() -> str:
        return str(uuid.uuid4())


class SettlementForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m"],
        help_text=_("YYYY-MM, a month that has ended"),
    )


class ResidentContactForm(forms.Form):
    """Contact details only: the identity number is not changed here (register the resident again instead)."""

    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the ledger and the audit trail; the provider sees it."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the claim's amount goes back to the voucher and the provider will not be paid it.")
    )


class SchemeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when suspending or closing."),
    )
    confirm = forms.BooleanField(label=_("I have read what this change does."))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(choices)


class FundForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount to add to the budget"), max_length=20, help_text=_("In the scheme's currency, e.g. 250000")
    )


class OpeningsForm(forms.Form):
    takes_new_clients = forms.BooleanField(label=_("We take new clients"), required=False)
    new_clients_from = forms.DateField(
        label=_("From (leave empty for now)"),
        required=False,
        widget=DATE,
        help_text=_("The date from which you take new clients, if not already now."),
    )
    openings_note = forms.CharField(
        label=_("Note for residents"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: waiting time, or which days you have room. Shown on the comparison page."),
    )
