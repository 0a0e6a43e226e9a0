"""reports domain: report versions, per-recipient PDF renditions, the scoretabel and W²-cirkels."""

from pathlib import Path as _Path

from w2.platform.i18n import register_catalogue_dir as _register

_register(_Path(__file__).resolve().parent / "locale")
