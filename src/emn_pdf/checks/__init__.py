"""The checks: what a printer's preflight and an editor's proofreading would find.

What enters is an edition laid out (its boxes), its written print file, or
all the editions of an issue; what leaves is a list of located findings
with stable codes: the pages' defects (:mod:`.preflight`), the print file's
inks, colours and boxes (:mod:`.printcheck`), and what differs between the
language editions of one issue (:mod:`.consistency`).
"""
