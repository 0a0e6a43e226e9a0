"""Agreements (afspraken): what the round table agreed, who carries it, and its follow-up."""
