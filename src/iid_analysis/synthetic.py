"""Illustrative (SYNTHETIC) indicator data: the Kota Mojokerto 2023 example and national-scale
inputs for benchmarks. Nothing here is real indicator data; only the agency names and the
published IID the example is calibrated to are real.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .inputs.validation import STATUS_ACCEPTED, STATUS_REJECTED
from .methodology import Methodology
from .scoring import count_score, round_published

SYNTHETIC_LABEL = "SYNTHETIC: illustrative data, not the city's real indicator data"

# Kota Mojokerto's perangkat daerah (OPD): names as the city uses them, with a relative weight
# for how many innovations each plausibly registers.
MOJOKERTO_OPDS: tuple[tuple[str, float], ...] = (
    ("Sekretariat Daerah", 4),
    ("Sekretariat DPRD", 1),
    ("Inspektorat Daerah", 2),
    ("Badan Perencanaan Pembangunan Daerah, Penelitian dan Pengembangan", 4),
    ("Badan Pendapatan Daerah", 4),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", 3),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", 3),
    ("Badan Penanggulangan Bencana Daerah", 2),
    ("Badan Kesatuan Bangsa dan Politik", 1),
    ("Dinas Pendidikan dan Kebudayaan", 8),
    ("Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana", 9),
    ("Dinas Pekerjaan Umum dan Penataan Ruang, Perumahan Rakyat dan Kawasan Permukiman", 4),
    ("Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak", 5),
    ("Dinas Kependudukan dan Pencatatan Sipil", 5),
    ("Dinas Komunikasi dan Informatika", 6),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 4),
    ("Dinas Lingkungan Hidup", 3),
    ("Dinas Perhubungan", 3),
    ("Dinas Tenaga Kerja", 2),
    ("Dinas Koperasi, Usaha Mikro, Perindustrian dan Perdagangan", 4),
    ("Dinas Kepemudaan, Olahraga dan Pariwisata", 3),
    ("Dinas Ketahanan Pangan dan Pertanian", 2),
    ("Dinas Perpustakaan dan Kearsipan", 2),
    ("Satuan Polisi Pamong Praja", 2),
    ("RSUD dr. Wahidin Sudiro Husodo", 6),
    ("Kecamatan Kranggan", 2),
    ("Kecamatan Magersari", 2),
    ("Kecamatan Prajurit Kulon", 2),
    ("Kelurahan Kranggan", 0.5),
    ("Kelurahan Meri", 0.5),
    ("Kelurahan Miji", 0.5),
    ("Kelurahan Jagalan", 0.5),
    ("Kelurahan Sentanan", 0.5),
    ("Kelurahan Purwotengah", 0.5),
    ("Kelurahan Gunung Gedangan", 0.5),
    ("Kelurahan Kedundung", 0.5),
    ("Kelurahan Balongsari", 0.5),
    ("Kelurahan Magersari", 0.5),
    ("Kelurahan Gedongan", 0.5),
    ("Kelurahan Wates", 0.5),
    ("Kelurahan Blooto", 0.5),
    ("Kelurahan Kauman", 0.5),
    ("Kelurahan Mentikan", 0.5),
    ("Kelurahan Prajurit Kulon", 0.5),
    ("Kelurahan Pulorejo", 0.5),
    ("Kelurahan Surodinawan", 0.5),
)

_NAME_STEMS = (
    "Layanan",
    "Sistem Informasi",
    "Aplikasi",
    "Gerakan",
    "Klinik",
    "Pojok",
    "Rumah",
    "Kampung",
    "Sekolah",
    "Pusat",
    "Jemput Bola",
    "Mobil",
    "Portal",
    "Dashboard",
    "Sahabat",
)
_NAME_TOPICS = (
    "Perizinan Online",
    "Antrian Digital",
    "Data Terpadu",
    "Pengaduan Warga",
    "UMKM Naik Kelas",
    "Sehat Keluarga",
    "Literasi",
    "Sampah Bernilai",
    "Pangan Lestari",
    "Arsip Digital",
    "Warga Mandiri",
    "Anak Hebat",
    "Lansia Bahagia",
    "Kependudukan Cepat",
    "Pajak Daerah",
    "Aset Tertib",
    "Kinerja ASN",
    "Tanggap Bencana",
    "Lalu Lintas Aman",
    "Kota Cerdas",
)


@dataclass(frozen=True)
class ExampleData:
    """The synthetic example: SPD rows (indicator, level) and wide-form innovations."""

    spd: pd.DataFrame
    innovations: pd.DataFrame


def mojokerto_example(
    methodology: Methodology,
    *,
    n_innovations: int = 176,
    n_rejected: int = 2,
    target_iid: float = 84.46,
    seed: int = 20231,
) -> ExampleData:
    """A synthetic Kota Mojokerto data set that scores ``target_iid`` under ``methodology``.

    Innovations get plausible stages and levels from a seeded generator (each innovation has a
    latent quality; each indicator a typical difficulty). The levels are then nudged, one step at
    a time on randomly chosen accepted innovations, until SPD + maturity / MAX(floor, n) + count
    score rounds to the target. Raises ValueError if the target cannot be met.
    """
    methodology.require_scoring()
    rng = np.random.default_rng(seed)
    spd = _example_spd(methodology, rng)
    spd_total = sum(methodology.indicator(r.indicator).points(r.level) for r in spd.itertuples())

    names = [name for name, _ in MOJOKERTO_OPDS]
    weights = np.array([w for _, w in MOJOKERTO_OPDS], dtype=float)
    # Every OPD gets at least one innovation; the rest follow the weights.
    extra = rng.choice(len(names), size=n_innovations - len(names), p=weights / weights.sum())
    opd_index = np.sort(np.concatenate([np.arange(len(names)), extra]))
    stages = rng.choice(
        ["penerapan", "uji coba", "inisiatif"], size=n_innovations, p=[0.9, 0.07, 0.03]
    )
    status = np.full(n_innovations, STATUS_ACCEPTED, dtype=object)
    status[rng.choice(n_innovations, size=n_rejected, replace=False)] = STATUS_REJECTED

    indicators = methodology.innovation_indicators
    quality = rng.beta(6, 1.6, size=n_innovations)
    ease = np.linspace(1.0, 0.8, len(indicators))[rng.permutation(len(indicators))]
    probability = np.clip(np.outer(quality, ease), 0.02, 0.99)
    levels = rng.binomial(3, probability).astype(np.int8)

    _calibrate(levels, status == STATUS_ACCEPTED, spd_total, methodology, target_iid, rng)

    innovations = pd.DataFrame(
        {
            "innovation_id": [f"MJK-2023-{i + 1:03d}" for i in range(n_innovations)],
            "name": [_innovation_name(rng) for _ in range(n_innovations)],
            "opd": [names[i] for i in opd_index],
            "stage": stages,
            "status": status,
        }
    )
    for j, ind in enumerate(indicators):
        innovations[ind.number] = levels[:, j]
    return ExampleData(spd=spd, innovations=innovations)


def _example_spd(methodology: Methodology, rng: np.random.Generator) -> pd.DataFrame:
    levels = rng.choice([3, 2], size=len(methodology.spd_indicators), p=[0.75, 0.25])
    return pd.DataFrame({"indicator": list(methodology.spd_numbers), "level": levels.astype(int)})


def _innovation_name(rng: np.random.Generator) -> str:
    return f"{rng.choice(_NAME_STEMS)} {rng.choice(_NAME_TOPICS)}"


def _calibrate(levels, accepted, spd_total, methodology, target_iid, rng) -> None:
    """Nudge levels in place until the region's IID rounds to ``target_iid``."""
    n = len(levels)
    weights = methodology.points_table("INOVASI")[:, 1]
    divisor = max(n, methodology.divisor_floor)
    fixed = spd_total + float(count_score(n, methodology))
    target_total = target_iid * methodology.max_total / 100
    wanted_sum = round((target_total - fixed) * divisor)
    rows = np.flatnonzero(accepted)

    def current_sum() -> int:
        return int(round(float((levels[rows] @ weights).sum())))

    for _ in range(100_000):
        gap = wanted_sum - current_sum()
        if gap == 0:
            break
        step = 1 if gap > 0 else -1
        # Prefer indicators whose weight does not overshoot the gap.
        fitting = np.flatnonzero(weights <= abs(gap))
        i = rng.choice(rows)
        j = rng.choice(fitting)
        new = levels[i, j] + step
        if 0 <= new <= 3:
            levels[i, j] = new
    total = fixed + current_sum() / divisor
    achieved = round_published(total / methodology.max_total * 100)
    if abs(achieved - target_iid) > 1e-9:
        raise ValueError(f"could not calibrate to IID {target_iid}: got {achieved}")


def national_levels(
    n_regions: int = 546, per_region: int = 60, n_indicators: int = 20, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A national-scale synthetic input: (levels, region_codes, spd_totals)."""
    rng = np.random.default_rng(seed)
    levels = rng.integers(0, 4, size=(n_regions * per_region, n_indicators), dtype=np.int8)
    region_codes = np.repeat(np.arange(n_regions), per_region)
    spd_totals = rng.uniform(10, 63, size=n_regions)
    return levels, region_codes, spd_totals
