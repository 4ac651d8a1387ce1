"""Verifiable certificates: issuing, PDF rendering, signing, public verification."""
