"""Many short texts held as one: what a merge keeps of an archive's tens of thousands of paths
and titles, where a ``str`` each (49 to 74 bytes before its first character) was most of it."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence

# 4 bytes an offset, as wide as the text may grow.
_OFFSET = "L" if array("L").itemsize == 4 else "I"


class PackedTexts(Sequence):
    """Texts as one UTF-8 text and where each ends (lone surrogates, as in a file name that is not
    UTF-8, kept as they are). UTF-8 orders as code points do: sorted texts stay sorted."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._text = bytearray()
        self._ends = array(_OFFSET)
        for text in texts:
            self.append(text)

    def append(self, text: str) -> None:
        self._text += text.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._text))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        if index < 0:
            index += len(self._ends)
        return self._text[self._ends[index - 1] if index else 0:self._ends[index]].decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._text[start:end].decode("utf-8", "surrogatepass")
            start = end

