"""Which region each English and Welsh authority is in, from accounts/data/regions.csv.

The ONS lookup package Lantern loads organisations from has codes and names but no region,
so the region of each of its ONS 2021 codes is kept in the repository (see accounts/data/README.md).
"""

import csv
from collections import Counter
from functools import cache
from pathlib import Path

from accounts.models import Organisation, Region

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"


@cache
def region_by_ons_code() -> dict[str, str]:
    """ONS code → Region value, for every authority in the file."""
    by_label = {label: value for value, label in Region.choices}
    with REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {row["ons_code"]: by_label[row["region"]] for row in csv.DictReader(lines)}


def region_for_ons_code(ons_code: str | None) -> str:
    """The region of an authority's ONS code; blank when the code is not in the lookup."""
    return region_by_ons_code().get(ons_code or "", "")


@cache
def authorities_by_kind_and_region() -> Counter:
    """How many authorities of each kind each region has, in ONS's 2021 geography."""
    return Counter((Organisation.kind_for_ons_code(code), region) for code, region in region_by_ons_code().items())
