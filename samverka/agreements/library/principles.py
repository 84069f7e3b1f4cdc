# ruff: noqa: E501 (agreement text reads better unbroken)
"""Shipped principle sets. Wording is our own summary of the public agreements, not their official text."""

from typing import Any

PRINCIPLE_SETS: list[dict[str, Any]] = [
    {
        "code": "se-national-agreement",
        "country": "SE",
        "name": {
            "en": "Swedish national agreement: six principles",
            "sv": "Den nationella överenskommelsen: sex principer",
            "nb": "Den svenske nasjonale overenskomsten: seks prinsipper",
            "fi": "Ruotsin kansallinen sopimus: kuusi periaatetta",
        },
        "principles": [
            {
                "en": "Independence",
                "sv": "Självständighet och oberoende",
                "nb": "Selvstendighet og uavhengighet",
                "fi": "Itsenäisyys ja riippumattomuus",
                "description": "The organisations decide their own aims and work and may speak for their members.",
            },
            {
                "en": "Dialogue",
                "sv": "Dialog",
                "nb": "Dialog",
                "fi": "Vuoropuhelu",
                "description": "The parties meet regularly and early, before decisions are made.",
            },
            {
                "en": "Quality",
                "sv": "Kvalitet",
                "nb": "Kvalitet",
                "fi": "Laatu",
                "description": "Quality is defined with the people the activity is for and followed up together.",
            },
            {
                "en": "Long-term commitment",
                "sv": "Långsiktighet",
                "nb": "Langsiktighet",
                "fi": "Pitkäjänteisyys",
                "description": "Funding and cooperation are planned over several years, not from one call to the next.",
            },
            {
                "en": "Openness and transparency",
                "sv": "Öppenhet och insyn",
                "nb": "Åpenhet og innsyn",
                "fi": "Avoimuus ja läpinäkyvyys",
                "description": "Both parties share information and account for how money and commitments are used.",
            },
            {
                "en": "Diversity",
                "sv": "Mångfald",
                "nb": "Mangfold",
                "fi": "Moninaisuus",
                "description": "Small and large organisations, and many kinds of activity, have room to take part.",
            },
        ],
    },
    {
        "code": "no-state-nonprofit-agreement",
        "country": "NO",
        "name": {
            "en": "Norwegian state–non-profit cooperation agreement: commitments",
            "nb": "Samarbeidsavtalen mellom regjeringen og ideell sektor: forpliktelser",
            "sv": "Norska samarbetsavtalet mellan staten och idéburen sektor: åtaganden",
            "fi": "Norjan valtion ja järjestöjen yhteistyösopimus: sitoumukset",
        },
        "principles": [
            {
                "en": "Room for non-profit actors in health and social services",
                "nb": "Rom for ideelle aktører i helse- og sosialtjenestene",
                "sv": "Utrymme för idéburna aktörer i vård och omsorg",
                "fi": "Tilaa järjestöille sosiaali- ja terveyspalveluissa",
                "description": "The public body keeps a place for non-profit providers and uses the room the procurement rules give.",
            },
            {
                "en": "Long and predictable agreements",
                "nb": "Langsiktige og forutsigbare avtaler",
                "sv": "Långa och förutsägbara avtal",
                "fi": "Pitkät ja ennustettavat sopimukset",
                "description": "Agreement periods longer than the usual tender cycles, with notice before changes.",
            },
            {
                "en": "Quality and added value",
                "nb": "Kvalitet og merverdi",
                "sv": "Kvalitet och mervärde",
                "fi": "Laatu ja lisäarvo",
                "description": "Quality criteria that show what non-profit providers add, documented by both parties.",
            },
            {
                "en": "Dialogue and involvement",
                "nb": "Dialog og medvirkning",
                "sv": "Dialog och medverkan",
                "fi": "Vuoropuhelu ja osallisuus",
                "description": "Regular dialogue meetings; the organisations are heard before decisions that concern them.",
            },
            {
                "en": "Fair framework conditions",
                "nb": "Rettferdige rammevilkår",
                "sv": "Rättvisa villkor",
                "fi": "Reilut toimintaedellytykset",
                "description": "Pensions, payment terms and reporting demands are fair and in proportion.",
            },
            {
                "en": "Openness and documentation",
                "nb": "Åpenhet og dokumentasjon",
                "sv": "Öppenhet och dokumentation",
                "fi": "Avoimuus ja dokumentointi",
                "description": "The non-profit actors account for their use of public money; the public body for its decisions.",
            },
        ],
    },
]
