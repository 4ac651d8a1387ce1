"""Signals other apps listen to."""

from django.dispatch import Signal

# Sent once, after the transaction that completed the enrolment has committed, with
# ``enrolment=<Enrolment>``. The certificates app issues the certificate from it.
enrolment_completed = Signal()
