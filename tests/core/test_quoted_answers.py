"""Answers typed inside the quoted appeal, or under its quoted blank labels."""

import pytest

from mailbot.core.model import Kind
from mailbot.core.reply import read_reply
from tests.core.plain_mail import RULES, plain_mail

FORM = ("> To sign, reply with:\n> First name: {first}\n> Surname: {name}\n> Country: {country}\n"
        "> Presentation (one line):{presentation}\n> Website (optional):\n>\n> The Campaign\n")


def read(own_above: str, own_below: str, sender: str, **answers: str):
    quote = ("On Tue, 17 Nov 2026 at 09:12, The Campaign <appeal@campaign.example> wrote:\n"
             + FORM.format(**answers))
    body = own_above + "\n" + quote + "\n" + own_below
    return read_reply(plain_mail(body, sender, in_reply_to="appeal-1@campaign.example"), RULES)


@pytest.mark.parametrize("above, below", [
    ("", "Gilles"),  # only the signer's first name under the quote
    ("", "With prayers for the men and their families.\nRevd Margaret Ellison"),  # a wish and the name
    ("", "Gruß J. Hofmann"),
    ("", "Firmado. Salud!\nMartín"),
    ("Caros amigos, respondi no próprio formulário.", ""),
])
def test_answers_inside_the_quote_with_a_few_words_around(above, below):
    reply = read(above, below, "Revd Margaret Ellison <m@example.org>", first=" Margaret", name=" Ellison",
                 country=" United Kingdom", presentation=" Vicar of Easington")
    assert reply.kind is Kind.signature, reply.reasons
    fields = reply.fields
    assert (fields.first_name, fields.name, fields.country_code) == ("Margaret", "Ellison", "GB")


def test_a_thank_you_above_a_quoted_filled_form_is_not_a_signature():
    reply = read("Thanks, all good!", "", "Margaret Ellison <m@example.org>", first=" Margaret",
                 name=" Ellison", country=" United Kingdom", presentation=" Vicar")
    assert reply.kind is not Kind.signature


def test_an_answer_under_a_quoted_label_after_a_blank_line():
    body = ("Am 02.11.2026 um 10:30 schrieb Appeal:\n> Bitte füllen Sie aus:\n>\n"
            "> Vorname:\n\nStefan\n\n> Nachname:\n\nPichler\n\n> Land:\n\nÖsterreich\n\n"
            "> Webseite (optional):\n\nLg, Stefan")
    reply = read_reply(plain_mail(body, "Stefan Pichler <s@example.org>", "Re: Aufruf",
                                  in_reply_to="appeal-1@campaign.example"), RULES)
    assert reply.kind is Kind.signature, reply.reasons
    fields = reply.fields
    assert (fields.first_name, fields.name, fields.country_code) == ("Stefan", "Pichler", "AT")
    assert reply.fields.website == ""


@pytest.mark.parametrize("body", [
    # the signer's signature block under the form: its lines are not labels the bot failed to read
    "Nombre: José Luis\nApellido(s): Ramírez Tovar\nPaís: Colombia\nPresentación: abogado ambientalista\n\n"
    "Cordialmente,\n\nJosé Luis Ramírez Tovar\nAbogado - Colectivo de Abogados Río Magdalena\nBarranquilla",
    "Nome - Luiz Carlos\nSobrenome - Pereira\nPaís - Brasil\nApresentação - vereador\n\n"
    "Luiz Carlos Pereira\nVereador - Santos/SP",
    # label and value on separate lines, then a closing and the name
    "Prénom\nLuc\n\nNom\nFavre\n\nPays\nSuisse\n\nPrésentation\nphotographe de presse\n\n"
    "Meilleures salutations\nLuc Favre",
    # a value with a dash under its label
    "Nome\nValentina\n\nCognome\nRomano\n\nPaese\nBelgio\n\nPresentazione\nfunzionaria sindacale\n\n"
    "Organizzazione\nCES - Confederazione europea dei sindacati",
])
def test_a_form_then_a_signature_block_is_approved(body):
    reply = read_reply(plain_mail(body, "a.signer@example.org"), RULES)
    assert reply.kind is Kind.signature, reply.reasons
    assert reply.confidence >= RULES.auto_approve_threshold, reply.reasons
    assert "CES -" not in reply.fields.presentation


def test_answers_inside_a_quote_of_the_campaign_without_its_address():
    """The attribution names the campaign without its address, the form has no blank label left:
    the reply is to a mail of the campaign's domain (In-Reply-To), so the quote is the appeal."""
    body = ("Le 10/11/2026 à 09:00, Solidarité Karvesh a écrit :\n> Pour signer, remplissez :\n>\n"
            "> Prénom : Luc\n> Nom : Girard\n> Pays : Suisse\n> Présentation : Vigneron")
    reply = read_reply(plain_mail(body, "Luc Girard <l@example.ch>", "Re: Appel",
                                  in_reply_to="appeal-karvesh-fr@campaign.example"), RULES)
    assert reply.kind is Kind.signature, reply.reasons
    assert (reply.fields.first_name, reply.fields.name, reply.fields.country_code) == ("Luc", "Girard", "CH")


@pytest.mark.parametrize("body", [
    "Oi, segue:* Nome: Fernanda\n* Sobrenome: Lima\n* País: Brasil\n* Apresentação: Psicóloga escolar",
    "Imya: Nikolay\nFamiliya: Pavlov\nStrana: Rossiya\nO sebe: voditel avtobusa",  # Russian in Latin letters
])
def test_more_form_shapes(body):
    reply = read_reply(plain_mail(body, "x@example.org"), RULES)
    assert reply.fields.first_name and reply.fields.name and reply.fields.country_code, reply.reasons
