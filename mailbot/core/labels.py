"""Field labels in every supported language: the table to extend when supporters write new ones.

Each entry maps a label, compared case-insensitively and without accents, to a field and a
language. `full_name` is a pseudo-field split later into first name and name. The trap: "Nome"
is a first name in Italian and Portuguese, "Nom" a surname in French; labels are matched whole,
never by prefix, so the two never meet. "Name" alone is a surname when a first name is also
given and a full name otherwise (see extract.py).
"""

from __future__ import annotations

import re
import unicodedata

FULL_NAME = "full_name"
FULL_NAME_SURNAME_FIRST = "full_name_surname_first"  # Russian "ФИО", "Cognome e nome"
PERSON_KEYS = ("first_name", "name", FULL_NAME, FULL_NAME_SURNAME_FIRST)
IGNORED = "ignored"  # labels we recognise but do not collect, so they never swallow a line

# (field, language, synonyms); ordered, the first entry that knows a label decides.
LABELS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (FULL_NAME, "en", ("full name", "name and surname", "first and last name", "your name",
                       "name (first and last)", "signatory", "signature")),
    (FULL_NAME, "fr", ("nom complet", "prénom et nom", "prénom nom", "prénom, nom", "prénom & nom")),
    (FULL_NAME_SURNAME_FIRST, "fr", ("nom et prénom", "nom prénom", "nom, prénom", "nom & prénom")),
    (FULL_NAME, "es", ("nombre completo", "nombre y apellido", "nombre y apellidos",
                       "nombre y apellido(s)", "nombres y apellidos", "firma")),
    (FULL_NAME, "pt", ("nome completo", "nome e sobrenome", "nome e apelido", "assinatura")),
    (FULL_NAME, "de", ("vollständiger name", "vor- und nachname", "vor- und zuname",
                       "vorname und nachname", "vorname nachname", "unterschrift")),
    (FULL_NAME, "ru", ("имя и фамилия", "полное имя", "подпись")),
    (FULL_NAME, "it", ("nome e cognome", "nome completo", "firma")),
    (FULL_NAME_SURNAME_FIRST, "ru", ("фио", "ф.и.о.", "ф. и. о.", "фамилия и имя", "фамилия, имя",
                                     "фамилия имя отчество")),
    (FULL_NAME_SURNAME_FIRST, "it", ("cognome e nome", "cognome nome")),
    (FULL_NAME_SURNAME_FIRST, "es", ("apellidos y nombre", "apellidos, nombre")),
    (FULL_NAME_SURNAME_FIRST, "de", ("nachname, vorname", "name, vorname")),
    (FULL_NAME_SURNAME_FIRST, "en", ("surname, first name", "last name, first name")),
    ("first_name", "en", ("first name", "firstname", "first-name", "given name", "given names",
                          "forename", "first names", "christian name")),
    ("first_name", "fr", ("prénom", "prénoms", "prenom")),
    ("first_name", "es", ("nombre", "nombres", "nombre de pila")),
    ("first_name", "pt", ("primeiro nome", "prenome")),
    ("first_name", "it pt", ("nome",)),  # Italian and Portuguese; never French "nom"
    ("first_name", "de", ("vorname", "vornamen")),
    ("first_name", "ru", ("имя",)),
    ("name", "en", ("name", "last name", "lastname", "last-name", "surname", "family name",
                    "second name")),
    ("name", "fr", ("nom", "nom de famille")),
    ("name", "es", ("apellido", "apellidos", "apellido(s)", "primer apellido")),
    ("name", "pt", ("sobrenome", "apelido", "último nome", "nome de família")),
    ("name", "de", ("nachname", "familienname", "zuname")),
    ("name", "ru", ("фамилия",)),
    ("name", "it", ("cognome",)),
    ("country", "en", ("country", "country of residence", "nation", "nationality")),
    ("country", "fr", ("pays", "pays de résidence", "nationalité")),
    ("country", "es pt", ("país",)),
    ("country", "es", ("país de residencia", "nacionalidad")),
    ("country", "pt", ("país de residência", "nacionalidade")),
    ("country", "de", ("land", "staat", "wohnsitzland", "nationalität", "staatsangehörigkeit")),
    ("country", "ru", ("страна", "страна проживания", "гражданство")),
    ("country", "it", ("paese", "nazione", "stato", "paese di residenza", "nazionalità")),
    ("presentation", "en", ("presentation", "description", "short description", "about", "about me",
                            "title", "position", "occupation", "profession", "job", "job title",
                            "role", "bio", "short presentation", "self-description", "who you are",
                            "function", "quality")),
    ("presentation", "fr", ("présentation", "qualité", "fonction", "courte présentation",
                            "description", "métier", "titre")),
    ("presentation", "es", ("presentación", "descripción", "cargo", "profesión", "ocupación",
                            "breve presentación", "título")),
    ("presentation", "pt", ("apresentação", "descrição", "profissão", "ocupação", "breve apresentação",
                            "função", "título")),
    ("presentation", "de", ("vorstellung", "beschreibung", "beruf", "funktion", "tätigkeit",
                            "kurzvorstellung", "titel", "position")),
    ("presentation", "ru", ("о себе", "представление", "описание", "должность", "род занятий",
                            "профессия", "кратко о себе")),
    ("presentation", "it", ("presentazione", "descrizione", "professione", "qualifica", "ruolo",
                            "titolo")),
    ("organization", "en", ("organization", "organisation", "affiliation", "institution", "company",
                            "employer", "organization/affiliation", "organisation/affiliation")),
    ("organization", "fr", ("organisme", "association", "structure", "établissement", "institution")),
    ("organization", "es", ("organización", "entidad", "afiliación", "institución", "organizacion")),
    ("organization", "pt", ("organização", "entidade", "afiliação", "instituição", "organizacao")),
    ("organization", "de", ("verband", "verein", "zugehörigkeit", "institution", "organisation")),
    ("organization", "ru", ("организация", "учреждение", "организация / учреждение")),
    ("organization", "it", ("organizzazione", "affiliazione", "ente", "istituzione", "associazione")),
    ("website", "en", ("website", "web site", "web", "site", "url", "homepage", "home page",
                       "web page", "webpage", "internet")),
    ("website", "fr", ("site web", "site internet", "page web")),
    ("website", "es", ("sitio web", "página web", "sitio", "pagina web")),
    ("website", "pt", ("sítio", "sítio web", "página", "página web", "site da web")),
    ("website", "de", ("webseite", "internetseite", "internetauftritt", "homepage")),
    ("website", "ru", ("сайт", "веб-сайт", "вебсайт", "интернет-сайт", "страница")),
    ("website", "it", ("sito", "sito web", "sito internet", "pagina web")),
    (IGNORED, "", ("email", "e-mail", "mail", "courriel", "correo", "correo electrónico", "phone",
                   "telephone", "tel", "tél", "téléphone", "teléfono", "telefone", "telefon",
                   "телефон", "telefono", "city", "ville", "ciudad", "cidade", "stadt", "город",
                   "città", "address", "adresse", "dirección", "endereço", "адрес", "indirizzo",
                   "date", "fecha", "datum", "дата", "data", "subject", "objet", "asunto",
                   "assunto", "betreff", "тема", "oggetto", "to", "from", "sent", "cc")),
)

# Placeholders meaning "nothing": the field is treated as empty, as if left blank.
EMPTY_VALUES = frozenset({
    "-", "--", "---", "—", "–", "/", ".", "..", "...", "n/a", "na", "n.a.", "none", "no", "nothing",
    "nil", "null", "x", "not applicable", "aucun", "aucune", "néant", "neant", "rien", "sans",
    "ninguno", "ninguna", "nada", "no tengo", "sin", "nenhum", "nenhuma", "sem", "keine", "kein",
    "nichts", "ohne", "нет", "ничего", "без", "nessuno", "nessuna", "niente", "senza",
})


def fold(text: str) -> str:
    """Lower-case, accents off, spaces collapsed: the form labels are compared in."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ё", "е").replace("й", "и")  # NFKD splits й; keep Cyrillic comparable
    return re.sub(r"\s+", " ", text).strip()


def _index() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for fieldname, language, synonyms in LABELS:
        for synonym in synonyms:
            out.setdefault(fold(synonym), (fieldname, language))
    return out


INDEX = _index()
_LONGEST = max(len(k) for k in INDEX)


def lookup(label: str) -> tuple[str, str] | None:
    """(field, language) for a label as typed ("Last Name", "*Nom*", "Apellido(s)"), or None."""
    key = fold(label.strip(" \t*_•·-–—:|"))
    key = re.sub(r"^(your|votre|ton|tu|su|seu|sua|dein|ihr|ваш|ваша|il tuo|la tua|vostro)\s+", "", key)
    if len(key) > _LONGEST:
        return None
    hit = INDEX.get(key)
    if hit is None and key.endswith("(s)"):
        hit = INDEX.get(key[:-3].strip())
    if hit is None and key.endswith("s") and len(key) > 4:
        hit = INDEX.get(key[:-1])
    return hit
