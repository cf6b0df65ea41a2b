"""PO and POT files: reading (polib and what it loses), writing as msgcat does, line breaking, format directives."""

# msgcat's default page width: here, so that what lays out a catalog names it without loading the
# writer and its line-breaking tables (a merge or a check reads catalogs and writes none).
DEFAULT_WIDTH = 79
