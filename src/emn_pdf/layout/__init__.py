"""The layout: templates, CSS and a theme, and the HTML they make of an edition.

What enters is a validated edition and a layout folder (found, validated and
checked against the layout contract: :mod:`.layouts`, :mod:`.contract`);
what leaves is one HTML document, rendered in Jinja's sandbox with the
language's wording, dates and typography (:mod:`.render`, :mod:`.i18n`,
:mod:`.text`).  Nothing here knows the engine, so the HTML is tested alone.
"""
