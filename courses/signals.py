"""Signals other apps listen to."""

from django.dispatch import Signal

# Sent once, after the transaction that completed the enrolment has committed, with
# ``enrolment=<Enrolment>``. The certificates app issues the certificate from it.
enrolment_completed = Signal()

# Sent, synchronously, when something an enrolment's reporting facts are computed
# from has changed (a cycle started, a quiz passed, a certificate issued, revoked or
# re-issued), with ``enrolments=<QuerySet of Enrolment>``. The reporting app
# recomputes the facts (``reporting.facts.refresh``) and answers with the number of
# rows it updated.
enrolment_sources_changed = Signal()
