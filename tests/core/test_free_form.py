"""Free-form replies read through `read_reply`: who signs and from which country, always held."""

import pytest

from mailbot.core.model import Kind
from mailbot.core.reply import read_reply
from tests.core.plain_mail import RULES, plain_mail


def read(body: str, sender: str = "Claudia Ferrante <claudia.f@example.org>", subject: str = "Re: Appeal"):
    return read_reply(plain_mail(body, sender, subject, in_reply_to="appeal@campaign.example"), RULES)


@pytest.mark.parametrize("body, sender, first, name, country", [
    ("Claudia Ferrante\nassistente sociale", "Claudia Ferrante <c@example.org>", "Claudia", "Ferrante", None),
    ("Wagner Lopes\nbrasileiro, estudante", "Wagner Lopes <w@example.org>", "Wagner", "Lopes", "BR"),
    ("С уважением,\nГалина Орлова\nсоциальный педагог\nНовосибирск", "Галина Орлова <g@example.org>",
     "Галина", "Орлова", "RU"),
    ("Olá,\n\nJoana Almeida\n\nAngola\n\nToda a solidariedade.", "Joana Almeida <j@example.org>",
     "Joana", "Almeida", "AO"),
    # one first name, the sender's (display name, other script, or the address)
    ("Zacarias\nMoçambique\nmineiro", "Zacarias Mondlane <z@example.org>", "Zacarias", "", "MZ"),
    ("Болат, Казахстан, шахтёр. Свободу ребятам!", "Bolat <b@example.org>", "Болат", "", "KZ"),
    ("Ich unterschreibe.\nLena, Deutschland", "lena.h@example.org", "Lena", "", "DE"),
])
def test_the_sender_s_own_name_and_a_few_words_are_a_held_signature(body, sender, first, name, country):
    reply = read(body, sender)
    assert reply.kind is Kind.signature, reply.reasons
    assert (reply.fields.first_name, reply.fields.name, reply.fields.country_code) == (first, name, country)
    assert reply.confidence < RULES.auto_approve_threshold


@pytest.mark.parametrize("body, sender", [
    # an out-of-office without headers, signed with the sender's name
    ("Спасибо за письмо. Я нахожусь в командировке до 5 декабря. По срочным вопросам звоните "
     "+7 812 000-00-00.\n\nСветлана Егорова", "Светлана Егорова <s@example.org>"),
    # a question signed with one's name
    ("Can my union sign too?\n\nClaudia Ferrante", "Claudia Ferrante <c@example.org>"),
    # someone else's name, not the sender's
    ("Maria Rossi\nassistente sociale", "Claudia Ferrante <c@example.org>"),
    # a long message that happens to end with the sender's name
    ("Thank you for the news.\nI have shared it with my colleagues at the hospital this morning.\n"
     "We talked about it for a long while.\nIt is a sad story and we hope for the best.\nWe will follow it.\n"
     "Claudia Ferrante", "Claudia Ferrante <c@example.org>"),
])
def test_other_mails_signed_with_a_name_are_not_signatures(body, sender):
    assert read(body, sender).kind is not Kind.signature


@pytest.mark.parametrize("body, country", [
    ("Je signe.\n\nÉtienne Moreau\nprêtre, Lens (Pas-de-Calais)", "FR"),
    ("I sign.\n\nGurpreet Kaur\nSocial worker\nSurrey, British Columbia", "CA"),
    ("assino! fernanda lopes, assistente social, itabira mg", "BR"),
    ("Eu, Pedro Henrique Rocha, estudante de agronomia em Viçosa (MG), assino o apelo.", "BR"),
    ("Hola, soy Beatriz Lorenzo, enfermera jubilada de la sanidad pública, vivo en Lugo y quiero firmar "
     "este llamamiento con todo el corazón.", "ES"),  # Lugo in Spain, as the mail is Spanish
    ("Assino.\n\nGilberto Nunes\nsindicalista, angolano a viver em Lisboa", "AO"),  # nationality first
    ("Ich unterschreibe gern – Martina Köhler, Rechtsanwältin aus Graz.", "AT"),  # "Martina" is a name
])
def test_a_country_guessed_from_places_and_people_is_held(body, country):
    reply = read(body, "A Person <a@example.org>")
    assert reply.kind is Kind.signature, reply.reasons
    assert reply.fields.country_code == country, reply.reasons
    assert reply.confidence < RULES.auto_approve_threshold


@pytest.mark.parametrize("body, sender, first, name", [
    # an initial in the closing, the whole name in the text
    ("Bonjour,\n\nJe m'appelle Hélène Marchand, je suis infirmière à la retraite. Je souhaite signer votre "
     "appel.\n\nCordialement,\nH. Marchand", "H. Marchand <h@example.org>", "Hélène", "Marchand"),
    # the display name without its accent, the text with it
    ("Moin,\n\nich bin Krankenpfleger, mein Name ist Dennis Wójcik.\nUnterschreibe gern!\n\nDennis",
     "Dennis Wojcik <d@example.org>", "Dennis", "Wójcik"),
    # two people: the first one, held
    ("Bonjour,\nNous signons tous les deux : Marie et Pierre Lenoir, médecins retraités, Lyon.",
     "P. Lenoir <p@example.org>", "Marie", "Lenoir"),
    ("Firmamos mi marido y yo: Carmen Ruiz Ortega y Andrés Molina Cruz, maestros jubilados.",
     "Carmen <c@example.org>", "Carmen", "Ruiz Ortega"),
    # a priest's title and order
    ("Me sumo al llamamiento.\n\nP. Ernesto Salazar, SJ\nsacerdote jesuita\nCaracas, Venezuela",
     "Ernesto Salazar <e@example.org>", "Ernesto", "Salazar"),
    # the patronymic left out of the first name, held
    ("Прошу добавить мою подпись: Кузнецова Мария Петровна, врач-терапевт, г. Екатеринбург.",
     "Мария <m@example.org>", "Мария", "Кузнецова"),
])
def test_who_signs_a_free_form_reply(body, sender, first, name):
    reply = read(body, sender)
    assert reply.kind is Kind.signature, reply.reasons
    assert (reply.fields.first_name, reply.fields.name) == (first, name), reply.reasons
    assert reply.confidence < RULES.auto_approve_threshold


@pytest.mark.parametrize("first_typed, name_typed, first, name, approved", [
    ("Père Antoine", "Lefort", "Antoine", "Lefort", True),  # a title written out is left out
    ("Irmã Dorotéia", "Santos", "Dorotéia", "Santos", True),
    ("Rt Hon. David", "Pemberton MP", "David", "Pemberton", False),  # letters after the name: held
    ("Alberto", "Restrepo SJ", "Alberto", "Restrepo", False),
    ("Cheikh Tidiane", "Sow", "Cheikh Tidiane", "Sow", True),  # a first name, not a title
    ("On. Paolo", "Ferri", "Paolo", "Ferri", True),  # Onorevole
    ("MOREAU", "Luc", "Moreau", "Luc", False),  # the surname in capitals in the first-name field: held
])
def test_titles_and_letters_after_a_name_in_a_form(first_typed, name_typed, first, name, approved):
    reply = read(f"First name: {first_typed}\nName: {name_typed}\nCountry: France\n",
                 f"{first_typed} {name_typed} <x@example.org>")
    assert (reply.fields.first_name, reply.fields.name) == (first, name), reply.reasons
    assert (reply.confidence >= RULES.auto_approve_threshold) is approved, reply.reasons


@pytest.mark.parametrize("body, sender, first, name, country", [
    # a city closing a line of the signature block
    ("Hiermit schließe ich mich dem Offenen Brief an.\n\nMit freundlichen Grüßen\n\nSabine Krüger-Hahn\n"
     "Professorin für Völkerrecht\nUniversität Leipzig", "Sabine Krüger-Hahn <s@example.org>",
     "Sabine", "Krüger-Hahn", "DE"),
    # a word for a people in Russian
    ("Здравствуйте. Я армянка, работаю медсестрой. Подписываю: Ануш Саргсян.",
     "Anush Sargsyan <a@example.org>", "Ануш", "Саргсян", "AM"),
    # a city is not a name, a particle does not begin one
    ("Firmo.\n\nErnesto Villalobos Rojas\nDiputado de la Asamblea Legislativa\nSan José, Costa Rica",
     "Ernesto Villalobos <e@example.org>", "Ernesto", "Villalobos Rojas", "CR"),
    # a reply typed all in lower case, a city of two countries; its language from the subject
    ("count me in. jack turner, bus driver, manchester", "jack turner <j@example.org>",
     "Jack", "Turner", "GB"),
])
def test_names_and_places_in_free_form_replies(body, sender, first, name, country):
    reply = read(body, sender, subject="Re: Free the eleven, please sign the open letter and share it")
    assert reply.kind is Kind.signature, reply.reasons
    fields = reply.fields
    assert (fields.first_name, fields.name, fields.country_code) == (first, name, country), reply.reasons


@pytest.mark.parametrize("body, sender, first, name, country", [
    # a name as in a register, surname first
    ("Nakamura, Eduardo Hideki — engenheiro agrônomo, Londrina/PR", "Eduardo Nakamura <e@example.org>",
     "Eduardo Hideki", "Nakamura", "BR"),
    ("Adhiero:\nRODRÍGUEZ PEÑA, Martín - estudiante de periodismo - Montevideo",
     "Martín Rodríguez <m@example.org>", "Martín", "Rodríguez Peña", "UY"),
    ("Müller, Andreas - Lokführer - Dresden\n\nFreiheit für die Kollegen!", "Andreas Müller <a@example.org>",
     "Andreas", "Müller", "DE"),
    # a title is not a surname
    ("Please add my name: Rev. Samuel Adeyemi, Anglican priest, Lagos, Nigeria",
     "Samuel Adeyemi <s@example.org>", "Samuel", "Adeyemi", "NG"),
    # Catalan surnames joined by "i"
    ("Bon dia,\n\nSigno la carta. Jordi Vilanova i Puig, estibador del port de Barcelona.",
     "Jordi Vilanova <j@example.org>", "Jordi", "Vilanova i Puig", "ES"),
])
def test_names_written_in_other_orders(body, sender, first, name, country):
    fields = read(body, sender).fields
    assert (fields.first_name, fields.name, fields.country_code) == (first, name, country)


@pytest.mark.parametrize("body, sender, first, name", [
    ("Je signe.\nJacques\n(Liège)", "jacques.liege@example.be", "Jacques", ""),  # the address says so
    ("Подписываю. Светлана", "sveta.med77@example.ru", "Светлана", ""),  # right after the signing words
    # the whole name written above a first name alone
    ("Bonjour, je m'appelle Bernard Petit, je suis retraité de l'enseignement. J'ajoute mon nom à votre "
     "appel.\nBernard", "bp@example.fr", "Bernard", "Petit"),
    # a closing is not a first name
    ("Buongiorno, sono un avvocato, Giorgio Di Stefano, e aderisco all'appello.\nCordialità",
     "g@example.it", "Giorgio", "Di Stefano"),
    # two people with a Russian surname in the plural: the first of them, in the singular
    ("Подписываемся: Татьяна и Михаил Лебедевы, пенсионеры, Тверь.", "t@example.ru", "Татьяна", "Лебедева"),
    ("Подписываемся вдвоём: Игорь и Марина Федоровы, учителя.", "i@example.ru", "Игорь", "Федоров"),
])
def test_first_names_alone_and_couples(body, sender, first, name):
    fields = read(body, sender).fields
    assert (fields.first_name, fields.name) == (first, name)


@pytest.mark.parametrize("body, country", [
    # a first name that is also a country is not the country, nor a short word ("Man darf ...")
    ("Signo la carta amb molt de gust. Montserrat Vilaró i Puig, infermera jubilada, Girona.", "ES"),
    ("Ich war 40 Jahre Betriebsrat in einem Krankenhaus in Essen. Man darf nicht schweigen. "
     "Bitte setzen Sie meinen Namen darunter: Walter Brandt", "DE"),
    # a region that is an everyday word is no region ("West" is in Cameroon); the city is
    ("I sign.\n\nAoife Ní Bhriain TD\nTeachta Dála, Galway West, Leinster House, Dublin", "IE"),
    # a city after the name on a line without punctuation; a town of four words
    ("Je signe. Yannick Le Goff infirmier psychiatrique Quimper", "FR"),
    ("Assino.\n\nManuel Pinho\noperário corticeiro reformado, Santa Maria da Feira", "PT"),
])
def test_countries_in_free_form_replies_not_misread(body, country):
    assert read(body, "A Person <a@example.org>").fields.country_code == country


def test_a_surname_of_several_words_in_capitals_comes_first():
    fields = read("Je soutiens pleinement cet appel.\n\nMBARGA ATANGANA Paul-Henri\nJuriste\n"
                  "Yaoundé - Cameroun", "Mbarga <m@example.cm>").fields
    assert (fields.first_name, fields.name, fields.country_code) == ("Paul-Henri", "Mbarga Atangana", "CM")


@pytest.mark.parametrize("body, sender, first, name", [
    ("Guten Tag,\n\nbitte tragen Sie uns beide ein: Petra und Uwe Lorenz, Rentner aus Rostock.",
     "Petra Lorenz <p@example.de>", "Petra", "Lorenz"),
    ("Cuente con mi firma: Yunior Castillo, estudiante de medicina en La Habana",
     "Yunior Castillo <y@example.cu>", "Yunior", "Castillo"),
    ("Weber, Jürgen - Rentner - Leipzig", "Juergen Weber <j@example.de>", "Jürgen", "Weber"),
    ("ROSSI MARIO - operaio - Genova", "Mario Rossi <m@example.it>", "Mario", "Rossi"),
])
def test_more_ways_of_signing(body, sender, first, name):
    reply = read(body, sender)
    assert reply.kind is Kind.signature, reply.reasons
    assert (reply.fields.first_name, reply.fields.name) == (first, name)
