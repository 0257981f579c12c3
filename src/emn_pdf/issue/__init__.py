"""The issue: what editors write, validated, and the one error type for their mistakes.

What enters is a folder of YAML edition files (and their pictures); what
leaves is a validated :class:`~emn_pdf.issue.model.Edition` whose every
value knows its file, line and field (:mod:`.load`), or a
:class:`~emn_pdf.issue.errors.UserError` naming each mistake with a hint
(:mod:`.hints`).  The kinds of block and what is derived from them
(:mod:`.kinds`), the pictures an issue may hold (:mod:`.pictures`) and the
scaffold of a new issue (:mod:`.scaffold`) live here too.
"""
