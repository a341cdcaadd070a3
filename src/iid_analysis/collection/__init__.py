"""Collecting a region's data from its OPDs: the workbook template and the collector."""
