#!/usr/bin/env python3
"""Generate pdscan's sample data set: a small shop app's database, logs and exports.

Every person in it is FAKE: names, e-mail addresses (reserved example.* domains only), phone
numbers, ID numbers, cards, devices and addresses are drawn from ``random.Random(SEED)``; numbers
carry valid check digits (python-stdnum) and phones are valid for their plan (phonenumbers) so that
a scanner has to *validate* rather than just match a shape.

Run from anywhere: ``python sample_data/generate.py``. It writes next to itself and overwrites
its outputs, so running it twice gives byte-identical files (with the same SQLite library).
Only the standard library, python-stdnum and phonenumbers are used.

The data is anchored at ``ANCHOR`` (2026-11-20), not at the time of the run, so the files never
change; dates reach four years back from it so retention rules (e.g. "3 years") fire on the old
orders and the old rotated access log.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import sqlite3
import string
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import phonenumbers
from stdnum import ean, luhn
from stdnum import imei as stdnum_imei
from stdnum import meid as stdnum_meid
from stdnum.cn import ric

HERE = Path(__file__).resolve().parent
SEED = 20261120
CST = timezone(timedelta(hours=8))
ANCHOR = datetime(2026, 11, 20, 18, 0, 0, tzinfo=CST)  # "now" of the data set

rng = random.Random(SEED)

# --------------------------------------------------------------------------------------------
# Reference tables (all public, generic facts: area codes, city centres, postcode formats)
# --------------------------------------------------------------------------------------------

# (GB/T 2260 area code, city, English city, address prefix, postcode, centre (lat, lng), streets)
CN_PLACES = [
    ("110105", "北京", "Beijing", "北京市朝阳区", "100020", (39.9219, 116.4436), ["建国路", "朝阳北路", "望京街"]),
    ("110108", "北京", "Beijing", "北京市海淀区", "100080", (39.9593, 116.2982), ["中关村大街", "学院路"]),
    ("310104", "上海", "Shanghai", "上海市徐汇区", "200030", (31.1885, 121.4365), ["漕溪北路", "肇嘉浜路"]),
    ("440305", "深圳", "Shenzhen", "广东省深圳市南山区", "518057", (22.5333, 113.9305), ["科技园南路", "深南大道"]),
    ("440106", "广州", "Guangzhou", "广东省广州市天河区", "510620", (23.1246, 113.3612), ["天河路", "体育西路"]),
    ("330106", "杭州", "Hangzhou", "浙江省杭州市西湖区", "310013", (30.2741, 120.1551), ["文三路", "天目山路"]),
    ("510107", "成都", "Chengdu", "四川省成都市武侯区", "610041", (30.6425, 104.0434), ["人民南路四段", "天府大道北段"]),
    ("420111", "武汉", "Wuhan", "湖北省武汉市洪山区", "430074", (30.5052, 114.4069), ["珞喻路", "光谷大道"]),
    ("320106", "南京", "Nanjing", "江苏省南京市鼓楼区", "210008", (32.0663, 118.7698), ["中山北路", "北京西路"]),
    ("610113", "西安", "Xi'an", "陕西省西安市雁塔区", "710061", (34.2226, 108.9480), ["小寨东路", "长安南路"]),
]
GB_PLACES = [
    ("London", "EC1A 1BB", (51.5201, -0.0979)),
    ("Manchester", "M1 1AE", (53.4794, -2.2453)),
    ("Birmingham", "B33 8TH", (52.4814, -1.8998)),
    ("Croydon", "CR2 6XH", (51.3727, -0.0990)),
    ("Leeds", "LS1 4AP", (53.7965, -1.5478)),
]
GB_STREETS = ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Park Avenue"]
BR_PLACES = [
    ("São Paulo", "01310-100", "Avenida Paulista", "Bela Vista", "SP", (-23.5614, -46.6559)),
    ("Rio de Janeiro", "22041-001", "Rua Barata Ribeiro", "Copacabana", "RJ", (-22.9671, -43.1843)),
]

CN_SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
               ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
               ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
               ("罗", "luo"), ("高", "gao")]
CN_GIVEN_M = [("伟", "wei"), ("磊", "lei"), ("洋", "yang"), ("勇", "yong"), ("军", "jun"), ("杰", "jie"),
              ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("刚", "gang"), ("浩然", "haoran"),
              ("宇轩", "yuxuan"), ("俊杰", "junjie"), ("子豪", "zihao")]
CN_GIVEN_F = [("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("艳", "yan"), ("娟", "juan"),
              ("秀英", "xiuying"), ("霞", "xia"), ("桂英", "guiying"), ("子涵", "zihan"), ("欣怡", "xinyi"),
              ("梓萱", "zixuan"), ("雨桐", "yutong"), ("婷", "ting")]
# Fixed, common names; logins as the service log writes them ("alice" is the brief's example).
GB_PEOPLE = [("Alice", "Taylor", "F", "alice"), ("Oliver", "Smith", "M", "oliver.smith"),
             ("Amelia", "Jones", "F", "amelia.j"), ("George", "Brown", "M", "gbrown"),
             ("Isla", "Wilson", "F", "isla_w"), ("Harry", "Davies", "M", "harry.davies")]
BR_PEOPLE = [("Lucas", "Oliveira", "M", "lucas.oliveira"), ("Ana", "Souza", "F", "ana.souza")]

EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com", "example.com"]
CN_MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                      "155", "156", "157", "158", "159", "176", "177", "180", "181", "183", "185", "186",
                      "187", "188", "189", "198", "199"]

# (brand, TAC prefix, models, OS versions, serial maker, has a CDMA MEID)
DEVICE_KINDS = [
    ("huawei", "86", ["HUAWEI Mate 60 Pro", "HUAWEI P60", "HUAWEI nova 12"],
     ["HarmonyOS 4.2.0.137", "HarmonyOS 4.0.0.120", "HarmonyOS 3.1.0.230"], "huawei", True),
    ("apple", "35", ["iPhone 15 Pro", "iPhone 14", "iPhone 13 mini"],
     ["iOS 17.4.1", "iOS 17.2", "iOS 16.7.5"], "apple", True),
    ("xiaomi", "86", ["Xiaomi 14", "Redmi K70", "Xiaomi 13"],
     ["HyperOS 1.0.8.0", "MIUI 14.0.5.0", "HyperOS 1.0.3.0"], "xiaomi", True),
    ("samsung", "35", ["SM-S9180", "SM-S9110", "SM-A5460"],
     ["Android 14 (One UI 6.1)", "Android 13 (One UI 5.1)"], "samsung", False),
    ("oppo", "86", ["OPPO Find X7", "OPPO Reno11"], ["ColorOS 14.0.1", "ColorOS 13.1"], "oppo", False),
]

MAC_OUIS = ["3c:22:fb", "f0:18:98", "a4:50:46", "48:db:50", "00:e0:4c", "8c:85:90", "dc:a6:32", "50:8f:4c"]

UA_NOW = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 12; HarmonyOS; ALN-AL00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
    "ShopApp/6.1.1.0 (Android 14; Xiaomi 23127PN0CC; MIUI/V14.0.5.0)",
    "ShopApp/6.1.1.0 (iPhone; iOS 17.4.1; Scale/3.00)",
    "ShopApp/6.1.1.0 (HarmonyOS 4.2.0.137; ALN-AL00)",
    "okhttp/4.12.0",
]
UA_OLD = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.107 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; HarmonyOS; NOH-AN00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/92.0.4515.105 HuaweiBrowser/12.1.3.303 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.30(0x18001e31) NetType/4G Language/zh_CN",
    "ShopApp/5.8.2.0 (Android 12; M2102K1C; MIUI/V13.0.4.0)",
]

PRODUCTS = [
    ("Type-C 数据线 1m", 19.9, 45), ("Type-C 数据线 2m", 29.9, 70), ("20W 快充充电器", 59.0, 62),
    ("66W 超级快充充电器", 129.0, 110), ("Wireless Earbuds Pro", 399.0, 52), ("Wireless Earbuds Lite", 199.0, 48),
    ("Phone Case for Mate 60 Pro", 49.0, 38), ("Phone Case for iPhone 15 Pro", 49.0, 36),
    ("Screen Protector (2-pack)", 29.0, 20), ("10000mAh 移动电源", 149.0, 215), ("20000mAh 移动电源", 229.0, 380),
    ("Smart Watch GT 4", 1488.0, 48), ("Smart Band 8", 269.0, 27), ("Bluetooth Speaker Mini", 179.0, 310),
    ("车载支架", 39.9, 120), ("Laptop Stand Aluminium", 159.0, 680), ("USB-C Hub 7-in-1", 239.0, 90),
    ("机械键盘 87键", 349.0, 820), ("Wireless Mouse", 89.0, 75), ("Noise Cancelling Headphones", 899.0, 254),
    ("Tablet 11\" 8+256GB", 2499.0, 480), ("Tablet Keyboard Cover", 499.0, 330), ("Stylus Pen 2", 399.0, 15),
    ("Smart Scale", 129.0, 1550), ("Wi-Fi 6 Router AX3000", 299.0, 460), ("Mesh Wi-Fi (3-pack)", 899.0, 1320),
    ("Action Camera 4K", 1299.0, 128), ("Memory Card 128GB", 89.0, 2), ("HDMI Cable 2m", 25.0, 95),
    ("Desk Lamp LED", 169.0, 760),
]


# --------------------------------------------------------------------------------------------
# Small generators
# --------------------------------------------------------------------------------------------

def digits(n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def alnum(n: int, alphabet: str = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def hexstr(n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def fake_uuid() -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def between(start: datetime, end: datetime) -> datetime:
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randint(0, max(0, seconds)))


def sql_ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def valid_phone(candidate_maker) -> str:
    """Draw E.164 numbers until phonenumbers calls one valid."""
    while True:
        number = candidate_maker()
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def cn_mobile() -> str:
    return valid_phone(lambda: "+86" + rng.choice(CN_MOBILE_PREFIXES) + digits(8))


def gb_mobile() -> str:
    return valid_phone(lambda: "+447" + rng.choice(["400", "700", "800", "900", "911", "958", "984"]) + digits(6))


def gb_drama_landline() -> str:
    # Ofcom's range for TV and radio drama: 020 7946 0000-0999 (valid, never assigned).
    return valid_phone(lambda: "+44207946" + "0" + digits(3))


def br_mobile() -> str:
    return valid_phone(lambda: "+55" + rng.choice(["11", "21"]) + "9" + rng.choice("6789") + digits(7))


def cn_resident_id(area: str, born: date, gender: str) -> str:
    """18 digits: area code, birth date, sequence (odd for men), check digit.

    Some districts were created after 1980 (440106 Tianhe: 1985); stdnum knows when, so a code that
    did not exist in the birth year is replaced by one that did.
    """
    seq = rng.randint(0, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if gender == "M" else [0, 2, 4, 6, 8])
    areas = [area] + [place[0] for place in CN_PLACES if place[0] != area]
    for code in areas:
        body = f"{code}{born:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit
        if ric.is_valid(number):
            return number
    raise AssertionError(f"no valid resident ID for {born}")


def imei_number(tac_prefix: str) -> str:
    body = tac_prefix + digits(12)
    number = body + luhn.calc_check_digit(body)
    assert stdnum_imei.is_valid(number), number
    return number


def meid_hex() -> str:
    body = rng.choice("ABCDEF") + rng.choice("0123456789ABCDEF") + "".join(
        rng.choice("0123456789ABCDEF") for _ in range(12))
    number = body + stdnum_meid.calc_check_digit(body)
    assert stdnum_meid.is_valid(number), number
    return number


def serial_for(maker: str) -> str:
    if maker == "apple":
        return rng.choice(["C02", "F2L", "DNP", "G6T"]) + alnum(9)
    if maker == "huawei":
        return alnum(3, string.ascii_uppercase) + digits(4) + rng.choice("ABCD") + digits(8)
    if maker == "xiaomi":
        return digits(5) + alnum(2, string.ascii_uppercase) + digits(6)
    if maker == "samsung":
        return "R5C" + alnum(8)
    return "GAF4" + digits(8)


def card_number(brand: str) -> str:
    """A Luhn-valid number in the brand's IIN range (random, test-like: not issued to anyone we know of)."""
    if brand == "visa":
        body = "4" + digits(14)
    elif brand == "mastercard":
        body = rng.choice(["51", "52", "53", "54", "55"]) + digits(13)
    elif brand == "unionpay":
        body = "62" + digits(13)
    elif brand == "unionpay19":
        body = "62" + digits(16)
    else:  # amex: 15 digits, Luhn-valid, so it also passes an IMEI check (a deliberate trap)
        body = rng.choice(["34", "37"]) + digits(12)
    number = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(number), number
    return number


def non_luhn_order_id() -> str:
    while True:
        number = "4829" + digits(12)
        if not luhn.is_valid(number):
            return number


def mac_address() -> str:
    return rng.choice(MAC_OUIS) + ":" + ":".join(hexstr(2) for _ in range(3))


# Client address pools: documentation ranges, carrier-grade NAT (what Chinese mobile users show),
# private ranges for internal hops, IPv6 documentation prefix (compressed, full and IPv4-mapped).
def public_ipv4() -> str:
    pool = rng.choice(["203.0.113", "198.51.100", "192.0.2", "cgnat", "cgnat"])
    if pool == "cgnat":
        return f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"{pool}.{rng.randint(1, 254)}"


def private_ipv4() -> str:
    return rng.choice([f"10.0.{rng.randint(0, 9)}.{rng.randint(2, 250)}", f"192.168.1.{rng.randint(2, 250)}",
                       f"172.16.{rng.randint(0, 31)}.{rng.randint(2, 250)}"])


def ipv6() -> str:
    form = rng.random()
    if form < 0.7:
        return f"2001:db8:{rng.randint(1, 0xffff):x}:{rng.randint(0, 0xffff):x}::{rng.randint(1, 0xffff):x}"
    if form < 0.9:
        return "2001:0db8:" + ":".join(f"{rng.randint(0, 0xffff):04x}" for _ in range(6))
    return f"::ffff:203.0.113.{rng.randint(1, 254)}"


def client_ip() -> str:
    return ipv6() if rng.random() < 0.2 else public_ipv4()


# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------

def make_people() -> list[dict]:
    people: list[dict] = []
    used_names: set[str] = set()
    used_emails: set[str] = set()
    used_logins: set[str] = set()

    def unique_email(local: str) -> str:
        while True:
            address = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
            if address not in used_emails:
                used_emails.add(address)
                return address
            local += str(rng.randint(0, 9))

    origin = ANCHOR - timedelta(days=4 * 365 + 120)
    for index in range(40):
        country = "CN" if index < 32 else ("GB" if index < 38 else "BR")
        created = between(origin, ANCHOR - timedelta(days=20))
        born = date(rng.randint(1962, 2005), rng.randint(1, 12), rng.randint(1, 28))
        person: dict = {"country": country, "created": created, "born": born}
        if country == "CN":
            while True:
                gender = rng.choice("MF")
                surname = rng.choice(CN_SURNAMES)
                given = rng.choice(CN_GIVEN_M if gender == "M" else CN_GIVEN_F)
                if surname[0] + given[0] not in used_names:
                    break
            used_names.add(surname[0] + given[0])
            place = rng.choice(CN_PLACES)
            birth_area = rng.choice(CN_PLACES)[0] if rng.random() < 0.4 else place[0]
            sn, gn = surname[1], given[1]
            style = rng.randrange(4)
            local = [f"{gn}.{sn}", f"{sn}{gn}{born:%y}", f"{gn}{sn}_{rng.randint(1, 99)}",
                     f"{sn}.{gn[0]}{rng.randint(10, 999)}"][style]
            login = [f"{sn}.{gn}", f"{sn}_{gn}{rng.randint(1, 99)}", f"{sn}{gn}{born:%Y}"][rng.randrange(3)]
            person.update(
                gender=gender, name=surname[0] + given[0], name_latin=f"{sn.title()} {gn.title()}",
                email=unique_email(local), phone=cn_mobile(), place=place,
                id_number=cn_resident_id(birth_area, born, gender),
                passport=(rng.choice(["E", "E", "G"]) + digits(8)) if rng.random() < 0.45
                else (("E" + rng.choice("ABCDEFGH") + digits(7)) if rng.random() < 0.2 else None),
                wechat=(f"wxid_{alnum(14, string.ascii_lowercase + string.digits)}" if rng.random() < 0.5
                        else f"{sn}_{gn}{rng.randint(1, 999)}") if rng.random() < 0.8 else None,
                qq=(str(rng.randint(1, 9)) + digits(rng.randint(5, 9))) if rng.random() < 0.7 else None,
            )
        elif country == "GB":
            first, last, gender, login = GB_PEOPLE[index - 32]
            place = rng.choice(GB_PLACES)
            person.update(
                gender=gender, name=f"{first} {last}", name_latin=f"{first} {last}",
                email=unique_email(
                    rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randint(1, 99)}"]).lower()),
                phone=gb_drama_landline() if index % 3 == 0 else gb_mobile(), place=place,
                id_number=None, passport=digits(9), wechat=None, qq=None,
            )
        else:
            first, last, gender, login = BR_PEOPLE[index - 38]
            place = BR_PLACES[index - 38]
            person.update(
                gender=gender, name=f"{first} {last}", name_latin=f"{first} {last}",
                email=unique_email(f"{first}.{last}".lower()),
                # +55 11 99876-5555 is the number the brief's WhatsApp examples use
                phone="+5511998765555" if index == 38 else br_mobile(), place=place,
                id_number=None, passport=alnum(2, string.ascii_uppercase) + digits(6), wechat=None, qq=None,
            )
        while login in used_logins:
            login += str(rng.randint(0, 9))
        used_logins.add(login)
        person["login"] = login
        people.append(person)
    # ids in signup order, as an app would assign them
    people.sort(key=lambda p: p["created"])
    for number, person in enumerate(people, start=1001):
        person["id"] = number
    return people


def phone_display(person: dict, style: str) -> str:
    """One person's number written the way a given system writes it."""
    e164 = person["phone"]
    parsed = phonenumbers.parse(e164)
    national = str(parsed.national_number)
    if person["country"] == "CN":
        if style == "db":
            return rng.choice([f"+86 {national[:3]} {national[3:7]} {national[7:]}", e164, national, national])
        if style == "csv":
            return rng.choice([f"{national[:3]}-{national[3:7]}-{national[7:]}",
                               f"{national[:3]} {national[3:7]} {national[7:]}",
                               national, f"+86 {national}"])
        return e164 if rng.random() < 0.7 else national
    if style == "csv":
        formats = phonenumbers.PhoneNumberFormat
        fmt = formats.NATIONAL if rng.random() < 0.5 else formats.INTERNATIONAL
        return phonenumbers.format_number(parsed, fmt)
    if style == "db":
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return e164


def address_of(person: dict) -> tuple[str, str]:
    """(shipping address, postcode) for one order."""
    if person["country"] == "CN":
        _, _, _, prefix, postcode, _, streets = person["place"]
        text = (f"{prefix}{rng.choice(streets)}{rng.randint(1, 399)}号{rng.randint(1, 30)}栋"
                f"{rng.randint(1, 6)}单元{rng.randint(1, 32)}{rng.randint(1, 4):02d}室")
        return text, postcode
    if person["country"] == "GB":
        town, postcode, _ = person["place"]
        flat = f"Flat {rng.randint(1, 12)}, " if rng.random() < 0.3 else ""
        return f"{flat}{rng.randint(1, 240)} {rng.choice(GB_STREETS)}, {town}", postcode
    town, cep, street, district, state, _ = person["place"]
    return f"{street}, {rng.randint(100, 2400)} - apto {rng.randint(11, 182)} - {district}, {town} - {state}", cep


def city_of(person: dict) -> tuple[str, str]:
    place = person["place"]
    if person["country"] == "CN":
        return place[1], place[4]
    return place[0], place[1]


def centre_of(person: dict) -> tuple[float, float]:
    place = person["place"]
    return place[5] if person["country"] == "CN" else (place[2] if person["country"] == "GB" else place[5])


# --------------------------------------------------------------------------------------------
# Database
# --------------------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    full_name   TEXT NOT NULL,
    email       TEXT NOT NULL UNIQUE,
    phone       TEXT,
    id_number   CHAR(18),
    passport_no VARCHAR(9),
    birth_date  DATE,
    gender      CHAR(1),
    created_at  TIMESTAMP NOT NULL
);
CREATE TABLE devices (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    imei          CHAR(15) NOT NULL,
    meid          VARCHAR(15),
    serial_number VARCHAR(20),
    model         TEXT,
    os_version    TEXT,
    last_seen     TIMESTAMP
);
CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    shipping_address TEXT NOT NULL,
    postcode         VARCHAR(10),
    payment_method   VARCHAR(16) NOT NULL,
    card_number      VARCHAR(19),
    amount           DECIMAL(10, 2) NOT NULL,
    currency         CHAR(3) NOT NULL,
    ordered_at       DATETIME NOT NULL
);
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER REFERENCES users(id),
    ip          VARCHAR(45),
    user_agent  TEXT,
    event       VARCHAR(32) NOT NULL,
    happened_at TIMESTAMP NOT NULL,
    payload     JSON
);
CREATE TABLE products (
    id       INTEGER PRIMARY KEY,
    sku      VARCHAR(16) NOT NULL UNIQUE,
    title    TEXT NOT NULL,
    price    DECIMAL(10, 2) NOT NULL,
    weight_g INTEGER NOT NULL,
    ean13    CHAR(13)
);
CREATE INDEX orders_user ON orders(user_id);
CREATE INDEX events_user ON events(user_id, happened_at);
"""


def make_devices(people: list[dict]) -> list[dict]:
    devices = []
    owners = [p for p in people] + rng.sample(people, 8)  # a few people have two phones
    rng.shuffle(owners)
    for number, owner in enumerate(owners, start=1):
        kind = rng.choice(DEVICE_KINDS)
        _, tac, models, versions, maker, cdma = kind
        last_seen = between(ANCHOR - timedelta(days=60), ANCHOR) if rng.random() < 0.8 else \
            between(owner["created"], ANCHOR - timedelta(days=60))
        devices.append({
            "id": number, "user_id": owner["id"], "imei": imei_number(tac),
            "meid": meid_hex() if cdma and rng.random() < 0.7 else None,
            "serial_number": serial_for(maker), "model": rng.choice(models), "os_version": rng.choice(versions),
            "last_seen": sql_ts(last_seen), "owner": owner,
        })
    return devices


def make_orders(people: list[dict]) -> list[dict]:
    three_years_ago = ANCHOR - timedelta(days=3 * 365)
    early = [p for p in people if p["created"] < three_years_ago - timedelta(days=60)]
    orders = []
    for index in range(50):
        if index < 14:  # older than three years: a "keep 3y" retention rule must fire on these
            buyer = rng.choice(early)
            when = between(buyer["created"], three_years_ago - timedelta(days=10))
        else:
            buyer = rng.choice(people)
            when = between(buyer["created"], ANCHOR - timedelta(hours=2))
        address, postcode = address_of(buyer)
        if buyer["country"] == "CN":
            method = rng.choice(["card", "card", "alipay", "wechat_pay"])
            brand = rng.choice(["unionpay", "unionpay", "visa", "mastercard", "unionpay19"])
            currency = "CNY"
        else:
            method, currency = "card", ("GBP" if buyer["country"] == "GB" else "BRL")
            brand = rng.choice(["visa", "mastercard", "amex"])
        card = None
        if method == "card":
            raw = card_number(brand)
            style = rng.random()
            if style < 0.75 or len(raw) != 16:
                card = raw
            elif style < 0.92:
                card = " ".join(raw[i:i + 4] for i in range(0, 16, 4))
            else:
                card = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
        items = rng.sample(range(len(PRODUCTS)), rng.randint(1, 3))
        amount = round(sum(PRODUCTS[i][1] * rng.randint(1, 2) for i in items), 2)
        orders.append({"user_id": buyer["id"], "shipping_address": address, "postcode": postcode,
                       "payment_method": method, "card_number": card, "amount": amount, "currency": currency,
                       "when": when, "items": items, "buyer": buyer})
    # a Visa test-like number and a 15-digit Amex are guaranteed (the Amex also passes an IMEI check)
    gb = [o for o in orders if o["buyer"]["country"] != "CN" and o["payment_method"] == "card"]
    if not any(o["card_number"] and len(o["card_number"]) == 15 for o in orders) and gb:
        gb[0]["card_number"] = card_number("amex")
    orders.sort(key=lambda o: o["when"])
    for number, order in enumerate(orders, start=1):
        order["id"] = number
        order["ordered_at"] = sql_ts(order["when"])
    return orders


def jitter(centre: tuple[float, float]) -> tuple[float, float]:
    return (round(centre[0] + rng.uniform(-0.08, 0.08), 6), round(centre[1] + rng.uniform(-0.08, 0.08), 6))


def make_events(people: list[dict], devices: list[dict]) -> list[dict]:
    events = []
    kinds = ["login", "login", "view_product", "view_product", "add_to_cart", "checkout", "logout",
             "share_whatsapp", "location_update", "device_bind"]
    for _ in range(60):
        person = rng.choice(people)
        kind = rng.choice(kinds)
        when = between(ANCHOR - timedelta(days=120), ANCHOR)
        sku = f"SKU-{100200 + rng.randrange(len(PRODUCTS))}"
        if kind == "login":
            payload = {"method": rng.choice(["password", "sms", "wechat"]),
                       "geo": dict(zip(("lat", "lng"), jitter(centre_of(person)))),
                       "app": {"version": "6.1.1.0", "build": 61100 + rng.randint(0, 99)}}
        elif kind in ("view_product", "add_to_cart"):
            payload = {"sku": sku, "qty": rng.randint(1, 3), "price": PRODUCTS[int(sku[4:]) - 100200][1]}
        elif kind == "checkout":
            payload = {"order_ref": f"SO{when:%Y%m%d}{rng.randint(100, 999)}", "amount": round(rng.uniform(20, 3000), 2),
                       "coupon": rng.choice([None, "NOV2026", "VIP10"])}
        elif kind == "logout":
            payload = {"reason": rng.choice(["user", "timeout"])}
        elif kind == "share_whatsapp":
            if rng.random() < 0.5:
                person = rng.choice([p for p in people if p["country"] != "CN"])
            payload = {"channel": "whatsapp", "whatsapp": person["phone"], "sku": sku}
        elif kind == "location_update":
            payload = {"geo": dict(zip(("lat", "lng"), jitter(centre_of(person))),
                                   accuracy_m=rng.choice([5, 12, 30, 65]))}
        else:
            mine = [d for d in devices if d["user_id"] == person["id"]] or devices[:1]
            device = rng.choice(mine)
            payload = {"device": {"imei": device["imei"], "model": device["model"]}, "push_enabled": rng.random() < 0.7}
        events.append({"user_id": person["id"], "ip": client_ip(),
                       "user_agent": rng.choice(UA_NOW), "event": kind, "when": when,
                       "payload": json.dumps(payload, ensure_ascii=False, separators=(", ", ": "))})
    events.sort(key=lambda e: e["when"])
    for number, event in enumerate(events, start=1):
        event["id"] = number
        event["happened_at"] = event["when"].isoformat(timespec="seconds")
    return events


def write_database(people, devices, orders, events) -> list[str]:
    """Writes app.db; returns the products' EAN-13 codes (the ground truth notes how many pass Luhn)."""
    target = HERE / "app.db"
    temporary = HERE / "app.db.tmp"
    if temporary.exists():
        temporary.unlink()
    connection = sqlite3.connect(temporary)
    connection.executescript(SCHEMA)
    connection.executemany(
        "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(p["id"], p["name"], p["email"], phone_display(p, "db"), p["id_number"], p["passport"],
          p["born"].isoformat(), p["gender"], sql_ts(p["created"])) for p in people])
    connection.executemany(
        "INSERT INTO devices VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(d["id"], d["user_id"], d["imei"], d["meid"], d["serial_number"], d["model"], d["os_version"], d["last_seen"])
         for d in devices])
    connection.executemany(
        "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(o["id"], o["user_id"], o["shipping_address"], o["postcode"], o["payment_method"], o["card_number"],
          o["amount"], o["currency"], o["ordered_at"]) for o in orders])
    connection.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(e["id"], e["user_id"], e["ip"], e["user_agent"], e["event"], e["happened_at"], e["payload"]) for e in events])
    rows = []
    for number, (title, price, weight) in enumerate(PRODUCTS, start=1):
        body = "69" + f"{rng.randint(10, 99)}" + digits(8)
        rows.append((number, f"SKU-{100199 + number}", title, price, weight, body + ean.calc_check_digit(body)))
    connection.executemany("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
    os.replace(temporary, target)
    return [row[5] for row in rows]


# --------------------------------------------------------------------------------------------
# Logs
# --------------------------------------------------------------------------------------------

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def clf_time(moment: datetime) -> str:
    return f"{moment.day:02d}/{MONTHS[moment.month - 1]}/{moment:%Y:%H:%M:%S} +0800"


def access_lines(people: list[dict], start: datetime, end: datetime, count: int, agents: list[str],
                 app_version: str, os_version: str) -> list[str]:
    moments = sorted(between(start, end) for _ in range(count))
    lines = []
    for moment in moments:
        person = rng.choice(people)
        ip, agent = client_ip(), rng.choice(agents)
        referrer = "-"
        roll = rng.random()
        method, status = "GET", 200
        if roll < 0.25:
            path = f"/api/v1/products?page={rng.randint(1, 9)}&size=20&sort=price"
        elif roll < 0.40:
            path = f"/p/SKU-{100200 + rng.randrange(len(PRODUCTS))}"
            referrer = "https://shop.example.com/"
        elif roll < 0.52:
            path = rng.choice(["/static/js/app.3f9c2b7e.js", "/static/css/main.8d1e4a.css", "/favicon.ico",
                               "/static/img/banner-1120x400.webp"])
            status = rng.choice([200, 200, 304])
        elif roll < 0.60:
            method, path = "POST", "/api/v1/login"
            status = rng.choice([200, 200, 401])
        elif roll < 0.70:
            # e-mail in the query string: URL-encoded (%40) or raw
            address = person["email"]
            shown = address.replace("@", "%40") if rng.random() < 0.5 else address
            path = f"/api/v1/users/lookup?email={shown}"
            status = rng.choice([200, 404])
        elif roll < 0.80:
            # phone in the query string: URL-encoded E.164 (%2B) or national
            number = person["phone"]
            shown = number.replace("+", "%2B") if (rng.random() < 0.5 or person["country"] != "CN") else number[3:]
            path = f"/api/v1/sms/send?phone={shown}&scene=login&code_len=6"
        elif roll < 0.88:
            path = f"/api/v1/app/config?ver={app_version}&os={os_version.replace(' ', '%20')}&channel=huawei"
        elif roll < 0.94:
            ip, agent, path = private_ipv4(), "kube-probe/1.28", "/healthz"
        else:
            path = f"/api/v1/orders/{non_luhn_order_id()}"
            status = rng.choice([200, 403])
        size = rng.randint(120, 48000) if status != 304 else 0
        protocol = "HTTP/2.0" if rng.random() < 0.4 else "HTTP/1.1"
        lines.append(f'{ip} - - [{clf_time(moment)}] "{method} {path} {protocol}" {status} {size} '
                     f'"{referrer}" "{agent}"')
    return lines


def stamp(path: Path, moment: datetime) -> None:
    """Give a file the mtime of its newest record, as the app would have left it."""
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def write_text(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def write_gzip(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # mtime=0 and no file name in the header: the same input gives the same bytes
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as stream:
        stream.write(("\n".join(lines) + "\n").encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def app_jsonl(people: list[dict], devices: list[dict]) -> list[str]:
    moments = sorted(between(ANCHOR - timedelta(days=3), ANCHOR) + timedelta(milliseconds=rng.randint(0, 999))
                     for _ in range(120))
    lines = []
    for moment in moments:
        person = rng.choice(people)
        record: dict = {"ts": moment.isoformat(timespec="milliseconds"), "level": "INFO", "event": "",
                        "service": "shop-api", "svc_version": "6.1.1.0",
                        "trace_id": hexstr(32), "span_id": hexstr(16), "request_id": fake_uuid()}
        roll = rng.random()
        if roll < 0.22:
            record["event"] = "user.login"
            record["user"] = {"id": person["id"], "phone": phone_display(person, "log")}
        elif roll < 0.34:
            record["event"] = "sms.sent"
            record["user"] = {"id": person["id"], "phone": phone_display(person, "log")}
            record["template"] = "otp_login"
        elif roll < 0.46:
            record["event"] = "notification.whatsapp.sent"
            if rng.random() < 0.6:  # WhatsApp is little used in mainland China: mostly the UK/BR customers
                person = rng.choice([p for p in people if p["country"] != "CN"])
            record["user"] = {"id": person["id"]}
            digits_only = person["phone"].lstrip("+")
            record["whatsapp"] = rng.choice([f"whatsapp:+{digits_only}", f"{digits_only}@s.whatsapp.net"])
        elif roll < 0.56:
            device = rng.choice([d for d in devices if d["user_id"] == person["id"]] or devices)
            record["event"] = "device.registered"
            record["user"] = {"id": device["user_id"]}
            record["device"] = {"imei": device["imei"], "model": device["model"]}
        elif roll < 0.70:
            record["event"] = "order.created"
            record["user"] = {"id": person["id"]}
            record["order"] = {"id": non_luhn_order_id(), "amount": round(rng.uniform(19, 2999), 2),
                               "items": rng.randint(1, 4)}
        elif roll < 0.78:
            record["event"] = "payment.authorized"
            record["user"] = {"id": person["id"]}
            record["card"] = {"brand": rng.choice(["visa", "mastercard", "unionpay"]), "last4": digits(4)}
        elif roll < 0.90:
            record["event"] = "http.request"
            record["http"] = {"method": "GET", "route": "/api/v1/products", "status": 200}
        else:
            record["level"] = rng.choice(["WARN", "ERROR"])
            record["event"] = rng.choice(["cache.miss", "upstream.timeout", "rate_limited"])
        record["duration_ms"] = rng.randint(1, 900)
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return lines


def service_log(people: list[dict]) -> list[str]:
    moments = sorted(between(ANCHOR - timedelta(days=2), ANCHOR) + timedelta(milliseconds=rng.randint(0, 999))
                     for _ in range(110))
    leak_at = 37  # the one line with a leaked (fake) password
    lines = []
    block = 1073741825
    for index, moment in enumerate(moments):
        person = rng.choice(people)
        ts = moment.isoformat(timespec="milliseconds")
        roll = rng.random()
        if index == leak_at:
            line = (f'{ts} level=debug svc=auth host=api-2 user={person["login"]} ip={private_ipv4()} '
                    f'msg="login request dump" password=Tr0ub4dor-FAKE-42 remember=true')
        elif roll < 0.30:
            outcome = rng.choice(["login ok", "login ok", "login failed: bad credentials"])
            line = (f'{ts} level={"info" if "ok" in outcome else "warn"} svc=auth host=api-{rng.randint(1, 3)} '
                    f'user={person["login"]} ip={private_ipv4()} mac={mac_address()} msg="{outcome}" '
                    f'latency_ms={rng.randint(8, 400)}')
        elif roll < 0.50:
            line = (f'{ts} level=info svc=order host=api-{rng.randint(1, 3)} user={person["login"]} '
                    f'order_id={non_luhn_order_id()} amount={rng.uniform(19, 2999):.2f} currency=CNY '
                    'msg="order placed"')
        elif roll < 0.60:
            national = person["phone"][3:] if person["country"] == "CN" else person["phone"]
            line = (f'{ts} level=info svc=notify host=worker-1 user={person["login"]} template=otp '
                    f'msg="sms sent to {national}" provider=aliyun')
        elif roll < 0.66:
            line = (f'{ts} level=info svc=account host=api-1 user={person["login"]} email={person["email"]} '
                    f'msg="profile updated"')
        elif roll < 0.80:
            block += rng.randint(1, 40)
            line = (f'{ts} level=info svc=hdfs-client host=batch-1 msg="block replicated" '
                    f'block=blk_{block}_{rng.randint(1000, 9999)} bytes=134217728 '
                    f'dn=dn-{rng.randint(1, 12):02d}.internal:9866')
        elif roll < 0.92:
            line = (f'{ts} level=info svc=api host=api-{rng.randint(1, 3)} msg="gc pause" '
                    f'pause_ms={rng.randint(2, 80)} '
                    f'heap_mb={rng.choice([512, 768, 1024])} pid={rng.randint(1000, 65000)} version=6.1.1.0')
        else:
            line = (f'{ts} level=warn svc=api host=api-{rng.randint(1, 3)} msg="slow upstream" upstream=inventory '
                    f'elapsed_ms={rng.randint(900, 5000)} build=6.1.1.0-{hexstr(7)}')
        lines.append(line)
    return lines


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------

def write_customers_csv(people: list[dict]) -> None:
    path = HERE / "exports" / "customers.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["name", "email", "mobile", "city", "postcode", "passport", "wechat_id", "qq", "birthday"])
        for person in people:
            city, postcode = city_of(person)
            if person["country"] == "GB":
                birthday = person["born"].strftime("%d/%m/%Y")
            elif person["country"] == "BR":
                city = f"{city}, {person['place'][4]}"  # "São Paulo, SP": a quoted field
                birthday = person["born"].strftime("%d/%m/%Y")
            else:
                birthday = person["born"].isoformat() if rng.random() < 0.8 else person["born"].strftime("%Y/%m/%d")
            name = person["name"] if person["country"] != "CN" or rng.random() < 0.75 else person["name_latin"]
            writer.writerow([name, person["email"], phone_display(person, "csv"), city, postcode,
                             person["passport"] or "", person["wechat"] or "", person["qq"] or "", birthday])


def write_orders_tsv(orders: list[dict]) -> None:
    path = HERE / "exports" / "orders.tsv"
    recent = orders[-40:]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["order_no", "ordered_at", "sku", "qty", "amount", "currency", "card", "delivery_address",
                         "status"])
        for order in recent:
            card = order["card_number"]
            masked = ("*" * 12 + card.replace(" ", "").replace("-", "")[-4:]) if card else ""
            first = order["items"][0]
            status = "delivered" if order["when"] < ANCHOR - timedelta(days=10) else rng.choice(["paid", "shipped"])
            writer.writerow([f"SO{order['when']:%Y%m%d}{order['id']:06d}", order["ordered_at"], f"SKU-{100200 + first}",
                             len(order["items"]), f"{order['amount']:.2f}", order["currency"], masked,
                             order["shipping_address"], status])


# Conditions a courier was told about: health data, which none of the shop's policies says it collects.
MEDICAL_CONDITIONS = ["wheelchair user", "type 2 diabetes", "visually impaired", "asthma", "hearing impaired",
                      "recovering from hip surgery", "severe peanut allergy", "pregnant, cannot lift parcels"]
INSTRUCTIONS = ["ring twice", "leave with the concierge", "call on arrival", "use the side entrance",
                "carry the parcel upstairs", "do not leave at the door"]


def write_delivery_requests(orders: list[dict]) -> None:
    """Special delivery requests: the planted case of data no policy names (a `medical_condition`
    column). Drawn from a generator of its own, after everything else, so that no other file changes."""
    own = random.Random(SEED + 18)
    path = HERE / "exports" / "delivery_requests.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["request_id", "order_no", "medical_condition", "instructions"])
        for number, order in enumerate(sorted(own.sample(orders[-40:], 12), key=lambda o: o["id"]), start=1):
            writer.writerow([f"DR-{number:04d}", f"SO{order['when']:%Y%m%d}{order['id']:06d}",
                             own.choice(MEDICAL_CONDITIONS), own.choice(INSTRUCTIONS)])


# --------------------------------------------------------------------------------------------
# Ground truth
# --------------------------------------------------------------------------------------------

EXPECTED = """\
# Ground truth for sample_data/: which personal-data categories were planted where.
# Written by generate.py together with the data; do not edit by hand, edit generate.py.
#
# Category ids are the catalog's (`pdscan catalog`). The brief's core list is used wherever it
# fits; four more catalog ids label what the core list has no id for:
#   gender             users.gender
#   device_model       devices.model, $.device.model in JSON
#   os_browser_version user agents, OS versions (devices.os_version), the app version in events.payload
#   payment_method     orders.payment_method ("card", "alipay", "wechat_pay")
#   access_time / purchase_time appear only under `optional` (timestamps of a person's activity).
#
# Keys of each source:
#   container  an SQLite table as `app.db:<table>`, or a file path relative to sample_data/
#              (a rotation set is named by its base file, its files listed under `members`)
#   fields     field -> categories planted in it (must be found). A field is a column, a JSON key
#              path (`$.user.phone` in a JSON-lines file, `payload.$.geo.lat` in a JSON column),
#              a CSV/TSV header, or the key of a `key=value` pair in a log line.
#   text       categories planted in free text outside any key=value pair (must be found somewhere in the container)
#   text_optional, text_never   the same as `optional` and `never`, for free text
#   optional   field -> categories that are defensible either way: reporting them is not an error,
#              missing them is not a miss
#   clean      fields holding no personal data: any category on them is a false positive
#   never      field -> categories that field must NOT be tagged with (traps inside fields that do
#              hold other data, e.g. an OS version shaped like an IPv4 address)
#   absent     categories that must not be reported anywhere in the container
#   rows / lines, oldest  size and oldest record, for retention checks (the data is anchored at 2026-11-20)
version: 1
anchor: "2026-11-20T18:00:00+08:00"
sources:
  - container: app.db:users
    rows: 40
    fields:
      full_name: [person_name]
      email: [email]
      phone: [phone]                 # E.164 with spaces, compact E.164, national CN mobile (13912345678)
      id_number: [cn_id_card]        # 18-digit resident ID, valid check digit and birth date; NULL for non-CN users
      passport_no: [passport]        # CN E/G+8 digits or E+letter+7, UK 9 digits, BR 2 letters+6 digits
      birth_date: [date_of_birth]
      gender: [gender]
    optional:
      id: [user_id]                  # the primary key is the user's id; tagging it is fine, not required
    clean: [created_at]
    never:
      id_number: [credit_card, phone, imei]
      passport_no: [qq_account, phone]
    oldest: "{users_oldest}"         # DB timestamps are naive local time (+08:00)

  - container: app.db:devices
    rows: {devices_rows}
    fields:
      user_id: [user_id]
      imei: [imei]                   # Luhn-valid, TAC 35.../86...
      meid: [meid]                   # 14 hex digits + check digit; NULL for GSM-only phones
      serial_number: [serial_number]
      model: [device_model]
      os_version: [os_browser_version]
    optional:
      last_seen: [access_time]
    clean: [id]
    never:
      imei: [credit_card, phone]     # IMEIs pass Luhn: a card detector must not take them
      meid: [esn]
      os_version: [ip_address]       # "HarmonyOS 4.2.0.137", "MIUI 14.0.5.0", "HyperOS 1.0.8.0"

  - container: app.db:orders
    rows: 50
    fields:
      user_id: [user_id]
      shipping_address: [postal_address]
      postcode: [postcode]
      payment_method: [payment_method]
      card_number: [credit_card]     # Visa/Mastercard/UnionPay(16 and 19 digits)/Amex, plain, spaced or dashed; NULL for alipay/wechat_pay
    optional:
      ordered_at: [purchase_time]
    clean: [id, amount, currency]
    never:
      card_number: [imei, phone]     # the 15-digit Amex numbers also pass an IMEI check
      amount: [phone, postcode]
    oldest: "{orders_oldest}"
    older_than_3y: {orders_old}      # rows with ordered_at before 2023-11-21

  - container: app.db:events
    rows: 60
    fields:
      user_id: [user_id]
      ip: [ip_address]               # IPv4 (documentation ranges, 100.64/10 carrier NAT), IPv6 compressed/full/IPv4-mapped
      user_agent: [os_browser_version]
      payload.$.geo.lat: [gps_location]
      payload.$.geo.lng: [gps_location]
      payload.$.whatsapp: [whatsapp]
      payload.$.device.imei: [imei]
      payload.$.device.model: [device_model]
    optional:
      happened_at: [access_time]
      payload.$.app.version: [os_browser_version]   # the user's app version "6.1.1.0"
    clean: [id, event, payload.$.method, payload.$.app.build, payload.$.sku, payload.$.qty, payload.$.price,
            payload.$.order_ref, payload.$.amount, payload.$.coupon, payload.$.reason, payload.$.channel,
            payload.$.geo.accuracy_m, payload.$.push_enabled]
    never:
      user_agent: [ip_address, phone]   # Chrome/120.0.6099.109, ShopApp/6.1.1.0, MIUI/V14.0.5.0, HMSCore 6.13.0.302
      payload.$.app.version: [ip_address]
      payload.$.device.imei: [credit_card]

  - container: app.db:products       # negative control: a catalogue, nobody's data
    rows: 30
    fields: {{}}
    clean: [id, sku, title, price, weight_g, ean13]
    # title: product names; a bare `title` is a job title only in a record of people (`employees`);
    # ean13: valid EAN-13 barcodes (69xx prefix), {ean_luhn} of which happen to pass Luhn as well
    absent: [phone, credit_card, imei, postcode, qq_account, user_id]

  - container: logs/nginx/access.log
    format: Apache/nginx combined, one request per line
    members:
      - logs/nginx/access.log          # {access_now} lines, 2026-11-19..20
      - logs/nginx/access.log.1        # {access_1} lines, 2026-11-18..19
      - logs/nginx/access.log.2.gz     # {access_2} lines, gzip, 2022-11 (about four years old: retention must fire)
    text:
      - ip_address                     # client address: IPv4 and IPv6
      - email                          # /api/v1/users/lookup?email=... raw or URL-encoded (%40)
      - phone                          # /api/v1/sms/send?phone=... URL-encoded E.164 (%2B86...) or national
    optional:
      email: [email]                   # query-string keys, if the scanner splits query strings into key=value pairs
      phone: [phone]
      ver: [os_browser_version]
      os: [os_browser_version]
    text_optional: [os_browser_version, url_visited, access_time]   # user agents, request paths, timestamps
    never:
      ver: [ip_address]                # ver=6.1.1.0 (5.8.2.0 in the old file)
      os: [ip_address]                 # os=HarmonyOS%204.2.0.137 (3.0.0.165 in the old file)
    text_never: [credit_card, imei]    # user-agent versions, byte counts, 16-digit order ids in /api/v1/orders/<id>
    absent: [credit_card, imei, meid, cn_id_card, mac_address, password, gps_location, passport, qq_account]
    oldest: "{access_oldest}"

  - container: logs/app/app.jsonl
    format: JSON lines
    lines: 120
    fields:
      $.user.id: [user_id]
      $.user.phone: [phone]            # E.164 (+86..., +44..., +55...) or national CN mobile
      $.whatsapp: [whatsapp]           # "whatsapp:+5511998765555" or "5511998765555@s.whatsapp.net"
      $.device.imei: [imei]
      $.device.model: [device_model]
    optional:
      $.ts: [access_time]
      $.card.brand: [payment_method]   # "visa", "unionpay": the method of payment, as orders.payment_method
    clean: [$.level, $.event, $.service, $.svc_version, $.trace_id, $.span_id, $.request_id, $.template,
            $.order.id, $.order.amount, $.order.items, $.card.last4, $.http.method, $.http.route,
            $.http.status, $.duration_ms]
    never:
      $.svc_version: [ip_address]      # "6.1.1.0" is the service's version, not a person's
      $.order.id: [credit_card, imei, phone]   # 16-digit order ids that fail Luhn
      $.card.last4: [credit_card]
      $.trace_id: [meid, esn, mac_address, session_id]
      $.span_id: [meid, esn, mac_address]
      $.request_id: [session_id]
    absent: [credit_card, cn_id_card, password, email]

  - container: logs/app/service.log
    format: logfmt-style key=value lines after an ISO timestamp
    lines: 110
    fields:
      user: [user_id]                  # logins like alice, zhang.wei, li_na1990
      ip: [ip_address]                 # private IPv4 of the client hop
      mac: [mac_address]
      email: [email]
      password: [password]             # leaked once (line {leak_line}), a fake password
    text: [phone]                      # inside msg="sms sent to <number>": counts under the key msg or as free text
    optional:
      msg: [phone]
    text_optional: [access_time]       # the leading ISO timestamp
    clean: [level, svc, host, latency_ms, order_id, amount, currency, template, provider, block, bytes, dn,
            pause_ms, heap_mb, pid, version, upstream, elapsed_ms, build, remember]
    never:
      version: [ip_address]            # version=6.1.1.0
      build: [ip_address]              # build=6.1.1.0-<git sha>
      order_id: [credit_card, imei, phone]   # 16 digits starting 4829, not Luhn-valid
      block: [phone, credit_card, cn_id_card, user_id]   # blk_1073741825_1001
      pid: [phone, qq_account]
    absent: [credit_card, imei, cn_id_card, gps_location, session_id]   # no session ids here (pdscan.yaml declares `sid` as a stale declaration)

  - container: exports/customers.csv
    format: CSV with header, UTF-8
    rows: 40
    fields:
      name: [person_name]              # Chinese characters, pinyin or English
      email: [email]
      mobile: [phone]                  # 138-1234-5678, 138 1234 5678, +86 13812345678, UK national 07..., +55 11 9....
      city: [postal_address]           # the catalog files city under postal_address
      postcode: [postcode]             # CN 6 digits, UK (EC1A 1BB), BR CEP (01310-100)
      passport: [passport]
      wechat_id: [wechat_account]
      qq: [qq_account]
      birthday: [date_of_birth]        # 1990-05-17, 1990/05/17, 17/05/1990
    never:
      qq: [phone]
      passport: [phone, qq_account]

  - container: exports/orders.tsv
    format: TSV with header, UTF-8
    rows: 40
    fields:
      delivery_address: [postal_address]
    optional:
      ordered_at: [purchase_time]
    clean: [order_no, sku, qty, amount, currency, card, status]
    never:
      card: [credit_card]              # masked like ************1111: not a card number any more
      order_no: [phone, credit_card]
    absent: [credit_card, email, phone, imei]

  - container: exports/delivery_requests.csv
    format: CSV with header, UTF-8
    rows: 12
    fields:
      medical_condition: [health_data]  # "type 2 diabetes", "wheelchair user": a category no policy names (not_in_policy)
    clean: [request_id, order_no, instructions]
    never:
      order_no: [phone, credit_card]
    absent: [credit_card, email, phone, imei, person_name]
"""


def write_expected(people, devices, orders, counts: dict) -> None:
    cutoff = ANCHOR - timedelta(days=3 * 365)
    text = EXPECTED.format(
        users_oldest=sql_ts(min(p["created"] for p in people)),
        devices_rows=len(devices),
        orders_oldest=orders[0]["ordered_at"],
        orders_old=sum(1 for o in orders if o["when"] < cutoff),
        ean_luhn=counts.pop("ean_luhn"),
        **counts,
    )
    (HERE / "expected.yaml").write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------------

def main() -> None:
    people = make_people()
    devices = make_devices(people)
    orders = make_orders(people)
    events = make_events(people, devices)
    ean_codes = write_database(people, devices, orders, events)

    nginx = HERE / "logs" / "nginx"
    now_lines = access_lines(people, ANCHOR - timedelta(hours=20), ANCHOR, 150, UA_NOW, "6.1.1.0",
                             "HarmonyOS 4.2.0.137")
    day1_lines = access_lines(people, ANCHOR - timedelta(hours=44), ANCHOR - timedelta(hours=20), 120, UA_NOW,
                              "6.1.1.0", "HarmonyOS 4.2.0.137")
    old_start = datetime(2022, 11, 17, 9, 0, tzinfo=CST)  # about four years before ANCHOR
    customers_then = [p for p in people if p["created"] < old_start]
    old_lines = access_lines(customers_then, old_start, old_start + timedelta(hours=30), 100, UA_OLD, "5.8.2.0",
                             "HarmonyOS 3.0.0.165")
    write_text(nginx / "access.log", now_lines)
    write_text(nginx / "access.log.1", day1_lines)
    write_gzip(nginx / "access.log.2.gz", old_lines)

    write_text(HERE / "logs" / "app" / "app.jsonl", app_jsonl(people, devices))
    service = service_log(people)
    write_text(HERE / "logs" / "app" / "service.log", service)
    leak_line = next(n for n, line in enumerate(service, start=1) if "password=" in line)

    write_customers_csv(people)
    write_orders_tsv(orders)
    write_delivery_requests(orders)
    write_expected(people, devices, orders, {
        "access_now": len(now_lines), "access_1": len(day1_lines), "access_2": len(old_lines),
        "access_oldest": datetime.strptime(old_lines[0].split("[", 1)[1].split("]", 1)[0],
                                           "%d/%b/%Y:%H:%M:%S %z").isoformat(),
        "leak_line": leak_line, "ean_luhn": sum(1 for code in ean_codes if luhn.is_valid(code)),
    })

    # mtimes as the app would have left them (the rotated, compressed log is four years old)
    for name in ("app.db", "logs/nginx/access.log", "logs/app/app.jsonl", "logs/app/service.log",
                 "exports/customers.csv", "exports/orders.tsv", "exports/delivery_requests.csv"):
        stamp(HERE / name, ANCHOR)
    stamp(nginx / "access.log.1", ANCHOR - timedelta(hours=20))
    stamp(nginx / "access.log.2.gz", old_start + timedelta(hours=30))


if __name__ == "__main__":
    main()
