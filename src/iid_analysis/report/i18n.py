"""The report's words and number formats in Bahasa Indonesia (``id``, default) and English (``en``).

Indonesian writes ``84,46`` and ``1.234,5``; English ``84.46`` and ``1,234.5``. Predicate names
(Sangat Inovatif ...) are official terms and stay in Indonesian in both languages.
"""

from __future__ import annotations

import math

from ..errors import UsageError

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

STRINGS: dict[str, dict[str, str]] = {
    "report_title": {
        "id": "Kelayakan target Indeks Inovasi Daerah {year}: {region}",
        "en": "Feasibility of the {year} Regional Innovation Index target: {region}",
    },
    "synthetic_banner": {
        "id": "Data indikator contoh bersifat SINTETIS (ilustratif), bukan data indikator kota "
        "yang sebenarnya. Angka yang dihitung darinya hanya ilustrasi.",
        "en": "The example indicator data is SYNTHETIC (illustrative), not the city's real "
        "indicator data. Figures computed from it are illustrations only.",
    },
    "synthetic_tag": {"id": "SINTETIS", "en": "SYNTHETIC"},
    "not_available": {
        "id": "Analisis ini belum tersedia: {what}. Tidak ada angka yang ditampilkan.",
        "en": "This analysis is not yet available: {what}. No figures are shown.",
    },
    # Section titles
    "s1": {"id": "1. Ringkasan eksekutif", "en": "1. Executive summary"},
    "s2": {"id": "2. Riwayat IID", "en": "2. IID history"},
    "s3": {"id": "3. Proyeksi", "en": "3. Projection"},
    "s4": {"id": "4. Posisi skor saat ini", "en": "4. Current score position"},
    "s5": {"id": "5. Tuas", "en": "5. Levers"},
    "s6": {"id": "6. Skenario dan jalur termurah", "en": "6. Scenarios and the cheapest path"},
    "s7": {"id": "7. Asumsi dan batasan", "en": "7. Assumptions and limitations"},
    "s8": {"id": "8. Tentang laporan ini", "en": "8. About this report"},
    # Summary
    "verdict_missing": {
        "id": "Kesimpulan belum dapat diberikan: {what} belum tersedia.",
        "en": "No verdict yet: the {what} is not yet available.",
    },
    "target_line": {
        "id": "Target {year}: IID {target} ({target_basis}).",
        "en": "{year} target: IID {target} ({target_basis}).",
    },
    "target_basis_default": {
        "id": "lebih tinggi dari IID terakhir yang dipublikasikan, {last} pada {last_year}",
        "en": "higher than the last published IID, {last} in {last_year}",
    },
    "target_basis_given": {"id": "target yang ditetapkan", "en": "the target set"},
    "last_published": {
        "id": "IID terakhir yang dipublikasikan: {value} ({year}, {predicate}).",
        "en": "Last published IID: {value} ({year}, {predicate}).",
    },
    "no_published": {
        "id": "Tidak ada IID yang dipublikasikan untuk {region} pada skala 0..100.",
        "en": "No published IID on the 0..100 scale for {region}.",
    },
    "current_score_line": {
        "id": "Skor dari data indikator {year} ({tag}): IID {iid} ({predicate}).",
        "en": "Score from the {year} indicator data ({tag}): IID {iid} ({predicate}).",
    },
    # History
    "history_caption": {
        "id": "IID yang dipublikasikan, dengan pita predikat (aturan {year}).",
        "en": "Published IID, with the predicate bands ({year} rules).",
    },
    "col_year": {"id": "Tahun", "en": "Year"},
    "col_iid": {"id": "IID", "en": "IID"},
    "col_predicate": {"id": "Predikat", "en": "Predicate"},
    "col_source": {"id": "Sumber", "en": "Source"},
    "col_note": {"id": "Catatan", "en": "Note"},
    "col_used": {"id": "Dipakai", "en": "Used"},
    "yes": {"id": "ya", "en": "yes"},
    "no": {"id": "tidak", "en": "no"},
    "conflict_line": {
        "id": "Angka yang bertentangan untuk {year}: {values}. Laporan ini memakai {used} "
        "({reason}) dan menampilkan yang lain.",
        "en": "Conflicting figures for {year}: {values}. This report uses {used} ({reason}) "
        "and shows the other.",
    },
    "conflict_reason": {
        "id": "bersumber dari keputusan menteri",
        "en": "it cites the ministerial decree",
    },
    "raw_points_note": {
        "id": "Skor sebelum 2021 adalah total poin tanpa batas atas dan tidak dapat digabung "
        "dengan indeks 0..100.",
        "en": "Scores before 2021 are raw point totals with no upper bound and cannot share a "
        "series with the 0..100 index.",
    },
    # Score position
    "col_component": {"id": "Komponen", "en": "Component"},
    "col_score": {"id": "Skor", "en": "Score"},
    "col_max": {"id": "Maks.", "en": "Max"},
    "col_share": {"id": "% maks.", "en": "% of max"},
    "comp_spd": {"id": "SPD (satuan pemerintah daerah)", "en": "SPD (regional government)"},
    "comp_maturity": {"id": "Rata-rata kematangan inovasi", "en": "Mean innovation maturity"},
    "comp_count": {"id": "Skor jumlah inovasi", "en": "Innovation count score"},
    "comp_total": {"id": "Total", "en": "Total"},
    "short_spd": {"id": "SPD", "en": "SPD"},
    "short_maturity": {"id": "Kematangan", "en": "Maturity"},
    "short_count": {"id": "Jumlah inovasi", "en": "Count"},
    "indicators_word": {"id": "indikator", "en": "indicators"},
    "not_used": {"id": "tidak dipakai", "en": "not used"},
    "forecast_missing": {
        "id": "proyeksi IID (modul peramalan belum tersedia di versi ini)",
        "en": "IID projection (the forecasting module is not in this version)",
    },
    "plan_missing": {
        "id": "tuas, skenario dan jalur termurah (modul kelayakan belum tersedia di versi ini)",
        "en": "levers, scenarios and the cheapest path (the feasibility module is not in this "
        "version)",
    },
    "position_text": {
        "id": "{n} inovasi ({rejected} ditolak), pembagi {divisor}. Total {total} dari "
        "{max_total} poin, IID {iid} ({predicate}).",
        "en": "{n} innovations ({rejected} rejected), divisor {divisor}. Total {total} of "
        "{max_total} points, IID {iid} ({predicate}).",
    },
    "position_caption": {
        "id": "Skor tiap komponen terhadap maksimumnya",
        "en": "Each component's score against its maximum",
    },
    # OPD view
    "opd_title": {"id": "Pandangan per OPD", "en": "View by OPD"},
    "col_opd": {"id": "OPD", "en": "Agency (OPD)"},
    "col_n": {"id": "Inovasi", "en": "Innovations"},
    "col_rejected": {"id": "Ditolak", "en": "Rejected"},
    "col_mean_maturity": {"id": "Rata-rata kematangan", "en": "Mean maturity"},
    "col_gap": {"id": "Kurang dari 111 (jumlah)", "en": "Short of 111 (sum)"},
    # Assumptions
    "col_assumption": {"id": "Asumsi", "en": "Assumption"},
    "col_quality": {"id": "Kualitas", "en": "Quality"},
    "col_impact": {"id": "Dampak", "en": "Impact"},
    "col_provenance": {"id": "Asal-usul", "en": "Provenance"},
    "rag_green": {"id": "HIJAU", "en": "GREEN"},
    "rag_amber": {"id": "KUNING", "en": "AMBER"},
    "rag_red": {"id": "MERAH", "en": "RED"},
    "assumptions_intro": {
        "id": "Setiap asumsi dinilai kualitas dan dampaknya (merah/kuning/hijau). Aturan yang "
        "belum TERKONFIRMASI disebut satu per satu.",
        "en": "Each assumption is rated for quality and impact (red/amber/green). Every rule "
        "that is not CONFIRMED is named.",
    },
    # About
    "col_item": {"id": "Butir", "en": "Item"},
    "col_value": {"id": "Nilai", "en": "Value"},
    "about_files": {"id": "Berkas data (SHA-256)", "en": "Data files (SHA-256)"},
    "about_methodology": {"id": "Metodologi", "en": "Methodology"},
    "about_versions": {"id": "Versi paket", "en": "Package versions"},
    "about_git": {"id": "Revisi git", "en": "Git revision"},
    "about_params": {"id": "Parameter", "en": "Parameters"},
    "about_run_time": {"id": "Waktu pembuatan (UTC)", "en": "Run time (UTC)"},
    "methodology_line": {
        "id": "Aturan tahun {year}; aturan yang belum TERKONFIRMASI: {rules}.",
        "en": "Rules of {year}; rules not CONFIRMED: {rules}.",
    },
    "none": {"id": "tidak ada", "en": "none"},
    "unknown": {"id": "tidak diketahui", "en": "unknown"},
}


def check_language(lang: str) -> str:
    """``lang`` if it is a supported language; raises :class:`UsageError` otherwise."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown report language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


def text(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang``, with ``values`` filled in (``str.format``).

    Values are inserted as they are: escape the result before putting it in HTML.
    """
    template = STRINGS[key][check_language(lang)]
    return template.format(**values) if values else template


def format_number(value: float | None, lang: str, decimals: int = 2) -> str:
    """A number with the language's separators: ``84,46`` (id) or ``84.46`` (en).

    Thousands are grouped (``1.234,5`` / ``1,234.5``); None and NaN give an en dash.
    """
    check_language(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    english = f"{float(value):,.{decimals}f}"
    if lang == "en":
        return english
    return english.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def format_percent(share: float | None, lang: str, decimals: int = 0) -> str:
    """A share 0..1 as a percentage: ``42 %`` (id) or ``42%`` (en)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "\u2013"
    number = format_number(100.0 * share, lang, decimals)
    return f"{number}\u00a0%" if lang == "id" else f"{number}%"
