#!/usr/bin/env python3
"""Independent oracle for the Tally data contract (/work/shared/spec/DATA.md).

Written from the contract text alone, not from the Java implementation, so the
two can check each other. Standard library only. Exact arithmetic throughout:
weights are held as whole grams (int) once each cell is rounded half-even to
3 decimals; tolerances and percentages use fractions.Fraction.

Usage:
  tally_oracle.py CASE_DIR [OUT_DIR]
      Reads CASE_DIR/purchase.csv, CASE_DIR/inventory.csv and the optional
      CASE_DIR/options.properties (tolerance-kg, tolerance-pct,
      date-order=day-first|month-first) and writes discrepancies.csv,
      rejected_rows.csv, findings.csv and invoices.csv into OUT_DIR
      (default: print nothing, only check readability).
      Unreadable input: exit status 2 and one message on stderr.
  tally_oracle.py --check CASE_DIR...
      Runs each case and compares with CASE_DIR/expected/*.csv (only the
      files this oracle writes, and only those that exist there); an
      expected/error.txt case passes when the oracle refuses the input.

officers.csv and summary.json are not produced.
"""

import datetime
import os
import re
import sys
from fractions import Fraction

# ---------------------------------------------------------------- constants

WS = " \t\r\n\f\v"  # ASCII white space (Settled points: White space)
WS_RUN = re.compile(r"[ \t\r\n\f\v]+")

DATE = "DATE"
OFFICER = "PURCHASE OFFICER NAME"
INVOICE = "INVOICE NUMBER"
BIRDS = "NUMBER OF BIRDS"

PURCHASE_COLUMNS = [  # (name, required) in the order of the table
    (DATE, True),
    (OFFICER, True),
    (INVOICE, True),
    (BIRDS, True),
    ("PURCHASED CHICKEN WEIGHT", True),
    ("PURCHASED GIZZARD WEIGHT", False),
]
INVENTORY_COLUMNS = [
    (DATE, True),
    (OFFICER, True),
    (INVOICE, False),
    (BIRDS, True),
    ("INVENTORY CHICKEN WEIGHT", True),
    ("INVENTORY GIZZARD WEIGHT", False),
]

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}

MIB = 1024 * 1024

DISCREPANCIES_HEADER = ("date,officer,purchase_birds,inventory_birds,bird_diff,purchase_chicken_kg,"
                        "inventory_chicken_kg,chicken_diff_kg,chicken_diff_pct,purchase_gizzard_kg,"
                        "inventory_gizzard_kg,gizzard_diff_kg,purchase_invoices,status")
REJECTED_HEADER = "tracker,source,row,reason,raw"
FINDINGS_HEADER = ("date,officer,status,check,purchase,inventory,difference,allowed,excess,"
                   "rejected_rows,rejected_at,possible_match")
INVOICES_HEADER = ("date,officer,invoice,purchase_rows,purchase_birds,purchase_chicken_kg,"
                   "purchase_gizzard_kg,inventory_rows,inventory_birds,inventory_chicken_kg,"
                   "inventory_gizzard_kg,bird_diff,chicken_diff_kg,status")

CHECK_ORDER = {"MISSING_INVENTORY": 0, "MISSING_PURCHASE": 0, "BIRDS": 1, "CHICKEN": 2, "GIZZARD": 3}


class Unreadable(Exception):
    """A fault in the file, not in one row: the run fails, no reports."""


# ---------------------------------------------------------------- text helpers

def trim(s):
    return s.strip(WS)


def is_blank(s):
    return trim(s) == ""


def java_order(s):
    """Sort key equal to Java String.compareTo: UTF-16 code units."""
    return s.encode("utf-16-be", "surrogatepass")


# Java Character.toUpperCase / toLowerCase use the simple (1:1) case mapping.
# Python's str.upper/lower use the full mapping; where that yields more than
# one code point the simple mapping is (nearly always) the identity. The few
# exceptions that matter are listed here.
_SIMPLE_LOWER = {"\u0130": "i"}
_SIMPLE_UPPER = {}
for _base in (0x1F80, 0x1F90, 0x1FA0):  # Greek with ypogegrammeni
    for _i in range(8):
        _SIMPLE_UPPER[chr(_base + _i)] = chr(_base + 8 + _i)
        _SIMPLE_UPPER[chr(_base + 8 + _i)] = chr(_base + 8 + _i)
        _SIMPLE_LOWER[chr(_base + 8 + _i)] = chr(_base + _i)
for _lo, _up in ((0x1FB3, 0x1FBC), (0x1FC3, 0x1FCC), (0x1FF3, 0x1FFC)):
    _SIMPLE_UPPER[chr(_lo)] = chr(_up)
    _SIMPLE_UPPER[chr(_up)] = chr(_up)
    _SIMPLE_LOWER[chr(_up)] = chr(_lo)


def upper_cp(c):
    if c in _SIMPLE_UPPER:
        return _SIMPLE_UPPER[c]
    u = c.upper()
    return u if len(u) == 1 else c


def lower_cp(c):
    if c in _SIMPLE_LOWER:
        return _SIMPLE_LOWER[c]
    l = c.lower()
    return l if len(l) == 1 else c


def title_officer(raw):
    """Trim, collapse inner white space to one space, title-case each word per code point."""
    words = [w for w in WS_RUN.split(trim(raw)) if w]
    return " ".join(upper_cp(w[0]) + "".join(lower_cp(c) for c in w[1:]) for w in words)


def column_key(name):
    return " ".join(w for w in WS_RUN.split(trim(name)) if w).lower()


NUMBER_TEXT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def escape(cell):
    """Formula escape (Settled points)."""
    if cell and cell[0] in "=+-@\t\r" and not NUMBER_TEXT.fullmatch(cell):
        return "'" + cell
    return cell


def csv_cell(cell):
    cell = escape(cell)
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_text(header, rows):
    out = [header + "\n"]
    for r in rows:
        out.append(",".join(csv_cell(c) for c in r) + "\n")
    return "".join(out)


# ---------------------------------------------------------------- numbers

def fmt_grams(g):
    """Whole grams as kg with exactly 3 decimals."""
    sign = "-" if g < 0 else ""
    g = abs(g)
    return "%s%d.%03d" % (sign, g // 1000, g % 1000)


def fmt_pct(diff_g, purchase_g):
    if purchase_g == 0:
        return ""
    hundredths = round(Fraction(diff_g * 10000, purchase_g))  # Fraction rounds half-even
    sign = "-" if hundredths < 0 else ""
    h = abs(hundredths)
    return "%s%d.%02d" % (sign, h // 100, h % 100)


NUMBER_RE = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)"
    r"(?:\.(?P<frac>[0-9]*))?"
    r"(?:[ \t\r\n\f\v]*[kK][gG])?")


def parse_number(text):
    """Returns ('ok', Fraction) | ('bad', None) | ('negative', None). text is already trimmed."""
    m = NUMBER_RE.fullmatch(text)
    if not m:
        return "bad", None
    int_part = m.group("int").replace(",", "")
    frac = m.group("frac")
    if int_part == "" and not frac:
        return "bad", None  # no digit at all ('', '.', 'kg', '-')
    if len(int_part) > 15:
        return "bad", None
    value = Fraction(int(int_part or "0"))
    if frac:
        value += Fraction(int(frac), 10 ** len(frac))
    if m.group("sign") == "-":
        value = -value
    if value < 0:
        return "negative", None
    return "ok", value


def to_grams(value):
    return round(value * 1000)  # half-even, exact


# ---------------------------------------------------------------- dates

def parse_date(text, month_first):
    """text trimmed; returns 'yyyy-MM-dd' or None."""
    y = m = d = None
    r = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if r:
        y, m, d = int(r.group(1)), int(r.group(2)), int(r.group(3))
    if y is None:
        r = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", text)
        if r:
            a, b, y = int(r.group(1)), int(r.group(2)), int(r.group(3))
            m, d = (a, b) if month_first else (b, a)
    if y is None:
        r = re.fullmatch(r"([0-9]{1,2})(?:-([A-Za-z]{3})-| ([A-Za-z]{3}) )([0-9]{4})", text)
        if r:
            mon = (r.group(2) or r.group(3)).lower()
            if mon not in MONTHS:
                return None
            d, m, y = int(r.group(1)), MONTHS[mon], int(r.group(4))
    if y is None:
        r = re.fullmatch(r"([A-Za-z]{3}) ([0-9]{1,2}), ([0-9]{4})", text)
        if r:
            mon = r.group(1).lower()
            if mon not in MONTHS:
                return None
            m, d, y = MONTHS[mon], int(r.group(2)), int(r.group(3))
    if y is None:
        r = re.fullmatch(r"[0-9]+", text)
        if r:
            n = int(text)
            if 1 <= n <= 99999:
                return (datetime.date(1899, 12, 30) + datetime.timedelta(days=n)).isoformat()
        return None
    if y < 1:
        return None
    try:
        return datetime.date(y, m, d).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------- CSV records

def read_records(path, name):
    """Returns a list of records (lists of cells); record i+1 is sheet row i+1."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        row = data[:e.start].count(b"\n") + 1  # approximate: lines, not records
        raise Unreadable("%s row %d: the bytes are not valid UTF-8" % (name, row))
    records = []
    cells = []
    cell = []
    state = "start"  # start | unquoted | quoted | closed
    quote_row = 0
    record_started = False
    record_chars = 0
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if state == "quoted":
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    cell.append('"')
                    i += 2
                    record_chars += 2
                    continue
                state = "closed"
            else:
                cell.append(c)
            i += 1
            record_chars += 1
            continue
        if c == "\n" or (c == "\r" and i + 1 < n and text[i + 1] == "\n"):
            cells.append("".join(cell))
            records.append(cells)
            cells, cell, state, record_started, record_chars = [], [], "start", False, 0
            i += 2 if c == "\r" else 1
            continue
        record_started = True
        record_chars += 1
        if record_chars > MIB:
            raise Unreadable("%s row %d: the record is longer than 1 MiB" % (name, len(records) + 1))
        if c == ",":
            cells.append("".join(cell))
            cell, state = [], "start"
        elif c == '"' and state == "start":
            state = "quoted"
            quote_row = len(records) + 1
            record_started = True
        else:
            cell.append(c)
            state = "unquoted" if state == "start" else state
        i += 1
    if state == "quoted":
        raise Unreadable("%s row %d: a quoted field opens on this row and is never closed" % (name, quote_row))
    if record_started or cell or cells:
        cells.append("".join(cell))
        records.append(cells)
    return records


# ---------------------------------------------------------------- one tracker

class Tracker:
    def __init__(self, kind, name):
        self.kind = kind  # 'purchase' | 'inventory'
        self.name = name  # file base name
        self.has_gizzard = False
        self.has_invoice = False
        self.accepted = []  # dicts: date, officer, invoice, birds, chicken, gizzard
        self.rejected = []  # dicts: row, reason, raw, key (date, officer) or None


def read_tracker(path, kind, month_first):
    name = os.path.basename(path)
    columns = PURCHASE_COLUMNS if kind == "purchase" else INVENTORY_COLUMNS
    records = read_records(path, name)
    required = [c for c, req in columns if req]
    wanted = {column_key(c): c for c, _ in columns}

    header_index = None
    for idx, rec in enumerate(records[:10]):
        found = {column_key(x) for x in rec}
        if all(column_key(c) in found for c in required):
            header_index = idx
            break
    if header_index is None:
        raise Unreadable("%s: no header row within the first 10 rows" % name)
    header = records[header_index]
    positions = {}
    for pos, h in enumerate(header):
        k = column_key(h)
        if k in wanted:
            canon = wanted[k]
            if canon in positions:
                raise Unreadable("%s row %d: column %s appears twice in the header, in columns %d and %d"
                                 % (name, header_index + 1, canon, positions[canon] + 1, pos + 1))
            positions[canon] = pos

    t = Tracker(kind, name)
    chicken_col = columns[4][0]
    gizzard_col = columns[5][0]
    t.has_gizzard = gizzard_col in positions
    t.has_invoice = INVOICE in positions

    for idx in range(header_index + 1, len(records)):
        rec = records[idx]
        row = idx + 1
        if all(is_blank(x) for x in rec):
            continue

        def cell(col):
            p = positions.get(col)
            if p is None or p >= len(rec):
                return ""
            return trim(rec[p])

        reason = None
        date_text = cell(DATE)
        date = parse_date(date_text, month_first) if date_text else None
        officer_text = cell(OFFICER)
        officer = title_officer(officer_text) if officer_text else None
        if not date_text:
            reason = "MISSING: " + DATE
        elif date is None:
            reason = "BAD_DATE: " + date_text
        elif not officer_text:
            reason = "MISSING: " + OFFICER
        invoice = cell(INVOICE)
        if reason is None and kind == "purchase" and not invoice:
            reason = "MISSING: " + INVOICE
        values = {}
        if reason is None:
            for col, req, whole in ((BIRDS, True, True), (chicken_col, True, False), (gizzard_col, False, False)):
                text = cell(col)
                if not text:
                    if req:
                        reason = "MISSING: " + col
                        break
                    values[col] = 0
                    continue
                status, value = parse_number(text)
                if status == "bad":
                    reason = "BAD_NUMBER: %s=%s" % (col, text)
                    break
                if status == "negative":
                    reason = "NEGATIVE: " + col
                    break
                if whole:
                    if value.denominator != 1:
                        reason = "BAD_NUMBER: %s=%s" % (col, text)
                        break
                    values[col] = int(value)
                else:
                    values[col] = to_grams(value)
        if reason is not None:
            key = (date, officer) if (date is not None and officer) else None
            t.rejected.append({"row": row, "reason": reason, "raw": "|".join(rec), "key": key})
            continue
        t.accepted.append({
            "date": date,
            "officer": officer,
            "invoice": invoice,
            "birds": values[BIRDS],
            "chicken": values[chicken_col],
            "gizzard": values[gizzard_col],
        })
    return t


# ---------------------------------------------------------------- reconciliation

class Side:
    __slots__ = ("rows", "birds", "chicken", "gizzard", "invoices")

    def __init__(self):
        self.rows = 0
        self.birds = 0
        self.chicken = 0
        self.gizzard = 0
        self.invoices = set()

    def add(self, r):
        self.rows += 1
        self.birds += r["birds"]
        self.chicken += r["chicken"]
        self.gizzard += r["gizzard"]
        self.invoices.add(r["invoice"])


def tolerance_grams(purchase_g, tol_kg, tol_pct):
    """The tolerance for a weight, exact, in grams."""
    return max(tol_kg * 1000, tol_pct / 100 * purchase_g)


def over(diff_g, purchase_g, tol_kg, tol_pct):
    return abs(diff_g) > tolerance_grams(purchase_g, tol_kg, tol_pct)


def osa(a, b):
    """Optimal string alignment distance in code points."""
    la, lb = len(a), len(b)
    d = [[0] * (lb + 1) for _ in range(la + 1)]
    for i in range(la + 1):
        d[i][0] = i
    for j in range(lb + 1):
        d[0][j] = j
    for i in range(1, la + 1):
        for j in range(1, lb + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[la][lb]


def reconcile(case_dir):
    opts = read_options(os.path.join(case_dir, "options.properties"))
    tol_kg = Fraction(opts.get("tolerance-kg", "0.5"))
    tol_pct = Fraction(opts.get("tolerance-pct", "2.0"))
    order = opts.get("date-order", "day-first")
    if order not in ("day-first", "month-first"):
        raise SystemExit("bad date-order " + order)
    month_first = order == "month-first"

    pur = read_tracker(os.path.join(case_dir, "purchase.csv"), "purchase", month_first)
    inv = read_tracker(os.path.join(case_dir, "inventory.csv"), "inventory", month_first)
    gizzard_compared = pur.has_gizzard and inv.has_gizzard

    # per key, per side; per key, per invoice, per side
    keys = {}

    def entry(key):
        if key not in keys:
            keys[key] = {"p": Side(), "i": Side(), "inv": {}}
        return keys[key]

    for r in pur.accepted:
        e = entry((r["date"], r["officer"]))
        e["p"].add(r)
        e["inv"].setdefault(r["invoice"], {"p": Side(), "i": Side()})["p"].add(r)
    for r in inv.accepted:
        e = entry((r["date"], r["officer"]))
        e["i"].add(r)
        e["inv"].setdefault(r["invoice"], {"p": Side(), "i": Side()})["i"].add(r)

    def gz(side_present, value):
        return fmt_grams(value) if side_present else ""

    sorted_keys = sorted(keys, key=lambda k: (k[0], java_order(k[1])))
    results = {}
    disc_rows = []
    for key in sorted_keys:
        e = keys[key]
        p, i = e["p"], e["i"]
        bird_diff = p.birds - i.birds
        chicken_diff = p.chicken - i.chicken
        gizzard_diff = p.gizzard - i.gizzard
        failed = []
        if p.rows and not i.rows:
            status = "MISSING_INVENTORY"
        elif i.rows and not p.rows:
            status = "MISSING_PURCHASE"
        else:
            if bird_diff != 0:
                failed.append("BIRDS")
            if over(chicken_diff, p.chicken, tol_kg, tol_pct):
                failed.append("CHICKEN")
            if gizzard_compared and over(gizzard_diff, p.gizzard, tol_kg, tol_pct):
                failed.append("GIZZARD")
            status = "DISCREPANCY" if failed else "OK"
        results[key] = (status, failed)
        disc_rows.append([
            key[0], key[1], str(p.birds), str(i.birds), str(bird_diff),
            fmt_grams(p.chicken), fmt_grams(i.chicken), fmt_grams(chicken_diff),
            fmt_pct(chicken_diff, p.chicken),
            gz(pur.has_gizzard, p.gizzard), gz(inv.has_gizzard, i.gizzard),
            fmt_grams(gizzard_diff) if gizzard_compared else "",
            str(len(p.invoices)) if p.rows else "0",
            status,
        ])

    # rejected_rows.csv order: inventory before purchase, then source, then row
    rejected = []
    for t in sorted((pur, inv), key=lambda t: (t.kind != "inventory", java_order(t.name))):
        for r in sorted(t.rejected, key=lambda r: r["row"]):
            rejected.append((t, r))
    rej_rows = [[t.kind, t.name, str(r["row"]), r["reason"], r["raw"]] for t, r in rejected]

    rejected_by_key = {}
    for t, r in rejected:
        if r["key"] is not None:
            rejected_by_key.setdefault(r["key"], []).append("%s:%d" % (t.kind, r["row"]))

    # findings.csv
    missing = {"MISSING_INVENTORY": [], "MISSING_PURCHASE": []}
    for key in sorted_keys:
        st = results[key][0]
        if st in missing:
            missing[st].append(key)
    finding_rows = []
    for key in sorted_keys:
        status, failed = results[key]
        if status == "OK":
            continue
        e = keys[key]
        p, i = e["p"], e["i"]
        chicken_diff = p.chicken - i.chicken
        rej = rejected_by_key.get(key, [])
        rej_count = str(len(rej))
        rej_at = " ".join(rej[:5])
        sort_base = (-abs(chicken_diff), key[0], java_order(key[1]))
        if status in missing:
            other = "MISSING_PURCHASE" if status == "MISSING_INVENTORY" else "MISSING_INVENTORY"
            best = None
            for okey in missing[other]:
                if okey[0] != key[0]:
                    continue
                dist = osa(key[1], okey[1])
                if dist in (1, 2):
                    cand = (dist, java_order(okey[1]), okey[1])
                    if best is None or cand[:2] < best[:2]:
                        best = cand
            finding_rows.append((sort_base + (0,), [
                key[0], key[1], status, status,
                fmt_grams(p.chicken), fmt_grams(i.chicken), fmt_grams(chicken_diff),
                "", "", rej_count, rej_at, best[2] if best else "",
            ]))
            continue
        for check in failed:
            if check == "BIRDS":
                diff = p.birds - i.birds
                cells = [str(p.birds), str(i.birds), str(diff), "0", str(abs(diff))]
            else:
                pg, ig = (p.chicken, i.chicken) if check == "CHICKEN" else (p.gizzard, i.gizzard)
                diff = pg - ig
                allowed = int(tolerance_grams(pg, tol_kg, tol_pct))  # floor: tolerance >= 0
                cells = [fmt_grams(pg), fmt_grams(ig), fmt_grams(diff), fmt_grams(allowed),
                         fmt_grams(abs(diff) - allowed)]
            finding_rows.append((sort_base + (CHECK_ORDER[check],),
                                 [key[0], key[1], status, check] + cells + [rej_count, rej_at, ""]))
    finding_rows.sort(key=lambda x: x[0])

    # invoices.csv
    invoice_rows = []
    for key in sorted_keys:
        if results[key][0] == "OK":
            continue
        e = keys[key]
        named = sorted((k for k in e["inv"] if k != ""), key=java_order)
        ordered = named + ([""] if "" in e["inv"] else [])
        for invoice in ordered:
            sides = e["inv"][invoice]
            p, i = sides["p"], sides["i"]
            bird_diff = p.birds - i.birds
            chicken_diff = p.chicken - i.chicken
            if invoice == "":
                status = "UNMATCHED"
            elif p.rows and not i.rows:
                status = "NOT_RECEIVED"
            elif i.rows and not p.rows:
                status = "NOT_PURCHASED"
            else:
                different = (bird_diff != 0
                             or over(chicken_diff, p.chicken, tol_kg, tol_pct)
                             or (gizzard_compared and over(p.gizzard - i.gizzard, p.gizzard, tol_kg, tol_pct)))
                status = "DIFFERENT" if different else "MATCHED"
            invoice_rows.append([
                key[0], key[1], invoice,
                str(p.rows), str(p.birds), fmt_grams(p.chicken), gz(pur.has_gizzard, p.gizzard),
                str(i.rows), str(i.birds), fmt_grams(i.chicken), gz(inv.has_gizzard, i.gizzard),
                str(bird_diff), fmt_grams(chicken_diff), status,
            ])

    return {
        "discrepancies.csv": csv_text(DISCREPANCIES_HEADER, disc_rows),
        "rejected_rows.csv": csv_text(REJECTED_HEADER, rej_rows),
        "findings.csv": csv_text(FINDINGS_HEADER, [r for _, r in finding_rows]),
        "invoices.csv": csv_text(INVOICES_HEADER, invoice_rows),
    }


def read_options(path):
    opts = {}
    if not os.path.exists(path):
        return opts
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#!":
                continue
            m = re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)", line)
            if m:
                opts[m.group(1)] = m.group(2).strip()
    return opts


# ---------------------------------------------------------------- main

def write_reports(reports, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, text in reports.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)


def check(case_dirs):
    failures = 0
    for case in case_dirs:
        name = os.path.basename(os.path.normpath(case))
        expected = os.path.join(case, "expected")
        try:
            reports = reconcile(case)
        except Unreadable as e:
            if os.path.exists(os.path.join(expected, "error.txt")):
                print("ok    %s (refused: %s)" % (name, e))
            else:
                print("FAIL  %s: refused: %s" % (name, e))
                failures += 1
            continue
        if os.path.exists(os.path.join(expected, "error.txt")):
            print("FAIL  %s: expected an error, got reports" % name)
            failures += 1
            continue
        compared, bad = [], []
        for file, text in reports.items():
            want = os.path.join(expected, file)
            if not os.path.exists(want):
                continue
            with open(want, encoding="utf-8", newline="") as f:
                compared.append(file)
                if f.read() != text:
                    bad.append(file)
        if bad:
            failures += 1
            print("FAIL  %s: %s differ" % (name, ", ".join(bad)))
        else:
            print("ok    %s (%s)" % (name, ", ".join(compared)))
    return 1 if failures else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "--check":
        return check(argv[2:])
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 64
    try:
        reports = reconcile(argv[1])
    except Unreadable as e:
        print(str(e), file=sys.stderr)
        return 2
    if len(argv) == 3:
        write_reports(reports, argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
