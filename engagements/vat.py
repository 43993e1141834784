"""EU VAT rules the invoices need: which buyer VAT IDs put a sale under reverse charge.

Source: Council Directive 2006/112/EC, Art. 44 (place of supply of B2B
services is the buyer's country) and Art. 196 (the buyer accounts for the VAT).
A buyer VAT ID from another EU country than the seller's means no VAT is
charged and the invoice says so (Art. 226(11a)). Greece uses the prefix EL.
"""

from __future__ import annotations

from stdnum import exceptions as stdnum_errors
from stdnum.ch import vat as ch_vat
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.no import mva as no_vat

EU_PREFIXES = frozenset(
    ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
)
REVERSE_CHARGE_NOTE = (
    "Reverse charge: VAT is to be accounted for by the recipient "
    "(Article 196, Council Directive 2006/112/EC)."
)


def normalise(vat_id: str) -> str:
    """``fr 12 345`` -> ``FR12345``."""
    return "".join(ch for ch in (vat_id or "").upper() if ch.isalnum())


def eu_country(vat_id: str) -> str | None:
    """The EU country prefix of a VAT ID, or None when it is not an EU VAT ID."""
    prefix = normalise(vat_id)[:2]
    return prefix if prefix in EU_PREFIXES and len(normalise(vat_id)) > 4 else None


def reverse_charge(seller_vat_id: str, buyer_vat_id: str) -> bool:
    """True when both are EU VAT IDs of different countries."""
    seller, buyer = eu_country(seller_vat_id), eu_country(buyer_vat_id)
    return seller is not None and buyer is not None and seller != buyer


#: Non-EU prefixes whose format and check digits python-stdnum knows.
_OTHER_CHECKS = {"GB": gb_vat, "XI": gb_vat, "CH": ch_vat, "NO": no_vat}
VAT_ID_EXAMPLE = "e.g. FR40303265045 or DE136695976"


def vat_id_problem(vat_id: str) -> str | None:
    """None when ``vat_id`` is empty or a plausible VAT ID, else a message for the form.

    EU, UK, Swiss and Norwegian numbers are checked with python-stdnum (format, length and
    check digits as each tax authority publishes them); other countries need a two-letter
    prefix and 2–15 letters or digits. A reverse-charge invoice must carry a real number.
    """
    compact = normalise(vat_id)
    if not compact:
        return None
    prefix = compact[:2]
    if not (prefix.isalpha() and 4 <= len(compact) <= 17):
        return f"Enter the VAT number with its country prefix ({VAT_ID_EXAMPLE})."
    module = eu_vat if prefix in EU_PREFIXES else _OTHER_CHECKS.get(prefix)
    if module is None:
        return None
    try:
        module.validate(compact if module is eu_vat else compact[2:] if prefix == "NO" else compact)
    except stdnum_errors.InvalidChecksum:
        return f"This {prefix} VAT number does not add up (its check digits are wrong): check it for a typo."
    except stdnum_errors.ValidationError:
        return f"This is not the format of a {prefix} VAT number ({VAT_ID_EXAMPLE})."
    return None
