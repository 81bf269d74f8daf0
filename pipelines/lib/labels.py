"""The Swedish words a reader sees for the warehouse's code values, in one place.

The marts hold ASCII snake_case codes (`kraver_atgardsplan`, `gron`) so that SQL, filters and
joins never depend on spelling or encoding; the report (HTML and Excel) and the CLI show the
label of a code instead. One dict per code family; the dbt models' accepted_values list the
same codes (tests/test_labels.py checks that every code has a label and no label is stale).
"""

from __future__ import annotations

# marts.atgardsplan.status
ATGARDSPLAN_STATUS = {
    "ny": "ny",
    "kraver_atgardsplan": "kräver åtgärdsplan",
    "forsenad": "försenad",
    "beslutad": "beslutad",
    "atgardad": "åtgärdad",
}

# trafikljus in marts.maluppfyllelse, maluppfyllelse_indikator, intern_kontroll, and the
# report's own lights (helårsavvikelse, åtgärdsplan). The codes are also the CSS classes.
TRAFIKLJUS = {"gron": "grön", "gul": "gul", "rod": "röd", "gra": "grå"}

# status in marts.maluppfyllelse and maluppfyllelse_indikator (an indicator has no
# saknar_indikator).
MALSTATUS = {
    "uppfyllt": "uppfyllt",
    "delvis_uppfyllt": "delvis uppfyllt",
    "ej_uppfyllt": "ej uppfyllt",
    "saknar_varde": "saknar värde",
    "saknar_indikator": "saknar indikator",
}

# helarsprognos_kalla in marts.budgetavvikelse and marts.atgardsplan.
HELARSPROGNOS_KALLA = {
    "forvaltningens": "förvaltningens",
    "budgetbaserad": "budgetbaserad",
    "namndernas_prognoser": "nämndernas prognoser",
}

# metod in marts.helarsprognos_statistisk, helarsprognos_precision and
# helarsprognos_precision_sammanfattning.
HELARSPROGNOS_METOD = {
    "forvaltningens": "förvaltningens prognos",
    "budgetbaserad": "budgetbaserad prognos",
    "takt": "takt (budgetens säsongsandel)",
    "statistisk": "statistisk (nämndens egen utfallsprofil)",
    "kombination": "kombination (statistisk och budgetbaserad, viktad efter träffsäkerhet)",
}

# marts.malkedja_brister.brist
MALKEDJA_BRIST = {
    "saknar_indikator": "Målet saknar indikator",
    "saknar_kommunmal": "Nämndmålet bidrar inte till något mål på kommunnivå",
}

# marts.perioder.status
PERIODSTATUS = {"oppen": "öppen", "stangd": "stängd"}

# niva in marts.budgetavvikelse, maluppfyllelse and the goal register.
NIVA = {
    "kommun": "Kommun",
    "kf": "Kommunfullmäktige",
    "ks": "Kommunstyrelsen",
    "namnd": "Nämnd",
    "forvaltning": "Förvaltning",
    "verksamhet": "Verksamhet",
}

# perspektiv of a goal and of marts.kvalitetsindikatorer: the styrmodell's four perspectives.
PERSPEKTIV = {
    "medborgare": "Medborgare",
    "ekonomi": "Ekonomi",
    "medarbetare": "Medarbetare",
    "hallbarhet": "Hållbarhet",
}

# riktning of an indicator (marts.kvalitetsindikatorer, maluppfyllelse_indikator).
RIKTNING = {"hogre": "högre är bättre", "lagre": "lägre är bättre"}

# marts.uppdrag.status
UPPDRAGSSTATUS = {
    "ej_rapporterad": "ej rapporterad",
    "ej_paborjat": "ej påbörjat",
    "pagar": "pågår",
    "genomfort": "genomfört",
    "avslutat_ej_genomfort": "avslutat, ej genomfört",
}

# marts.investeringsuppfoljning.underlag: what the year's investment forecast is built on.
INVESTERING_UNDERLAG = {
    "prognos": "nämndens prognos",
    "utfall": "utfall (stängt år)",
    "plan": "plan",
    "utfall_och_aterstaende_plan": "utfall och återstående plan",
}

# marts.analys.avsnitt: what a written analysis comments.
ANALYS_AVSNITT = {
    "ekonomi": "Ekonomi",
    "mal": "Mål",
    "kvalitet": "Kvalitet",
    "intern_kontroll": "Intern kontroll",
    "sammanfattning": "Sammanfattning",
}

# komponent in marts.forandringsanalys: what moved a nämnd's helårsavvikelse since last report.
FORANDRING_KOMPONENT = {
    "budgetrevision": "Budgetrevision",
    "prognoskalla": "Byte av prognoskälla",
    "forvaltningens_prognos": "Förvaltningens prognos",
    "rattelse_tidigare_manader": "Rättelser av tidigare månader",
    "manadens_avvikelse": "Månadens avvikelse",
}

FAMILIES: dict[str, dict[str, str]] = {
    "atgardsplan_status": ATGARDSPLAN_STATUS,
    "trafikljus": TRAFIKLJUS,
    "malstatus": MALSTATUS,
    "helarsprognos_kalla": HELARSPROGNOS_KALLA,
    "helarsprognos_metod": HELARSPROGNOS_METOD,
    "malkedja_brist": MALKEDJA_BRIST,
    "periodstatus": PERIODSTATUS,
    "niva": NIVA,
    "uppdragsstatus": UPPDRAGSSTATUS,
    "investering_underlag": INVESTERING_UNDERLAG,
    "perspektiv": PERSPEKTIV,
    "riktning": RIKTNING,
    "analys_avsnitt": ANALYS_AVSNITT,
    "forandring_komponent": FORANDRING_KOMPONENT,
}


def label(family: str, code: str | None) -> str | None:
    """The label of `code` in `family`; None stays None.

    An unknown code is shown as itself rather than hidden or failing the report: a warehouse
    newer than this program may hold a code it has no words for yet.
    """
    if code is None:
        return None
    return FAMILIES[family].get(code, code)
