"""Everything that comes in: readers, format recognition, validation, published figures, datasheets
and the Region object."""
