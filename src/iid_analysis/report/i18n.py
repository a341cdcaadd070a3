"""The report's words in Bahasa Indonesia (``id``, default) and English (``en``).

Numbers, percentages and verbal probability bands are written by :mod:`iid_analysis.wording`
(re-exported here: ``format_number``, ``format_percent``, ``verbal_band``). Predicate names
(Sangat Inovatif ...) are official terms and stay in Indonesian in both languages.
"""

from __future__ import annotations

from ..errors import UsageError
from ..wording import format_number, format_percent, verbal_band

__all__ = [
    "DEFAULT_LANGUAGE", "LANGUAGES", "STRINGS", "check_language", "format_number",
    "format_percent", "text", "verbal_band",
]

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
    "reproduced_line": {
        "id": "Data indikator ini dibuat agar menghasilkan IID {year} yang dipublikasikan "
        "({iid}); kecocokan itu disengaja, bukan validasi perhitungan.",
        "en": "This indicator data was built to reproduce the published {year} IID ({iid}); "
        "the match is by construction, not a validation of the scoring.",
    },
    "not_available": {
        "id": "Analisis ini belum tersedia: {what}. Tidak ada angka yang ditampilkan.",
        "en": "This analysis is not yet available: {what}. No figures are shown.",
    },
    "forecast_no_data": {
        "id": "proyeksi IID (tidak ada IID skala 0..100 yang dipublikasikan untuk {region})",
        "en": "IID projection (no published 0..100 IID for {region})",
    },
    # Forecast and verdict
    "target_above": {"id": "di atas {last}", "en": "above {last}"},
    "target_at_least": {"id": "{target} atau lebih", "en": "{target} or more"},
    "verdict": {
        "id": "Mencapai target IID {year} ({target}): {band}, peluang {p}, jika tren {first}\u2013"
        "{last} berlanjut.",
        "en": "Reaching the {year} IID target ({target}): {band}, {p} probability, if the "
        "{first}\u2013{last} trend continues.",
    },
    "probability_line": {
        "id": "Peluang IID {year} \u2265 {threshold}: {p} ({band}). Median proyeksi {median}; "
        "rentang 80 %: {low}\u2013{high}.",
        "en": "Probability that the {year} IID is \u2265 {threshold}: {p} ({band}). Median "
        "projection {median}; 80% range {low}\u2013{high}.",
    },
    "predicate_outlook": {
        "id": "Prospek predikat {year} (batas {bands_year}): {items}.",
        "en": "Predicate outlook for {year} ({bands_year} bands): {items}.",
    },
    "levers_top": {
        "id": "Tiga tuas dengan dampak terbesar (satu langkah, data {tag}):",
        "en": "The three levers with the largest effect (one step, {tag} data):",
    },
    "lever_spd": {
        "id": "SPD indikator {indicator} ({name}) dari level {from_level} ke {to_level}",
        "en": "SPD indicator {indicator} ({name}) from level {from_level} to {to_level}",
    },
    "lever_all": {
        "id": "indikator {indicator} ({name}) dari level {from_level} ke {to_level} pada {n} "
        "inovasi",
        "en": "indicator {indicator} ({name}) from level {from_level} to {to_level} on {n} "
        "innovations",
    },
    "gain": {"id": "+{gain} poin IID", "en": "+{gain} IID points"},
    "plan_line": {
        "id": "Jalur termurah ke {threshold}: biaya {cost} ({n_actions} tindakan, {n_new} inovasi "
        "baru); peluang rencana ini tercapai bila tiap bukti diterima dengan peluang {acceptance}: "
        "{p}.",
        "en": "Cheapest path to {threshold}: cost {cost} ({n_actions} actions, {n_new} new "
        "innovations); the plan's probability of reaching it when each piece of evidence is "
        "accepted with probability {acceptance}: {p}.",
    },
    "robust_line": {
        "id": "Agar peluang tercapai \u2265 {goal}: rencanakan IID {planning} (biaya {cost}, "
        "{n_new} inovasi baru), peluang {p}.",
        "en": "For a probability of at least {goal}: plan for IID {planning} (cost {cost}, "
        "{n_new} new innovations), probability {p}.",
    },
    "robust_failed": {
        "id": "Tidak ada rencana dalam batas yang mencapai {threshold} dengan peluang \u2265 "
        "{goal} (peluang terbaik {p}).",
        "en": "No plan within the limits reaches {threshold} with a probability of at least "
        "{goal} (best {p}).",
    },
    "plan_unreachable": {
        "id": "Target {threshold} tidak dapat dicapai dengan tindakan dalam batas; IID tertinggi "
        "yang mungkin {max_iid}.",
        "en": "The target {threshold} cannot be reached with actions within the limits; the "
        "highest IID possible is {max_iid}.",
    },
    "cost_note": {
        "id": "Biaya dalam satuan: satu kenaikan level = 1, satu inovasi baru = 1 ditambah "
        "kenaikan levelnya.",
        "en": "Costs in units: one level step = 1, one new innovation = 1 plus its level steps.",
    },
    # Projection
    "fan_caption": {
        "id": "Proyeksi IID {year}: median dan rentang 50/80/90 %; garis ungu: target {threshold}.",
        "en": "Projected {year} IID: median and 50/80/90% ranges; purple line: target "
        "{threshold}.",
    },
    "increase_line": {
        "id": "Peluang IID {year} lebih tinggi dari {last} ({last_year}): {p} ({band}).",
        "en": "Probability that the {year} IID is higher than {last} ({last_year}): {p} ({band}).",
    },
    "models_title": {"id": "Model dan keandalannya", "en": "Models and their skill"},
    "col_model": {"id": "Model", "en": "Model"},
    "col_weight": {"id": "Bobot", "en": "Weight"},
    "col_median": {"id": "Median", "en": "Median"},
    "col_range90": {"id": "Rentang 90 %", "en": "90% range"},
    "col_probability": {"id": "Peluang", "en": "Probability"},
    "col_refused": {"id": "Tidak dipakai karena", "en": "Not used because"},
    "backtest_line": {
        "id": "Uji balik ({model}, {n} proyeksi masa lalu pada data panel): rentang 50/80/90 % "
        "memuat nilai sebenarnya {c50}/{c80}/{c90}; CRPS {crps}, MAE {mae} poin; skor Brier "
        "peluang naik {brier} (0,25 = lempar koin).",
        "en": "Backtest ({model}, {n} past forecasts on the panel): the 50/80/90% ranges held "
        "the outcome {c50}/{c80}/{c90} of the time; CRPS {crps}, MAE {mae} points; Brier score of "
        "the probability of an increase {brier} (0.25 = coin toss).",
    },
    "backtest_tested": {
        "id": "Model yang diuji balik (jumlah kasus): {tested}.",
        "en": "Models backtested (cases): {tested}.",
    },
    "backtest_few": {
        "id": "Terlalu sedikit untuk menilai kalibrasi.",
        "en": "Too few to judge calibration.",
    },
    "backtest_none": {
        "id": "Uji balik: belum ada proyeksi masa lalu yang dapat diperiksa pada data panel.",
        "en": "Backtest: no past forecast could be checked on the panel.",
    },
    "leaves_out_title": {"id": "Yang tidak tercakup angka ini", "en": "What the numbers leave out"},
    "leave_actions": {
        "id": "Tren tidak memuat tindakan kota pada {year}; bagian 5 dan 6 menghitungnya dari data "
        "indikator.",
        "en": "The trend does not include the city's actions in {year}; sections 5 and 6 work "
        "them out from the indicator data.",
    },
    "conflict_effect": {
        "id": "Dampak pada proyeksi: dengan {alt} untuk {year}, median {alt_median} (bukan "
        "{median}) dan peluang mencapai target {alt_p} (bukan {p}).",
        "en": "Effect on the projection: with {alt} for {year}, the median is {alt_median} "
        "(instead of {median}) and the probability of reaching the target {alt_p} (instead of "
        "{p}).",
    },
    # Levers
    "levers_intro": {
        "id": "Nilai satu langkah tiap tuas (aturan {year}, data {tag}), dari yang terbesar:",
        "en": "The value of one step of each lever ({year} rules, {tag} data), largest first:",
    },
    "col_lever": {"id": "Tuas", "en": "Lever"},
    "col_steps": {"id": "Langkah", "en": "Steps"},
    "col_gain": {"id": "Tambahan IID", "en": "IID gain"},
    "new_title": {"id": "Satu inovasi baru", "en": "One more innovation"},
    "col_maturity": {"id": "Kematangan", "en": "Maturity"},
    "break_even_line": {
        "id": "Satu inovasi baru menaikkan IID bila kematangannya di atas {m} (titik impas): di "
        "bawah batas {cap} inovasi, tambahan skor jumlah inovasi ({points} per inovasi) hampir "
        "selalu lebih besar dari turunnya rata-rata kematangan.",
        "en": "One more innovation raises the IID when its maturity is above {m} (break-even): "
        "below the {cap}-innovation cap the count score it adds ({points} per innovation) almost "
        "always outweighs the drop in mean maturity.",
    },
    "col_iid_lost": {"id": "IID hilang", "en": "IID lost"},
    "col_n_rejected": {"id": "n (ditolak)", "en": "n (rejected)"},
    "opd_intro": {
        "id": "OPD dengan IID terbanyak yang hilang (bila semua inovasinya berkematangan 111):",
        "en": "OPDs losing the most IID (against all their innovations at maturity 111):",
    },
    # Scenarios
    "scenarios_intro": {
        "id": "Skenario kota, masing-masing sendiri dari data hari ini, lalu semuanya bersama "
        "(aturan {year}, data {tag}):",
        "en": "The city's scenarios, each alone from today's data, then all together ({year} "
        "rules, {tag} data):",
    },
    "col_scenario": {"id": "Skenario", "en": "Scenario"},
    "col_cost": {"id": "Biaya", "en": "Cost"},
    "col_iid_after": {"id": "IID sesudah", "en": "IID after"},
    "col_reaches": {"id": "Capai target?", "en": "Target?"},
    "sc_reach": {
        "id": "Mencapai {n} inovasi (kematangan {m})",
        "en": "Reach {n} innovations (maturity {m})",
    },
    "sc_opd": {
        "id": "Satu OPD lebih dari satu inovasi (kematangan {m})",
        "en": "One OPD more than one innovation (maturity {m})",
    },
    "sc_replication": {
        "id": "Replikasi (indikator 31) ke level {level} pada {k} inovasi",
        "en": "Replication (indicator 31) to level {level} on {k} innovations",
    },
    "sc_maturity": {
        "id": "Semua inovasi berkematangan \u2265 {m}",
        "en": "Every innovation at maturity \u2265 {m}",
    },
    "sc_every": {"id": "Semua indikator terisi (tanpa level 0)", "en": "Every indicator answered"},
    "sc_all": {"id": "Semua skenario bersama", "en": "All scenarios together"},
    "path_title": {"id": "Jalur termurah", "en": "The cheapest path"},
    "col_action": {"id": "Tindakan", "en": "Action"},
    "col_count": {"id": "Jumlah", "en": "Count"},
    "act_raise": {
        "id": "indikator {indicator}: level {from_level} \u2192 {to_level}",
        "en": "indicator {indicator}: level {from_level} \u2192 {to_level}",
    },
    "act_raise_spd": {
        "id": "SPD indikator {indicator}: level {from_level} \u2192 {to_level}",
        "en": "SPD indicator {indicator}: level {from_level} \u2192 {to_level}",
    },
    "act_new": {"id": "inovasi baru", "en": "new innovation"},
    "robust_table_intro": {
        "id": "Tindakan rencana dengan peluang \u2265 {goal} (dikelompokkan):",
        "en": "Actions of the plan with probability \u2265 {goal} (grouped):",
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
    "target_line_default": {
        "id": "Target {year}: IID lebih tinggi dari yang terakhir dipublikasikan ({last} pada "
        "{last_year}), yaitu paling sedikit {threshold}.",
        "en": "{year} target: an IID higher than the last published ({last} in {last_year}), "
        "i.e. at least {threshold}.",
    },
    "target_line_given": {
        "id": "Target {year}: IID {target} atau lebih (target yang ditetapkan).",
        "en": "{year} target: IID {target} or more (the target set).",
    },
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
    "col_mean_maturity": {"id": "Kematangan", "en": "Maturity"},
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
    "about_rules": {
        "id": "Aturan metodologi dan asal-usulnya",
        "en": "Methodology rules and their provenance",
    },
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
