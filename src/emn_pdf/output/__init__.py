"""The files that leave: the web PDF finished, the print PDF made ready for the press.

What enters is the PDF the engine wrote; what leaves is the web edition
(PDF/UA: its structure tidied, links described, a cover thumbnail) and the
print edition (PDF/X-4: CMYK only, black text in black ink, pictures at the
printer's resolution, bleed and crop marks), each written atomically
(:mod:`.finish`, :mod:`.press`, read with :mod:`.pdfwalk`).
"""
