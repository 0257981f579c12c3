"""The engine, WeasyPrint, reached in one place: laying out, its boxes, its tags.

What enters is HTML and a layout's stylesheets, fonts and colour profiles;
what leaves is the engine's laid-out document (:mod:`.pdf`, which also
writes it as a PDF), read by every later stage through :mod:`.boxes`, the
one module that knows WeasyPrint's private box tree; :mod:`.tagging` marks
and then repairs the structure tree the engine writes.  A WeasyPrint upgrade
touches this package.
"""
