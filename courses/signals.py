"""Signals other apps listen to, and the questions courses asks the apps above it.

courses imports nothing from the apps above it (quizzes, certificates, reporting):
where the course needs their answer, it sends one of these signals and the app above
answers from a receiver connected in its ``AppConfig.ready()``.
"""

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

# The completion rule's further requirements, beyond every live lesson completed.
# Sent with ``enrolment=<Enrolment>``; each receiver answers True (met, or nothing to
# meet) or False. The quizzes app answers "the course's live quiz is passed (or the
# course has none)".
completion_requirements = Signal()

# The course's assessment page shown on the course page, at the end of the lessons
# and in "continue". Sent with ``course=<CoursePage>`` and ``enrolment=<Enrolment or
# None>``; a receiver answers the live page (or None), and when ``with_status`` is
# true it carries ``status_label`` for that enrolment. The quizzes app answers with
# the course's quiz.
course_assessment = Signal()

# Training records held by pages and accounts in the apps above courses, for the
# refusal to delete (``courses.records``). Sent with ``page_ids=<queryset of page
# pks>`` or ``user_ids=<list of pks>``; each receiver answers a dict
# ``{TrainingRecords field: {page or user pk: count}}``.
page_records = Signal()
user_records = Signal()
