"""reports domain: report versions, per-recipient PDF renditions, the scoretabel and W²-cirkels."""
