"""ISO 3166-1 countries, from pycountry's copy of the official list."""

from __future__ import annotations

import pycountry


def country_name(iso2_code: str) -> str | None:
    """The English name of the country with this alpha-2 code, or None if there is none."""
    if len(iso2_code) != 2 or not iso2_code.isascii() or not iso2_code.isalpha():
        return None
    country = pycountry.countries.get(alpha_2=iso2_code.upper())
    return country.name if country is not None else None
