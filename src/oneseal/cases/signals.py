"""Signals the case services send inside their transaction, for apps that build on cases
(the seal and the licence library) without the cases app importing them.

- `case_submitted(case)`: a case was received (after its materials were created); the
  licence library attaches shared licences to materials obtainable by sharing
  (国务院令第716号 第7条).
- `document_issued(case, document, actor)`: a legal document was issued (numbered and
  snapshotted) at a transition; the seal app arranges its signing.
- `case_decided(case, actor)`: a decision was made (准予 / 不予许可, 第37–38条), on review or
  on the spot; the licence library issues the licence and arranges the signing.
- `case_deciding(case, actor, outcome, today)`: a decision is about to be made (准予 / 不予许可,
  on review or on the spot), after the case's own checks; a receiver refuses it by raising
  `cases.errors.RuleViolation` (e.g. `oneseal.coordination`: the departments of a joint or
  special joint review have not given their opinions). Nothing has been written yet.
- `materials_supplied(person_id, organisation_id, item_id, names)`: which of an online
  application's materials an app above cases will supply on submission (免提交, 国务院令
  第716号 第7条); each receiver returns {material name: source}, e.g. the marketplace
  (`oneseal.intermediaries`) for a report its owner accepted. The draft then asks no upload.
- `case_event_recorded(case, event)`: any event was written to a case's history (办理记录),
  by an operation or by the recomputation of its clocks (`clocks_recomputed`); the
  notification outbox (`oneseal.notifications`) writes what the applicant must be told.

Receivers run inside the service's transaction: anything they write commits or rolls back
with the transition. Work that must happen after commit goes through
`transaction.on_commit`.
"""

from django.dispatch import Signal

case_submitted = Signal()
document_issued = Signal()
case_deciding = Signal()
case_decided = Signal()
case_event_recorded = Signal()
materials_supplied = Signal()
