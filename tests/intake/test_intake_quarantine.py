"""Rejected files go to quarantine/ with a .fel.txt; accepted ones to archive/ by SHA-256."""

from __future__ import annotations

import pytest

from pipelines.lib.intake.problems import Problem
from pipelines.lib.intake.quarantine import archive, fel_path, quarantine, sha256_file

ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def test_quarantine_moves_the_file_and_writes_fel_txt(tmp_path, inbox):
    bad = inbox / "utfall_2026-10.csv"
    bad.write_bytes(b"period;belopp\n202610;12,3,4\n")
    problems = [
        Problem(bad.name, "Beloppet går inte att tolka som ett tal", 2, "belopp", "12,3,4"),
        Problem(bad.name, "Obligatorisk kolumn saknas: konto", column="konto"),
    ]
    moved = quarantine(bad, problems, tmp_path / "quarantine")

    assert moved == tmp_path / "quarantine" / "utfall_2026-10.csv"
    assert not bad.exists()
    assert moved.read_bytes() == b"period;belopp\n202610;12,3,4\n"
    fel = tmp_path / "quarantine" / "utfall_2026-10.csv.fel.txt"
    assert fel_path(moved) == fel
    text = fel.read_bytes().decode("utf-8")
    assert text.startswith("Filen utfall_2026-10.csv har inte lästs in.")
    assert "Rad 2, kolumn belopp, värde '12,3,4': Beloppet går inte att tolka som ett tal." in text
    assert "Kolumn konto: Obligatorisk kolumn saknas: konto." in text
    assert "rätta filen och lägg den i inkorgen igen" in text


def test_a_second_bad_file_of_the_same_name_gets_a_timestamp(tmp_path, inbox):
    quarantine_dir = tmp_path / "quarantine"
    first = inbox / "budget_2027.csv"
    first.write_text("första", encoding="utf-8")
    quarantine(first, [Problem(first.name, "Fel ett")], quarantine_dir)
    second = inbox / "budget_2027.csv"
    second.write_text("andra", encoding="utf-8")
    moved = quarantine(second, [Problem(second.name, "Fel två")], quarantine_dir)

    assert moved.name != "budget_2027.csv"
    assert moved.name.startswith("budget_2027_") and moved.suffix == ".csv"
    assert (quarantine_dir / "budget_2027.csv").read_text(encoding="utf-8") == "första"
    assert moved.read_text(encoding="utf-8") == "andra"
    assert "Fel ett." in (quarantine_dir / "budget_2027.csv.fel.txt").read_text(encoding="utf-8")
    assert "Fel två." in fel_path(moved).read_text(encoding="utf-8")
    assert sorted(p.name for p in quarantine_dir.iterdir() if p.name.endswith(".fel.txt")) == (
        sorted(["budget_2027.csv.fel.txt", moved.name + ".fel.txt"])
    )


def test_sha256_file(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"abc")
    assert sha256_file(path) == ABC_SHA256  # a published digest, not recomputed here


def test_archive_names_by_sha256_and_keeps_the_original(tmp_path, inbox):
    good = inbox / "utfall_2026-10.CSV"
    good.write_bytes(b"abc")
    digest, archived = archive(good, tmp_path / "archive")
    assert digest == ABC_SHA256
    assert archived == tmp_path / "archive" / f"{ABC_SHA256}.CSV"
    assert archived.read_bytes() == b"abc"
    assert good.read_bytes() == b"abc"  # archive copies; the caller decides about the inbox


def test_archive_is_idempotent(tmp_path, inbox):
    archive_dir = tmp_path / "archive"
    first = inbox / "budget_a.csv"
    first.write_bytes(b"abc")
    digest, archived = archive(first, archive_dir)
    stat = archived.stat()
    same_content = inbox / "budget_b.csv"
    same_content.write_bytes(b"abc")

    assert archive(first, archive_dir) == (digest, archived)
    assert archive(same_content, archive_dir) == (digest, archived)
    assert archived.stat().st_mtime_ns == stat.st_mtime_ns  # not rewritten
    assert [p.name for p in archive_dir.iterdir()] == [f"{ABC_SHA256}.csv"]
