"""Generate varied replies (7 languages, several clients, layouts and charsets) with known truth.

Deterministic for a seed. The wording is written here by hand, as people type it, not taken from
the parser's own label table, so the generated set can catch what the table misses.
"""

from __future__ import annotations

import base64
import quopri
import random
from dataclasses import dataclass, field
from email.header import Header

LANGS = ("en", "fr", "es", "pt", "de", "ru", "it")

PEOPLE = (  # first name, name as published, name as some people type it
    ("María José", "García López", "GARCÍA LÓPEZ"),
    ("Jean-Luc", "Martin", "MARTIN"),
    ("Ana", "dos Santos", "DOS SANTOS"),
    ("Pieter", "van der Berg", "VAN DER BERG"),
    ("Seán", "O'Brien", "O'BRIEN"),
    ("Olga", "Smirnova", "SMIRNOVA"),
    ("Giulia", "Bianchi", "BIANCHI"),
    ("Jürgen", "Weiß", "Weiß"),
    ("Zoé", "Lefèvre", "LEFÈVRE"),
    ("Ngozi", "Okafor", "OKAFOR"),
    ("Mary", "McDonald", "MCDONALD"),
    ("Luis", "del Río", "DEL RÍO"),
    ("Chiara", "De Luca", "De Luca"),
    ("Søren", "Kierkegaard", "KIERKEGAARD"),
    ("Fatima", "El Amrani", "El Amrani"),
    ("Иван", "Петров", "ПЕТРОВ"),
    ("Łukasz", "Wójcik", "WÓJCIK"),
    ("Hélène", "Dubois-Roy", "DUBOIS-ROY"),
)
COUNTRIES = {  # code: names people write, per language ("*" for any language)
    "FR": {
        "en": "France",
        "fr": "France",
        "es": "Francia",
        "pt": "França",
        "de": "Frankreich",
        "ru": "Франция",
        "it": "Francia",
    },
    "DE": {
        "en": "Germany",
        "fr": "Allemagne",
        "es": "Alemania",
        "pt": "Alemanha",
        "de": "Deutschland",
        "ru": "Германия",
        "it": "Germania",
    },
    "ES": {
        "en": "Spain",
        "fr": "Espagne",
        "es": "España",
        "pt": "Espanha",
        "de": "Spanien",
        "ru": "Испания",
        "it": "Spagna",
        "*": "Spanish State",
    },
    "US": {
        "en": "USA",
        "fr": "États-Unis",
        "es": "Estados Unidos",
        "pt": "EUA",
        "de": "USA",
        "ru": "США",
        "it": "Stati Uniti",
        "*": "U.S.A.",
    },
    "GB": {
        "en": "UK",
        "fr": "Royaume-Uni",
        "es": "Reino Unido",
        "pt": "Reino Unido",
        "de": "Großbritannien",
        "ru": "Великобритания",
        "it": "Regno Unito",
        "*": "Britain",
    },
    "RU": {
        "en": "Russia",
        "fr": "Russie",
        "es": "Rusia",
        "pt": "Rússia",
        "de": "Russland",
        "ru": "Россия",
        "it": "Russia",
    },
    "BR": {
        "en": "Brazil",
        "fr": "Brésil",
        "es": "Brasil",
        "pt": "Brasil",
        "de": "Brasilien",
        "ru": "Бразилия",
        "it": "Brasile",
    },
    "NL": {
        "en": "Netherlands",
        "fr": "Pays-Bas",
        "es": "Países Bajos",
        "pt": "Holanda",
        "de": "Niederlande",
        "ru": "Нидерланды",
        "it": "Paesi Bassi",
        "*": "Holland",
    },
    "IT": {
        "en": "Italy",
        "fr": "Italie",
        "es": "Italia",
        "pt": "Itália",
        "de": "Italien",
        "ru": "Италия",
        "it": "Italia",
    },
    "CH": {
        "en": "Switzerland",
        "fr": "Suisse",
        "es": "Suiza",
        "pt": "Suíça",
        "de": "Schweiz",
        "ru": "Швейцария",
        "it": "Svizzera",
    },
    "AR": {
        "en": "Argentina",
        "fr": "Argentine",
        "es": "Argentina",
        "pt": "Argentina",
        "de": "Argentinien",
        "ru": "Аргентина",
        "it": "Argentina",
    },
    "NG": {
        "en": "Nigeria",
        "fr": "Nigeria",
        "es": "Nigeria",
        "pt": "Nigéria",
        "de": "Nigeria",
        "ru": "Нигерия",
        "it": "Nigeria",
    },
}
LABELS = {  # (first name, name) pairs, country, presentation, organization, website
    "en": (
        [
            ("First name", "Name"),
            ("First name", "Last name"),
            ("Given name", "Surname"),
            ("Firstname", "Lastname"),
            ("First Name", "Family name"),
        ],
        ["Country", "Country of residence"],
        ["Presentation", "Description", "Occupation", "Title"],
        ["Organization", "Organisation", "Affiliation"],
        ["Website", "Web site", "URL"],
    ),
    "fr": (
        [("Prénom", "Nom"), ("Prénom", "Nom de famille"), ("Prenom", "Nom")],
        ["Pays"],
        ["Présentation", "Qualité", "Fonction"],
        ["Organisation", "Organisme", "Association"],
        ["Site web", "Site internet", "Site"],
    ),
    "es": (
        [("Nombre", "Apellido"), ("Nombre", "Apellidos"), ("Nombre", "Apellido(s)")],
        ["País", "Pais"],
        ["Presentación", "Cargo", "Profesión"],
        ["Organización", "Entidad"],
        ["Sitio web", "Web"],
    ),
    "pt": (
        [("Nome", "Sobrenome"), ("Primeiro nome", "Apelido"), ("Nome", "Último nome")],
        ["País"],
        ["Apresentação", "Profissão", "Cargo"],
        ["Organização", "Entidade"],
        ["Site", "Página web"],
    ),
    "de": (
        [("Vorname", "Nachname"), ("Vorname", "Name"), ("Vorname", "Familienname")],
        ["Land"],
        ["Vorstellung", "Beruf", "Funktion"],
        ["Organisation", "Verband"],
        ["Webseite", "Homepage"],
    ),
    "ru": (
        [("Имя", "Фамилия")],
        ["Страна"],
        ["О себе", "Должность", "Описание"],
        ["Организация"],
        ["Сайт", "Веб-сайт"],
    ),
    "it": (
        [("Nome", "Cognome")],
        ["Paese", "Nazione", "Stato"],
        ["Presentazione", "Professione"],
        ["Organizzazione", "Associazione"],
        ["Sito", "Sito web"],
    ),
}
FULL_LABELS = {
    "en": ["Full name", "Name and surname"],
    "fr": ["Nom complet", "Prénom et nom"],
    "es": ["Nombre completo", "Nombre y apellidos"],
    "pt": ["Nome completo"],
    "de": ["Vollständiger Name", "Vor- und Nachname"],
    "ru": ["Имя и фамилия"],
    "it": ["Nome e cognome"],
}
MY_NAME = {
    "en": "My name is",
    "fr": "Je m'appelle",
    "es": "Me llamo",
    "pt": "Meu nome é",
    "de": "Mein Name ist",
    "ru": "Меня зовут",
    "it": "Mi chiamo",
}
INTRO = {
    "en": ["Happy to sign!", "I sign.", "Please add my name.", ""],
    "fr": ["Je signe.", "Bien sûr !", ""],
    "es": ["Firmo.", "¡Con gusto firmo!", ""],
    "pt": ["Assino.", "Com prazer.", ""],
    "de": ["Ich unterschreibe gern.", ""],
    "ru": ["Подписываюсь.", ""],
    "it": ["Firmo volentieri.", ""],
}
SIGN_VERB = {
    "en": ["I sign", "Please add my name", "I'm happy to sign"],
    "fr": ["Je signe", "Je signe cet appel"],
    "es": ["Firmo", "Firmo este llamamiento"],
    "pt": ["Assino", "Eu assino"],
    "de": ["Ich unterschreibe", "Ich unterzeichne"],
    "ru": ["Подписываю", "Подписываюсь"],
    "it": ["Firmo", "Sottoscrivo"],
}
ATTRIBUTION = {
    "en": "On Tue, 9 Feb 2021 at 10:00, Appeal <appeal@campaign.example> wrote:",
    "fr": "Le mar. 9 févr. 2021 à 10:00, Appeal <appeal@campaign.example> a écrit :",
    "es": "El mar, 9 feb 2021 a las 10:00, Appeal (<appeal@campaign.example>) escribió:",
    "pt": "Em ter., 9 de fev. de 2021 às 10:00, Appeal <appeal@campaign.example> escreveu:",
    "de": "Am Di., 9. Feb. 2021 um 10:00 Uhr schrieb Appeal <appeal@campaign.example>:",
    "ru": "вт, 9 февр. 2021 г. в 10:00, Appeal <appeal@campaign.example>:",
    "it": "Il giorno mar 9 feb 2021 alle ore 10:00 Appeal <appeal@campaign.example> ha scritto:",
}
ORIGINAL = {
    "en": "-----Original Message-----",
    "fr": "-----Message d'origine-----",
    "es": "-----Mensaje original-----",
    "pt": "-----Mensagem original-----",
    "de": "-----Ursprüngliche Nachricht-----",
    "ru": "-----Исходное сообщение-----",
    "it": "-----Messaggio originale-----",
}
APPEAL = (
    "We demand the immediate release of all political prisoners.\n\nTo sign, reply to this message with:\n\n"
    "First name:\nName:\nCountry:\nPresentation:\nOrganization:\nWebsite:\n\nThank you for your solidarity."
)
PRESENTATIONS = [
    "historian",
    "trade unionist, teachers' union",
    "Member of Parliament",
    "journalist & editor",
    "retired nurse",
    "professor of sociology",
]
ORGS = ["", "", "Attac", "CGT", "University of Lyon", "Amnesty group 12"]
SITES = [
    ("", ""),
    ("https://example.org/", "https://example.org/"),
    ("www.example.net", "https://www.example.net"),
    ("http://blog.example.com/me", "http://blog.example.com/me"),
]


@dataclass(frozen=True)
class Generated:
    name: str
    raw: bytes
    lang: str
    style: str
    free_form: bool
    truth: dict[str, str] = field(default_factory=dict)


def _header(text: str, charset: str) -> str:
    try:
        text.encode("ascii")
        return text
    except UnicodeEncodeError:
        return Header(text, charset).encode()


def _mail(body: str, *, sender: str, addr: str, ctype: str, charset: str, cte: str, ident: str) -> bytes:
    data = body.encode(charset, "replace")
    if cte == "quoted-printable":
        data = quopri.encodestring(data)
    elif cte == "base64":
        data = base64.encodebytes(data)
    head = (
        f"From: {_header(sender, 'utf-8')} <{addr}>\nTo: appeal@campaign.example\n"
        f"Subject: Re: International appeal\nMessage-ID: <{ident}@example.org>\nMIME-Version: 1.0\n"
        f'Content-Type: {ctype}; charset="{charset}"\nContent-Transfer-Encoding: {cte}\n\n'
    )
    return head.encode("ascii") + data


def _quote(rnd: random.Random, lang: str) -> tuple[str, str]:
    style = rnd.choice(["gmail", "gmail-wrapped", "outlook", "outlook-block", "none"])
    quoted = "\n".join(("> " + line).rstrip() for line in APPEAL.split("\n"))
    if style == "gmail":
        return style, f"\n{ATTRIBUTION[lang]}\n{quoted}\n"
    if style == "gmail-wrapped":
        head, _, tail = ATTRIBUTION[lang].rpartition(" ")
        return style, f"\n{head}\n{tail}\n{quoted}\n"
    if style == "outlook":
        return (
            style,
            f"\n{ORIGINAL[lang]}\nFrom: Appeal <appeal@campaign.example>\nSent: Tue 9 Feb\n\n{APPEAL}\n",
        )
    if style == "outlook-block":
        return (
            style,
            f"\n________________________________\nFrom: Appeal\nSent: Tuesday\nTo: you\n\n{APPEAL}\n",
        )
    return style, ""


def labeled(rnd: random.Random, n: int) -> Generated:
    lang = LANGS[n % len(LANGS)]
    first, name, typed = rnd.choice(PEOPLE)
    code = rnd.choice(sorted(COUNTRIES))
    written = (
        COUNTRIES[code].get("*") if rnd.random() < 0.15 and "*" in COUNTRIES[code] else COUNTRIES[code][lang]
    )
    names, countries, presentations, orgs, sites = LABELS[lang]
    first_label, name_label = rnd.choice(names)
    presentation, org = rnd.choice(PRESENTATIONS), rnd.choice(ORGS)
    site_typed, site = rnd.choice(SITES)
    sep = rnd.choice([": ", ": ", " : ", ":\t", " - "])
    bullet = rnd.choice(["", "", "", "- ", "* ", "• "])
    shape = rnd.choice(["separate"] * 8 + ["full-name", "inline-under-quote"])
    rows = [
        (first_label, first),
        (name_label, typed if rnd.random() < 0.3 else name),
        (rnd.choice(countries), written),
        (rnd.choice(presentations), presentation),
        (rnd.choice(orgs), org),
        (rnd.choice(sites), site_typed),
    ]
    if shape == "full-name":
        rows = [(rnd.choice(FULL_LABELS[lang]), f"{first} {name}")] + rows[2:]
    if rnd.random() < 0.3:
        rows = rows[:-4] + rnd.sample(rows[-4:], 4)
    if rnd.random() < 0.2:
        rows.insert(rnd.randrange(len(rows)), ("Email", f"p{n}@example.org"))
    if rnd.random() < 0.2:
        rows = [(label.upper(), value) for label, value in rows]
    if not org and not site_typed and rnd.random() < 0.3:
        rows = [r for r in rows if r[1]]  # optional rows left out entirely
    intro = rnd.choice(INTRO[lang])
    quote_style, quote = _quote(rnd, lang)
    layout = rnd.choice(["plain", "plain", "html-br", "html-bold", "html-table"])
    if shape == "inline-under-quote":  # answers typed under the quoted blank form
        layout, quote_style = "plain", "inline"
        quote = ""
        inline = "\n".join(f"> {label}:\n{value}" if value else f"> {label}:" for label, value in rows)
        body = f"{ATTRIBUTION['en']}\n> We demand the release.\n>\n{inline}\n>\n> Thank you.\n"
        ctype = "text/plain"
    elif layout == "plain":
        form = "\n".join(f"{bullet}{label}{sep}{value}".rstrip() for label, value in rows)
        body = (
            (intro + "\n\n" if intro else "")
            + form
            + "\n"
            + rnd.choice(["", f"\nBest,\n{first}\n", f"\n-- \n{first} {name}\n+00 000\n"])
            + quote
        )
        ctype = "text/plain"
    else:
        esc = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

        def h(text: str) -> str:
            return "".join(esc.get(ch, ch) for ch in text)

        if layout == "html-table":
            form = (
                "<table>" + "".join(f"<tr><td>{h(k)}</td><td>{h(v)}</td></tr>" for k, v in rows) + "</table>"
            )
        elif layout == "html-bold":
            form = "".join(f"<div><b>{h(k)}:</b> {h(v)}</div>" for k, v in rows)
        else:
            form = "<div>" + "<br>".join(f"{h(k)}{h(sep)}{h(v)}" for k, v in rows) + "</div>"
        quote_html = (
            (
                '<div class="gmail_quote">'
                + h(ATTRIBUTION[lang])
                + "<blockquote>"
                + h(APPEAL).replace("\n", "<br>")
                + "</blockquote></div>"
            )
            if quote
            else ""
        )
        body = f"<html><body><p>{h(intro)}</p>{form}{quote_html}</body></html>"
        ctype = "text/html"
    charset = {"ru": rnd.choice(["utf-8", "windows-1251", "koi8-r"])}.get(
        lang, rnd.choice(["utf-8", "utf-8", "iso-8859-1"])
    )
    try:
        body.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    cte = rnd.choice(["quoted-printable", "base64", "8bit"])
    raw = _mail(
        body,
        sender=f"{first} {name}",
        addr=f"p{n}@example.org",
        ctype=ctype,
        charset=charset,
        cte=cte,
        ident=f"gen{n}",
    )
    truth = {
        "first_name": first,
        "name": name,
        "country_code": code,
        "presentation": presentation,
        "organization": org,
        "website": site,
    }
    if rnd.random() < 0.15:
        raw = raw.replace(b"\n", b"\r\n")
    return Generated(
        f"labeled-{n}", raw, lang, f"{shape}/{layout}/{quote_style}/{charset}/{cte}", False, truth
    )


def free_form(rnd: random.Random, n: int) -> Generated:
    lang = LANGS[n % len(LANGS)]
    first, name, _ = rnd.choice(PEOPLE)
    code = rnd.choice(sorted(COUNTRIES))
    country = COUNTRIES[code][lang]
    presentation = rnd.choice(PRESENTATIONS)
    verb = rnd.choice(SIGN_VERB[lang])
    shape = rnd.choice(["colon", "paren", "block", "intro-line", "sentence", "my-name", "signoff-block"])
    if shape == "colon":
        text = f"{verb}: {first} {name}, {presentation}, {country}."
    elif shape == "paren":
        text = f"{verb}: {first} {name} ({country})"
    elif shape == "intro-line":
        text = f"{verb}:\n\n{first} {name}, {presentation} ({country})\n\n{rnd.choice(INTRO[lang])}"
    elif shape == "my-name":
        text = f"{MY_NAME[lang]} {first} {name}, {presentation}, {country}. {verb}."
    elif shape == "signoff-block":
        closing = rnd.choice(["Best,", "Cordialement,", "Saludos,", "Grüße,"])
        text = f"{verb}!\n\n{closing}\n{first} {name}\n{country}\n"
    elif shape == "sentence":
        text = f"{verb}. {first} {name}, {country}.\n\nBest,\n{first}"
    else:
        text = f"{verb}.\n\n{first} {name}\n{presentation}\n{country}\n"
    quote_style, quote = _quote(rnd, lang)
    raw = _mail(
        text + "\n" + quote,
        sender=f"{first} {name}",
        addr=f"f{n}@example.org",
        ctype="text/plain",
        charset="utf-8",
        cte=rnd.choice(["quoted-printable", "8bit"]),
        ident=f"free{n}",
    )
    return Generated(
        f"free-{n}",
        raw,
        lang,
        f"free-{shape}/{quote_style}",
        True,
        {"full_name": f"{first} {name}", "country_code": code},
    )


WITHDRAW = {
    "en": [
        "Please remove my signature.",
        "I want to withdraw my signature from the appeal.",
        "Please take my name off the list.",
        "I no longer wish to be listed.",
    ],
    "fr": [
        "Merci de retirer ma signature.",
        "Je retire ma signature.",
        "Pouvez-vous supprimer mon nom de la liste ?",
    ],
    "es": [
        "Por favor, retiren mi firma.",
        "Quiero retirar mi firma.",
        "Eliminen mi nombre de la lista, por favor.",
    ],
    "pt": ["Por favor, retirem a minha assinatura.", "Quero remover o meu nome da lista."],
    "de": [
        "Bitte entfernen Sie meine Unterschrift.",
        "Ich ziehe meine Unterschrift zurück.",
        "Bitte streichen Sie meinen Namen.",
    ],
    "ru": [
        "Прошу удалить мою подпись.",
        "Я отзываю свою подпись.",
        "Уберите, пожалуйста, моё имя из списка.",
    ],
    "it": ["Vi prego di ritirare la mia firma.", "Togliete il mio nome dalla lista, per favore."],
}
OOO = {
    "en": ("Out of Office: International appeal", "I am out of the office until Monday."),
    "fr": ("Absence : International appeal", "Je suis absent jusqu'à lundi."),
    "es": ("Fuera de la oficina: International appeal", "Estoy fuera de la oficina hasta el lunes."),
    "pt": ("Resposta automática: International appeal", "Estou ausente até segunda-feira."),
    "de": ("Abwesenheitsnotiz: International appeal", "Ich bin bis Montag nicht im Büro."),
    "ru": ("Автоматический ответ: International appeal", "Я в отпуске до понедельника."),
    "it": ("Risposta automatica: International appeal", "Sono fuori ufficio fino a lunedì."),
}


def withdrawal(rnd: random.Random, n: int) -> Generated:
    lang = LANGS[n % len(LANGS)]
    text = rnd.choice(WITHDRAW[lang])
    _, quote = _quote(rnd, lang)
    raw = _mail(
        text + "\n" + quote,
        sender="Someone",
        addr=f"w{n}@example.org",
        ctype="text/plain",
        charset="utf-8",
        cte="8bit",
        ident=f"withdraw{n}",
    )
    return Generated(f"withdrawal-{n}", raw, lang, "withdrawal", False)


def auto_reply(rnd: random.Random, n: int) -> Generated:
    lang = LANGS[n % len(LANGS)]
    subject, text = OOO[lang]
    raw = _mail(
        text + "\n",
        sender="Someone",
        addr=f"a{n}@example.org",
        ctype="text/plain",
        charset="utf-8",
        cte="8bit",
        ident=f"ooo{n}",
    ).replace(b"Subject: Re: International appeal", b"Subject: " + _header(subject, "utf-8").encode())
    return Generated(f"auto-reply-{n}", raw, lang, "ooo-no-headers", False)
