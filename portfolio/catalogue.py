"""The shared indicator catalogue: performance measures English councils and fire authorities
report nationally (to DLUHC/MHCLG, DfE, DHSC and the Home Office) or commonly track locally.

Codes are the national ones where a well-known one exists (NI192, ASCOF 2B, PS1); otherwise a
short mnemonic. Names, units and which way is better are public facts; loading is idempotent.
"""

# (code, name, unit, polarity (+1 higher is better, -1 lower), frequency, service)
Q, A = "quarterly", "annual"
INDICATORS = [
    # Waste and recycling
    ("NI192", "Household waste sent for reuse, recycling and composting", "%", 1, Q, "waste"),
    ("NI191", "Residual household waste per household", "kg", -1, Q, "waste"),
    ("NI193", "Municipal waste sent to landfill", "%", -1, Q, "waste"),
    ("FLY-TIP", "Fly-tipping incidents per 1,000 people", "incidents per 1,000", -1, Q, "waste"),
    ("NI195A", "Relevant land with unacceptable levels of litter", "%", -1, A, "waste"),
    # Planning and development
    ("PS1-MAJOR", "Major planning applications decided within 13 weeks or an agreed time", "%", 1, Q, "planning"),
    ("PS2-MINOR", "Minor planning applications decided within 8 weeks or an agreed time", "%", 1, Q, "planning"),
    ("PS2-OTHER", "Other planning applications decided within 8 weeks or an agreed time", "%", 1, Q, "planning"),
    ("PLAN-APPEAL", "Major planning decisions overturned on appeal", "%", -1, A, "planning"),
    ("NI154", "Net additional homes provided", "homes", 1, A, "planning"),
    ("NI155", "Affordable homes delivered (gross)", "homes", 1, A, "planning"),
    # Revenues and benefits
    ("CTAX-COLL", "Council tax collected in the year", "%", 1, Q, "revenues_benefits"),
    ("NNDR-COLL", "Business rates collected in the year", "%", 1, Q, "revenues_benefits"),
    ("HB-NEW", "Average time to process new Housing Benefit claims", "days", -1, Q, "revenues_benefits"),
    ("HB-CHANGE", "Average time to process Housing Benefit change events", "days", -1, Q, "revenues_benefits"),
    # Housing
    ("HOU-RELET", "Average time to re-let local-authority homes", "days", -1, Q, "housing"),
    ("HOU-TA", "Households in temporary accommodation", "households", -1, Q, "housing"),
    ("HOU-BB6", "Families with children in bed and breakfast for more than six weeks", "households", -1, Q, "housing"),
    ("HOU-PREV", "Prevention duties ending with accommodation secured", "%", 1, Q, "housing"),
    ("HOU-RENT", "Rent collected as a share of rent due", "%", 1, Q, "housing"),
    ("HOU-DECENT", "Local-authority homes that do not meet the Decent Homes Standard", "%", -1, A, "housing"),
    # Adult social care (ASCOF)
    ("ASCOF-1A", "Social-care-related quality of life", "score out of 24", 1, A, "adult_social_care"),
    ("ASCOF-1C", "Adults using social care who receive self-directed support", "%", 1, A, "adult_social_care"),
    (
        "ASCOF-2A",
        "Older people whose long-term needs are met by admission to care homes",
        "per 100,000 aged 65+",
        -1,
        A,
        "adult_social_care",
    ),
    (
        "ASCOF-2B",
        "Older people still at home 91 days after leaving hospital into reablement",
        "%",
        1,
        A,
        "adult_social_care",
    ),
    ("ASCOF-3A", "Overall satisfaction of people who use care and support services", "%", 1, A, "adult_social_care"),
    # Children's services
    ("CS-ASSESS", "Children's assessments completed within 45 working days", "%", 1, Q, "childrens_services"),
    ("CS-REREF", "Re-referrals to children's social care within 12 months", "%", -1, A, "childrens_services"),
    ("CS-CPP2", "Child protection plans lasting two years or more", "%", -1, A, "childrens_services"),
    ("CS-LAC3", "Looked-after children with three or more placements in the year", "%", -1, A, "childrens_services"),
    ("CS-EHCP20", "New education, health and care plans issued within 20 weeks", "%", 1, A, "childrens_services"),
    # Public health
    ("PH-SMOKE", "Adults who smoke", "%", -1, A, "public_health"),
    ("PH-HEALTHCHECK", "Eligible people who received an NHS Health Check", "%", 1, Q, "public_health"),
    ("PH-DRUG", "Successful completion of drug treatment (opiate users)", "%", 1, Q, "public_health"),
    ("PH-OBESE6", "Year 6 children living with obesity", "%", -1, A, "public_health"),
    # Highways and transport
    ("NI168", "Principal roads where maintenance should be considered", "%", -1, A, "highways_transport"),
    ("NI169", "Non-principal classified roads needing maintenance", "%", -1, A, "highways_transport"),
    ("HW-POTHOLE", "Category 1 potholes repaired within the target time", "%", 1, Q, "highways_transport"),
    # Environmental health and licensing
    ("EH-FHRS", "Food businesses rated 3 (generally satisfactory) or better", "%", 1, Q, "environmental_health"),
    ("EH-NOISE", "Noise complaints answered within five working days", "%", 1, Q, "environmental_health"),
    # Culture and leisure
    ("CL-LIBRARY", "Library visits per 1,000 people", "visits per 1,000", 1, Q, "culture_leisure"),
    ("CL-LEISURE", "Leisure centre visits per 1,000 people", "visits per 1,000", 1, Q, "culture_leisure"),
    # Corporate and customer services
    ("CORP-SICK", "Working days lost to sickness absence per full-time employee", "days", -1, Q, "corporate"),
    ("CORP-INVOICE", "Undisputed invoices paid within 30 days", "%", 1, Q, "corporate"),
    ("CORP-FOI", "Freedom of information requests answered within 20 working days", "%", 1, Q, "corporate"),
    ("CORP-COMPLAINT", "Stage 1 complaints answered within the target time", "%", 1, Q, "corporate"),
    # Fire and rescue
    ("FRS-RESPONSE", "Average response time to primary fires", "minutes", -1, Q, "fire_rescue"),
    ("FRS-DWELLING", "Accidental dwelling fires per 10,000 dwellings", "fires per 10,000", -1, Q, "fire_rescue"),
    ("FRS-HFSV", "Home fire safety visits completed per 1,000 people", "visits per 1,000", 1, Q, "fire_rescue"),
]

# Contextual measures: what describes a place rather than how its services perform. They are
# imported like any other figure (by the sector body, for every organisation) and give no gap;
# nearest neighbours are found on them (portfolio.gaps). Polarity means nothing for them.
CONTEXTUAL = [
    ("CTX-POP", "Resident population (mid-year estimate)", "people", 1, A, "corporate"),
    ("CTX-DENSITY", "Population density", "people per km²", 1, A, "corporate"),
    ("CTX-IMD", "Index of multiple deprivation: average score", "score", 1, A, "corporate"),
    ("CTX-65PLUS", "Residents aged 65 and over", "%", 1, A, "corporate"),
]

# Which services each kind of authority delivers, so that an idea's indicator list offers what
# the organisation reports. In two-tier areas the county runs social care, children's
# services, highways, public health, libraries and waste disposal; the district runs housing,
# planning, revenues and benefits, environmental health, leisure and waste collection (both
# tiers handle waste). Unitaries, metropolitan districts, London boroughs and Welsh principal
# areas deliver all of them; fire and rescue is a separate authority (where a county or a
# combined authority runs it, it reports fire indicators and so sees them: see
# portfolio.queries.indicator_choices). Sector bodies compare across the sector, so see all.
# Every kind runs its own corporate services.
_ALL_BUT_FIRE = {
    "adult_social_care",
    "childrens_services",
    "corporate",
    "culture_leisure",
    "environmental_health",
    "highways_transport",
    "housing",
    "planning",
    "public_health",
    "revenues_benefits",
    "waste",
}
SERVICES_BY_KIND: dict[str, set[str]] = {
    "county": {
        "adult_social_care",
        "childrens_services",
        "corporate",
        "culture_leisure",
        "highways_transport",
        "public_health",
        "waste",
    },
    "district": {
        "corporate",
        "culture_leisure",
        "environmental_health",
        "housing",
        "planning",
        "revenues_benefits",
        "waste",
    },
    "unitary": _ALL_BUT_FIRE,
    "metropolitan": _ALL_BUT_FIRE,
    "london_borough": _ALL_BUT_FIRE,
    "welsh": _ALL_BUT_FIRE,
    "fire": {"fire_rescue", "corporate"},
    "sector_body": _ALL_BUT_FIRE | {"fire_rescue"},
}


def catalogue_load(indicator_model) -> tuple[int, int]:
    """Adds missing indicators and corrects changed ones. Returns (added, updated).

    Takes the model so that the data migration can pass its historical one.
    """
    added = updated = 0
    catalogue = indicator_model.objects.all()
    # Organisations' own indicators are not the catalogue's (migration 0003 runs before they exist).
    if any(field.name == "organisation" for field in indicator_model._meta.get_fields()):
        catalogue = catalogue.filter(organisation__isnull=True)
    existing = {i.code: i for i in catalogue}
    # The contextual measures once the model can tell them apart (the migration that adds `purpose` loads them).
    has_purpose = any(field.name == "purpose" for field in indicator_model._meta.get_fields())
    entries = [(entry, "performance") for entry in INDICATORS]
    if has_purpose:
        entries += [(entry, "contextual") for entry in CONTEXTUAL]
    for (code, name, unit, polarity, frequency, service), purpose in entries:
        fields = {"name": name, "unit": unit, "polarity": polarity, "frequency": frequency, "service": service}
        if has_purpose:
            fields["purpose"] = purpose
        current = existing.get(code)
        if current is None:
            indicator_model.objects.create(code=code, **fields)
            added += 1
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            current.save()
            updated += 1
    return added, updated
