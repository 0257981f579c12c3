"""The web editions: an edition as a web page and as an e-mail, and the archive.

Enters: an edition validated and matched with its layout (:mod:`emn_pdf.edition`),
where the files will be online (``--base-url``, optional).  Leaves: a folder per
edition with its ``index.html`` and its assets (``html``), an e-mail as HTML,
plain text and ``.eml`` (``email``), and the page and Atom feed listing every
issue (``archive``).  The layout's own templates write them, in the same
sandbox as the PDF's, from the same blocks; no engine lays anything out.
"""
