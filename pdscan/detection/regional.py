"""Validators whose formats differ by country: postcodes, passports, national ID numbers."""
from __future__ import annotations

from typing import Callable

from pdscan.detection.hints import Hints

VALIDATORS: dict[str, Callable[[str, Hints], bool]] = {}
