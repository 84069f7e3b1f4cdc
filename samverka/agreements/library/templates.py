# ruff: noqa: E501 (agreement text reads better unbroken)
"""Three model agreements in nb, sv, fi and en, written for Samverka. {placeholders} are filled in on creation."""

from typing import Any

_FIELDS = {
    "en": [
        ("public_body", "Public body"),
        ("organisation", "Organisation"),
        ("purpose", "Purpose of the cooperation"),
        ("start_date", "Start date"),
        ("end_date", "End date"),
        ("contact", "Contact persons"),
    ],
    "nb": [
        ("public_body", "Offentlig part"),
        ("organisation", "Organisasjon"),
        ("purpose", "Formålet med samarbeidet"),
        ("start_date", "Startdato"),
        ("end_date", "Sluttdato"),
        ("contact", "Kontaktpersoner"),
    ],
    "sv": [
        ("public_body", "Offentlig part"),
        ("organisation", "Organisation"),
        ("purpose", "Samverkans syfte"),
        ("start_date", "Startdatum"),
        ("end_date", "Slutdatum"),
        ("contact", "Kontaktpersoner"),
    ],
    "fi": [
        ("public_body", "Julkinen osapuoli"),
        ("organisation", "Järjestö"),
        ("purpose", "Yhteistyön tarkoitus"),
        ("start_date", "Alkamispäivä"),
        ("end_date", "Päättymispäivä"),
        ("contact", "Yhteyshenkilöt"),
    ],
}

MUNICIPAL = {
    "en": (
        "Cooperation agreement between {public_body} and {organisation}",
        "A municipal cooperation agreement with a volunteer organisation.",
        [
            ("1. Parties", "This agreement is made between {public_body} and {organisation}."),
            ("2. Purpose", "{purpose}"),
            (
                "3. What the organisation does",
                "The organisation runs its activity with volunteers, decides its own "
                "content and methods, and reports yearly on activity and volunteer hours.",
            ),
            (
                "4. What the municipality does",
                "The municipality provides premises, a named contact and yearly "
                "support as decided in the budget, and involves the organisation in planning that concerns it.",
            ),
            (
                "5. Dialogue and follow-up",
                "The parties meet at least twice a year and review the agreement once a year.",
            ),
            (
                "6. Duration",
                "The agreement runs from {start_date} to {end_date}. Renewal is discussed a year before it ends.",
            ),
            ("7. Contacts", "{contact}"),
        ],
    ),
    "nb": (
        "Samarbeidsavtale mellom {public_body} og {organisation}",
        "Kommunal samarbeidsavtale med en frivillig organisasjon.",
        [
            ("1. Parter", "Denne avtalen er inngått mellom {public_body} og {organisation}."),
            ("2. Formål", "{purpose}"),
            (
                "3. Organisasjonens ansvar",
                "Organisasjonen driver aktiviteten med frivillige, bestemmer selv innhold "
                "og arbeidsmåter, og rapporterer årlig om aktivitet og frivillige timer.",
            ),
            (
                "4. Kommunens ansvar",
                "Kommunen stiller lokaler, en fast kontaktperson og årlig tilskudd etter "
                "budsjettvedtak til rådighet, og involverer organisasjonen i planer som angår den.",
            ),
            ("5. Dialog og oppfølging", "Partene møtes minst to ganger i året og evaluerer avtalen årlig."),
            ("6. Varighet", "Avtalen gjelder fra {start_date} til {end_date}. Fornyelse drøftes ett år før utløp."),
            ("7. Kontaktpersoner", "{contact}"),
        ],
    ),
    "sv": (
        "Samverkansavtal mellan {public_body} och {organisation}",
        "Kommunalt samverkansavtal med en ideell organisation.",
        [
            ("1. Parter", "Detta avtal har ingåtts mellan {public_body} och {organisation}."),
            ("2. Syfte", "{purpose}"),
            (
                "3. Organisationens åtaganden",
                "Organisationen bedriver verksamheten med frivilliga, bestämmer själv "
                "innehåll och arbetssätt och redovisar årligen verksamhet och frivilliga timmar.",
            ),
            (
                "4. Kommunens åtaganden",
                "Kommunen ställer lokaler, en utsedd kontaktperson och årligt bidrag enligt "
                "budgetbeslut till förfogande och involverar organisationen i planering som berör den.",
            ),
            ("5. Dialog och uppföljning", "Parterna möts minst två gånger per år och följer upp avtalet årligen."),
            (
                "6. Avtalstid",
                "Avtalet gäller från {start_date} till {end_date}. Förlängning diskuteras ett år före slutet.",
            ),
            ("7. Kontaktpersoner", "{contact}"),
        ],
    ),
    "fi": (
        "Yhteistyösopimus: {public_body} ja {organisation}",
        "Kunnan yhteistyösopimus vapaaehtoisjärjestön kanssa.",
        [
            ("1. Osapuolet", "Tämän sopimuksen osapuolet ovat {public_body} ja {organisation}."),
            ("2. Tarkoitus", "{purpose}"),
            (
                "3. Järjestön tehtävät",
                "Järjestö toteuttaa toimintaa vapaaehtoisten voimin, päättää itse sisällöstä "
                "ja menetelmistä ja raportoi vuosittain toiminnasta ja vapaaehtoistunneista.",
            ),
            (
                "4. Kunnan tehtävät",
                "Kunta tarjoaa tilat, nimetyn yhteyshenkilön ja talousarvion mukaisen vuosittaisen "
                "avustuksen sekä ottaa järjestön mukaan sitä koskevaan suunnitteluun.",
            ),
            (
                "5. Vuoropuhelu ja seuranta",
                "Osapuolet tapaavat vähintään kahdesti vuodessa ja arvioivat sopimuksen vuosittain.",
            ),
            (
                "6. Voimassaolo",
                "Sopimus on voimassa {start_date} – {end_date}. Jatkosta keskustellaan vuotta ennen päättymistä.",
            ),
            ("7. Yhteyshenkilöt", "{contact}"),
        ],
    ),
}

IOP = {
    "en": (
        "Non-profit public partnership (IOP) between {public_body} and {organisation}",
        "An IOP agreement: a partnership outside public procurement on a shared social aim.",
        [
            ("1. Parties", "{public_body} and {organisation} form a non-profit public partnership."),
            ("2. Shared aim", "{purpose}"),
            (
                "3. Contributions",
                "Each party contributes staff, premises, knowledge or money as set out in the annex. "
                "The organisation's own contribution and volunteers are part of the partnership.",
            ),
            ("4. Independence", "The organisation keeps its independence and its right to criticise the public body."),
            (
                "5. Governance",
                "A steering group with both parties meets each quarter and agrees on changes in writing.",
            ),
            ("6. Follow-up", "The partnership is followed up yearly against the principles of the agreement."),
            ("7. Duration", "The partnership runs from {start_date} to {end_date}."),
            ("8. Contacts", "{contact}"),
        ],
    ),
    "nb": (
        "Ideelt-offentlig partnerskap (IOP) mellom {public_body} og {organisation}",
        "IOP-avtale: partnerskap utenfor anskaffelsesregelverket om et felles sosialt mål.",
        [
            ("1. Parter", "{public_body} og {organisation} inngår et ideelt-offentlig partnerskap."),
            ("2. Felles mål", "{purpose}"),
            (
                "3. Bidrag",
                "Hver part bidrar med ansatte, lokaler, kunnskap eller midler som beskrevet i vedlegget. "
                "Organisasjonens egeninnsats og frivillige er en del av partnerskapet.",
            ),
            (
                "4. Uavhengighet",
                "Organisasjonen beholder sin uavhengighet og retten til å kritisere den offentlige parten.",
            ),
            ("5. Styring", "En styringsgruppe med begge parter møtes hvert kvartal og avtaler endringer skriftlig."),
            ("6. Oppfølging", "Partnerskapet følges opp årlig mot avtalens prinsipper."),
            ("7. Varighet", "Partnerskapet gjelder fra {start_date} til {end_date}."),
            ("8. Kontaktpersoner", "{contact}"),
        ],
    ),
    "sv": (
        "Idéburet offentligt partnerskap (IOP) mellan {public_body} och {organisation}",
        "IOP-avtal: ett partnerskap utanför upphandling kring ett gemensamt samhällsmål.",
        [
            ("1. Parter", "{public_body} och {organisation} ingår ett idéburet offentligt partnerskap."),
            ("2. Gemensamt mål", "{purpose}"),
            (
                "3. Insatser",
                "Varje part bidrar med personal, lokaler, kunskap eller medel enligt bilagan. "
                "Organisationens egen insats och dess frivilliga är en del av partnerskapet.",
            ),
            (
                "4. Självständighet",
                "Organisationen behåller sitt oberoende och sin rätt att kritisera den offentliga parten.",
            ),
            (
                "5. Styrning",
                "En styrgrupp med båda parter möts varje kvartal och kommer överens om ändringar skriftligt.",
            ),
            ("6. Uppföljning", "Partnerskapet följs upp årligen mot överenskommelsens principer."),
            ("7. Avtalstid", "Partnerskapet gäller från {start_date} till {end_date}."),
            ("8. Kontaktpersoner", "{contact}"),
        ],
    ),
    "fi": (
        "Järjestön ja julkisen sektorin kumppanuus (IOP): {public_body} ja {organisation}",
        "IOP-sopimus: kumppanuus yhteisen yhteiskunnallisen tavoitteen puolesta hankintojen ulkopuolella.",
        [
            ("1. Osapuolet", "{public_body} ja {organisation} solmivat kumppanuuden."),
            ("2. Yhteinen tavoite", "{purpose}"),
            (
                "3. Panokset",
                "Kumpikin osapuoli antaa henkilöstöä, tiloja, osaamista tai rahaa liitteen mukaisesti. "
                "Järjestön oma panos ja vapaaehtoiset ovat osa kumppanuutta.",
            ),
            ("4. Itsenäisyys", "Järjestö säilyttää itsenäisyytensä ja oikeutensa arvostella julkista osapuolta."),
            (
                "5. Ohjaus",
                "Molempien osapuolten ohjausryhmä kokoontuu neljännesvuosittain ja sopii muutoksista kirjallisesti.",
            ),
            ("6. Seuranta", "Kumppanuutta seurataan vuosittain sopimuksen periaatteita vasten."),
            ("7. Voimassaolo", "Kumppanuus on voimassa {start_date} – {end_date}."),
            ("8. Yhteyshenkilöt", "{contact}"),
        ],
    ),
}

REGIONAL = {
    "en": (
        "Regional agreement between {public_body} and the non-profit organisations",
        "A regional agreement with principles, modelled on the national agreements.",
        [
            (
                "1. Background",
                "{public_body} and the non-profit organisations in social care and health, represented "
                "by {organisation}, agree on how they will work together.",
            ),
            ("2. Purpose", "{purpose}"),
            (
                "3. Principles",
                "The parties follow the principles listed in this agreement. For each principle, each "
                "party's commitments are set out below.",
            ),
            (
                "4. Structure",
                "A cooperation council with members from both sides meets at least four times a year; "
                "the region names an organisation coordinator.",
            ),
            (
                "5. Yearly review",
                "Each year every party scores each principle from 1 to 5 with evidence, and the "
                "council discusses the results.",
            ),
            ("6. Duration", "The agreement applies from {start_date} to {end_date}."),
            ("7. Contacts", "{contact}"),
        ],
    ),
    "nb": (
        "Regional samarbeidsavtale mellom {public_body} og frivillig sektor",
        "Regional avtale med prinsipper, etter mønster av de nasjonale avtalene.",
        [
            (
                "1. Bakgrunn",
                "{public_body} og de frivillige organisasjonene i helse og omsorg, representert ved "
                "{organisation}, blir enige om hvordan de skal samarbeide.",
            ),
            ("2. Formål", "{purpose}"),
            (
                "3. Prinsipper",
                "Partene følger prinsippene i denne avtalen. For hvert prinsipp står hver parts forpliktelser nedenfor.",
            ),
            (
                "4. Struktur",
                "Et samarbeidsråd med medlemmer fra begge sider møtes minst fire ganger i året; "
                "regionen utpeker en frivillighetskoordinator.",
            ),
            (
                "5. Årlig evaluering",
                "Hvert år vurderer hver part hvert prinsipp fra 1 til 5 med dokumentasjon, og "
                "samarbeidsrådet drøfter resultatene.",
            ),
            ("6. Varighet", "Avtalen gjelder fra {start_date} til {end_date}."),
            ("7. Kontaktpersoner", "{contact}"),
        ],
    ),
    "sv": (
        "Regional överenskommelse mellan {public_body} och den idéburna sektorn",
        "En regional överenskommelse med principer, efter förebild av den nationella överenskommelsen.",
        [
            (
                "1. Bakgrund",
                "{public_body} och de idéburna organisationerna inom det sociala området och hälsa, "
                "företrädda av {organisation}, kommer överens om hur de ska samverka.",
            ),
            ("2. Syfte", "{purpose}"),
            (
                "3. Principer",
                "Parterna följer principerna i denna överenskommelse. För varje princip anges varje parts åtaganden nedan.",
            ),
            (
                "4. Struktur",
                "Ett samverkansråd med ledamöter från båda sidor möts minst fyra gånger per år; "
                "regionen utser en organisationskoordinator.",
            ),
            (
                "5. Årlig uppföljning",
                "Varje år bedömer varje part varje princip från 1 till 5 med underlag, och "
                "samverkansrådet diskuterar resultaten.",
            ),
            ("6. Giltighetstid", "Överenskommelsen gäller från {start_date} till {end_date}."),
            ("7. Kontaktpersoner", "{contact}"),
        ],
    ),
    "fi": (
        "Alueellinen kumppanuussopimus: {public_body} ja järjestöt",
        "Alueellinen sopimus periaatteineen kansallisten sopimusten mallin mukaan.",
        [
            (
                "1. Tausta",
                "{public_body} ja sosiaali- ja terveysalan järjestöt, joita edustaa {organisation}, "
                "sopivat yhteistyönsä tavoista.",
            ),
            ("2. Tarkoitus", "{purpose}"),
            (
                "3. Periaatteet",
                "Osapuolet noudattavat tämän sopimuksen periaatteita. Kunkin osapuolen sitoumukset on kirjattu alle.",
            ),
            (
                "4. Rakenne",
                "Molempien osapuolten yhteistyöneuvosto kokoontuu vähintään neljästi vuodessa; "
                "alue nimeää järjestökoordinaattorin.",
            ),
            (
                "5. Vuosiarviointi",
                "Joka vuosi kukin osapuoli arvioi jokaisen periaatteen asteikolla 1–5 perusteluineen, "
                "ja neuvosto käsittelee tulokset.",
            ),
            ("6. Voimassaolo", "Sopimus on voimassa {start_date} – {end_date}."),
            ("7. Yhteyshenkilöt", "{contact}"),
        ],
    ),
}


def _languages(texts):
    return {
        language: {"title": t, "description": d, "sections": s, "fields": _FIELDS[language]}
        for language, (t, d, s) in texts.items()
    }


TEMPLATES: list[dict[str, Any]] = [
    {"code": "municipal-cooperation", "kind": "municipal_cooperation", "languages": _languages(MUNICIPAL)},
    {"code": "iop", "kind": "iop", "principle_set": "se-national-agreement", "languages": _languages(IOP)},
    {
        "code": "regional-agreement",
        "kind": "sector_agreement",
        "principle_set": "se-national-agreement",
        "languages": _languages(REGIONAL),
    },
]
