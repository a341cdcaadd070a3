"""The report's words in Bahasa Indonesia (``id``, default) and English (``en``).

Numbers, percentages and verbal probability bands are written by :mod:`iid_analysis.wording`
(re-exported here: ``format_number``, ``format_percent``, ``verbal_band``). Predicate names
(Sangat Inovatif ...) are official terms and stay in Indonesian in both languages.
"""

from __future__ import annotations

import re

from ..errors import UsageError
from ..wording import format_number, format_percent, verbal_band

__all__ = [
    "DEFAULT_LANGUAGE", "LANGUAGES", "STRINGS", "check_language", "decimal_commas",
    "format_number", "format_percent", "model_name", "plain", "provenance_word", "rule_name",
    "text", "verbal_band",
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
        "id": "Jalur termurah ke {threshold}: upaya {cost} hari kerja ({n_actions} tindakan, "
        "{n_new} inovasi baru); peluang rencana ini tercapai bila tiap bukti diterima dengan "
        "peluang {acceptance}: {p}.",
        "en": "Cheapest path to {threshold}: effort {cost} person-days ({n_actions} actions, "
        "{n_new} new innovations); the plan's probability of reaching it when each piece of "
        "evidence is accepted with probability {acceptance}: {p}.",
    },
    "robust_line": {
        "id": "Agar peluang tercapai \u2265 {goal}: rencanakan IID {planning} (upaya {cost} hari "
        "kerja, {n_new} inovasi baru), peluang {p}.",
        "en": "For a probability of at least {goal}: plan for IID {planning} (effort {cost} "
        "person-days, "
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
    # Projection
    "fan_caption": {
        "id": "Proyeksi IID {year}: median dan rentang 50/80/90 %; garis ungu: target {threshold}. "
        "Sumber: IID yang dipublikasikan; proyeksi iid-analysis.",
        "en": "Projected {year} IID: median and 50/80/90% ranges; purple line: target "
        "{threshold}. Source: published IID; iid-analysis projection.",
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
        "id": "Nilai satu langkah tiap faktor pengungkit (aturan {year}, data {tag}), dari yang "
        "terbesar; indikator hasil SPD ada di bawah, sebagai konteks:",
        "en": "The value of one step of each lever ({year} rules, {tag} data), largest first; "
        "the SPD outcome indicators are below, as context:",
    },
    "col_lever": {"id": "Faktor pengungkit", "en": "Lever"},
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
    "s5": {"id": "5. Faktor pengungkit dan OPD", "en": "5. Levers (faktor pengungkit) and OPDs"},
    "s6": {"id": "6. Skenario dan jalur termurah", "en": "6. Scenarios and the cheapest path"},
    "s7": {"id": "7. Asumsi dan batasan", "en": "7. Assumptions and limitations"},
    "s9": {"id": "9. Tentang laporan ini", "en": "9. About this report"},
    # Summary
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
        "id": "IID yang dipublikasikan, dengan pita predikat (aturan {year}); lingkaran kosong: "
        "angka lain yang tidak dipakai. Sumber: berita dan keputusan menteri pada tabel di bawah.",
        "en": "Published IID, with the predicate bands ({year} rules); hollow circle: another "
        "figure, not used. Source: the news and ministerial decrees in the table below.",
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
    "comp_maturity": {"id": "SID: rata-rata kematangan inovasi",
                      "en": "SID: mean innovation maturity"},
    "comp_count": {"id": "SID: skor jumlah inovasi", "en": "SID: innovation count score"},
    "comp_total": {"id": "Total", "en": "Total"},
    "short_spd": {"id": "SPD", "en": "SPD"},
    "short_maturity": {"id": "SID: kematangan", "en": "SID: maturity"},
    "short_count": {"id": "SID: jumlah", "en": "SID: count"},
    "indicators_word": {"id": "indikator", "en": "indicators"},
    "not_used": {"id": "tidak dipakai", "en": "not used"},
    "position_text": {
        "id": "{n} inovasi ({rejected} ditolak), pembagi {divisor}. Total {total} dari "
        "{max_total} poin, IID {iid} ({predicate}).",
        "en": "{n} innovations ({rejected} rejected), divisor {divisor}. Total {total} of "
        "{max_total} points, IID {iid} ({predicate}).",
    },
    "position_caption": {
        "id": "Skor tiap komponen dalam persen dari maksimumnya. Sumber: data indikator",
        "en": "Each component's score as a percent of its maximum. Source: indicator data",
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
    "about_command": {
        "id": "Perintah yang menghasilkan rencana dan peluang utama",
        "en": "Command that reproduces the headline plan and probability",
    },
    "about_run_time": {"id": "Waktu pembuatan (UTC)", "en": "Run time (UTC)"},
    "methodology_line": {
        "id": "Aturan tahun {year}; aturan yang belum TERKONFIRMASI: {rules}.",
        "en": "Rules of {year}; rules not CONFIRMED: {rules}.",
    },
    "none": {"id": "tidak ada", "en": "none"},
    "unknown": {"id": "tidak diketahui", "en": "unknown"},
}

STRINGS.update({
    # First screen
    "meta_region": {"id": "Daerah", "en": "Region"},
    "meta_target_year": {"id": "Tahun target", "en": "Target year"},
    "meta_date": {"id": "Tanggal laporan", "en": "Report date"},
    "meta_cutoff": {"id": "Data s.d.", "en": "Data up to"},
    "meta_cutoff_value": {
        "id": "IID yang diumumkan s.d. {year}{as_of}",
        "en": "IID announced up to {year}{as_of}",
    },
    "meta_as_of": {"id": " (per {date})", "en": " (as of {date})"},
    "meta_issuer": {"id": "Diterbitkan oleh", "en": "Issued by"},
    "meta_rank": {"id": "Peringkat", "en": "Rank"},
    "rank_value": {
        "id": "ke-{rank} dari {size} {cluster} ({years})",
        "en": "{rank} of {size} {cluster} ({years})",
    },
    "cluster_kota": {"id": "kota", "en": "cities"},
    "cluster_kabupaten": {"id": "kabupaten", "en": "regencies"},
    "cluster_provinsi": {"id": "provinsi", "en": "provinces"},
    "and_word": {"id": "dan", "en": "and"},
    "meta_last": {"id": "Skor terakhir", "en": "Last score"},
    "last_value": {
        "id": "IID {value} ({year}, {predicate}), sumber: ",
        "en": "IID {value} ({year}, {predicate}), source: ",
    },
    "decree_note": {
        "id": " (mengutip keputusan menteri {decree})",
        "en": " (citing ministerial decree {decree})",
    },
    "stand_in_note": {
        "id": "Aturan tahun {year} belum ada; aturan {stand_in} dipakai sebagai pengganti "
        "({role}).",
        "en": "There are no rules for {year} yet; the {stand_in} rules stand in ({role}).",
    },
    "role_data": {"id": "data indikator", "en": "indicator data"},
    "role_target": {"id": "tahun target", "en": "target year"},
    "urusan_one_away": {
        "id": "Peringatan: inovasi daerah ini hanya mencakup {covered} dari 6 urusan wajib "
        "pelayanan dasar, tepat di batas minimum {minimum}. Kehilangan satu urusan membuat skor "
        "jumlah inovasi menjadi 0 (IID turun {iid}).",
        "en": "Warning: the region's innovations cover {covered} of the 6 basic-service urusan, "
        "exactly the minimum {minimum}. Losing one urusan sets the count score to 0 (IID "
        "falls by {iid}).",
    },
    "urusan_missing": {
        "id": "Peringatan: inovasi daerah ini mencakup {covered} dari 6 urusan wajib pelayanan "
        "dasar, kurang dari minimum {minimum}; skor jumlah inovasi bernilai 0. Belum tercakup: "
        "{missing}. Menutup {needed} urusan lagi menambah IID {iid}.",
        "en": "Warning: the region's innovations cover {covered} of the 6 basic-service urusan, "
        "fewer than the minimum {minimum}; the count score is 0. Missing: {missing}. Covering "
        "{needed} more adds {iid} to the IID.",
    },
    "urusan_title": {
        "id": "Urusan wajib pelayanan dasar",
        "en": "Basic-service urusan (urusan wajib pelayanan dasar)",
    },
    "col_urusan": {"id": "Urusan", "en": "Urusan"},
    "col_covered": {"id": "Tercakup", "en": "Covered"},
    "urusan_lever_unchecked": {
        "id": "Skor jumlah inovasi ({points} poin) hanya dihitung bila inovasi mencakup minimal "
        "{minimum} dari 6 urusan wajib pelayanan dasar. Tidak dapat diperiksa: data inovasi tanpa "
        "kolom urusan. Isi urusan setiap inovasi agar tuas ini dapat dinilai.",
        "en": "The count score ({points} points) counts only when the innovations cover at least "
        "{minimum} of the 6 basic-service urusan. Not checked: the innovation data has no urusan "
        "column. Fill in each innovation's urusan to value this lever.",
    },
    "urusan_lever_missing": {
        "id": "Tuas: menutup urusan yang belum tercakup. Tercakup {covered} dari minimal "
        "{minimum}; belum: {missing}. Menutup {needed} urusan lagi mengembalikan seluruh skor "
        "jumlah inovasi ({points} poin): IID naik {iid}.",
        "en": "Lever: cover the missing urusan. Covered {covered}, minimum {minimum}; missing: "
        "{missing}. Covering {needed} more restores the whole count score ({points} points): "
        "the IID rises by {iid}.",
    },
    "urusan_lever_one_away": {
        "id": "Tercakup {covered} urusan, tepat minimal {minimum}: kehilangan satu (mis. inovasi "
        "satu-satunya pada suatu urusan ditolak) membuat IID turun {at_risk}. Inovasi kedua pada "
        "urusan yang hanya punya satu inovasi melindungi skor jumlah inovasi.",
        "en": "{covered} urusan covered, exactly the minimum {minimum}: losing one (e.g. the only "
        "innovation of an urusan rejected) lowers the IID by {at_risk}. A second innovation in "
        "an urusan that has only one protects the count score.",
    },
    "urusan_lever_met": {
        "id": "Tercakup {covered} urusan (minimal {minimum}): syarat terpenuhi dengan cadangan.",
        "en": "{covered} urusan covered (minimum {minimum}): the condition is met with room to "
        "spare.",
    },
    "urusan_lever_plan": {
        "id": "Rencana menutupnya dengan inovasi baru pada urusan tersebut: {innovations}.",
        "en": "The plan covers them with new innovations in those urusan: {innovations}.",
    },
    "urusan_unchecked": {
        "id": "Peringatan: aturan {year} memberi skor jumlah inovasi 0 bila inovasi mencakup "
        "kurang dari {minimum} dari 6 urusan wajib pelayanan dasar. Tidak dapat diperiksa: data "
        "inovasi tanpa kolom urusan; {points} poin skor jumlah inovasi dipertaruhkan.",
        "en": "Warning: the {year} rules set the count score to 0 when the innovations cover "
        "fewer than {minimum} of the 6 basic-service urusan. Not checked: the innovation data "
        "has no urusan column; {points} count-score points are at stake.",
    },
    # Headline
    "headline_verdict": {
        "id": "Peluang mencapai IID {year} \u2265 {threshold} dengan rencana: {p} ({band}); "
        "upaya {effort} {unit}. Tanpa rencana (tren berlanjut): {p_bau}.",
        "en": "Probability of reaching an IID of \u2265 {threshold} in {year} with the plan: "
        "{p} ({band}); effort {effort} {unit}. Without the plan (trend continues): {p_bau}.",
    },
    "headline_verdict_no_bau": {
        "id": "Peluang mencapai IID {year} \u2265 {threshold} dengan rencana: {p} ({band}); "
        "upaya {effort} {unit}. Tanpa rencana: tidak dapat diproyeksikan ({what}).",
        "en": "Probability of reaching an IID of \u2265 {threshold} in {year} with the plan: "
        "{p} ({band}); effort {effort} {unit}. Without the plan: no projection ({what}).",
    },
    "effort_unit_line": {
        "id": "Satuan upaya: {definition}. Angka upaya adalah asumsi kasar yang dapat diubah "
        "(lihat asumsi).",
        "en": "Unit of effort: {definition}. Effort figures are rough, editable assumptions "
        "(see the assumptions).",
    },
    "col_target": {"id": "Target IID", "en": "IID target"},
    "col_effort": {"id": "Upaya ({unit})", "en": "Effort ({unit})"},
    "col_p_bau": {"id": "Peluang tanpa rencana", "en": "P without plan"},
    "col_p_plan": {"id": "Peluang dengan rencana", "en": "P with plan"},
    "col_new": {"id": "Inovasi baru", "en": "New innovations"},
    "rung_above_last": {"id": "di atas IID terakhir", "en": "above the last IID"},
    "rung_target": {"id": "target", "en": "target"},
    "rung_plus_2": {"id": "+2 poin", "en": "+2 points"},
    "rung_plus_5": {"id": "+5 poin", "en": "+5 points"},
    "rung_band": {"id": "batas Sangat Inovatif", "en": "Sangat Inovatif threshold"},
    "ladder_note": {
        "id": "Upaya: rencana termurah yang mencapai target itu dengan peluang sedikitnya 80 %, "
        "dengan risiko verifikasi dan varian aturan yang belum pasti; peluang dengan rencana "
        "adalah peluang rencana itu. Rencana utama ({effort} {unit}) adalah rencana untuk "
        "target laporan.",
        "en": "Effort: the cheapest plan that reaches that target with at least 80% probability, "
        "under verification risk and the unconfirmed rule variants; the probability with the "
        "plan is that plan's. The headline plan ({effort} {unit}) is the plan for the report's "
        "target.",
    },
    "col_min_effort": {"id": "Upaya ({unit})", "en": "Effort ({unit})"},
    "compare_caption": {
        "id": "IID {year}: tanpa rencana (tren) dan dengan rencana; batang tebal 50 %, tipis "
        "90 %, titik = median; garis ungu = target {threshold}. Sumber: {source}.",
        "en": "{year} IID: without the plan (trend) and with the plan; thick bar 50%, thin bar "
        "90%, dot = median; purple line = target {threshold}. Source: {source}.",
    },
    "compare_source": {
        "id": "IID yang dipublikasikan dan data indikator {tag}; perhitungan iid-analysis",
        "en": "published IID and {tag} indicator data; iid-analysis computation",
    },
    "label_bau": {"id": "Tanpa rencana", "en": "Without plan"},
    "label_plan": {"id": "Dengan rencana", "en": "With plan"},
    "label_target": {"id": "target {value}", "en": "target {value}"},
    "axis_iid": {"id": "IID (skala 0\u2013100)", "en": "IID (0\u2013100 scale)"},
    "axis_year": {"id": "Tahun", "en": "Year"},
    "axis_share": {"id": "% dari skor maksimum", "en": "% of maximum score"},
    "separates": {
        "id": "Yang membedakan keduanya: tren (median {bau_median}; 90 % antara {bau_low} dan "
        "{bau_high}) bergantung pada berlanjutnya kenaikan tahun-tahun lalu dan tersebar lebar; "
        "rencana ({n_actions} tindakan, {n_new} inovasi baru, {effort} {unit}) dihitung dari data "
        "indikator hari ini dan tersebar sempit (median {plan_median}; 90 % antara {plan_low} "
        "dan {plan_high}).",
        "en": "What separates them: the trend (median {bau_median}; 90% between {bau_low} and "
        "{bau_high}) depends on past gains continuing and is spread wide; the plan ({n_actions} "
        "actions, {n_new} new innovations, {effort} {unit}) is computed from today's indicator "
        "data and is spread narrow (median {plan_median}; 90% between {plan_low} and "
        "{plan_high}).",
    },
    "risks_title": {"id": "Apa yang dapat menggagalkan rencana", "en": "What could make the plan "
                    "fail"},
    "risk_stage_not_counted": {
        "id": "{n} inovasi masih tahap inisiatif/uji coba; jika tidak dihitung sama sekali, "
        "peluang rencana menjadi {p_if}. Bagian risiko: {share}. Memindahkannya ke tahap "
        "penerapan atau konfirmasi aturan ke BSKDN menghapus risiko ini.",
        "en": "{n} innovations are still at the inisiatif/uji coba stage; if they do not count "
        "at all, the plan's probability becomes {p_if}. Share of the risk: {share}. Moving them "
        "to penerapan or confirming the rule with BSKDN removes this risk.",
    },
    "risk_stage_not_scored": {
        "id": "{n} inovasi tahap inisiatif/uji coba; jika dihitung dalam pembagi tetapi tidak "
        "dinilai, peluang rencana menjadi {p_if}. Bagian risiko: {share}. Memindahkannya ke "
        "tahap penerapan atau konfirmasi aturan ke BSKDN menghapus risiko ini.",
        "en": "{n} innovations at the inisiatif/uji coba stage; if they count in the divisor but "
        "are not scored, the plan's probability becomes {p_if}. Share of the risk: {share}. "
        "Moving them to penerapan or confirming the rule with BSKDN removes this risk.",
    },
    "risk_rejected_not_counted": {
        "id": "{n} inovasi ditolak; jika tidak dihitung dalam pembagi, peluang rencana menjadi "
        "{p_if}. Bagian risiko: {share}. Konfirmasi aturan ke BSKDN menghapus risiko ini.",
        "en": "{n} innovations were rejected; if they do not count in the divisor, the plan's "
        "probability becomes {p_if}. Share of the risk: {share}. Confirming the rule with BSKDN "
        "removes this risk.",
    },
    "risk_verification": {
        "id": "Verifikator dapat menolak sebagian bukti (data dukung); bagian risiko: {share}. "
        "Data dukung yang lengkap sebelum verifikasi mengurangi risiko ini.",
        "en": "The verifier may reject some evidence (data dukung); share of the risk: {share}. "
        "Complete evidence before verification reduces this risk.",
    },
    "risk_none": {
        "id": "Tidak ada varian aturan yang menggeser peluang rencana.",
        "en": "No rule variant moves the plan's probability.",
    },
    "weights_line": {
        "id": "Varian aturan dibobot menurut IID {year} yang dipublikasikan daerah ini ({iid}): "
        "{which}.",
        "en": "The rule variants are weighted by the region's own published {year} IID ({iid}): "
        "{which}.",
    },
    "weights_one": {
        "id": "hanya varian \u201c{variant}\u201d yang mereproduksinya, varian lain tidak",
        "en": "only the variant \u201c{variant}\u201d reproduces it, the others do not",
    },
    "weights_many": {
        "id": "{n} varian mereproduksinya",
        "en": "{n} variants reproduce it",
    },
    "weights_none": {"id": "tidak ada varian yang mereproduksinya", "en": "no variant "
                     "reproduces it"},
    "weights_equal": {
        "id": "Tanpa IID yang dipublikasikan untuk tahun data, varian aturan dibobot sama.",
        "en": "Without a published IID for the data year, the rule variants are weighted "
        "equally.",
    },
    "weights_illustrative": {
        "id": "Data indikator sintetis dibuat agar mereproduksi angka itu, sehingga pembobotan "
        "ini hanya ilustrasi.",
        "en": "The synthetic indicator data was built to reproduce that figure, so this "
        "weighting is illustrative only.",
    },
    "variant_stage_counted": {"id": "inovasi inisiatif/uji coba dihitung dan dinilai",
                              "en": "inisiatif/uji coba innovations counted and scored"},
    "variant_stage_not_counted": {"id": "inovasi inisiatif/uji coba tidak dihitung",
                                  "en": "inisiatif/uji coba innovations not counted"},
    "variant_stage_not_scored": {"id": "inovasi inisiatif/uji coba dihitung tetapi tidak dinilai",
                                 "en": "inisiatif/uji coba innovations counted, not scored"},
    "variant_rejected_counted": {"id": "inovasi ditolak dihitung dalam pembagi",
                                 "en": "rejected innovations in the divisor"},
    "variant_rejected_not_counted": {"id": "inovasi ditolak tidak dihitung dalam pembagi",
                                     "en": "rejected innovations not in the divisor"},
    "see_sections": {
        "id": "Rincian: program dan daftar kerja OPD di bagian 5 dan 6; asumsi di bagian 7.",
        "en": "Details: programmes and the OPD worklist in sections 5 and 6; assumptions in "
        "section 7.",
    },
    # Plan and OPDs
    "programmes_title": {"id": "Program rencana", "en": "The plan's programmes"},
    "col_programme": {"id": "Program", "en": "Programme"},
    "col_opds": {"id": "OPD", "en": "OPDs"},
    "worklist_link": {
        "id": "Unduh daftar kerja per OPD (Excel, satu lembar per OPD, bekerja tanpa internet)",
        "en": "Download the worklist per OPD (Excel, one sheet per OPD, works offline)",
    },
    "worklist_line": {
        "id": "Daftar kerja memuat, untuk tiap OPD, inovasinya, indikator, level awal dan "
        "tujuan, dan data dukung yang diperlukan ({n} tindakan).",
        "en": "The worklist gives, for each OPD, its innovations, the indicator, the level from "
        "and to, and the evidence (data dukung) needed ({n} actions).",
    },
    "load_title": {"id": "OPD yang memikul rencana", "en": "The OPDs carrying the plan"},
    "load_line": {
        "id": "{n} dari {total} OPD memikul {share} upaya rencana: {names}.",
        "en": "{n} of {total} OPDs carry {share} of the plan's effort: {names}.",
    },
    "col_share_effort": {"id": "% upaya", "en": "% of effort"},
    "more_than_one_line": {
        "id": "Satu OPD Lebih Dari Satu Inovasi: {n} OPD baru memiliki kurang dari dua inovasi "
        "yang diterima: {names}. Rencana {met}.",
        "en": "One OPD More Than One Innovation: {n} OPDs have fewer than two accepted "
        "innovations: {names}. The plan {met}.",
    },
    "more_than_one_met": {"id": "memenuhinya untuk {k} di antaranya",
                          "en": "meets it for {k} of them"},
    "more_than_one_none": {
        "id": "Satu OPD Lebih Dari Satu Inovasi: setiap OPD sudah memiliki dua inovasi atau "
        "lebih yang diterima.",
        "en": "One OPD More Than One Innovation: every OPD already has two or more accepted "
        "innovations.",
    },
    "outcomes_title": {
        "id": "Tidak direncanakan: indikator hasil",
        "en": "Not planned: outcome indicators",
    },
    "outcomes_rest": {
        "id": "{n} indikator hasil lainnya sudah pada level tertinggi.",
        "en": "{n} other outcome indicators are already at their top level.",
    },
    "outcomes_intro": {
        "id": "Indikator hasil SPD (investasi, PAD, pengangguran, kemiskinan, opini BPK ...) "
        "tidak dapat diubah dalam tahun penilaian dengan mengunggah bukti; nilainya bagi IID "
        "ditampilkan sebagai konteks dan tidak masuk rencana.",
        "en": "SPD outcome indicators (investment, PAD, unemployment, poverty, BPK opinion ...) "
        "cannot be moved within the assessment year by uploading evidence; their value to the "
        "IID is shown as context and never planned.",
    },
    "col_indicator": {"id": "Indikator", "en": "Indicator"},
    "col_level": {"id": "Level", "en": "Level"},
    "col_to_max": {"id": "Potensi nilai yang belum diraih (IID)",
                   "en": "Value not yet reached (IID)"},
    # History
    "col_predicate_reported": {"id": "Predikat yang diumumkan", "en": "Predicate reported"},
    "col_predicate_then": {"id": "Predikat (batas tahun itu)",
                           "en": "Predicate (that year's bands)"},
    # Assumptions
    "assumptions_red_line": {
        "id": "{n} baris berdampak MERAH: bila salah satunya keliru, kesimpulan dapat berubah; "
        "kesimpulan berlaku sejauh baris-baris itu benar.",
        "en": "{n} rows have RED impact: if one of them is wrong the verdict may change; the "
        "verdict holds as far as those rows hold.",
    },
    # Glossary
    "glossary_title": {"id": "8. Glosarium", "en": "8. Glossary"},
    "col_term": {"id": "Istilah", "en": "Term"},
    "col_meaning": {"id": "Arti", "en": "Meaning"},
})

# Maturity grain: innovations known by their kematangan only (no indicator levels)
STRINGS.update({
    "grain_note": {
        "id": "Analisis pada tingkat kematangan: berkas inovasi ({source}) hanya memuat "
        "kematangan tiap inovasi, tanpa level indikator 16..35. Skor, faktor pengungkit dan "
        "rencana dihitung per inovasi (naikkan kematangan inovasi j sebesar x poin, tambah "
        "inovasi berkematangan m) dan LEBIH KASAR daripada rencana per level indikator: bukti "
        "indikator mana yang harus ditambah tidak dapat disebutkan, dan kematangan sebenarnya "
        "naik menurut bobot indikator, bukan per poin.",
        "en": "Analysis at maturity grain: the innovations file ({source}) gives each "
        "innovation's maturity (kematangan) only, without the levels of indicators 16..35. "
        "Score, levers and plan are per innovation (raise innovation j's maturity by x points, "
        "add an innovation of maturity m) and COARSER than a level-by-level plan: which "
        "indicator evidence to add cannot be named, and a real maturity moves in steps of the "
        "indicator weights, not point by point.",
    },
    "grain_plan_note": {
        "id": "Rencana ini pada tingkat kematangan, lebih kasar daripada rencana per level "
        "indikator: ia menyebut poin kematangan per inovasi, bukan indikator dan bukti yang "
        "harus ditambah.",
        "en": "This plan is at maturity grain, coarser than a level-by-level plan: it names "
        "points of maturity per innovation, not the indicators and evidence to add.",
    },
    "grain_spd_published": {
        "id": "Tanpa berkas SPD: SPD ({spd}) diambil dari IID {year} yang dipublikasikan ({iid}) "
        "dikurangi SID dari data ini. Ini asumsi, bukan data SPD.",
        "en": "No SPD file: the SPD ({spd}) is the published {year} IID ({iid}) less the SID of "
        "this data. This is an assumption, not SPD data.",
    },
    "grain_spd_outside": {
        "id": "SPD yang tersirat ({spd}) di luar 0..{max}: inovasi dalam berkas ini bukan yang "
        "dinilai untuk IID yang dipublikasikan; angka-angka di bawah tidak dapat dipercaya.",
        "en": "The implied SPD ({spd}) lies outside 0..{max}: the innovations in this file are "
        "not the ones scored for the published IID; the figures below cannot be trusted.",
    },
    "mg_verdict": {
        "id": "Pada tingkat kematangan, rencana termurah untuk IID {year} \u2265 {threshold}: "
        "{actions}; IID sesudahnya {iid_after} (upaya {effort} poin kematangan). Tanpa rencana "
        "(tren): peluang {p_bau} ({band}).",
        "en": "At maturity grain, the cheapest plan for an IID of \u2265 {threshold} in {year}: "
        "{actions}; IID after {iid_after} (effort {effort} maturity points). Without the plan "
        "(the trend): probability {p_bau} ({band}).",
    },
    "mg_verdict_no_bau": {
        "id": "Pada tingkat kematangan, rencana termurah untuk IID {year} \u2265 {threshold}: "
        "{actions}; IID sesudahnya {iid_after} (upaya {effort} poin kematangan). Tanpa "
        "rencana: tidak dapat diproyeksikan ({what}).",
        "en": "At maturity grain, the cheapest plan for an IID of \u2265 {threshold} in {year}: "
        "{actions}; IID after {iid_after} (effort {effort} maturity points). Without the "
        "plan: no projection ({what}).",
    },
    "mg_unreachable": {
        "id": "Pada tingkat kematangan tidak ada rencana yang mencapai IID {year} \u2265 "
        "{threshold}: paling tinggi {max_iid} (semua inovasi pada kematangan maksimum dan "
        "hingga {max_new} inovasi baru).",
        "en": "At maturity grain no plan reaches an IID of \u2265 {threshold} in {year}: at "
        "most {max_iid} (every innovation at the maximum maturity and up to {max_new} new "
        "innovations).",
    },
    "mg_no_probability": {
        "id": "Peluang mencapai target dengan rencana (risiko verifikasi, varian aturan) dan "
        "grafik perbandingannya memerlukan level indikator: tidak dihitung pada tingkat "
        "kematangan.",
        "en": "The probability of reaching the target with the plan (verification risk, rule "
        "variants) and its comparison chart need indicator levels: not computed at maturity "
        "grain.",
    },
    "mg_ladder_note": {
        "id": "Upaya minimum tiap anak tangga: poin kematangan rencana termurahnya (satu poin "
        "pada inovasi yang ada = 1; satu inovasi baru = kematangannya, {m}).",
        "en": "Minimum effort of each rung: the maturity points of its cheapest plan (one point "
        "on an existing innovation = 1; one new innovation = its maturity, {m}).",
    },
    "mg_points_unit": {"id": "poin kematangan", "en": "maturity points"},
    "mg_levers_intro": {
        "id": "Nilai menaikkan kematangan tiap inovasi (aturan {year}, data {tag}): satu poin "
        "kematangan pada inovasi mana pun bernilai {per_point} poin IID; inovasi dengan ruang "
        "terbesar sampai {max} lebih dulu:",
        "en": "The value of raising each innovation's maturity ({year} rules, {tag} data): one "
        "point of maturity on any innovation is worth {per_point} IID points; innovations with "
        "the most room up to {max} first:",
    },
    "col_innovation": {"id": "Inovasi", "en": "Innovation"},
    "col_headroom": {"id": "Ruang (poin)", "en": "Room (points)"},
    "mg_levers_rest": {
        "id": "{n} inovasi lainnya tidak ditampilkan (daftar lengkap: iid-analysis import).",
        "en": "{n} other innovations are not shown (full list: iid-analysis import).",
    },
    "mg_spd_levers": {
        "id": "Faktor pengungkit SPD dan per indikator (satu langkah level) memerlukan level "
        "indikator inovasi; pada tingkat kematangan hanya faktor pengungkit per inovasi yang "
        "ditampilkan.",
        "en": "SPD and per-indicator levers (one level step) need the innovations' indicator "
        "levels; at maturity grain only the levers per innovation are shown.",
    },
    "mg_opd_intro": {
        "id": "Per OPD: jumlah inovasi, yang ditolak, kematangan rata-rata inovasi yang "
        "diterima, dan kenaikan IID bila semua inovasinya mencapai kematangan maksimum:",
        "en": "Per OPD: innovations, rejected ones, mean maturity of the accepted ones, and the "
        "IID gained if all its innovations reached the maximum maturity:",
    },
    "mg_plan_line": {
        "id": "Rencana termurah pada tingkat kematangan untuk IID \u2265 {threshold} (aturan "
        "{year}): {actions}; IID dari {before} menjadi {after}; upaya {effort} poin "
        "kematangan.",
        "en": "The cheapest plan at maturity grain for an IID of \u2265 {threshold} ({year} "
        "rules): {actions}; IID from {before} to {after}; effort {effort} maturity points.",
    },
    "mg_raise_phrase": {
        "id": "naikkan kematangan {n} inovasi, {points} poin seluruhnya",
        "en": "raise the maturity of {n} innovation(s) by {points} points in all",
    },
    "mg_new_phrase": {
        "id": "tambah {n} inovasi baru berkematangan {m}",
        "en": "add {n} new innovation(s) of maturity {m}",
    },
    "mg_no_action": {
        "id": "tidak ada tindakan (target sudah tercapai)",
        "en": "no action (the target is already reached)",
    },
    "mg_action_raise": {
        "id": "Naikkan kematangan {id} ({name}) dari {before} ke {after}",
        "en": "Raise the maturity of {id} ({name}) from {before} to {after}",
    },
    "mg_action_new": {
        "id": "Inovasi baru {id} berkematangan {m}",
        "en": "New innovation {id} of maturity {m}",
    },
    "col_points": {"id": "Poin", "en": "Points"},
    "mg_actions_rest": {
        "id": "{n} tindakan lainnya tidak ditampilkan.",
        "en": "{n} other actions are not shown.",
    },
    "mg_scenarios_missing": {
        "id": "Skenario kota, program, beban OPD dan daftar kerja OPD disusun dari level "
        "indikator: tidak tersedia pada tingkat kematangan.",
        "en": "The city's scenarios, programmes, OPD load and the OPD worklist are built from "
        "indicator levels: not available at maturity grain.",
    },
    "mg_cost_line": {
        "id": "Upaya dalam poin kematangan: satu poin pada inovasi yang ada = 1; satu inovasi "
        "baru = kematangannya ({m}, rata-rata kematangan inovasi yang diterima dibulatkan ke "
        "bawah).",
        "en": "Effort in maturity points: one point on an existing innovation = 1; one new "
        "innovation = its maturity ({m}, the accepted innovations' mean maturity rounded "
        "down).",
    },
    "mg_about_command": {
        "id": "Perintah yang menghasilkan skor pada tingkat kematangan",
        "en": "Command that reproduces the score at maturity grain",
    },
})

PROVENANCE_WORDS: dict[str, dict[str, str]] = {
    "CONFIRMED": {"id": "terkonfirmasi", "en": "confirmed"},
    "SECONDARY": {"id": "sumber sekunder", "en": "secondary source"},
    "INFERRED": {"id": "disimpulkan", "en": "inferred"},
    "PROVISIONAL": {"id": "sementara", "en": "provisional"},
    "ASSUMED": {"id": "asumsi", "en": "assumed"},
    "SYNTHETIC": {"id": "sintetis", "en": "synthetic"},
}
"""The provenance flags of the data in the reader's words (the flags stay in "about")."""

MODEL_NAMES: dict[str, dict[str, str]] = {
    "trend_logit": {"id": "tren daerah pada skala logit", "en": "the region's trend (logit)"},
    "trend_raw": {"id": "tren daerah", "en": "the region's trend"},
    "rw_drift": {"id": "jalan acak dengan kecenderungan", "en": "random walk with drift"},
    "pooled_shock": {
        "id": "perubahan rata-rata semua daerah dengan guncangan tahunan bersama",
        "en": "all regions' average change with a shared yearly shock",
    },
    "pooled": {"id": "perubahan rata-rata semua daerah", "en": "all regions' average change"},
    "damped_ets": {"id": "pemulusan eksponensial teredam", "en": "damped exponential smoothing"},
    "ensemble": {"id": "gabungan model", "en": "model ensemble"},
}
"""The forecast models in plain words (the code names stay in "about this report")."""

RULE_NAMES: dict[str, dict[str, str]] = {
    "indicators": {"id": "tabel indikator dan poinnya", "en": "indicator table and points"},
    "divisor_floor": {"id": "pembagi minimum SID", "en": "minimum SID divisor"},
    "count_points_per_innovation": {"id": "poin skor jumlah inovasi per inovasi",
                                    "en": "count-score points per innovation"},
    "count_cap": {"id": "batas jumlah inovasi yang dihitung", "en": "innovation count cap"},
    "max_spd": {"id": "skor SPD maksimum", "en": "maximum SPD score"},
    "max_innovation": {"id": "skor kematangan inovasi maksimum",
                       "en": "maximum innovation maturity"},
    "max_count": {"id": "skor jumlah inovasi maksimum", "en": "maximum count score"},
    "max_total": {"id": "total maksimum", "en": "maximum total"},
    "band_sangat_inovatif_min": {"id": "batas bawah Sangat Inovatif",
                                 "en": "Sangat Inovatif lower bound"},
    "band_inovatif_min": {"id": "batas bawah Inovatif", "en": "Inovatif lower bound"},
    "band_kurang_inovatif_min": {"id": "batas bawah Kurang Inovatif",
                                 "en": "Kurang Inovatif lower bound"},
    "max_entries_per_innovation": {"id": "entri maksimum per inovasi",
                                   "en": "maximum entries per innovation"},
    "min_basic_urusan": {"id": "minimum urusan wajib pelayanan dasar yang dicakup",
                         "en": "minimum basic-service urusan covered"},
    "rejected_count_in_divisor": {"id": "inovasi ditolak dihitung dalam pembagi",
                                  "en": "rejected innovations in the divisor"},
}
"""Methodology rule names in plain words."""

GLOSSARY: tuple[tuple[dict[str, str], dict[str, str]], ...] = (
    ({"id": "IID", "en": "IID"},
     {"id": "Indeks Inovasi Daerah (0\u2013100), dinilai tiap tahun oleh BSKDN Kemendagri.",
      "en": "Regional Innovation Index (0\u2013100), assessed yearly by BSKDN (Ministry of "
      "Home Affairs)."}),
    ({"id": "SPD", "en": "SPD"},
     {"id": "Satuan Pemerintah Daerah: indikator tata kelola daerah (dokumen, regulasi, "
      "capaian) yang dinilai sekali untuk seluruh daerah.",
      "en": "Satuan Pemerintah Daerah: the region-wide governance indicators (documents, "
      "regulations, outcomes)."}),
    ({"id": "SID", "en": "SID"},
     {"id": "Satuan Inovasi Daerah: kematangan tiap inovasi (rata-rata skor inovasi) ditambah "
      "skor jumlah inovasi.",
      "en": "Satuan Inovasi Daerah: each innovation's maturity (mean innovation score) plus the "
      "innovation count score."}),
    ({"id": "Faktor pengungkit", "en": "Faktor pengungkit (lever)"},
     {"id": "Indikator yang bila dinaikkan levelnya paling menambah IID.",
      "en": "An indicator whose next level adds most to the IID."}),
    ({"id": "Potensi nilai yang belum diraih", "en": "Potensi nilai yang belum diraih"},
     {"id": "Selisih antara poin suatu indikator dan poin maksimumnya, dinyatakan dalam IID.",
      "en": "The gap between an indicator's points and its maximum, in IID points."}),
    ({"id": "Data dukung", "en": "Data dukung"},
     {"id": "Bukti yang diunggah untuk tiap level indikator dan diperiksa verifikator.",
      "en": "The evidence uploaded for each indicator level and checked by the verifier."}),
    ({"id": "Tahap inisiatif / uji coba / penerapan", "en": "Inisiatif / uji coba / penerapan"},
     {"id": "Tahap inovasi: gagasan, percobaan, dan sudah diterapkan.",
      "en": "Innovation stages: idea, trial, implemented."}),
    ({"id": "Hari kerja", "en": "Person-day"},
     {"id": "Satuan upaya: satu orang bekerja satu hari.",
      "en": "Unit of effort: one person working one day."}),
    ({"id": "Urusan wajib pelayanan dasar", "en": "Urusan wajib pelayanan dasar"},
     {"id": "Enam urusan: pendidikan; kesehatan; pekerjaan umum dan penataan ruang; perumahan "
      "rakyat dan kawasan permukiman; ketenteraman, ketertiban umum dan pelindungan masyarakat; "
      "sosial.",
      "en": "The six basic-service affairs: education; health; public works and spatial "
      "planning; housing and settlements; public order and protection; social affairs."}),
    ({"id": "Peluang", "en": "Probability"},
     {"id": "Peluang dalam persen dengan sebutannya: hampir pasti (> 99 %), sangat mungkin "
      "(90\u201399 %), kemungkinan besar (67\u201390 %), mungkin (33\u201367 %).",
      "en": "Probabilities in percent with their words: almost certain (> 99%), very likely "
      "(90\u201399%), likely (67\u201390%), about as likely as not (33\u201367%)."}),
)


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


_REASONS_ID = (
    (re.compile(r"could not be backtested on the panel \(no region has (\d+) points? before a "
                r"later published one\)"),
     r"tidak dapat diuji balik pada panel (tidak ada daerah dengan \1 nilai sebelum nilai yang "
     r"dipublikasikan kemudian)"),
    (re.compile(r"has (\d+) parameters? and (\d+) ([a-z -]+?): it needs at least (\d+) [a-z -]+? "
                r"to leave (\d+) residual degrees? of freedom \(otherwise it fits exactly and its "
                r"intervals mean nothing\)"),
     r"memiliki \1 parameter dan hanya \2 data: perlu paling sedikit \4 agar tersisa \5 derajat "
     r"bebas (jika tidak, model pas sempurna dan rentangnya tidak bermakna)"),
    (re.compile(r"fits the data exactly \(residual variance 0\), so it cannot state any "
                r"uncertainty"),
     "pas sempurna dengan data (varians sisa 0), sehingga tidak dapat menyatakan "
     "ketidakpastian"),
    (re.compile(r"\bstand-in from (\d{4})\b"), r"pengganti dari aturan \1"),
    (re.compile(r"^(\d{4}) indicator table not found; the (\d{4}) table stands in$"),
     r"tabel indikator \1 belum ditemukan; tabel \2 dipakai sebagai pengganti"),
    (re.compile(r"^(\d{4}) rule not found; stand-in is the (\d{4}) rule (.*)$"),
     r"aturan \1 belum ditemukan; pengganti: aturan \2 \3"),
    (re.compile(r"^(.*); reproduces the (.*) split exactly$"),
     r"\1; menghasilkan pembagian \2 dengan tepat"),
    (re.compile(r"^(\d+) indicators, (\d+) variables, (\d+) aspects: "),
     r"\1 indikator, \2 variabel, \3 aspek: "),
    (re.compile(r"\(Satuan Inovasi share stated in the (\d{4}) slides\)"),
     r"(porsi Satuan Inovasi menurut paparan \1)"),
    (re.compile(r"\(SPD share stated in the (\d{4}) slides\); same split stated for (\d{4})"),
     r"(porsi SPD menurut paparan \1); pembagian yang sama disebut untuk \2"),
    (re.compile(r" reaches (\d+)$"), r" mencapai \1"),
    (re.compile(r"^SID = sum of innovation scores / "), "SID = jumlah skor inovasi / "),
    (re.compile(r"^(.*) raised to (.*) for (\d{4}) \((.*) and (.*) announcements\)$"),
     r"\1 dinaikkan menjadi \2 untuk \3 (pengumuman \4 dan \5)"),
    (re.compile(r"^an innovation may be entered at most twice, showing further maturity: same "
                r"source$"),
     "satu inovasi boleh diikutkan paling banyak dua kali, dengan kematangan yang bertambah: "
     "sumber yang sama"),
    (re.compile(r"^lower bound for Inovatif in (\d{4}) not seen in an official text; (\S+) as in "
                r"the (\d{4}) rule$"),
     r"batas bawah Inovatif \1 belum terlihat dalam teks resmi; \2 seperti aturan \3"),
    (re.compile(r"^predicates reported for (\d{4}) scores \(e\.g\. "),
     r"predikat yang diumumkan untuk skor \1 (mis. "),
    (re.compile(r"^predicates reported for (\d{4}) scores \("),
     r"predikat yang diumumkan untuk skor \1 ("),
    (re.compile(r"; one source calls (.*) (\S+) Inovatif$"),
     r"; satu sumber menyebut \1 \2 Inovatif"),
    (re.compile(r"\); see (\S+)$"), r"); lihat \1"),
    (re.compile(r"^same source: rejected innovations still count in the divisor$"),
     "sumber yang sama: inovasi yang ditolak tetap dihitung dalam pembagi"),
    (re.compile(r"^same; the count score is 0 unless (\d+) of the (\d+) urusan wajib pelayanan "
                r"dasar are covered$"),
     r"sama; skor jumlah inovasi 0 kecuali \1 dari \2 urusan wajib pelayanan dasar tercakup"),
    (re.compile(r"^weights sum to (\d+) x level (\d+); head of BSKDN says (\d+) per "
                r"innovation$"),
     r"jumlah bobot \1 x level \2; Kepala BSKDN menyebut \3 per inovasi"),
    (re.compile(r"^head of BSKDN, "), "Kepala BSKDN, "),
    (re.compile(r"\(cites (Surat [^)]*)\)"), r"(mengutip \1)"),
    (re.compile(r" at commit (\w+) \((\d{4}) rules\): the count score is 0 unless the "
                r"innovations cover at least this many of the (\d+) urusan wajib pelayanan dasar"),
     r" pada commit \1 (aturan \2): skor jumlah inovasi 0 kecuali inovasi mencakup paling "
     r"sedikit sekian dari \3 urusan wajib pelayanan dasar"),
    (re.compile(r": same$"), ": sama"),
    (re.compile(r"^same as above$"), "sama seperti di atas"),
    (re.compile(r"^same$"), "sama"),
    (re.compile(r"^as (\d{4})$"), r"seperti \1"),
    (re.compile(r"^confirmed for (\d{4}) only$"), r"terkonfirmasi hanya untuk \1"),
)


def _code_pattern(names) -> re.Pattern:
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, ordered)) + r")(?![\w])")


_MODELS = _code_pattern(MODEL_NAMES)
_FLAGS = _code_pattern(PROVENANCE_WORDS)


def provenance_word(flag: str, lang: str) -> str:
    """A provenance flag (CONFIRMED ...) in the reader's words (unknown flags as they are)."""
    return PROVENANCE_WORDS.get(flag, {}).get(check_language(lang), flag)


def model_name(name: str, lang: str) -> str:
    """A forecast model's code name in plain words (unknown names as they are)."""
    return MODEL_NAMES.get(name, {}).get(check_language(lang), name)


def rule_name(name: str, lang: str) -> str:
    """A methodology rule's name in plain words (unknown names as they are)."""
    return RULE_NAMES.get(name, {}).get(check_language(lang), name)


def plain(sentence: str, lang: str) -> str:
    """``sentence`` with forecast model code names and provenance flags in plain words, and,
    in Indonesian, the library's known English phrases (model refusals, rule stand-ins)
    translated. Other text is left as it is."""
    sentence = _MODELS.sub(lambda m: model_name(m.group(1), lang), sentence)
    sentence = _FLAGS.sub(lambda m: provenance_word(m.group(1), lang), sentence)
    if lang == "id":
        for pattern, replacement in _REASONS_ID:
            sentence = pattern.sub(replacement, sentence)
    return sentence


_DECIMAL = re.compile(r"(?<![\w.,/])(\d+)\.(\d{1,2})(?![\d.])")


def decimal_commas(sentence: str, lang: str) -> str:
    """In Indonesian, decimals written with a point (``0.38``, ``25.2``) get a comma; other
    text (and English) is left as it is. For prose from data files (rule values, sources)."""
    return _DECIMAL.sub(r"\1,\2", sentence) if lang == "id" else sentence
