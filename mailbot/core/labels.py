"""Field labels in every supported language: the table to extend when supporters write new ones.

Each entry maps a label, compared case-insensitively and without accents, to a field and a
language. `full_name` is a pseudo-field split later into first name and name. The trap: "Nome"
is a first name in Italian and Portuguese, "Nom" a surname in French; labels are matched whole,
never by prefix, so the two never meet. "Name" alone is a surname when a first name is also
given and a full name otherwise (see extract.py).
"""

from __future__ import annotations

import functools
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
    (FULL_NAME, "it", ("nome e cognome", "nome completo", "firma", "nominativo")),
    (FULL_NAME, "nl", ("volledige naam", "voor- en achternaam")),
    (FULL_NAME, "pl", ("imię i nazwisko",)),
    (FULL_NAME, "tr", ("ad soyad", "adı soyadı", "ad-soyad", "adınız soyadınız")),
    (FULL_NAME, "el", ("ονοματεπώνυμο",)),
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
    ("first_name", "pt", ("primeiro nome", "prenome", "nome próprio", "nome proprio")),
    ("first_name", "it pt", ("nome",)),  # Italian and Portuguese; never French "nom"
    ("first_name", "de", ("vorname", "vornamen")),
    ("first_name", "ru", ("имя",)),
    ("first_name", "en", ("first",)),
    ("first_name", "nl", ("voornaam", "voornamen")),
    ("first_name", "sv", ("förnamn", "fornavn")),  # sv, da, no
    ("first_name", "ro", ("prenume",)),
    ("first_name", "uk", ("ім'я", "ім’я", "імя")),
    ("first_name", "pl", ("imię", "imie")),
    ("first_name", "tr", ("ad", "adı", "adınız", "isim")),
    ("first_name", "el", ("όνομα",)),
    ("name", "en", ("name", "last name", "lastname", "last-name", "surname", "family name",
                    "second name")),
    ("name", "fr", ("nom", "nom de famille")),
    ("name", "es", ("apellido", "apellidos", "apellido(s)", "primer apellido")),
    ("name", "pt", ("sobrenome", "apelido", "último nome", "nome de família")),
    ("name", "de", ("nachname", "familienname", "zuname")),
    ("name", "ru", ("фамилия",)),
    ("name", "it", ("cognome",)),
    ("name", "en", ("last",)),
    ("name", "pt", ("último sobrenome",)),
    ("name", "nl", ("achternaam", "familienaam")),
    ("name", "sv", ("efternamn", "efternavn", "etternavn")),
    ("name", "ro", ("nume", "nume de familie")),
    ("name", "uk", ("прізвище",)),
    ("name", "es", ("primer y segundo apellido", "primer apellido y segundo apellido")),
    ("name", "pl", ("nazwisko",)),
    ("name", "tr", ("soyad", "soyadı", "soyadınız", "soyisim")),
    ("name", "el", ("επώνυμο",)),
    ("name", "ca", ("cognom", "cognoms")),
    ("country", "en", ("country", "country of residence", "nation", "nationality")),
    ("country", "fr", ("pays", "pays de résidence", "nationalité")),
    ("country", "es pt", ("país",)),
    ("country", "es", ("país de residencia", "nacionalidad")),
    ("country", "pt", ("país de residência", "nacionalidade")),
    ("country", "de", ("land", "staat", "wohnsitzland", "nationalität", "staatsangehörigkeit",
                       "herkunftsland", "wohnland", "land des wohnsitzes")),
    ("country", "ru", ("страна", "страна проживания", "гражданство")),
    ("country", "it", ("paese", "nazione", "stato", "paese di residenza", "nazionalità")),
    # a city and a country in one field ("Lyon, France"): the country is read from it
    ("country", "en", ("country/region", "country / region", "country or region", "city and country",
                       "city, country", "city/country", "location")),
    ("country", "fr", ("ville et pays", "ville, pays", "ville/pays", "pays/région")),
    ("country", "es", ("ciudad y país", "ciudad, país", "ciudad/país", "país/región")),
    ("country", "pt", ("cidade e país", "cidade, país", "cidade/país", "país/região")),
    ("country", "de", ("stadt und land", "ort und land", "ort, land", "land/region")),
    ("country", "ru", ("город и страна", "город, страна", "страна/регион")),
    ("country", "it", ("città e paese", "città, paese", "città/paese", "paese/regione")),
    ("country", "nl pl", ("land", "kraj")),
    ("country", "tr", ("ülke",)),
    ("country", "el", ("χώρα",)),
    ("country", "ro", ("țara", "tara", "țară", "ţara")),
    ("country", "uk", ("країна",)),
    ("country", "fr", ("pay",)),  # "Pays" with its s left out, seen twice in blind sets
    ("presentation", "en", ("presentation", "description", "short description", "about", "about me",
                            "title", "position", "occupation", "profession", "job", "job title",
                            "role", "bio", "short presentation", "self-description", "who you are",
                            "function", "quality", "work", "field", "who i am", "introduction",
                            "self-presentation", "self presentation", "short bio", "who am i")),
    ("presentation", "fr", ("présentation", "qualité", "fonction", "courte présentation",
                            "description", "métier", "titre", "profession", "activité",
                            "qui vous êtes", "poste", "qui je suis", "qui suis-je")),
    ("presentation", "es", ("presentación", "descripción", "cargo", "profesión", "ocupación",
                            "breve presentación", "título", "puesto", "oficio", "actividad",
                            "quién eres", "quién soy", "quien soy")),
    ("presentation", "pt", ("apresentação", "descrição", "profissão", "ocupação", "breve apresentação",
                            "quem sou", "quem sou eu", "quem é você", "cargo",
                            "função", "título")),
    ("presentation", "de", ("vorstellung", "beschreibung", "beruf", "funktion", "tätigkeit",
                            "kurzvorstellung", "titel", "position", "präsentation", "selbstbeschreibung",
                            "wer sie sind", "wer ich bin", "über mich", "zu meiner person")),
    ("presentation", "ru", ("о себе", "представление", "описание", "должность", "род занятий",
                            "профессия", "кратко о себе", "кто вы", "кто вы такой", "кто вы такая",
                            "род деятельности", "занятие", "презентация", "кто я", "о вас")),
    ("presentation", "it", ("presentazione", "descrizione", "professione", "qualifica", "ruolo",
                            "titolo", "incarico", "mestiere", "occupazione", "chi sono", "chi sei")),
    ("presentation", "nl", ("functie", "beroep", "omschrijving", "presentatie")),
    # Russian typed in Latin letters ("Imya: Nikolay", "Familiya: Pavlov", "O sebe: ...")
    ("first_name", "ru", ("imya", "imja", "imia")),
    ("name", "ru", ("familiya", "familija", "familiia", "familia")),
    ("country", "ru", ("strana",)),
    ("presentation", "ru", ("o sebe", "dolzhnost", "professiya", "rod zanyatiy")),
    ("organization", "ru", ("organizatsiya", "organizaciya", "organizacija", "mesto raboty")),
    ("website", "ru", ("sayt", "sait", "veb-sayt")),
    ("presentation", "sv", ("yrke", "om mig", "om meg", "presentasjon", "titel")),
    ("presentation", "ro", ("prezentare", "despre mine", "ocupație", "ocupatie", "profesie")),
    ("presentation", "uk", ("про себе", "посада", "професія")),
    ("presentation", "nl", ("voorstelling", "over mij", "wie ben ik")),
    ("presentation", "pl", ("opis", "stanowisko", "zawód", "funkcja", "prezentacja", "o sobie", "o mnie")),
    ("presentation", "tr", ("meslek", "unvan", "görev", "tanıtım")),
    ("presentation", "el", ("ιδιότητα", "επάγγελμα", "παρουσίαση")),
    ("presentation", "ca", ("presentació", "professió", "càrrec")),
    ("organization", "en", ("org", "org.", "affil.", "inst."),),
    ("organization", "en", ("organization", "organisation", "affiliation", "institution", "company",
                            "employer", "organization/affiliation", "organisation/affiliation",
                            "union", "trade union", "party", "political party", "workplace",
                            "place of work", "group", "collective", "movement", "network")),
    ("organization", "fr", ("organisme", "association", "structure", "établissement", "institution",
                            "syndicat", "parti", "collectif", "mouvement", "employeur")),
    ("organization", "es", ("organización", "entidad", "afiliación", "institución", "organizacion",
                            "sindicato", "partido", "colectivo", "movimiento", "empresa")),
    ("organization", "pt", ("organização", "entidade", "afiliação", "instituição", "organizacao",
                            "sindicato", "partido", "coletivo", "movimento", "empresa")),
    ("organization", "de", ("verband", "verein", "zugehörigkeit", "institution", "organisation",
                            "gewerkschaft", "partei", "arbeitgeber", "einrichtung", "gruppe",
                            "bewegung")),
    ("organization", "ru", ("организация", "учреждение", "организация / учреждение", "место работы",
                            "профсоюз", "партия", "движение")),
    ("organization", "it", ("organizzazione", "affiliazione", "ente", "istituzione", "associazione",
                            "sindacato", "partito", "collettivo", "movimento")),
    ("website", "en", ("website", "web site", "web", "site", "url", "homepage", "home page",
                       "web page", "webpage", "internet")),
    ("website", "fr", ("site web", "site internet", "page web")),
    ("website", "es", ("sitio web", "página web", "sitio", "pagina web")),
    ("website", "pt", ("sítio", "sítio web", "página", "página web", "site da web")),
    ("website", "de", ("webseite", "internetseite", "internetauftritt", "homepage")),
    ("website", "ru", ("сайт", "веб-сайт", "вебсайт", "интернет-сайт", "страница", "интернет-страница",
                       "веб-страница", "сайт/блог", "блог")),
    ("website", "it", ("sito", "sito web", "sito internet", "pagina web")),
    ("website", "en", ("blog", "web address")),
    ("website", "nl pl", ("website", "strona", "strona internetowa", "strona www")),
    ("website", "tr", ("web sitesi", "internet sitesi")),
    ("website", "el", ("ιστοσελίδα",)),
    ("website", "sv", ("webbplats", "hemsida", "hjemmeside", "nettside")),
    ("website", "uk", ("сайт", "вебсайт")),
    ("website", "ca", ("lloc web",)),
    ("organization", "nl", ("organisatie", "vakbond", "partij")),
    ("organization", "sv", ("organisation", "organisasjon", "fackförbund")),
    ("organization", "ro", ("organizație", "organizatie", "organizația", "sindicat")),
    ("organization", "uk", ("організація", "профспілка")),
    ("organization", "de", ("orga",)),
    ("organization", "pl", ("organizacja", "instytucja", "związek")),
    ("organization", "tr", ("kurum", "örgüt", "kuruluş", "sendika")),
    ("organization", "el", ("οργάνωση", "φορέας")),
    ("organization", "ca", ("organització", "entitat")),
    (IGNORED, "", ("t", "m", "f", "e", "p", "d", "did", "ddi", "dd", "mob.", "tel./fax",  # signature blocks
                   "email", "e-mail", "mail", "courriel", "correo", "correo electrónico", "phone",
                   "telephone", "tel", "tél", "téléphone", "teléfono", "telefone", "telefon",
                   "телефон", "telefono", "city", "ville", "ciudad", "cidade", "stadt", "город",
                   "città", "address", "adresse", "dirección", "endereço", "адрес", "indirizzo",
                   "date", "fecha", "datum", "дата", "data", "subject", "objet", "asunto",
                   "assunto", "betreff", "тема", "oggetto", "to", "from", "sent", "cc",
                   "mobile", "mob", "cell", "cel", "tlf", "tfno", "fax", "handy", "móvil", "celular",
                   "telemóvel", "моб",
                   "мобильный", "cellulare", "twitter", "x", "facebook", "instagram", "linkedin",
                   "mastodon", "bluesky", "telegram", "whatsapp", "signal", "skype", "orcid",
                   "disclaimer", "aviso", "aviso legal", "avertissement", "hinweis", "avviso",
                   "confidentiality notice", "confidentiality", "vertraulichkeit", "внимание")),
)

# Placeholders meaning "nothing": the field is treated as empty, as if left blank.
EMPTY_VALUES = frozenset({
    "n.d.", "n.d", "n/d", "s/d", "s.o.", "k.a", "ns/nc",
    "geen", "brak", "yok", "ingen", "κανένα", "καμία", "нема", "немає",  # nl, pl, tr, sv/da/no, el, uk
    "-", "--", "---", "—", "–", "/", ".", "..", "...", "n/a", "na", "n.a.", "none", "no", "nothing",
    "nil", "null", "x", "not applicable", "aucun", "aucune", "néant", "neant", "rien", "sans",
    "ninguno", "ninguna", "nada", "no tengo", "sin", "nenhum", "nenhuma", "sem", "keine", "kein",
    "nichts", "ohne", "нет", "ничего", "без", "nessuno", "nessuna", "niente", "senza",
    "k.a.", "k. a.", "entfallt", "entfällt", "nicht vorhanden", "keine angabe", "keins",
    "otsutstvuet", "отсутствует", "не имею", "нету", "у меня нет", "не указываю", "пока нет",
    "nao tenho", "não tenho", "nao possuo", "não possuo", "nao se aplica", "não se aplica",
    "no aplica", "no procede", "ninguno/a", "sin sitio", "sin web",
    "non ho", "non ho un sito", "nessun sito", "non applicabile",
    "je n'en ai pas", "pas de site", "pas de site web", "sans objet", "pas d'organisation",
    "no website", "no site", "none yet", "not yet", "n.a", "-none-", "(none)", "(aucune)", "none.",
    "i don't have one", "don't have one", "no organization", "no organisation",
    "ich habe keine", "keine webseite", "keine website", "kein verein", "keine organisation",
    "нет сайта", "сайта нет", "не состою", "nessuna organizzazione", "nenhuma organização",
    "ninguna organización", "aucune organisation", "sans organisation",
    "nao tem", "não tem", "no tiene", "n'en ai pas", "je n'ai pas", "pas encore", "ainda nao", "ainda não",
    "todavia no", "todavía no", "aun no", "aún no", "noch nicht", "noch keine", "non ancora", "ещё нет",
    "еще нет", "keiner", "keines", "nope", "no tengo web", "no tengo página", "nao tem site", "não tem site",
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


@functools.lru_cache(maxsize=8192)
def lookup(label: str) -> tuple[str, str] | None:
    """(field, language) for a label as typed ("Last Name", "*Nom*", "Apellido(s)"), or None."""
    key = fold(label.strip(" \t*_•·-–—:|"))
    key = re.sub(r"^(your|votre|ton|tu|su|seu|sua|dein|ihr|ваш|ваша|il tuo|la tua|vostro)\s+", "", key)
    if len(key) > _LONGEST + 90:
        return None
    hit = _exact(key)
    if hit is None and key.endswith(".") and len(key) > 2:
        hit = _exact(key.rstrip("."))  # "Tel.", "Tél.", "Mob."
    if hit is None and (bare := _HINT.sub(" ", key).strip(" :")) != key and bare:
        hit = _exact(bare)  # the appeal's hint copied along: "Organization (optional)"
    if hit is None and _ALTERNATIVES.search(key):
        # "Title/position", "Organización/Sindicato": every part a label of the same field
        parts = [_exact(p.strip()) for p in _ALTERNATIVES.split(key)]
        known = [h for h in parts if h]
        words = [p.strip() for p in _ALTERNATIVES.split(key)]
        # every part a label of one field, or one label beside a one-word label in another language
        # the table lacks ("Nombre / Izena", bilingual forms)
        if known and len({h[0] for h in known}) == 1 and known[0][0] != IGNORED and (
                all(parts) or len(parts) == 2
                and all(len(w.split()) == 1 for w, h in zip(words, parts, strict=True) if not h)):
            hit = known[0]
    if hit is None and "y" in key:
        hit = _exact(key.replace("y", "ll"))  # "Apeyidos": y for ll, as Spanish is spoken
    if hit is None:
        hit = _typo(key)
    return hit


def _near(a: str, b: str) -> bool:
    """One edit apart: a letter left out, added, changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


# Words people write before a colon that are one letter from a label but are no label at all
_NOT_TYPOS = frozenset({"note", "nota", "notes", "notas", "home", "rome", "time", "same", "some",
                        "hand", "band", "sand", "plan", "rang", "race", "bank", "link", "info",
                        # signing verbs one letter from a label ("Firmo:" is not "Firma:")
                        "firmo", "firme", "firmato", "assino", "assine", "signe", "signo", "signed",
                        "signee", "sottoscrivo", "unterschreibe", "podpis"})


def _typo(key: str) -> tuple[str, str] | None:
    """A label typed with one slip ("Fist name", "Contry", "Pyas"), when only one field is that near."""
    if not 4 <= len(key) <= 30 or not re.fullmatch(r"[\w .'-]+", key) or key in _NOT_TYPOS:
        return None
    # labels of five letters or more: any one slip; of four ("name", "land"): two letters swapped
    # only ("Nmae", "Lnad"), as "list" or "east" one letter from "last" are words of their own
    hits = {INDEX[k] for k in INDEX if abs(len(k) - len(key)) <= 1 and (
        len(k) >= 5 and _near(key, k) or len(k) == 4 == len(key) and sorted(k) == sorted(key)
        and _near(key, k))}
    if not hits:
        # a short label with a letter doubled or a soft sign slipped in ("Nomme", "Имья"): the
        # slip leaves the label whole, where a letter changed may make another word ("Note")
        hits = {hit for i in range(1, len(key)) if key[i] in "ьъ" or key[i] == key[i - 1]
                if (hit := INDEX.get(key[:i] + key[i + 1:])) and len(key) <= 6}
    fields = {h[0] for h in hits}
    return min(hits) if len(fields) == 1 and IGNORED not in fields else None  # min: the same every run


_ALTERNATIVES = re.compile(r"\s?[/&]\s?|\s(?:or|ou|o|oder|или)\s")

# A hint in brackets after a label: "(e.g. "Professor of sociology")", "(optional)", "(ex.: …)"
_HINT = re.compile(r"\s*[(\[（][^()\[\]（）]{0,80}[)\]）]")


def _exact(key: str) -> tuple[str, str] | None:
    hit = INDEX.get(key)
    if hit is None and key.endswith("(s)"):
        hit = INDEX.get(key[:-3].strip())
    if hit is None and key.endswith("s") and len(key) > 4:
        hit = INDEX.get(key[:-1])
    return hit
