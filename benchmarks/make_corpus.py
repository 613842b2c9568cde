"""Generate a deterministic synthetic log corpus for the speed benchmarks.

Mixes nginx access lines and application lines (plain, logfmt, JSON) with about one
personal-data item per three lines, plus distractors that look like personal data but
are not: timestamps, trace ids, UUIDs, order ids, version strings, 16-digit non-Luhn numbers.
"""
from __future__ import annotations

import argparse
import json
import random
import uuid
from collections import Counter
from pathlib import Path


def _luhn_complete(prefix: str) -> str:
    digits = [int(d) for d in prefix]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)


def _cn_id(rng: random.Random) -> str:
    body = f"{rng.choice(['110101', '310104', '440305', '510107'])}{rng.randint(1960, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(a) * b for a, b in zip(body, weights)) % 11]
    return body + check


def _pii(rng: random.Random) -> tuple[str, str]:
    kind = rng.randrange(8)
    if kind == 0:
        return "email", f"{rng.choice(['alice', 'bob.smith', 'wei.zhang', 'o.mueller'])}{rng.randint(1, 9999)}@{rng.choice(['example.com', 'mail.cn', 'corp.example.org'])}"
    if kind == 1:
        return "phone", f"+86 1{rng.choice('3578')}{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    if kind == 2:
        return "imei", _luhn_complete(f"35{rng.randint(10**11, 10**12 - 1)}")
    if kind == 3:
        return "id_no", _cn_id(rng)
    if kind == 4:
        return "card", _luhn_complete(f"4{rng.randint(10**13, 10**14 - 1)}")
    if kind == 5:
        return "client_ip", f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind == 6:
        return "mobile", f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}"
    return "mac", ":".join(f"{rng.randrange(256):02x}" for _ in range(6))


def _distractor(rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return f"trace_id={uuid.UUID(int=rng.getrandbits(128)).hex}"
    if kind == 1:
        return f"request_id={uuid.UUID(int=rng.getrandbits(128))}"
    if kind == 2:
        return f"order_id={rng.randint(10**15, 10**16 - 1)}"
    if kind == 3:
        return f"version={rng.randint(1, 12)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 99)}"
    return f"elapsed_ms={rng.randint(1, 99999)}"


# The planted kinds as the catalog's category ids, for counting found against planted.
CATEGORIES = {"email": "email", "phone": "phone", "mobile": "phone", "imei": "imei", "id_no": "cn_id_card",
              "card": "credit_card", "client_ip": "ip_address", "mac": "mac_address"}


def _line(rng: random.Random, n: int, planted: Counter | None = None) -> str:
    ts = f"2026-11-{rng.randint(1, 23):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}Z"
    with_pii = rng.random() < 0.34
    style = rng.randrange(3)
    if style == 0:
        ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        path = rng.choice(["/api/v1/orders", "/static/app.js", "/login", "/api/v2/users/me"])
        _count(planted, "client_ip")  # the access line's own client address is personal data too
        if with_pii:
            key, value = _pii(rng)
            path += f"?{key}={value.replace(' ', '%20')}"
            _count(planted, key)
        return f'{ip} - - [{ts}] "GET {path} HTTP/1.1" 200 {rng.randint(100, 90000)} "-" "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.{rng.randint(1000, 9999)}.{rng.randint(10, 199)}"'
    if style == 1:
        parts = [f"ts={ts}", f"level={rng.choice(['info', 'warn', 'debug'])}", f"msg=\"{rng.choice(['request done', 'cache miss', 'user updated'])}\"", _distractor(rng)]
        if with_pii:
            key, value = _pii(rng)
            _count(planted, key)
            parts.append(f'{key}="{value}"' if " " in value else f"{key}={value}")
        parts.append(_distractor(rng))
        return " ".join(parts)
    record: dict = {"ts": ts, "level": "info", "event": rng.choice(["login", "checkout", "sync"]), "seq": n}
    record.update(dict([_distractor(rng).split("=", 1)]))
    if with_pii:
        key, value = _pii(rng)
        _count(planted, key)
        record["user"] = {key: value}
    return json.dumps(record)


def _count(planted: Counter | None, kind: str) -> None:
    if planted is not None:
        planted[CATEGORIES[kind]] += 1


def generate(path: Path, size_mb: float, seed: int = 20261124, planted: Counter | None = None) -> Path:
    """Write the corpus; ``planted`` (when given) counts the personal values written, by category id."""
    rng = random.Random(seed)
    limit = int(size_mb * 1024 * 1024)
    written = 0
    n = 0
    with path.open("w", encoding="utf-8") as out:
        while written < limit:
            line = _line(rng, n, planted) + "\n"
            out.write(line)
            written += len(line)
            n += 1
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--size-mb", type=float, default=20)
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    generate(args.output, args.size_mb, args.seed)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
