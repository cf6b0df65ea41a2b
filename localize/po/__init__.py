"""PO and POT files: reading (polib and what it loses), writing as msgcat does, line breaking, format directives."""
