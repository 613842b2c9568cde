"""pdscan: find personal data and check it against what the privacy policies allow."""

__version__ = "0.1.0"
