"""asw-guard: trafficking and exploitation indicators for adult-services listing pipelines."""

from asw_guard._version import __version__
from asw_guard.errors import (
    ConfigError,
    GuardError,
    ImageError,
    InvalidAdvert,
    PolicyError,
    StoreError,
)
from asw_guard.guard import Guard
from asw_guard.linking import PhotoHash, image_distance, image_hash, images_match
from asw_guard.models import (
    Account,
    Action,
    Advert,
    Band,
    Decision,
    DecisionStatus,
    Evidence,
    ImageRef,
    Location,
    Price,
    Reason,
)
from asw_guard.normalise import Extraction, extract

__all__ = [
    "Account",
    "Action",
    "Advert",
    "Band",
    "ConfigError",
    "Decision",
    "DecisionStatus",
    "Evidence",
    "Extraction",
    "Guard",
    "GuardError",
    "ImageError",
    "ImageRef",
    "InvalidAdvert",
    "Location",
    "PhotoHash",
    "PolicyError",
    "Price",
    "Reason",
    "StoreError",
    "__version__",
    "extract",
    "image_distance",
    "image_hash",
    "images_match",
]
