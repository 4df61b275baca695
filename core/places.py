"""Vietnamese province names as data: the 63 provinces before the 2025 merger and the 34 after.

``PROVINCES`` maps a lookup key (lower case, ``ủy``-style tone marks, no hyphens) to the
canonical name. Use :func:`province_key` to build a key from any spelling.

>>> PROVINCES[province_key("THANH HOÁ")]
'Thanh Hóa'
"""

from __future__ import annotations

from core.tones import normalize_tones

# The 63 provincial-level units in force until mid-2025 (Hồ Chí Minh is listed as a city
# below because the bare name is far more often a person, "tư tưởng Hồ Chí Minh").
_BEFORE_2025 = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
    "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn",
    "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận",
    "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
    "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái",
)

# The 34 units after the 2025 merger (Nghị quyết 202/2025/QH15); all but Huế keep a name
# from the list above.
_AFTER_2025 = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Cần Thơ",
    "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)

# Spellings that only count with their "city" prefix, and common variants.
_ALIASES = {
    "Thành phố Hồ Chí Minh": "Hồ Chí Minh",
    "TP Hồ Chí Minh": "Hồ Chí Minh",
    "TP. Hồ Chí Minh": "Hồ Chí Minh",
    "TP.HCM": "Hồ Chí Minh",
    "Thừa Thiên - Huế": "Thừa Thiên Huế",
    "Đắc Lắc": "Đắk Lắk",
}

# Old-style tone placement on open syllables ("uỷ", "hoà") → the style used everywhere else
# in vankien ("ủy", "hòa"). Not after "q": in "quý" the "u" belongs to the consonant.
def province_key(name: str) -> str:
    """Lookup key for a place name: lower case, new tone style, no dots or hyphens."""
    key = normalize_tones(name).lower().replace("-", " ").replace(".", " ")
    return " ".join(key.split())


PROVINCES: dict[str, str] = {
    province_key(n): n for n in (*_BEFORE_2025, *_AFTER_2025) if n != "Hồ Chí Minh"
}
PROVINCES.update({province_key(k): v for k, v in _ALIASES.items()})
